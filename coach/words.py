"""The coach's words: one catalog per language, coach/data/lang/<code>.toml.

The session's language is chosen once, at the start of a command (`use`); every phrase after that
comes from its catalog. Adding a language is adding a catalog file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from coach import data


@dataclass(frozen=True)
class Words:
    raw: dict[str, Any]

    def __getattr__(self, key: str) -> Any:
        try:
            return self.raw[key]
        except KeyError:
            raise AttributeError(key) from None

    def number(self, n: int) -> str:
        return self.raw["numbers"][str(n)]

    def side(self, side: str) -> str:
        return self.raw["sides"][side]

    def hold_of(self, n: int, total: int) -> str:
        if total == 1:
            return self.raw["hold_once"]
        return self.raw["hold"].format(n=self.number(n), total=self.number(total))

    def reps_of(self, total: int) -> str:
        return self.raw["reps"].format(total=self.number(total).capitalize())

    def first_side_of(self, side: str) -> str:
        return self.raw["first_side"].format(side=self.side(side))

    def next_side_of(self, side: str) -> str:
        return self.raw["next_side"].format(side=self.side(side))

    def exercise_named(self, name: str) -> str:
        return self.raw["exercise"].format(name=name)

    def to_position(self, position: str) -> str:
        return self.raw[f"to_{position}"]


DEFAULT = "en"
_current = DEFAULT


def languages() -> list[str]:
    """The language codes that have a catalog."""
    return sorted(name.removesuffix(".toml") for name in data.names("lang"))


def use(lang: str) -> None:
    """Speak and print in `lang` from now on (a code from `languages()`)."""
    global _current
    if lang not in languages():
        from coach.errors import InputError

        raise InputError(f"no catalog for the language '{lang}': choose one of {', '.join(languages())}.")
    _current = lang


def language() -> str:
    return _current


@cache
def catalog(lang: str) -> Words:
    return Words(data.read(f"lang/{lang}.toml"))


def words() -> Words:
    """The current language's catalog."""
    return catalog(_current)
