"""Fixtures: every test gets its own COACH_HOME; real parts (speech engine, audio server) are shared."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.audio_server import AudioServerError, PulseServer

ROOT = Path(__file__).resolve().parent.parent
# The routine the live tests play (tests/routines/tiny.toml): holds of seconds, few words, spoken
# at 400 words a minute. One side of its knee hug takes 41 s, the whole routine 86 s.
TINY = ("--routine", str(ROOT / "tests" / "routines" / "tiny.toml"), "--rate", "400")
ONE_SIDE = (*TINY, "--only", "knee-hug", "--side", "left")

# A run started in the background of a non-interactive shell inherits SIGINT ignored, and so would
# every coach the tests start, and Ctrl-C tests would wait for ever: give them the default back.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


FAST_VOICE = "en-us"  # the fast part's voice: espeak (see coach_home)
FAST_LIMIT = 60  # seconds: a test without real-time playback that takes longer has hung
LIVE_LIMIT = 240  # seconds: a live test plays a routine of seconds; four minutes is a hang


def pytest_collection_modifyitems(config, items):
    """A test that uses the audio server is live: it plays in real time, and may take longer (its
    own `timeout` mark, where it plays a long part on purpose, wins).
    Live tests run first, the longest first: the limit each carries is three times what it took
    on a loaded machine, so it orders them. Handed out one at a time (scripts/test), the last
    to start is a short one, and no worker is left with a long test while the others wait."""
    limits: dict[str, float] = {}  # live tests' limits, by node id
    for item in items:
        live = "pulse" in getattr(item, "fixturenames", ()) or item.get_closest_marker("live") is not None
        if live:
            item.add_marker(pytest.mark.live)
        mark = item.get_closest_marker("timeout")
        if mark is None:
            limit = pytest.mark.timeout(LIVE_LIMIT if live else FAST_LIMIT)
            item.add_marker(limit)
            mark = limit.mark
        if live:
            limits[item.nodeid] = float(mark.kwargs.get("timeout", mark.args[0] if mark.args else LIVE_LIMIT))
    items.sort(key=lambda item: -limits.get(item.nodeid, -1.0))  # stable: the others keep their order
    live = len(limits)  # sorted first
    items[:live] = handed_out(items[:live], int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def handed_out(tests: list, workers: int) -> list:
    """`tests` (longest first) in the order for pytest-xdist's load scheduling to share them out
    well among `workers`. It gives each worker two tests in a row to begin with, then one more
    each time a worker starts the last one it holds: so the second of a worker's first two waits
    behind the first, and longest first alone put the two longest on one worker, one after the
    other (scripts/test has the figures). So each of the longest tests goes first in a pair
    beside one of the shortest; the rest follow, longest first, to whichever worker is free."""
    if workers < 2 or len(tests) < 2 * workers:
        return tests
    first, rest = tests[:workers], tests[workers:]
    shortest = rest[::-1][:workers]
    return [t for pair in zip(first, shortest) for t in pair] + rest[: len(rest) - workers]


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One speech cache for the run, so each phrase is synthesized once: with pytest-xdist, one for
    all its workers (beside their own temporary folders). Clips are written whole and renamed into
    place, so two workers making the same one at once is safe."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    path = root / "coach-cache"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def coach_home(shared_cache, tmp_path_factory, monkeypatch, request) -> Path:
    """Each test its own COACH_HOME (history, config), sharing the run's speech cache.

    The fast part speaks with espeak, the engine the design card names, where the person's
    default is the natural voice: a phrase takes 14 ms there against piper's 0.2 s, and a test
    of a script, a file or a listing has no use for the voice's beauty (issue 29, item 9). The
    natural voice has its own tests (tests/test_natural.py sets it), and the live part plays it,
    as a person hears it."""
    home = tmp_path_factory.mktemp("coach-home")
    (home / "cache").symlink_to(shared_cache)
    monkeypatch.setenv("COACH_HOME", str(home))
    if request.node.get_closest_marker("live") is None and request.node.get_closest_marker("natural") is None:
        monkeypatch.setenv("COACH_VOICE", FAST_VOICE)
    return home


@pytest.fixture(scope="module")
def module_home(shared_cache, tmp_path_factory):
    """A COACH_HOME for a module-scoped fixture: those are made before any test's own home, and
    would otherwise write to the real user's directories."""
    home = tmp_path_factory.mktemp("coach-module-home")
    (home / "cache").symlink_to(shared_cache)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COACH_HOME", str(home))
        mp.setenv("COACH_VOICE", FAST_VOICE)  # its users are fast tests (see coach_home)
        yield home


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


