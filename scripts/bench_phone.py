"""Issue 30's figures: the phone's page beside the terminal's keys, in one run (scripts/bench phone).

- a tap on pause in the page (a real browser over loopback) against space in the terminal: how
  soon the sink is silent, each pressed while the voice is speaking, the median of several;
- the page's countdown against the sound: when each of its digits appeared, against the hold's
  start cue on the recording, over a whole short session;
- the memory and CPU of the coach's process in a session with --phone (the page open and
  connected) beside the same session without it.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from pathlib import Path

import numpy as np

from tests.audio_server import RATE, cue_onsets

URL = re.compile(rb"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]+/")
PHONE = ["--phone", "--phone-address", "127.0.0.1", "--no-listen"]
TIMES = 6  # pauses by each way


def _quiet_after(recorder, at: float) -> float:
    """When the first chunk stamped after `at` (time.monotonic) is silent."""
    while True:
        for t, c in list(recorder.chunks):
            if t >= at and np.abs(c).max() < 100:
                return t
        recorder.wait_until(time.monotonic() + 0.05)


def _session(server, home: Path, args: list[str], env_home, size=(80, 24)):
    from tests.terminal import Terminal

    return Terminal(env_home(home, server.overrides), "start", *args, size=size)


def pause_latency(server, home: Path, env_home, row, routine: list[str]) -> None:
    """Tap and key, alternating, each while the voice speaks: time to silence at the sink."""
    from tests.browser import session_page

    recorder = server.recorder().start()
    term = _session(server, home, [*routine, "--no-ratings", *PHONE], env_home)
    for _ in range(3):  # the three emergency questions: by key
        term.wait_for("[y yes, n no]", count=_ + 1)
        term.press("n")
    taps: list[float] = []
    keys: list[float] = []
    with session_page(term) as (reading, page, _):
        page.wait_for_function("document.getElementById('pause').textContent !== ''")
        for i in range(2 * TIMES):
            tap = i % 2 == 0
            _wait_sound(recorder)
            at = time.monotonic()
            if tap:
                page.click("#pause", no_wait_after=True)
            else:
                os.write(term.fd, b" ")
            quiet = _quiet_after(recorder, at)
            (taps if tap else keys).append(quiet - at)
            time.sleep(0.6)
            if tap:
                page.click("#pause")
            else:
                os.write(term.fd, b" ")
            time.sleep(1.5)
        os.write(term.fd, b"q")
        time.sleep(1.0)
        os.write(term.fd, b"q")
        reading.ended.wait(30)
    term.finish()
    recorder.stop()
    row(f"tap on pause -> silence at the sink (page in Chromium over loopback, median of {TIMES}, recorder "
        "latency included)", f"{statistics.median(taps) * 1000:.0f} ms (max {max(taps) * 1000:.0f})",
        f"space in the terminal, same session: {statistics.median(keys) * 1000:.0f} ms "
        f"(max {max(keys) * 1000:.0f})", "<= 150 ms median")


def _wait_sound(recorder) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        recorder.wait_until(time.monotonic() + 0.02)
        if np.abs(recorder.chunks[-1][1]).max() > 1000:
            return
    raise RuntimeError("the voice never spoke for a minute")


WATCH = """() => { window.seen = []; new MutationObserver(() => window.seen.push(
  [document.getElementById('big').textContent, performance.timeOrigin + performance.now()]))
  .observe(document.getElementById('big'), {childList: true, characterData: true, subtree: true}); }"""


def countdown(server, home: Path, env_home, row, routine: list[str], hold: int) -> None:
    """Each digit the page showed, against when the sound says it is due: the hold's start cue
    on the recording, plus the seconds gone."""
    from tests.browser import session_page

    recorder = server.recorder().start()
    offset = time.time() - time.monotonic()  # the browser stamps by the wall clock, the recorder by the monotonic one
    term = _session(server, home, [*routine, "--hold", str(hold), "--no-ratings", *PHONE], env_home)
    for _ in range(3):
        term.wait_for("[y yes, n no]", count=_ + 1)
        term.press("n")
    with session_page(term) as (reading, page, _):
        page.evaluate(WATCH)
        reading.ended.wait(300)
        seen = page.evaluate("window.seen")
    term.finish()
    recording = recorder.stop()
    digits = [(int(d), t / 1000 - offset) for d, t in seen if d.isdigit()]
    holds = [digits[i:] for i, (d, _) in enumerate(digits) if d == hold]  # each hold starts at its full count
    starts = sorted(cue_onsets(recording, _cue("hold-start"), len(holds), RATE))
    errors = []
    for start, run in zip(starts, holds):
        at = _stamp(recorder, start)
        for d, t in run:
            if d == hold:
                continue
            if d > hold or d < 1:
                break
            errors.append(t - (at + (hold - d)))
            if d == 1:
                break
    worst = max(abs(e) for e in errors)
    row(f"the page's countdown against the sound, a whole session ({len(holds)} holds, {len(errors)} digits; "
        "shown minus due by the hold's start cue)", f"median {statistics.median(errors) * 1000:+.0f} ms, worst "
        f"{worst * 1000:.0f} ms", "(the terminal's board is drawn from the same position)", "within 200 ms")


def _cue(name: str):
    from coach.audio import cue

    return cue.render(name, RATE)


def _stamp(recorder, index: int) -> float:
    """The time.monotonic() at which sample `index` of the recording was heard."""
    t0 = recorder.chunks[0][0] - len(recorder.chunks[0][1]) / RATE  # the first chunk's stamp is at its end
    return t0 + index / RATE


def cost(server, home: Path, env_home, row, routine: list[str]) -> None:
    """Peak memory and CPU of the coach's process: the same session without and with --phone."""
    from tests.browser import session_page

    figures = {}
    for phone in (False, True):
        term = _session(server, home, [*routine, "--no-ratings", "--no-listen", *(PHONE if phone else [])], env_home)
        for _ in range(3):
            term.wait_for("[y yes, n no]", count=_ + 1)
            term.press("n")
        began = time.monotonic()
        if phone:
            with session_page(term) as (reading, _, _):
                reading.ended.wait(600)
        else:
            while term.read(0.2):  # the same session, its output read, no page
                pass
        _, status, usage = os.wait4(term.pid, 0)
        wall = time.monotonic() - began
        os.close(term.fd)
        figures[phone] = (usage.ru_maxrss / 1024, (usage.ru_utime + usage.ru_stime) / wall * 100)
    (m0, c0), (m1, c1) = figures[False], figures[True]
    row("a session's coach process with --phone and the page open, beside the same session without "
        "(peak RSS, CPU % of a core)", f"{m1:.0f} MB, {c1:.1f} % (+{m1 - m0:.0f} MB, {c1 - c0:+.1f} points)",
        f"without: {m0:.0f} MB, {c0:.1f} %", "<= +30 MB, <= +5 % of a core")


