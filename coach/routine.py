"""Routines as data, and the dose plan a session follows once the user's options are applied.

A routine file (TOML) names its exercises in order, each a built-in exercise with the person's own
hold, holds or reps, sides and rest, or a new exercise with its own spoken words. The built-in
routines are the same kind of file. Loading checks everything and reports every problem at once,
each with the file, the line, the key, what was expected and what was found.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from coach import data, paths
from coach.data import describe
from coach.errors import InputError
from coach.exercise import POSITIONS, Exercise, Instructions, Range, catalog
from coach.files import read_text
from coach.text import control, fold, speakable
from coach.words import language, words

SIDES = ("left", "right")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# What a person's own exercise may ask for. Wider than the built-in exercises' ranges, which come
# from the article; still no more than a person on the floor can follow.
HOLD = Range(30, 5, 120)  # seconds
HOLDS = Range(3, 1, 10)
REPS = Range(10, 1, 30)
SECONDS_PER_REP = (2.0, 12.0)
REST = (0, 300)  # seconds after an exercise, or between its holds
TEXT = 300  # characters in one spoken instruction


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


class RoutineError(InputError):
    """A routine file with problems: every one of them, one line each."""

    def __init__(self, where: str, problems: list[str]):
        self.problems = problems
        n = len(problems)
        head = f"{where} has {n} problem{'s' if n > 1 else ''}, so nothing was run:"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


# --- where keys are in the text (tomllib gives values, not lines) -------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*exercise\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*("?)([A-Za-z0-9_-]+)\1\s*=""")


def _lines(text: str) -> dict[tuple[int | None, str | None], int]:
    """Line numbers of top-level keys (None, key), of [[exercise]] headers (i, None) and of their
    keys (i, key), i counting from 1."""
    found: dict[tuple[int | None, str | None], int] = {}
    table: int | None = None
    count = 0
    for n, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            count += 1
            table = count
            found.setdefault((table, None), n)
        elif _TABLE.match(line):
            table = -1  # some other table: not ours to place
        else:
            m = _KEY.match(line)
            if m and table != -1:
                found.setdefault((table, m.group(2)), n)
    return found


class _Checker:
    def __init__(self, where: str, text: str):
        self.where = where
        self.lines = _lines(text)
        self.problems: list[str] = []

    def problem(self, index: int | None, key: str | None, message: str) -> None:
        line = self.lines.get((index, key)) or self.lines.get((index, None))
        at = f"{self.where}:{line}" if line else self.where
        name = key if index is None else f"exercise[{index}]" + (f".{key}" if key else "")
        self.problems.append(f"{at}: {name}: {message}" if name else f"{at}: {message}")

    def text(self, raw: dict, index: int | None, key: str, required: bool) -> str | None:
        if key not in raw:
            if required and index is None:
                self.problem(None, key, "missing: expected text")
            elif required:
                self.problem(index, None, f"missing {key}: expected text")
            return None
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(index, key, f"expected text, found {describe(value) if value != '' else 'empty text'}")
            return None
        if len(value) > TEXT:
            self.problem(index, key, f"expected at most {TEXT} characters, found {len(value)}")
            return None
        bad = control(value)
        if bad is not None:
            self.problem(index, key, f"expected plain text, found the control character {bad}")
            return None
        if not speakable(value):
            self.problem(index, key, f"expected words to say, found {describe(value)}, which has no letter or digit")
            return None
        return fold(value)

    def whole(self, raw: dict, index: int, key: str, lo: int, hi: int, what: str) -> int | None:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(index, key, f"expected a whole number of {what} from {lo} to {hi}, found {describe(value)}")
            return None
        return value

    def unknown(self, raw: dict, index: int | None, allowed: tuple[str, ...], what: str) -> None:
        for key in raw:
            if key not in allowed:
                self.problem(index, key, f"unknown key for {what}: expected one of {', '.join(allowed)}, found {key}")


TOP = ("name", "intro", "exercise")
BUILT_IN_KEYS = ("id", "hold", "holds", "reps", "sides", "rest")
OWN_KEYS = ("id", "name", "position", "per_side", "hold", "holds", "reps", "seconds_per_rep", "sides",
            "rest", "rest_between", "setup", "movement", "feel", "caution")


