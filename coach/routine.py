"""Routines as data, and the dose plan a session follows once the user's options are applied."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from coach import data
from coach.errors import InputError
from coach.exercise import Exercise, catalog

SIDES = ("left", "right")


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    intro: str
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class Dose:
    """One exercise as this session does it."""

    exercise: Exercise
    count: int  # holds per side, or reps per side
    hold_seconds: int | None  # None for a moving exercise
    sides: tuple[str | None, ...]  # ("left", "right"), one side, or (None,)


@cache
def routines() -> dict[str, Routine]:
    out = {}
    known = catalog()
    for name, raw in data.read_all("routines"):
        r = Routine(raw["id"], raw["name"], raw["intro"], tuple(raw["exercises"]))
        missing = [e for e in r.exercises if e not in known]
        if missing:
            raise ValueError(f"routines/{name}: unknown exercises {missing}")
        out[r.id] = r
    return out


def plan(
    routine: Routine,
    only: tuple[str, ...] = (),
    hold: int | None = None,
    reps: int | None = None,
    side: str = "both",
) -> tuple[Dose, ...]:
    """Apply the user's options to a routine, checking each against every chosen exercise."""
    known = catalog()
    for ex_id in only:
        if ex_id not in known:
            raise InputError(
                f"unknown exercise '{ex_id}'. Known: {', '.join(known)} (see 'coach exercises')."
            )
        if ex_id not in routine.exercises:
            raise InputError(
                f"'{ex_id}' is not part of the {routine.id} routine, whose exercises are: "
                f"{', '.join(routine.exercises)}."
            )
    chosen = [known[e] for e in routine.exercises if not only or e in only]

    if hold is not None:
        held = [ex for ex in chosen if ex.held]
        if not held:
            raise InputError(
                "--hold applies to held exercises, and none is chosen "
                f"({', '.join(ex.id for ex in chosen)} go by reps): use --reps instead."
            )
        for ex in held:
            if hold not in ex.hold:  # type: ignore[operator]
                raise InputError(
                    f"--hold {hold} is outside {ex.id}'s range of {ex.hold} seconds: "
                    "choose a hold in range, or pick exercises with --only."
                )
    if reps is not None:
        for ex in chosen:
            if reps not in ex.count:
                what = "holds per side" if ex.held else "reps per side"
                raise InputError(
                    f"--reps {reps} is outside {ex.id}'s range of {ex.count} {what}: "
                    "choose a number in range, or pick exercises with --only."
                )
    if side not in ("both", *SIDES):
        raise InputError(f"--side must be left, right or both, not '{side}'.")
    sides: tuple[str | None, ...] = SIDES if side == "both" else (side,)

    return tuple(
        Dose(
            exercise=ex,
            count=reps if reps is not None else ex.count.default,
            hold_seconds=(hold if hold is not None else ex.hold.default) if ex.held else None,  # type: ignore[union-attr]
            sides=sides if ex.per_side else (None,),
        )
        for ex in chosen
    )
