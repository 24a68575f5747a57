"""What a live session shows while it plays. Here: plain timestamped lines, one per event, for a
pipe or a log (and, until a full-terminal view exists, for a terminal too)."""

from __future__ import annotations

from typing import Callable

from coach.script import CUE, SPEECH, Script

CUE_WORDS = {
    "hold-start": "(tone: hold starts)",
    "hold-end": "(tone: hold ends)",
    "tick": "(tick)",
    "session-end": "(chime: the end)",
}


def stamp(position: int, sample_rate: int) -> str:
    s = position // sample_rate
    return f"{s // 60:02d}:{s % 60:02d}"


class Lines:
    """Prints each speech and cue event once, when the cursor reaches it."""

    def __init__(self, script: Script, echo: Callable[[str], None]):
        self.script = script
        self.echo = echo
        self.events = [e for e in script.events if e.kind in (SPEECH, CUE)]
        self.next = 0

    def show(self, position: int) -> None:
        sr = self.script.sample_rate
        while self.next < len(self.events) and self.events[self.next].start < position:
            e = self.events[self.next]
            what = e.text if e.kind == SPEECH else CUE_WORDS.get(e.cue or "", f"({e.cue})")
            self.echo(f"[{stamp(e.start, sr)}] {what}")
            self.next += 1

    def jump(self, position: int) -> None:
        """The cursor moved (skip, repeat, resume): show events from there on."""
        self.echo(f"[{stamp(position, self.script.sample_rate)}] (continuing here)")
        self.next = next((i for i, e in enumerate(self.events) if e.start >= position), len(self.events))
