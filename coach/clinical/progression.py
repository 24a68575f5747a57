"""The dose follows the response (clinical notes, section 6): within each exercise's steps
(coach/data/exercises, [progression]), one step at a time. Pure: the record comes in as data.

- Three sessions of a routine in a row that ended better or the same (the response rule: the pain
  reached no farther down) since its last change offer one step up, which the person may decline.
- A session that ended worse or mixed, or was stopped for symptoms, steps the next one back one.
- A session without a response (ratings skipped, or cut off) neither counts nor breaks a run.
- A dose a routine file or a flag sets is never changed (the caller leaves those exercises out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from coach.clinical.response import BETTER, MIXED, SAME, WORSE
from coach.core.exercise import Exercise, Level

UP, DOWN, DECLINED = "up", "down", "declined"
RUN = 3  # sessions in a row that ended better or the same before a step up
STEADY = "steady"  # the reason for a step up


@dataclass(frozen=True)
class Past:
    """One thing in a routine's record, oldest first: a session and how it ended, or a change."""

    kind: str  # "session" or "change" (up, down or declined)
    response: str | None = None  # a session's: better, same, worse, mixed; None when there is none


@dataclass(frozen=True)
class Change:
    direction: str  # UP (offered) or DOWN (made)
    levels: Mapping[str, Level]  # exercise id → its new dose
    reason: str  # STEADY, WORSE or MIXED


def step(ex: Exercise, level: Level, by: int) -> Level | None:
    """The dose `by` steps from `level` on the exercise's steps; None past either end."""
    steps = list(ex.steps)
    i = steps.index(level) if level in steps else steps.index(ex.default)
    j = i + by
    return steps[j] if 0 <= j < len(steps) else None


def _since(record: Sequence[Past]) -> list[str]:
    """The responses of the sessions since the routine's last change, newest first."""
    since = []
    for p in reversed(record):
        if p.kind != "session":
            break
        if p.response is not None:
            since.append(p.response)
    return since


def decide(record: Sequence[Past], current: Mapping[str, Level], exercises: Sequence[Exercise]) -> Change | None:
    """What the next session's dose does, from the record since the routine's last change."""
    since = _since(record)
    movable = [ex for ex in exercises if ex.steps]
    if since and since[0] in (WORSE, MIXED):
        down = {ex.id: lv for ex in movable if (lv := step(ex, current.get(ex.id, ex.default), -1)) is not None}
        return Change(DOWN, down, since[0]) if down else None
    if len(since) >= RUN and all(r in (BETTER, SAME) for r in since[:RUN]):
        up = {ex.id: lv for ex in movable if (lv := step(ex, current.get(ex.id, ex.default), +1)) is not None}
        return Change(UP, up, STEADY) if up else None
    return None


FORWARD, BACK, STAYED = "forward", "back", "stayed"


@dataclass(frozen=True)
class Move:
    """A change of position: the next one offered (FORWARD), or back from it (BACK)."""

    direction: str
    exercise: str  # the next position's exercise
    replaces: str  # the exercise it is done in place of
    reason: str  # STEADY, WORSE or MIXED


def position(record: Sequence[Past], active: Mapping[str, str], nexts: Sequence[Exercise]) -> Move | None:
    """The position the next session moves to: after three sessions in a row better or the same,
    a next position offered (`nexts`: exercises whose `replaces` is in the routine, not yet
    active); after one worse or mixed while a next position is done (`active`: replaced → next),
    back to the one before. Nothing else moves a position."""
    since = _since(record)
    if since and since[0] in (WORSE, MIXED) and active:
        replaced, done = next(iter(active.items()))
        return Move(BACK, done, replaced, since[0])
    if len(since) >= RUN and all(r in (BETTER, SAME) for r in since[:RUN]):
        waiting = [ex for ex in nexts if ex.replaces not in active]
        if waiting:
            return Move(FORWARD, waiting[0].id, waiting[0].replaces or "", STEADY)
    return None
