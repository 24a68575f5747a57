"""What the history says about the body's response, as the plain values the pure rules weigh:
tests and flares for the recommendation (coach/preference.py), spreading days and the daily
trend for when to get seen (coach/referral.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from coach.clinical import referral, trend
from coach.clinical.preference import DIRECTIONS, Flare, Recommendation, Trial, recommend
from coach.clinical.response import WORSE, Reason, Verdict
from coach.storage.history import History


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])  # the local day it was recorded


def _set(text: str | None) -> frozenset[str]:
    return frozenset(json.loads(text or "[]"))


def trials(history: History) -> list[Trial]:
    """Completed tests with a result, newest first."""
    out = []
    for r in history.trials():
        if r["outcome"] != "completed" or not r["result"]:
            continue
        better = _set(r["better"]) or (frozenset({r["result"]}) if r["result"] in DIRECTIONS else frozenset())
        out.append(Trial(_day(r["started"]), r["result"], better, _set(r["worse"])))
    return out


def position_name(exercise: str, w) -> str:
    """An exercise as a phrase inside a sentence: "knees to chest"."""
    entry = w.exercises.get(exercise)
    name = entry["name"] if entry else exercise.replace("-", " ")
    return name[0].lower() + name[1:]


def routine_phrase(routine: str, w) -> str:
    """'during the extension routine'."""
    entry = w.routines.get(routine)
    name = entry["name"] if entry else routine
    return w.reasons["during"].format(routine=name[0].lower() + name[1:])


def flares(history: History, w) -> list[Flare]:
    """Every time a direction made the pain worse: test positions that did not settle (recorded
    as they happened, so a test cut off later still counts) and sessions that ended worse or were
    stopped for symptoms."""
    out: list[Flare] = []
    for r in history.trials():
        day = _day(r["started"])
        listed = json.loads(r["flares"] or "[]")
        for f in listed:
            out.append(Flare(day, f["direction"], position_name(f["exercise"], w), Verdict.from_dict(f["verdict"])))
        for d in _set(r["worse"]) - {f["direction"] for f in listed}:  # recorded before reasons were kept
            out.append(Flare(day, d, w.reasons["in_a_test"], Verdict(WORSE, (Reason("recorded_worse"),))))
    for s in history.table("sessions"):
        direction = s["direction"] or (s["routine"] if s["routine"] in DIRECTIONS else None)
        if direction not in DIRECTIONS or not (s["response"] == WORSE or s["outcome"] == "symptoms"):
            continue
        verdict = Verdict.from_dict(json.loads(s["response_reasons"])) if s["response_reasons"] \
            else Verdict(WORSE, (Reason("stopped"),))
        out.append(Flare(_day(s["started"]), direction, routine_phrase(s["routine"], w), verdict))
    return out


def recommendation(history: History, w, today: dt.date | None = None) -> Recommendation:
    return recommend(trials(history), flares(history, w), today or dt.date.today(), w)


def spread_days(history: History) -> set[dt.date]:
    """Days on which a response found the pain spreading farther down the leg."""
    days: set[dt.date] = set()
    for r in history.table("ratings"):
        if r["reasons"] and _spread(json.loads(r["reasons"])):
            days.add(_day(r["at"]))
    for s in history.table("sessions"):
        if s["response_reasons"] and _spread(json.loads(s["response_reasons"])):
            days.add(_day(s["started"]))
    return days


def _spread(verdict: dict[str, Any]) -> bool:
    return any(r["key"] in ("spread", "stopped") for r in verdict.get("reasons", ()))


def notices(history: History, today: dt.date | None = None) -> list[referral.Notice]:
    """When to get seen, from everything recorded."""
    today = today or dt.date.today()
    days = trend.trend(history.leg_ratings()).days
    return referral.notices(days, first_session(history), spread_days(history), today)


def first_session(history: History) -> dt.date | None:
    """The day of the first session recorded: the start of self-management."""
    return min((_day(s["started"]) for s in history.table("sessions")), default=None)