def _step(c: _Checker, raw: Any, i: int) -> Step | None:
    if not isinstance(raw, dict):
        c.problem(i, None, f"expected a table of keys, found {describe(raw)}")
        return None
    known = catalog()
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not NAME.match(ex_id):
        found = "nothing" if ex_id is None else describe(ex_id)
        c.problem(i, "id" if "id" in raw else None,
                  f"{'missing id: ' if ex_id is None else ''}expected a built-in exercise id "
                  f"({', '.join(known)}) or a new id of lowercase letters, digits and hyphens, found {found}")
        return None
    built_in = known.get(ex_id)
    if built_in is None and not any(k in raw for k in ("name", "setup", "movement", "position")):
        c.problem(i, "id", f"expected a built-in exercise ({', '.join(known)}), or a new exercise "
                           f"with name, position, setup and movement; found {ex_id}")
        return None
    if built_in is not None:
        c.unknown(raw, i, BUILT_IN_KEYS, f"the built-in exercise {ex_id} (its words are fixed: "
                                         "give a new id for an exercise of your own)")
        ex = built_in
    else:
        c.unknown(raw, i, OWN_KEYS, "an exercise of your own")
        ex = _own(c, raw, i, ex_id)
        if ex is None:
            return None
    hold = count = rest = None
    what = "holds" if ex.held else "reps"
    other = "reps" if ex.held else "holds"
    if other in raw:
        c.problem(i, other, f"{ex_id} is {'held' if ex.held else 'done in reps'}: expected {what}, found {other}")
    if ex.held:
        hold = c.whole(raw, i, "hold", ex.hold.min, ex.hold.max, f"seconds for {ex_id}")  # type: ignore[union-attr]
    elif "hold" in raw:
        c.problem(i, "hold", f"{ex_id} is done in reps, not held: expected reps, found hold")
    count = c.whole(raw, i, what, ex.count.min, ex.count.max, f"{what} for {ex_id}")
    rest = c.whole(raw, i, "rest", *REST, "seconds")
    sides = raw.get("sides", "both")
    if sides not in ("both", *SIDES):
        c.problem(i, "sides", f'expected "both", "left" or "right", found {describe(sides)}')
        sides = "both"
    elif sides != "both" and not ex.per_side:
        c.problem(i, "sides", f'{ex_id} is done with both legs at once: expected no sides, found "{sides}"')
    return Step(ex, hold, count, sides, rest)


def _own(c: _Checker, raw: dict, i: int, ex_id: str) -> Exercise | None:
    """A new exercise from a routine file, or None (with the problems noted)."""
    before = len(c.problems)
    name = c.text(raw, i, "name", True)
    position = raw.get("position")
    if position not in POSITIONS:
        c.problem(i, "position" if "position" in raw else None,
                  f"{'missing position: ' if position is None else ''}expected "
                  f'"back" or "stomach", found {"nothing" if position is None else describe(position)}')
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        c.problem(i, "per_side", f"expected true or false, found {describe(per_side)}")
    say = Instructions(
        setup=c.text(raw, i, "setup", True) or "",
        movement=c.text(raw, i, "movement", True) or "",
        feel=c.text(raw, i, "feel", False) or "",  # left out when not given
        caution=c.text(raw, i, "caution", False) or "",  # the coach's own caution when not given
    )
    rest_between = c.whole(raw, i, "rest_between", *REST, "seconds")
    held, moving = "hold" in raw or "holds" in raw, "reps" in raw
    if held == moving:
        c.problem(i, None, "expected hold and holds (a held exercise) or reps (a moving one), found "
                           + ("both" if held else "neither"))
        return None
    spr: float | None = None
    if moving:
        spr = raw.get("seconds_per_rep", 4.0)
        lo, hi = SECONDS_PER_REP
        if isinstance(spr, bool) or not isinstance(spr, (int, float)) or not lo <= spr <= hi:
            c.problem(i, "seconds_per_rep", f"expected a number of seconds from {lo:g} to {hi:g}, found {describe(spr)}")
            spr = 4.0
    elif "seconds_per_rep" in raw:
        c.problem(i, "seconds_per_rep", "a held exercise has no reps: expected hold and holds, found seconds_per_rep")
    if len(c.problems) > before:
        return None
    return Exercise(
        id=ex_id, name=name or ex_id, position=position, per_side=per_side,  # type: ignore[arg-type]
        rest_seconds=10 if rest_between is None else rest_between, say=say,
        hold=HOLD if held else None, sets=HOLDS if held else None,
        reps=REPS if moving else None, seconds_per_rep=float(spr) if moving else None,  # type: ignore[arg-type]
    )