def closing(row, times: int = 30) -> None:
    """The end of a --phone session: Phone.close() with the page open in Chromium and connected,
    without a Wake Lock (a phone's browser over plain http has none: the page plays its video),
    ours (the page has 1 s to answer the closing handshake) beside websockets' default (10 s)."""
    from playwright.sync_api import sync_playwright

    from coach.core.words import catalog
    from coach.phone.server import Phone
    from tests.browser import ARGS, CHROMIUM, phone_page

    class Default(Phone):  # the naive way: websockets' own close_timeout
        CLOSE_TIMEOUT = 10.0

    took: dict[str, list[float]] = {"ours": [], "naive": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for k in range(times):
                ways = [("ours", Phone), ("naive", Default)]
                for way, kind in ways if k % 2 else ways[::-1]:  # each way first half the time
                    phone = kind("127.0.0.1", catalog("en"), {"knees-to-chest": "Knees to chest"})
                    phone.start()
                    page = phone_page(browser)
                    page.add_init_script("delete Navigator.prototype.wakeLock")  # as a phone over http:
                    page.goto(phone.url)  # the tap below starts the silent video that keeps its screen on
                    page.wait_for_function("document.getElementById('pause').textContent === 'Pause'")
                    page.click("#repeat")
                    start = time.monotonic()
                    phone.close()
                    took[way].append(time.monotonic() - start)
                    page.context.close()
        finally:
            browser.close()

    def said(way: str) -> str:
        t = took[way]
        return f"median {statistics.median(t):.3f} s, worst {max(t):.2f} s, {sum(x > 0.5 for x in t)} of {len(t)} over 0.5 s"

    row(f"a --phone session's end with the page open (Chromium), {times} each: the coach waits for the page",
        said("ours"), said("naive"), "no wait a person notices (under 1 s)")
