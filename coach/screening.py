"""The safety questions (clinical notes, section 3), from coach/data/screening.toml.

Asked before the first live session of each day and before every test. Any yes stops the
coach with that group's advice, and no exercise is guided for the rest of the day."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

from coach import data
from coach.answers import Question
from coach.errors import ScreeningStop
from coach.guide import Guide
from coach.history import History
from coach.words import language, words


@dataclass(frozen=True)
class Group:
    id: str  # emergency | urgent
    advice: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Screening:
    intro: str
    clear: str
    recording: tuple[str, ...]
    recording_end: str
    groups: tuple[Group, ...]

    def group(self, gid: str) -> Group:
        return next(g for g in self.groups if g.id == gid)

    def recording_preamble(self) -> tuple[str, ...]:
        """For a rendered file, which cannot ask: every question, and what to do if one applies."""
        return (*self.recording, *(q.text for g in self.groups for q in g.questions), self.recording_end)


def screening() -> Screening:
    """The questions (coach/data/screening.toml) with their words in the session's language."""
    return _screening(language())


@cache
def _screening(lang: str) -> Screening:
    raw, w = data.read("screening.toml"), words().screening
    groups = tuple(
        Group(g["id"], tuple(w["advice"][g["id"]]),
              tuple(Question(q["id"], w["questions"][q["id"]], "yes-no") for q in g["question"]))
        for g in raw["group"]
    )
    return Screening(w["intro"], w["clear"], tuple(w["recording"]), w["recording_end"], groups)


def refuse_if_stopped_today(history: History, say: Callable[..., None]) -> dict | None:
    """Today's screening, if any; a stop today means no exercise, with the advice again."""
    today = history.screening_today()
    if today and today["outcome"] != "clear":
        say(*screening().group(today["outcome"]).advice)
        raise ScreeningStop(words().printed["stopped_today"])
    return today


def screen(guide: Guide, history: History, purpose: str) -> None:
    """Ask every question, one at a time, and record the answers; any yes raises ScreeningStop."""
    s = screening()
    answers: list[tuple[str, str, str]] = []
    guide.say(s.intro)
    try:
        for group in s.groups:
            for q in group.questions:
                answer = guide.ask(q)
                answers.append((q.id, q.text, answer))
                if answer == "yes":
                    history.record_screening(purpose, answers, group.id, " ".join(group.advice))
                    guide.say(*group.advice)
                    printed = words().printed
                    raise ScreeningStop(f"{printed['screening_stop']} {printed[group.id]}")
    except ScreeningStop:
        raise
    except BaseException:  # cut off (Ctrl-C, no more answers): what was answered is kept
        history.record_screening(purpose, answers, "incomplete")
        raise
    history.record_screening(purpose, answers, "clear")
    guide.say(s.clear)


def daily(guide: Guide, history: History) -> None:
    """Before a live session: ask unless today's answers were all no."""
    if refuse_if_stopped_today(history, guide.say) is None:
        screen(guide, history, "session")