def run_coach(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = 900,
              answers: str | list[str] = ""):
    """`coach ARGS` as a user runs it: a new process, with `answers` piped in, one per line."""
    if isinstance(answers, list):
        answers = "".join(f"{a}\n" for a in answers)
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        input=answers,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


NO = ["n"] * 11  # all the safety questions answered no (the first screening: all eleven)
BRIEF = ["n"] * 3  # the three emergency questions asked before every later session of the day


def brief(term) -> None:
    """Answer the three emergency questions no, in a terminal (tests/terminal.py)."""
    for k in range(len(BRIEF)):
        term.wait_for("[y yes, n no]", count=k + 1)
        term.press("n")


def start_with_answers(args: list[str], env: dict, answers: list[str]):
    """`coach ARGS` in the background, its answers piped in and then the input closed."""
    proc = subprocess.Popen([sys.executable, "-m", "coach", *args], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write("".join(f"{a}\n" for a in answers))
    proc.stdin.close()
    proc.stdin = None  # closed: communicate() must not flush it
    return proc


def coach_voice(rate: int = 150):
    """The voice a session speaks English with from the command line (the natural one, installed
    with the tests): a test that finds the coach's phrases in a recording makes them with it."""
    from coach.cli.base import sound

    return sound(None, rate, "en")[1]


def screened_today() -> None:
    """Record today's safety questions as all answered no (in the test's COACH_HOME)."""
    from coach.clinical.screening import screening
    from coach.core.words import catalog as words
    from coach.storage.history import History

    with History.open() as h:
        qs = [q for g in screening(words()).groups for q in g.questions]
        assert len(qs) == len(NO)
        h.record_screening("session", [(q.id, q.text, "no") for q in qs], "clear")


class FolderWatch:
    """inotify(7) on a folder: `wait` returns when a file in it is created, written with write(2)
    or renamed into it (or an extra file descriptor, such as a process's pidfd, is ready), so a
    test waits for the change itself instead of polling. Not IN_CLOSE_WRITE: a read-only SQLite
    reader opens the shared-memory file for writing, and would wake itself."""

    EVENTS = 0x2 | 0x100 | 0x80  # IN_MODIFY, IN_CREATE, IN_MOVED_TO

    def __init__(self, folder: Path):
        import ctypes

        folder.mkdir(parents=True, exist_ok=True)
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, os.fsencode(folder), self.EVENTS) < 0:
            pytest.fail(f"inotify is needed to wait for {folder} to change: {os.strerror(ctypes.get_errno())}")

    def wait(self, timeout: float, *also: int) -> list[int]:
        """Until a change (drained), or one of `also` is ready, or `timeout`: the ready descriptors."""
        import select

        ready = select.select([self.fd, *also], [], [], max(0.0, timeout))[0]
        if self.fd in ready:
            os.read(self.fd, 65536)
        return ready

    def __enter__(self) -> "FolderWatch":
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)


def wait_for_step(step: str, timeout: float = 120) -> dict:
    """Until the history says the session is at `step` (the row is written as the step begins):
    read again each time the history's folder changes (its database or write-ahead log written)."""
    import sqlite3

    from coach.storage import paths
    from coach.storage.history import FILE

    deadline = time.monotonic() + timeout
    with FolderWatch(paths.data_dir()) as watch:
        while True:
            row = None
            with contextlib.suppress(sqlite3.Error):  # not made yet, or being made
                db = sqlite3.connect(f"file:{paths.data_dir() / FILE}?mode=ro", uri=True)  # reads write nothing
                try:
                    db.row_factory = sqlite3.Row
                    row = db.execute("SELECT * FROM sessions ORDER BY id LIMIT 1").fetchone()
                finally:
                    db.close()
            if row is not None and row["step"] == step:
                return dict(row)
            left = deadline - time.monotonic()
            assert left > 0, f"the session never reached {step}"
            watch.wait(left)

