"""A barred direction is barred in every routine (clinical notes, section 7): while flexion is
barred, the stretches that pull a knee toward the chest are left out of the extension routine too,
and said so once, with the reason and the date. Pure: the bars come from the history's tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from coach.clinical.preference import Bar, day_words
from coach.clinical.response import explain
from coach.core.routine import Routine


def outside(routine: Routine, bars: Sequence[Bar]) -> dict[str, Bar]:
    """The bars that reach into `routine`: every one but its own direction's (that one is
    confirmed when the routine is chosen), by direction."""
    return {b.direction: b for b in bars if b.direction != routine.direction}


def kept(routine: Routine, bars: Sequence[Bar], asked: Sequence[str] = ()) -> Routine:
    """`routine` without the steps that load a barred direction other than its own, except the
    exercises `asked` for by name (--only: confirmed, or warned of in a file, instead)."""
    shut = outside(routine, bars)
    steps = tuple(s for s in routine.steps if s.exercise.loads not in shut or s.exercise.id in asked)
    if steps == routine.steps:
        return routine
    return replace(routine, steps=steps, introduced=routine.introduced or routine.exercises)  # its intro names them


def left_out(routine: Routine, bars: Sequence[Bar], asked: Sequence[str] = ()) -> tuple[Bar, ...]:
    """The bars that leave something of `routine` out (`asked` as in `kept`)."""
    shut = outside(routine, bars)
    found = {s.exercise.loads for s in routine.steps if s.exercise.loads in shut and s.exercise.id not in asked}
    return tuple(b for d, b in shut.items() if d in found)


def asked_barred(routine: Routine, bars: Sequence[Bar], asked: Sequence[str]) -> list[tuple[str, Bar]]:
    """The exercises asked for by name that load a barred direction other than the routine's:
    each with its bar, to confirm (a session) or warn of (a file)."""
    shut = outside(routine, bars)
    return [(s.exercise.id, shut[s.exercise.loads]) for s in routine.steps
            if s.exercise.id in asked and s.exercise.loads in shut]


def since(bar: Bar, w) -> str:
    """Why a direction is barred, as a clause: 'on 3 December, with knees to chest, the pain
    spread farther down, from calf to foot.'"""
    if bar.flare is None:
        return w.reasons["left_out_latest"].format(direction=w.directions[bar.direction])
    f = bar.flare
    return w.reasons["left_out_on"].format(date=day_words(f.day, w), why=explain(f.verdict, f.what, w))


def sentence(bar: Bar, w) -> str:
    """What is said once when a bar leaves exercises out: 'The stretches that pull your knee
    toward your chest are left out today: on 3 December, ...'"""
    return w.reasons[f"left_out_{bar.direction}"].format(why=since(bar, w))
