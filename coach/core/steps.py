"""A script's parts, where the exercise or the side changes, and the one way a part is named: by the
live view, the exported file's chapters and the session's log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from coach.core.script import Script
from coach.core.words import Words


@dataclass(frozen=True)
class Part:
    start: int  # sample
    end: int
    exercise: str | None  # None: the words before the exercises or after them
    side: str | None
    section: str | None = None  # of words that are no exercise: SAFETY, INTRODUCTION or CLOSING


INTRODUCTION, CLOSING = "introduction", "closing"


def parts(script: Script) -> list[Part]:
    """The script cut where the section, the exercise or the side changes."""
    out: list[Part] = []
    exercised = False
    for e in script.events:
        exercised = exercised or e.exercise is not None
        section = e.section or (None if e.exercise is not None else CLOSING if exercised else INTRODUCTION)
        if out and (out[-1].section, out[-1].exercise, out[-1].side) == (section, e.exercise, e.side):
            out[-1] = replace(out[-1], end=e.end)
        else:
            out.append(Part(e.start, e.end, e.exercise, e.side, section))
    return out


def label(part: Part, names: Mapping[str, str] | None = None, words: Words | None = None) -> str:
    """How a part is named. With a catalog, for a person: the exercise's name and side in its
    language ("Figure four, left side"), "Introduction", "Closing". Without, for the log: the same
    shape by id ("figure-four, left side", "introduction"), alike in every language."""
    if part.exercise is None:
        which = part.section or INTRODUCTION
        return getattr(words.screen, which) if words is not None else which
    name = (names or {}).get(part.exercise, part.exercise)
    if part.side is None:
        return name
    if words is None:
        return f"{name}, {part.side} side"
    return words.file.chapter_side.format(name=name, side=words.side(part.side))
