"""The safety questions (clinical notes, sections 3 and 6), from coach/data/screening.toml.

- All of them before the first live session of each day and before every test (the two
  facts about the person every 30 days); the three
  emergency questions again, briefly, before every later live session that day.
- An emergency-level yes blocks every session until the person records that a clinician has
  seen them (`coach cleared emergency`), not until midnight: those signs do not expire. The rest
  of the day it was cleared, the coach says once, calmly, that sessions start again tomorrow, and
  no longer tells the person to call emergency services.
- An urgent-level yes blocks for the rest of the day. New or worsening leg weakness says "see a
  doctor today". A history of cancer says "see your doctor about this back pain before your
  first session"; once the person records that a doctor has checked it (`coach cleared
  cancer`), that question is not asked again, so it never locks a survivor out for ever.
- Fracture and infection risk (long-term steroid tablets or osteoporosis; a weakened immune
  system or injecting drugs; clinical notes, section 7) are urgent too, and cleared the same
  way. They are facts about the person, not the day's symptoms: asked at the first screening
  and again every 30 days (`every` in screening.toml), not daily.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Callable, Mapping

from coach.core import data
from coach.core.errors import ScreeningStop
from coach.core.question import Question
from coach.core.records import Safety
from coach.core.records import Screening as Screened
from coach.core.words import Words

EMERGENCY = "emergency"
CANCER = "cancer"
CLEARABLE = (CANCER, "fracture", "infection")  # facts about the person a doctor's check lifts for good


@dataclass(frozen=True)
class Group:
    id: str  # emergency | urgent
    advice: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Screening:
    intro: str
    brief: str
    clear: str
    recording_date: str
    recording_end: str
    or_list: str
    recording_groups: Mapping[str, str]
    signs: Mapping[str, str]
    groups: tuple[Group, ...]
    own_advice: dict[str, tuple[str, ...]]  # a question's advice where it differs from its group's
    every: Mapping[str, int]  # a question asked only every so many days (a fact about the person)

    def group(self, gid: str) -> Group:
        return next(g for g in self.groups if g.id == gid)

    def group_of(self, qid: str) -> Group:
        return next(g for g in self.groups if any(q.id == qid for q in g.questions))

    def advice(self, qid: str) -> tuple[str, ...]:
        return self.own_advice.get(qid) or self.group_of(qid).advice

    def recording_preamble(self, made: dt.date, words: Words) -> tuple[str, ...]:
        """For a rendered file, which cannot ask: the day it was made, then every question's sign,
        said in a sentence a group, and what to do if one applies (under 36 s)."""
        from coach.clinical.preference import day_words

        def sentence(g: Group) -> str:
            signs = [self.signs[q.id] for q in g.questions]
            listed = self.or_list.format(items=", ".join(signs[:-1]), last=signs[-1]) if len(signs) > 1 else signs[0]
            said = self.recording_groups[g.id].format(signs=listed)
            return said[:1].upper() + said[1:]

        return (self.recording_date.format(date=day_words(made, words, year=True)),
                *(sentence(g) for g in self.groups), self.recording_end)


@cache
def screening(words: Words) -> Screening:
    """The questions (coach/data/screening.toml) with their words in `words`' language."""
    raw, w = data.read("screening.toml"), words.screening
    groups = tuple(
        Group(g["id"], w.advice[g["id"]],
              tuple(Question(q["id"], w.questions[q["id"]], "yes-no", words) for q in g["question"]))
        for g in raw["group"]
    )
    own = {q.id: w.advice[q.id] for g in groups for q in g.questions if q.id in w.advice}
    every = {q["id"]: int(q["every"]) for g in raw["group"] for q in g["question"] if "every" in q}
    return Screening(w.intro, w.brief, w.clear, w.recording_date, w.recording_end, w.or_list,
                     w.recording_groups, w.signs, groups, own, every)


def due(s: Screening, qid: str, cleared: bool, last_no: dt.date | None, today: dt.date) -> bool:
    """Whether a question is asked today: not once a doctor's check has cleared it; a fact about
    the person (`every`) only when it was never answered no, or that many days ago or more."""
    if cleared:
        return False
    days = s.every.get(qid)
    return days is None or last_no is None or (today - last_no).days >= days


def stop_line(qid: str, group: str, words: Words) -> str:
    """What is printed when a yes stops the day."""
    return f"{words.printed.screening_stop} {words.printed.stop_advice(qid, group)}"


def refuse_if_stopped(state: Safety, say: Callable[..., None], words: Words) -> Screened | None:
    """Raise ScreeningStop, with the advice again, while an emergency answer has not been seen by
    a clinician or an urgent answer was given today; else today's screening, if any. `state` is
    where the safety questions stand, read from the history (`History.safety`)."""
    from coach.clinical.preference import day_words

    s = screening(words)
    if state.block is not None:
        say(*s.group(EMERGENCY).advice)
        when = day_words(dt.date.fromisoformat(state.block.day), words, year=True)
        raise ScreeningStop(words.printed.emergency_block.format(date=when))
    today, seen = state.today, state.seen
    if today and today.outcome == EMERGENCY and seen is not None and seen.at >= today.at:
        # seen by a clinician since: no more "call emergency services", one calm line for the day
        say(words.screening.cleared_today)
        raise ScreeningStop(words.printed.cleared_today)
    if today and today.outcome != "clear":
        qid = state.stopped_on
        say(*(s.advice(qid) if qid else s.group(today.outcome).advice))
        raise ScreeningStop(words.printed.stopped_today)
    return today
