"""Beep cues as data: their notes, levels and lengths.

The lengths are plain numbers so the session script can place cues without importing numpy;
coach/audio/cue.py makes the samples. Each tone is a sine with a soft second harmonic, shaped by a
raised-cosine attack and release so it never clicks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    hz: float
    seconds: float


@dataclass(frozen=True)
class Cue:
    name: str
    meaning: str
    notes: tuple[Note, ...]
    level: float  # peak amplitude, 0-1, set against the speech's loudness
    decay: float = 0.0  # exponential decay per second within each note (a chime rings out)

    @property
    def seconds(self) -> float:
        return sum(n.seconds for n in self.notes)


CUES: dict[str, Cue] = {
    c.name: c
    for c in (
        Cue(
            "hold-start",
            "a rising two-note tone: start the hold now",
            (Note(523.25, 0.16), Note(783.99, 0.20)),
            level=0.25,
        ),
        Cue(
            "hold-end",
            "a falling two-note tone: the hold is over, relax",
            (Note(783.99, 0.16), Note(523.25, 0.26)),
            level=0.25,
        ),
        Cue(
            "reps-start",
            "one soft note: an exercise that moves begins; move with the count",
            (Note(659.25, 0.24),),
            level=0.2,
        ),
        Cue(
            "tick",
            "a short soft tick: a count of the final seconds, where a spoken number would not fit",
            (Note(1318.5, 0.05),),
            level=0.12,
        ),
        Cue(
            "session-end",
            "a ringing three-note chime: the session is over",
            (Note(523.25, 0.35), Note(659.25, 0.35), Note(1046.5, 1.1)),
            level=0.3,
            decay=2.5,
        ),
    )
}

@dataclass(frozen=True)
class Tone:
    """The person's settings for every cue: its volume beside the voice, and its pitch."""

    volume: float = 1.0  # times the cue's own level
    pitch: float = 1.0  # times every note's frequency


ATTACK = 0.008  # seconds
RELEASE = 0.04  # seconds


def length(name: str, sample_rate: int) -> int:
    """A cue's length in samples, exactly as `render` makes it."""
    return sum(round(n.seconds * sample_rate) for n in CUES[name].notes)
