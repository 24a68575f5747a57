"""A remote for the session (the phone, coach/phone/): what the live layer needs of it.

A tap arrives as the key that does the same, one byte on a pipe (`fd`), so the session waits for
a tap exactly as it waits for a key, with the same select. The remote is told what is being
asked, so that it can show the answers as buttons."""

from __future__ import annotations

import contextlib
import os
import select
from typing import Iterable, Protocol

from coach.core.question import Question


class Remote(Protocol):
    fd: int  # readable while a tap is waiting: one byte per key

    def asking(self, question: Question | None) -> None:
        """A question is asked now (its answers shown as buttons), or none is."""

    def show(self, state: dict) -> None:
        """The board as it is now (coach/live/board.py Board.payload)."""


def ready(fds: Iterable[int | None], timeout: float | None) -> list[int]:
    """Those of `fds` (None ones left out) readable within `timeout` seconds (None: no limit)."""
    watch = [f for f in fds if f is not None]
    if not watch:
        return []
    return select.select(watch, [], [], timeout)[0]


def tap(fd: int) -> str | None:
    """The next tap's key, read now (it is waiting); None when the remote has closed."""
    with contextlib.suppress(OSError):
        data = os.read(fd, 1)
        if data:
            return data.decode("ascii", "replace")
    return None


def drain(fd: int) -> None:
    """Throw away taps made before now (a tap during an exercise must not answer a question)."""
    while ready([fd], 0):
        if tap(fd) is None:
            return
