"""Routine files: a routine file (TOML) names its exercises in order, each a built-in exercise with
the person's own hold, holds or reps, sides and rest, or a new exercise with its own spoken words.
The built-in routines are the same kind of file. Loading checks everything and reports every
problem at once (coach/core/checker.py)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from coach.core import data
from coach.core.checker import Checker
from coach.core.data import describe
from coach.core.errors import InputError
from coach.core.exercise import GET_READY, POSITIONS, Exercise, Instructions, Range, catalog
from coach.core.files import read_text
from coach.core.routine import NAME, SIDES, Routine, RoutineError, Step
from coach.core.words import Words

# What a person's own exercise may ask for. Wider than the built-in exercises' ranges, which come
# from the article; still no more than a person on the floor can follow.
HOLD = Range(30, 5, 120)  # seconds
HOLDS = Range(3, 1, 10)
REPS = Range(10, 1, 30)
SECONDS_PER_REP = (2.0, 12.0)
REST = (0, 300)  # seconds after an exercise, or between its holds
READY = (2, 30)  # seconds to get into position


TOP = ("name", "intro", "exercise")
BUILT_IN_KEYS = ("id", "hold", "holds", "reps", "sides", "rest")
OWN_KEYS = ("id", "name", "position", "per_side", "hold", "holds", "reps", "seconds_per_rep", "sides",
            "rest", "rest_between", "get_ready", "setup", "movement", "feel", "caution", "breathe", "release", "again")


def _step(c: Checker, raw: Any, i: int, words: Words) -> Step | None:
    if not isinstance(raw, dict):
        c.problem(i, None, "a table of keys", describe(raw))
        return None
    known = catalog(words)
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not NAME.match(ex_id):
        found = "nothing" if ex_id is None else describe(ex_id)
        c.problem(i, "id" if "id" in raw else None, f"a built-in exercise id ({', '.join(known)}) or a new id "
                  "of lowercase letters, digits and hyphens", found, "missing id" if ex_id is None else None)
        return None
    built_in = known.get(ex_id)
    if built_in is None and not any(k in raw for k in ("name", "setup", "movement", "position")):
        c.problem(i, "id", f"a built-in exercise ({', '.join(known)}), or a new exercise with name, position, "
                           "setup and movement", ex_id)
        return None
    if built_in is not None:
        c.unknown(raw, i, BUILT_IN_KEYS, f"the built-in exercise {ex_id} (its words are fixed: "
                                         "give a new id for an exercise of your own)")
        ex = built_in
    else:
        c.unknown(raw, i, OWN_KEYS, "an exercise of your own")
        own = _own(c, raw, i, ex_id)
        if own is None:
            return None
        ex = own
    hold = count = rest = None
    what = "holds" if ex.held else "reps"
    other = "reps" if ex.held else "holds"
    if other in raw:
        c.problem(i, other, what, other, f"{ex_id} is {'held' if ex.held else 'done in reps'}")
    if ex.held:
        hold = c.whole(raw, i, "hold", ex.hold.min, ex.hold.max, f"seconds for {ex_id}")  # type: ignore[union-attr]
    elif "hold" in raw:
        c.problem(i, "hold", "reps", "hold", f"{ex_id} is done in reps, not held")
    count = c.whole(raw, i, what, ex.count.min, ex.count.max, f"{what} for {ex_id}")
    rest = c.whole(raw, i, "rest", *REST, "seconds")
    sides = raw.get("sides", "both")
    if sides not in ("both", *SIDES):
        c.problem(i, "sides", '"both", "left" or "right"', describe(sides))
        sides = "both"
    elif sides != "both" and not ex.per_side:
        c.problem(i, "sides", "no sides", f'"{sides}"', f"{ex_id} is done with both legs at once")
    return Step(ex, hold, count, sides, rest)


def _own(c: Checker, raw: dict, i: int, ex_id: str) -> Exercise | None:
    """A new exercise from a routine file, or None (with the problems noted)."""
    before = len(c.problems)
    name = c.text(raw, i, "name", True)
    position = raw.get("position")
    if position not in POSITIONS:
        c.problem(i, "position" if "position" in raw else None, '"back", "stomach" or "sitting"',
                  "nothing" if position is None else describe(position), "missing position" if position is None else None)
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        c.problem(i, "per_side", "true or false", describe(per_side))
    say = Instructions(
        setup=c.text(raw, i, "setup", True) or "",
        movement=c.text(raw, i, "movement", True) or "",
        feel=c.text(raw, i, "feel", False) or "",  # left out when not given
        caution=c.text(raw, i, "caution", False) or "",  # the coach's own caution when not given
        breathe=c.text(raw, i, "breathe", False) or "",  # the coach's own breathing line when not given
        release=c.text(raw, i, "release", False) or "",  # "And relax." when not given
        again=c.text(raw, i, "again", False) or "",  # the movement line again when not given
    )
    rest_between = c.whole(raw, i, "rest_between", *REST, "seconds")
    get_ready = c.whole(raw, i, "get_ready", *READY, "seconds")
    held, moving = "hold" in raw or "holds" in raw, "reps" in raw
    if held == moving:
        c.problem(i, None, "hold and holds (a held exercise) or reps (a moving one)", "both" if held else "neither")
        return None
    spr: float | None = None
    if moving:
        spr = raw.get("seconds_per_rep", 4.0)
        lo, hi = SECONDS_PER_REP
        if isinstance(spr, bool) or not isinstance(spr, (int, float)) or not lo <= spr <= hi:
            c.problem(i, "seconds_per_rep", f"a number of seconds from {lo:g} to {hi:g}", describe(spr))
            spr = 4.0
    elif "seconds_per_rep" in raw:
        c.problem(i, "seconds_per_rep", "hold and holds", "seconds_per_rep", "a held exercise has no reps")
    if len(c.problems) > before:
        return None
    return Exercise(
        id=ex_id, name=name or ex_id, position=position, per_side=per_side,  # type: ignore[arg-type]
        rest_seconds=10 if rest_between is None else rest_between, say=say,
        get_ready=GET_READY if get_ready is None else get_ready,
        hold=HOLD if held else None, sets=HOLDS if held else None,
        reps=REPS if moving else None, seconds_per_rep=float(spr) if moving else None,  # type: ignore[arg-type]
    )


def parse(text: str, where: str, id: str, words: Words, source: str = "built-in",
          built_in: Mapping[str, Any] | None = None) -> Routine:
    """A routine from the text of its file, or RoutineError with every problem in it. A built-in
    routine's name and introduction are `built_in`, from the catalog of `words`' language; the
    exercises' words are `words`'."""
    c = Checker(where, text, "exercise")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RoutineError(where, [data.toml_problem(where, e)]) from None
    except RecursionError:
        raise RoutineError(where, [data.too_deep(where)]) from None
    direction = raw.pop("direction", None) if built_in is not None else None  # a built-in file's own key
    c.unknown(raw, None, TOP, "a routine")
    if built_in is not None:
        raw = {**raw, **built_in}
    name = c.text(raw, None, "name", True)
    intro = c.text(raw, None, "intro", False)
    items = raw.get("exercise")
    steps: list[Step] = []
    if items is None:
        c.problem(None, None, "at least one [[exercise]] table with an id", what="missing exercises")
    elif not isinstance(items, list) or not items:
        c.problem(None, "exercise", "[[exercise]] tables", describe(items))
    else:
        for i, item in enumerate(items, 1):
            step = _step(c, item, i, words)
            if step is not None:
                steps.append(step)
        ids: dict[str, Exercise] = {}
        for step in steps:  # one id, one exercise
            if ids.setdefault(step.exercise.id, step.exercise) != step.exercise:
                c.problem(None, None, "each own exercise once", what=f"the id {step.exercise.id} names two different exercises")
    if c.problems:
        raise RoutineError(where, c.problems)
    assert name is not None
    return Routine(id, name, intro, tuple(steps), source, direction)


@cache
def routines(words: Words) -> dict[str, Routine]:
    """The built-in routines, by id, in `words`' language."""
    out = {}
    for name in data.names("routines"):
        rid = name.removesuffix(".toml")
        r = parse(data.text(f"routines/{name}"), f"routines/{name}", rid, words, built_in=words.routines[rid])
        out[r.id] = r
    return out


def read(path: Path, words: Words) -> Routine:
    """A routine file, or InputError/RoutineError (exit 2)."""
    text = read_text(path, "routine file")
    if text is None:
        raise InputError(f"no routine file at {path}.")
    return parse(text, str(path), path.stem, words, str(path))
