"""The dose plan: a routine with the person's options applied, checked against every chosen exercise."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from coach.core.errors import DoseError
from coach.core.exercise import Level, catalog
from coach.core.routine import SIDES, Dose, Routine, Step
from coach.core.words import Words


def in_place(routine: Routine, positions: Mapping[str, str], words: Words) -> Routine:
    """The routine with each exercise in `positions` (replaced id → next position's id) done in its
    next position: the step keeps its sides and rest; its dose is the new exercise's own."""
    if not positions:
        return routine
    known = catalog(words)
    steps = tuple(Step(known[positions[s.exercise.id]], sides="both", rest=s.rest) if s.exercise.id in positions else s
                  for s in routine.steps)
    return replace(routine, steps=steps, introduced=routine.introduced or routine.exercises)


def plan(
    routine: Routine,
    only: tuple[str, ...] = (),
    hold: int | None = None,
    reps: int | None = None,
    side: str = "both",
    first: str | None = None,
    *,
    words: Words,
    levels: Mapping[str, Level] | None = None,
) -> tuple[Dose, ...]:
    """Apply the user's options to a routine, checking each against every chosen exercise.

    Flags win over what the routine file sets, which wins over `levels` (each exercise's dose as
    the response moved it), which wins over the exercise's default. `first` is the side per-side
    exercises start on."""
    known = {**catalog(words), **{s.exercise.id: s.exercise for s in routine.steps}}
    for ex_id in only:
        if ex_id not in known:
            raise DoseError("only", ex_id, "unknown", allowed=", ".join(known))
        if ex_id not in routine.exercises:
            raise DoseError("only", ex_id, "elsewhere", routine.id, ", ".join(dict.fromkeys(routine.exercises)))
    chosen = [s for s in routine.steps if not only or s.exercise.id in only]

    if hold is not None:
        held = [s.exercise for s in chosen if s.exercise.held]
        if not held:
            raise DoseError("hold", hold, "not-held", allowed=", ".join(s.exercise.id for s in chosen))
        for ex in held:
            if hold not in ex.hold:  # type: ignore[operator]
                raise DoseError("hold", hold, "range", ex.id, str(ex.hold))
    if reps is not None:
        for ex in (s.exercise for s in chosen):
            if reps not in ex.count:
                raise DoseError("reps", reps, "range", ex.id, f"{ex.count} {'holds' if ex.held else 'reps'} per side")
    if side not in ("both", *SIDES):
        raise DoseError("side", side, "range", allowed="left, right or both")
    if first not in (None, *SIDES):
        raise DoseError("first", first, "range", allowed="left or right")

    def sides_of(step: Step) -> tuple[str | None, ...]:
        if not step.exercise.per_side:
            return (None,)
        chosen_side = side if side != "both" else step.sides
        if chosen_side != "both":
            return (chosen_side,)
        return ("right", "left") if first == "right" else SIDES

    doses = []
    for s in chosen:
        ex = s.exercise
        level = (levels or {}).get(ex.id, ex.default)
        if level.count not in ex.count or (ex.held and level.hold not in ex.hold):  # type: ignore[operator]
            level = ex.default  # a recorded dose outside what the exercise allows is never played
        doses.append(Dose(
            exercise=ex,
            count=reps if reps is not None else s.count if s.count is not None else level.count,
            hold_seconds=(hold if hold is not None else s.hold if s.hold is not None else level.hold)
            if ex.held else None,
            sides=sides_of(s),
            rest=s.rest or 0,
        ))
    return tuple(doses)
