"""A real browser for the phone's page: Debian's Chromium, driven by Playwright, at a phone's size.
scripts/setup installs both; a test that cannot start them fails and says so."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

PHONE = {"width": 390, "height": 844}  # a phone held in portrait, in CSS pixels
CHROMIUM = os.environ.get("COACH_TEST_CHROMIUM", "/usr/bin/chromium")
# as root, on a machine with no network beyond loopback: no sandbox, nothing fetched in the background
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = Path(os.environ.get("COACH_TEST_SHOTS", tempfile.gettempdir())) / "coach-phone-shots"
URL = re.compile(rb"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]+/")


@contextlib.contextmanager
def browser() -> Iterator:
    """A headless Chromium (Playwright's Browser), closed after."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"no browser at {CHROMIUM}: run ./scripts/test, which installs Debian's chromium.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        pytest.fail(f"Playwright is missing ({e}): run ./scripts/test, which installs it.")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def phone_page(b):
    """A new browser (its own cookies) with one page at a phone's size. The page's own Content
    Security Policy forbids evaluating strings, which Playwright's waiting for a condition does:
    bypassed for the test's own scripts (the page's headers are checked in tests/test_phone.py)."""
    return b.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                         bypass_csp=True).new_page()


def shot(page, name: str) -> Path:
    """A screenshot of the page as it is, kept to look at (COACH_TEST_SHOTS chooses where)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


class Reading:
    """A terminal's output read in a thread while the test drives the browser (the coach blocks
    when nobody reads its output): `url` is the phone's address once printed."""

    def __init__(self, term):
        self.term = term
        self._stop = threading.Event()
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.term.read(0.05):
                self.ended.set()
                return

    def url(self, timeout: float = 60) -> str:
        import time

        deadline = time.monotonic() + timeout
        while (found := URL.search(self.term.out)) is None:
            assert not self.ended.is_set(), self.term.out.decode(errors="replace")[-800:]
            assert time.monotonic() < deadline, self.term.out.decode(errors="replace")[-800:]
            self.ended.wait(0.05)
        return found.group().decode()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def session_page(term) -> Iterator[tuple[Reading, Any, str]]:
    """A session in `term` (tests/terminal.py) with its phone's page open in a new browser, its
    output read meanwhile: (the reading, the page, its address). The reading stops after."""
    reading = Reading(term)
    try:
        url = reading.url()
        with browser() as b:
            page = phone_page(b)
            page.goto(url)
            yield reading, page, url
    finally:
        reading.stop()