def parse(text: str, where: str, id: str, source: str = "built-in", words: dict | None = None) -> Routine:
    """A routine from the text of its file, or RoutineError with every problem in it. A built-in
    routine's name and introduction are `words`, from the session language's catalog."""
    c = _Checker(where, text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RoutineError(where, [data.toml_problem(where, e)]) from None
    except RecursionError:
        raise RoutineError(where, [data.too_deep(where)]) from None
    c.unknown(raw, None, TOP, "a routine")
    if words is not None:
        raw = {**raw, **words}
    name = c.text(raw, None, "name", True)
    intro = c.text(raw, None, "intro", False)
    items = raw.get("exercise")
    steps: list[Step] = []
    if items is None:
        c.problem(None, None, "missing exercises: expected at least one [[exercise]] table with an id")
    elif not isinstance(items, list) or not items:
        c.problem(None, "exercise", f"expected [[exercise]] tables, found {describe(items)}")
    else:
        for i, item in enumerate(items, 1):
            step = _step(c, item, i)
            if step is not None:
                steps.append(step)
        ids: dict[str, Exercise] = {}
        for step in steps:  # one id, one exercise
            if ids.setdefault(step.exercise.id, step.exercise) != step.exercise:
                c.problem(None, None, f"the id {step.exercise.id} names two different exercises: expected each own exercise once")
    if c.problems:
        raise RoutineError(where, c.problems)
    assert name is not None
    return Routine(id, name, intro, tuple(steps), source)


def user_dir() -> Path:
    """Where a person's own routines are found by name."""
    return paths.config_dir() / "routines"


def routines() -> dict[str, Routine]:
    """The built-in routines, by id, in the session's language."""
    return _routines(language())


@cache
def _routines(lang: str) -> dict[str, Routine]:
    out = {}
    for name in data.names("routines"):
        rid = name.removesuffix(".toml")
        r = parse(data.text(f"routines/{name}"), f"routines/{name}", rid, words=words().routines[rid])
        out[r.id] = r
    return out


def read(path: Path) -> Routine:
    """A routine file, or InputError/RoutineError (exit 2)."""
    text = read_text(path, "routine file")
    if text is None:
        raise InputError(f"no routine file at {path}.")
    return parse(text, str(path), path.stem, str(path))


def user_routines() -> dict[str, Path]:
    folder = user_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def find(spec: str) -> Routine:
    """A routine by file name (anything ending in .toml, or with a /), or by name: the user's
    routines first, then the built-in ones."""
    if spec.endswith(".toml") or "/" in spec:
        return read(Path(spec).expanduser())
    mine = user_routines()
    if spec in mine:
        return read(mine[spec])
    if spec in routines():
        return routines()[spec]
    known = sorted({*routines(), *mine})
    raise InputError(f"no routine named '{spec}'. Known: {', '.join(known)} (see 'coach routines'), "
                     "or give a file ending in .toml.")


def plan(
    routine: Routine,
    only: tuple[str, ...] = (),
    hold: int | None = None,
    reps: int | None = None,
    side: str = "both",
    first: str | None = None,
) -> tuple[Dose, ...]:
    """Apply the user's options to a routine, checking each against every chosen exercise.

    Flags win over what the routine file sets. `first` is the side per-side exercises start on."""
    known = {**catalog(), **{s.exercise.id: s.exercise for s in routine.steps}}
    for ex_id in only:
        if ex_id not in known:
            raise InputError(
                f"unknown exercise '{ex_id}'. Known: {', '.join(known)} (see 'coach exercises')."
            )
        if ex_id not in routine.exercises:
            raise InputError(
                f"'{ex_id}' is not part of the {routine.id} routine, whose exercises are: "
                f"{', '.join(dict.fromkeys(routine.exercises))}."
            )
    chosen = [s for s in routine.steps if not only or s.exercise.id in only]

    if hold is not None:
        held = [s.exercise for s in chosen if s.exercise.held]
        if not held:
            raise InputError(
                "--hold applies to held exercises, and none is chosen "
                f"({', '.join(s.exercise.id for s in chosen)} go by reps): use --reps instead."
            )
        for ex in held:
            if hold not in ex.hold:  # type: ignore[operator]
                raise InputError(
                    f"--hold {hold} is outside {ex.id}'s range of {ex.hold} seconds: "
                    "choose a hold in range, or pick exercises with --only."
                )
    if reps is not None:
        for ex in (s.exercise for s in chosen):
            if reps not in ex.count:
                what = "holds per side" if ex.held else "reps per side"
                raise InputError(
                    f"--reps {reps} is outside {ex.id}'s range of {ex.count} {what}: "
                    "choose a number in range, or pick exercises with --only."
                )
    if side not in ("both", *SIDES):
        raise InputError(f"--side must be left, right or both, not '{side}'.")
    if first not in (None, *SIDES):
        raise InputError(f"the leg to start with must be left or right, not '{first}'.")

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
        doses.append(Dose(
            exercise=ex,
            count=reps if reps is not None else s.count if s.count is not None else ex.count.default,
            hold_seconds=(hold if hold is not None else s.hold if s.hold is not None else ex.hold.default)  # type: ignore[union-attr]
            if ex.held else None,
            sides=sides_of(s),
            rest=s.rest or 0,
        ))
    return tuple(doses)

