"""The coach's spoken phrases, from coach/data/phrases.toml."""

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


@cache
def words() -> Words:
    return Words(data.read("phrases.toml"))
