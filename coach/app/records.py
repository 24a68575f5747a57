"""What `coach history` and `coach cleared` do with the record."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterator

from coach.core.errors import InputError
from coach.storage.history import History, today


def printer(echo: Callable[..., None]) -> Callable[..., None]:
    """`echo` for several lines at once, each printed on its own."""

    def print_lines(*lines: str) -> None:
        for line in lines:
            echo(line)

    return print_lines


@contextlib.contextmanager
def opened(echo: Callable[..., None], write: bool = True) -> Iterator[History]:
    """The history, open for the block; what it had to say on opening (a damaged file set aside,
    sessions found cut off) printed first, on stderr."""
    with History.open(write=write) as history:
        if history.notice:
            echo(history.notice, err=True)
        yield history


def trend_png(history: History, path: Path) -> Path:
    """The trend chart of leg pain and reach, by day, as a PNG image."""
    from coach.app import chart
    from coach.clinical import trend as trends

    if path.suffix.lower() != ".png":
        raise InputError(f"cannot write {path}: give a file name ending in .png.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    t = trends.trend(history.leg_ratings())
    if t.empty:
        raise InputError("no pain ratings yet, so there is no chart to draw.")
    try:
        chart.png(t, path)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}.") from e
    return path


CLEARED = {"emergency": "a clinician has seen you since the emergency-level safety answer",
           "cancer": "a doctor has checked this back pain; the cancer question is not asked again",
           "fracture": "a doctor has checked this back pain; the steroids and thin bones question is not asked again",
           "infection": "a doctor has checked this back pain; the immune system question is not asked again"}


def clear(history: History, kind: str) -> str:
    """Record a clearance; what to print."""
    block = history.emergency_block()
    if kind == "emergency" and block is None:
        return "No emergency-level safety answer is waiting to be cleared; nothing was recorded."
    history.record_clearance(kind)
    again = " Sessions start again tomorrow." if kind == "emergency" and block and block["day"] == today() else ""
    return f"Recorded on {today()}: {CLEARED[kind]}.{again} The other safety questions are still asked before sessions."
