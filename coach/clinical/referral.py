"""When to get seen (clinical notes, section 6; NICE CKS sciatica): from the history, pure.

- **No improvement over 6 weeks** of sessions: the first session was 42 days ago or more, and
  neither the leg pain nor how far down it reaches is clearly better in the latest 7 days of
  ratings than in the first 7. "Clearly" is the trend's own measure: leg pain down 2 points or
  30% (section 4), or the pain reaching less far down on its farthest day.
- **Pain that keeps spreading**: on 3 or more of the last 7 days, a test position, a session or
  a stop found the pain spreading farther down the leg.
Each notice says what was found and what to do; the CLI says it at the start of the next session
and `coach history` shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from coach.clinical.response import REACH, reach_word
from coach.clinical.trend import Day, meaningful

WEEKS = 6
WINDOW = 7  # days
SPREAD_DAYS = 3  # of the last WINDOW days


@dataclass(frozen=True)
class Notice:
    key: str  # no_improvement | spreading
    fields: dict[str, Any]

    def text(self, w) -> str:
        fields = dict(self.fields)
        for k in ("reach_before", "reach_after"):
            if k in fields:
                fields[k] = reach_word(fields[k], w)
        return w.referral[self.key].format(**fields)


def _window(days: Sequence[Day], first: dt.date, last: dt.date) -> list[Day]:
    return [d for d in days if first <= d.day <= last]


def _farthest(days: Iterable[Day]) -> str | None:
    reached = [d.reach for d in days if d.reach in REACH]
    return max(reached, key=REACH.index) if reached else None


def _mean(days: Iterable[Day]) -> float | None:
    legs = [d.leg for d in days if d.leg is not None]
    return sum(legs) / len(legs) if legs else None


def no_improvement(days: Sequence[Day], first_session: dt.date | None, today: dt.date) -> Notice | None:
    """`days`: one pre-exercise rating a day (coach/trend.py), oldest first."""
    if first_session is None or (today - first_session).days < WEEKS * 7 or not days:
        return None
    start = _window(days, first_session, first_session + dt.timedelta(days=WINDOW - 1))
    latest = days[-1].day
    end = _window(days, latest - dt.timedelta(days=WINDOW - 1), latest)
    if not start or not end or latest - first_session < dt.timedelta(days=WEEKS * 7 - WINDOW):
        return None  # no ratings at one end: nothing to compare
    leg_before, leg_after = _mean(start), _mean(end)
    reach_before, reach_after = _farthest(start), _farthest(end)
    leg_better = leg_before is not None and leg_after is not None and leg_after < leg_before \
        and meaningful(leg_after, leg_before)
    reach_better = reach_before is not None and reach_after is not None \
        and REACH.index(reach_after) < REACH.index(reach_before)
    if leg_better or reach_better or (leg_before is None and reach_before is None):
        return None
    return Notice("no_improvement", {
        "weeks": (today - first_session).days // 7,
        "leg_before": "-" if leg_before is None else f"{leg_before:.0f}",
        "leg_after": "-" if leg_after is None else f"{leg_after:.0f}",
        "reach_before": reach_before or "none", "reach_after": reach_after or "none"})


def spreading(spread_days: Iterable[dt.date], today: dt.date) -> Notice | None:
    """`spread_days`: the days on which a response found the pain spreading farther down."""
    recent = {d for d in spread_days if 0 <= (today - d).days < WINDOW}
    if len(recent) < SPREAD_DAYS:
        return None
    return Notice("spreading", {"n": len(recent), "days": WINDOW})


def notices(days: Sequence[Day], first_session: dt.date | None, spread_days: Iterable[dt.date],
            today: dt.date) -> list[Notice]:
    return [n for n in (spreading(spread_days, today), no_improvement(days, first_session, today)) if n]
