"""What the history says about the body's response, as the plain values the pure rules weigh:
tests and flares for the recommendation (coach/clinical/preference.py), spreading days and the
daily trend for when to get seen (coach/clinical/referral.py). It reads records (coach/core/
records.py), never the database: the caller reads the history once and passes it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

from coach.clinical import referral, trend
from coach.clinical.preference import DIRECTIONS, Flare, Recommendation, Trial, recommend
from coach.clinical.response import WORSE, Reason, Verdict
from coach.core import records


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(stamp[:10])  # the local day it was recorded


def _newest_first(trials: Iterable[records.Trial]) -> list[records.Trial]:
    return sorted(trials, key=lambda t: (t.started, t.id), reverse=True)


def trials(record: records.Record) -> list[Trial]:
    """Completed tests with a result, newest first."""
    out = []
    for r in _newest_first(record.trials):
        if r.outcome != "completed" or not r.result:
            continue
        better = r.better or (frozenset({r.result}) if r.result in DIRECTIONS else frozenset())
        out.append(Trial(_day(r.started), r.result, better, r.worse))
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


def flares(record: records.Record, w) -> list[Flare]:
    """Every time a direction made the pain worse: test positions that did not settle (recorded
    as they happened, so a test cut off later still counts) and sessions that ended worse or were
    stopped for symptoms."""
    out: list[Flare] = []
    for r in _newest_first(record.trials):
        day = _day(r.started)
        for f in r.flares:
            out.append(Flare(day, f["direction"], position_name(f["exercise"], w), Verdict.from_dict(f["verdict"])))
        for d in r.worse - {f["direction"] for f in r.flares}:  # recorded before reasons were kept
            out.append(Flare(day, d, w.reasons["in_a_test"], Verdict(WORSE, (Reason("recorded_worse"),))))
    for s in record.sessions:
        direction = s.direction or (s.routine if s.routine in DIRECTIONS else None)
        if direction not in DIRECTIONS or not (s.response == WORSE or s.outcome == "symptoms"):
            continue
        verdict = Verdict.from_dict(s.response_reasons) if s.response_reasons else Verdict(WORSE, (Reason("stopped"),))
        out.append(Flare(_day(s.started), direction, routine_phrase(s.routine, w), verdict))
    return out


def recommendation(record: records.Record, w, today: dt.date | None = None) -> Recommendation:
    return recommend(trials(record), flares(record, w), today or dt.date.today(), w)


def spread_days(record: records.Record) -> set[dt.date]:
    """Days on which a response found the pain spreading farther down the leg."""
    days = {_day(r.at) for r in record.ratings if r.reasons and _spread(r.reasons)}
    return days | {_day(s.started) for s in record.sessions if s.response_reasons and _spread(s.response_reasons)}


def _spread(verdict: Mapping[str, Any]) -> bool:
    return any(r["key"] in ("spread", "stopped") for r in verdict.get("reasons", ()))


def notices(record: records.Record, today: dt.date | None = None) -> list[referral.Notice]:
    """When to get seen, from everything recorded."""
    today = today or dt.date.today()
    days = trend.trend(record.leg_ratings).days
    return referral.notices(days, first_session(record), spread_days(record), today)


def first_session(record: records.Record) -> dt.date | None:
    """The day of the first session recorded: the start of self-management."""
    return min((_day(s.started) for s in record.sessions), default=None)
