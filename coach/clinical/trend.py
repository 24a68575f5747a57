"""Leg pain and how far down it reaches, over days: in the terminal, or as a PNG (matplotlib).

One value per day: the day's first rating taken before exercise (before a session, or a test's
baseline), else its first rating; a chart also marks every rating of the day (before and after).
A day is marked when its leg pain differs from the first week's mean by 2 points or more, or by
30% or more (clinical notes, section 4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from coach.core.records import Rating

FIRST_WEEK = 7  # days
POINTS, SHARE = 2, 0.30
REACH_MARK = {"none": "-", "low back": "L", "buttock": "B", "thigh": "T", "knee": "K", "calf": "C", "foot": "F"}


@dataclass(frozen=True)
class Day:
    day: dt.date
    leg: int | None
    reach: str | None
    change: str = ""  # "better" | "worse" | "": against the first week


@dataclass(frozen=True)
class Point:
    """One rating as it was taken: before, after, a test's baseline or its positions."""

    at: dt.datetime
    moment: str
    leg: int | None
    reach: str | None


@dataclass(frozen=True)
class Trend:
    days: tuple[Day, ...]
    baseline: float | None  # the first week's mean leg pain
    points: tuple[Point, ...] = ()  # every rating, oldest first: a chart shows each of a day's

    @property
    def empty(self) -> bool:
        return not any(d.leg is not None or d.reach is not None for d in self.days)


def meaningful(value: float, baseline: float) -> bool:
    diff = abs(value - baseline)
    return diff >= POINTS or (baseline > 0 and diff / baseline >= SHARE)


def trend(ratings: Iterable[Rating]) -> Trend:
    """From ratings with a leg pain or reach, oldest first."""
    chosen: dict[dt.date, Rating] = {}
    ratings = list(ratings)
    points = tuple(Point(dt.datetime.fromisoformat(r.at).replace(tzinfo=None), r.moment, r.leg, r.reach)
                   for r in ratings)
    for r in ratings:
        day = dt.date.fromisoformat(r.day)  # the local day it was taken
        first_before = r.moment in ("before", "baseline")
        held = chosen.get(day)
        if held is None or (first_before and held.moment not in ("before", "baseline")):
            chosen[day] = r
    if not chosen:
        return Trend((), None)
    start = min(chosen)
    week = [r.leg for d, r in chosen.items() if (d - start).days < FIRST_WEEK and r.leg is not None]
    baseline = sum(week) / len(week) if week else None
    days = []
    for d in sorted(chosen):
        r = chosen[d]
        change = ""
        if baseline is not None and r.leg is not None and (d - start).days >= FIRST_WEEK \
                and meaningful(r.leg, baseline):
            change = "better" if r.leg < baseline else "worse"
        days.append(Day(d, r.leg, r.reach, change))
    return Trend(tuple(days), baseline, points)


def text(t: Trend, width: int = 80) -> str:
    """The chart as lines of text: one column per day, the newest days if they do not all fit."""
    if t.empty:
        return "No pain ratings yet: they are asked before and after each session, and in 'coach test'."
    import textwrap

    per = 2
    room = max(10, (width - 8) // per)
    days = t.days[-room:]
    title = "Leg pain by day, 0-10 (first rating before exercise)."
    if t.baseline is not None:
        title += f" First week's mean: {t.baseline:.1f}."
    lines = textwrap.wrap(title, max(width, 30))
    for level in range(10, -1, -1):
        row = "".join(("●" if d.leg == level else " ").ljust(per) for d in days)
        lines.append(f"{level:>5} │{row.rstrip()}")
    lines.append("      └" + "─" * (per * len(days)))
    lines.append(" reach " + "".join(REACH_MARK.get(d.reach or "", " ").ljust(per) for d in days).rstrip())
    lines.append("change " + "".join({"better": "▼", "worse": "▲"}.get(d.change, " ").ljust(per) for d in days).rstrip())
    lines.append(f"       {days[0].day.isoformat()} … {days[-1].day.isoformat()}")
    shown = f"{len(days)} of {len(t.days)} days shown" if len(days) < len(t.days) else f"{len(days)} days"
    legend = (f"{shown}. Reach: - none, L low back, B buttock, T thigh, K knee, C calf, F foot. "
              "▼ better, ▲ worse: 2 points or 30% from the first week.")
    lines.extend(textwrap.wrap(legend, max(width, 30)))
    return "\n".join(lines)
