"""Exercises as data: what to say, and the dose each one allows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from coach.core import data
from coach.core.words import Words

POSITIONS = ("back", "stomach", "sitting")
LOADS = ("flexion", "extension")  # the direction an exercise loads the spine in (clinical notes, section 7)
GET_READY = 4  # seconds after "Get into position." when an exercise does not say


@dataclass(frozen=True)
class Range:
    default: int
    min: int
    max: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.min <= value <= self.max

    def __str__(self) -> str:
        return f"{self.min}-{self.max}"


@dataclass(frozen=True)
class Level:
    """A dose of one exercise: seconds per hold (None for a moving exercise) and holds or reps."""

    hold: int | None
    count: int


@dataclass(frozen=True)
class Instructions:
    """What is said for an exercise. A sided exercise's lines name the sides with {side} and
    {other} (Words.sided fills them); "" is a line left out (the coach's own is said where one is
    needed: see coach/core/script.py)."""

    setup: str
    movement: str
    feel: str
    caution: str  # what must not be felt, and what to do then
    breathe: str = ""  # its one breathing cue
    release: str = ""  # how each hold or rep set ends: what to let go, where the legs go
    again: str = ""  # the shorter set-up for the second side

    def all(self) -> tuple[str, ...]:
        return (self.setup, self.movement, self.feel, self.breathe, self.caution, self.release, self.again)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    position: str
    per_side: bool
    rest_seconds: int
    say: Instructions
    hold: Range | None = None  # seconds, for a held exercise
    sets: Range | None = None  # holds per side, for a held exercise
    reps: Range | None = None  # reps per side, for a moving exercise
    seconds_per_rep: float | None = None
    get_ready: int = GET_READY  # seconds after "Get into position." before the first hold or rep
    steps: tuple[Level, ...] = ()  # the doses it goes up or down through, lowest first; () never changes
    replaces: str | None = None  # the exercise whose next position this is (offered in its place)
    loads: str | None = None  # the direction it loads (flexion: pulls a knee toward the chest); None: neither

    @property
    def default(self) -> Level:
        return Level(self.hold.default if self.hold else None, self.count.default)

    @property
    def held(self) -> bool:
        return self.hold is not None

    @property
    def count(self) -> Range:
        """What --reps sets: holds per side for a held exercise, reps per side for a moving one."""
        return self.sets if self.held else self.reps  # type: ignore[return-value]


def _level(value: Any, held: bool) -> Level:
    if held:
        hold, count = value
        return Level(int(hold), int(count))
    return Level(None, int(value))


def _range(raw: dict[str, Any], where: str) -> Range:
    try:
        r = Range(int(raw["default"]), int(raw["min"]), int(raw["max"]))
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{where}: needs whole numbers default, min and max ({e})") from None
    if not r.min <= r.default <= r.max:
        raise ValueError(f"{where}: default {r.default} is outside {r}")
    return r


def from_dict(raw: dict[str, Any], where: str, words: Mapping[str, str]) -> Exercise:
    """Build an exercise from its TOML table (the dose) and its words in the session's language,
    with a clear error naming the file."""
    try:
        say = Instructions(words["setup"], words["movement"], words["feel"], words["caution"],
                           words["breathe"], words["release"], words.get("again", ""))
        ex = Exercise(
            id=raw["id"],
            name=words["name"],
            position=raw["position"],
            per_side=bool(raw["per_side"]),
            rest_seconds=int(raw.get("rest_seconds", 10)),
            say=say,
            hold=_range(raw["hold"], f"{where} [hold]") if "hold" in raw else None,
            sets=_range(raw["sets"], f"{where} [sets]") if "sets" in raw else None,
            reps=_range(raw["reps"], f"{where} [reps]") if "reps" in raw else None,
            seconds_per_rep=float(raw["reps"]["seconds_per_rep"]) if "reps" in raw else None,
            get_ready=int(raw.get("get_ready", GET_READY)),
            steps=tuple(_level(v, "hold" in raw) for v in raw.get("progression", {}).get("steps", ())),
            replaces=raw.get("replaces"),
            loads=raw.get("loads"),
        )
    except (KeyError, TypeError) as e:
        raise ValueError(f"{where}: missing or wrong field {e}") from None
    if ex.position not in POSITIONS:
        raise ValueError(f"{where}: position must be one of {POSITIONS}, not {ex.position!r}")
    if ex.loads is not None and ex.loads not in LOADS:
        raise ValueError(f"{where}: loads must be one of {LOADS}, not {ex.loads!r}")
    if (ex.hold is None) == (ex.reps is None) or (ex.hold is not None and ex.sets is None):
        raise ValueError(f"{where}: needs either [hold] with [sets], or [reps]")
    for level in ex.steps:
        if (level.hold is None) == ex.held or (ex.hold is not None and level.hold not in ex.hold) or level.count not in ex.count:
            raise ValueError(f"{where}: [progression] step {level} is outside the exercise's ranges")
    if ex.steps and (ex.default not in ex.steps or list(ex.steps) != sorted(ex.steps, key=lambda v: (v.hold or 0, v.count))):
        raise ValueError(f"{where}: [progression] steps go up one at a time, and the default dose is one of them")
    if ex.per_side != bool(say.again):
        raise ValueError(f"{where}: the words of an exercise done a side at a time, and only those, have 'again'")
    return ex


@cache
def catalog(words: Words) -> dict[str, Exercise]:
    """Every built-in exercise by id, in the order a person meets them (each file's `order`), with
    its words in `words`' language."""
    texts, lang = words.exercises, words.lang
    loaded = []
    for name, raw in data.read_all("exercises"):
        where = f"exercises/{name}"
        if raw.get("id") not in texts:
            raise ValueError(f"{where}: the catalog for '{lang}' has no words for {raw.get('id')!r}")
        loaded.append((raw.get("order", 0), from_dict(raw, where, texts[raw["id"]])))
    return {ex.id: ex for _, ex in sorted(loaded, key=lambda pair: pair[0])}
