"""Routines as data: a routine is exercises in order, each with what the routine sets for it.

Routine files are read and checked by coach/core/rules.py; the dose a session follows, once the
person's options are applied, is coach/core/dose.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.core.checker import FileProblems
from coach.core.exercise import Exercise

SIDES = ("left", "right")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Step:
    """One exercise of a routine, with what the routine sets for it (None: the exercise's default)."""

    exercise: Exercise
    hold: int | None = None  # seconds per hold
    count: int | None = None  # holds per side (held) or reps per side (moving)
    sides: str = "both"  # both, left or right, for a per-side exercise
    rest: int | None = None  # seconds of rest after it


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    intro: str | None  # None: the coach's words for a routine of one's own
    steps: tuple[Step, ...]
    source: str = "built-in"  # or the file it came from
    direction: str | None = None  # a built-in routine's direction (flexion, extension); None for one's own
    introduced: tuple[str, ...] | None = None  # the exercises its intro names, when not its steps (a position taken)

    @property
    def exercises(self) -> tuple[str, ...]:
        return tuple(s.exercise.id for s in self.steps)

    @property
    def names(self) -> dict[str, str]:
        return {s.exercise.id: s.exercise.name for s in self.steps}


@dataclass(frozen=True)
class Dose:
    """One exercise as this session does it."""

    exercise: Exercise
    count: int  # holds per side, or reps per side
    hold_seconds: int | None  # None for a moving exercise
    sides: tuple[str | None, ...]  # ("left", "right"), one side, or (None,)
    rest: int = 0  # extra seconds of rest after it


class RoutineError(FileProblems):
    """A routine file with problems: every one of them, one line each."""

    def __init__(self, where: str, problems: list):
        super().__init__(f"{where} has {{n}} problem{{s}}, so nothing was run:", problems)
