"""The safety questions asked aloud before a session or a test (the rules: coach/clinical/screening.py)."""

from __future__ import annotations

import datetime as dt

from coach.clinical.screening import CLEARABLE, EMERGENCY, due, refuse_if_stopped, screening, stop_line
from coach.core.errors import ScreeningStop
from coach.core.words import Words
from coach.live.guide import Guide
from coach.storage.history import History


def screen(guide: Guide, history: History, purpose: str, brief: bool = False) -> None:
    """Ask the questions one at a time and record the answers; any yes raises ScreeningStop.
    `brief`: the three emergency questions only. A question a doctor's check cleared (cancer,
    fracture, infection) is left out, and a fact about the person is asked every 30 days."""
    s = screening(guide.words)
    cleared = {kind for kind in CLEARABLE if history.cleared(kind) is not None}
    today = dt.date.today()
    groups = [g for g in s.groups if not brief or g.id == EMERGENCY]
    answers: list[tuple[str, str, str, str]] = []
    guide.say(s.brief if brief else s.intro)
    try:
        for group in groups:
            for q in group.questions:
                if not due(s, q.id, q.id in cleared, history.last_no(q.id), today):
                    continue
                answer = guide.ask(q, safety=s.signs[q.id])
                answers.append((q.id, q.text, answer, guide.given))
                if answer == "yes":
                    advice = s.advice(q.id)
                    history.record_screening(purpose, answers, group.id, " ".join(advice))
                    guide.say(*advice)
                    raise ScreeningStop(stop_line(q.id, group.id, guide.words))
    except ScreeningStop:
        raise
    except BaseException:  # cut off (Ctrl-C, no more answers): what was answered is kept
        history.record_screening(purpose, answers, "incomplete")
        raise
    history.record_screening(purpose, answers, "clear")
    if not brief:
        guide.say(s.clear)


def said(words: Words) -> list[str]:
    """What the questions say, in order, when none is answered yes: to synthesize ahead."""
    s = screening(words)
    return [s.brief, s.intro, *(q.text for g in s.groups for q in g.questions), s.clear]


def daily(guide: Guide, history: History) -> None:
    """Before a live session: all the questions (`screen`) unless today's were all no; then the three
    emergency ones, briefly."""
    today = refuse_if_stopped(history.safety(), guide.say, guide.words)
    screen(guide, history, "session-brief" if today else "session", brief=today is not None)
