"""Fixtures: every test gets its own COACH_HOME; real parts (speech engine, audio server) are shared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio_server import AudioServerError, PulseServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory) -> Path:
    """One COACH_HOME for the run, so the speech cache is synthesized once."""
    return tmp_path_factory.mktemp("coach-home")


@pytest.fixture(autouse=True)
def coach_home(shared_home, monkeypatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(shared_home))
    return shared_home


@pytest.fixture
def fresh_home(tmp_path, monkeypatch) -> Path:
    """An empty COACH_HOME: a cold speech cache."""
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def pulse():
    """A real PulseAudio server with a null sink, for the whole run."""
    try:
        server = PulseServer().start()
    except (AudioServerError, OSError, subprocess.SubprocessError) as e:
        pytest.fail(f"the test audio server could not start: {e}. Run ./scripts/test, which installs pulseaudio.")
    yield server
    server.stop()


def run_coach(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 600):
    """`coach ARGS` as a user runs it: a new process."""
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
