"""Which routine a session follows: the one a flag names, or the direction the recorded tests
point to; and whether that direction is barred by a recent flare."""

from __future__ import annotations

from coach.clinical import evidence
from coach.clinical.preference import DIRECTIONS, Bar, Recommendation
from coach.core.errors import DoseError, NoDirection
from coach.core.words import Words
from coach.storage.history import History


def bar(rec: Recommendation, direction: str | None) -> Bar | None:
    """Why a routine's direction (Routine.direction: a short routine has its full one's) is
    barred by the recommendation, or None."""
    return rec.bar(direction) if direction in DIRECTIONS else None


def short(routine: str, words: Words) -> str:
    """The short routine of a direction (`coach start --short`): the direction exercise alone."""
    if routine not in DIRECTIONS:
        raise DoseError("short", routine, "not-direction")
    return f"{routine}-short"


def routine(flexion: bool, extension: bool, spec: str | None, words: Words) -> tuple[str, str | None]:
    """The routine a flag chose, or the one the recorded tests point to, and why (None: a flag).
    Exactly one of the three, or none; the CLI checks that."""
    if spec is not None:
        return spec, None
    if flexion or extension:
        return ("flexion" if flexion else "extension"), None
    with History.open(write=False) as history:
        rec = evidence.recommendation(history.record(), words)
    if rec.direction in DIRECTIONS:
        return rec.direction, "; ".join(rec.reasons)
    raise no_direction(rec, words)


def no_direction(rec: Recommendation, words: Words) -> NoDirection:
    """What to do when no direction is found: printed and said. A barred direction's flag is never
    suggested; with both barred, rest and test again another day."""
    bars = tuple(b.text(words) for b in rec.barred)
    open_ = tuple(d for d in DIRECTIONS if rec.bar(d) is None)
    if not rec.trials:
        ways, spoken = ("test-first", *open_), words.no_direction["untested"]
    elif open_:
        ways, spoken = ("test-again", *open_), words.no_direction["repeat"]
    else:
        ways, spoken = ("rest",), words.no_direction["rest"]
    message = " ".join([f"no direction to follow yet ({rec.reasons[0]}).", *bars])
    return NoDirection(message, (*bars, spoken), ways)
