"""Leg pain and how far down it reaches, over days: in the terminal, or as a PNG (matplotlib).

One value per day: the day's first rating taken before exercise (before a session, or a test's
baseline), else its first rating; a chart also marks every rating of the day (before and after).
A day is marked when its leg pain differs from the first week's mean by 2 points or more, or by
30% or more (clinical notes, section 4)."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from coach.clinical.response import REACH

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


def trend(ratings: Iterable[dict[str, Any]]) -> Trend:
    """From rating rows (at, moment, leg, reach), oldest first."""
    chosen: dict[dt.date, dict[str, Any]] = {}
    ratings = list(ratings)
    points = tuple(Point(dt.datetime.fromisoformat(r["at"]).replace(tzinfo=None), r["moment"], r["leg"], r["reach"])
                   for r in ratings)
    for r in ratings:
        day = dt.date.fromisoformat(r["at"][:10])  # the local day it was taken
        first_before = r["moment"] in ("before", "baseline")
        held = chosen.get(day)
        if held is None or (first_before and held["moment"] not in ("before", "baseline")):
            chosen[day] = r
    if not chosen:
        return Trend((), None)
    start = min(chosen)
    week = [r["leg"] for d, r in chosen.items() if (d - start).days < FIRST_WEEK and r["leg"] is not None]
    baseline = sum(week) / len(week) if week else None
    days = []
    for d in sorted(chosen):
        r = chosen[d]
        change = ""
        if baseline is not None and r["leg"] is not None and (d - start).days >= FIRST_WEEK \
                and meaningful(r["leg"], baseline):
            change = "better" if r["leg"] < baseline else "worse"
        days.append(Day(d, r["leg"], r["reach"], change))
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


def draw(t: Trend, pain: Any, reach: Any, mono: bool = False) -> None:
    """The chart on two matplotlib axes: leg pain above, how far down it reaches below. `mono`:
    black and grey, told apart by line and marker shapes, for a page printed in black and white."""
    colour = (lambda c: "black") if mono else (lambda c: c)  # noqa: E731
    days = [d.day for d in t.days]
    legs = [(d.day, d.leg) for d in t.days if d.leg is not None]
    if legs:
        pain.plot([x for x, _ in legs], [y for _, y in legs], "o-", color=colour("#34558b"), label="leg pain")
    every = [(p.at, p.leg) for p in t.points if p.leg is not None]
    if len(every) > len(legs):  # more than one rating on some day: each of them, small and hollow
        pain.plot([x for x, _ in every], [y for _, y in every], "o", color=colour("#34558b"), markersize=4,
                  markerfacecolor="white", linestyle="none", label="every rating (before, after)")
    if t.baseline is not None:
        pain.axhline(t.baseline, color="grey", linestyle="--", linewidth=1, label="first week's mean")
    for change, hue, marker in (("better", "#2a9d4a", "v"), ("worse", "#c0392b", "^")):
        marked = [(d.day, d.leg) for d in t.days if d.change == change]
        if marked:
            pain.plot([x for x, _ in marked], [y for _, y in marked], marker, color=colour(hue), markersize=11,
                      linestyle="none", markerfacecolor="white" if mono and change == "better" else colour(hue),
                      label=f"{change}: 2 points or 30%")
    pain.set_ylim(-0.5, 10.5)
    pain.set_ylabel("leg pain (0-10)")
    pain.set_title("Leg pain and how far down it reaches")
    pain.grid(alpha=0.3)
    pain.legend(loc="best", fontsize=8, framealpha=0.9)
    reached = [(d.day, REACH.index(d.reach)) for d in t.days if d.reach in REACH]
    all_reach = [(p.at, REACH.index(p.reach)) for p in t.points if p.reach in REACH]
    if len(all_reach) > len(reached):
        reach.plot([x for x, _ in all_reach], [y for _, y in all_reach], "s", color=colour("#8b5a34"), markersize=3,
                   markerfacecolor="white", linestyle="none")
    if reached:
        reach.plot([x for x, _ in reached], [y for _, y in reached], "s-" if not mono else "s:", color=colour("#8b5a34"))
    reach.set_yticks(range(len(REACH)), REACH)
    reach.set_ylim(-0.5, len(REACH) - 0.5)
    reach.invert_yaxis()
    reach.set_ylabel("reaches down to")
    reach.grid(alpha=0.3)
    if days:
        reach.set_xlim(min(days) - dt.timedelta(days=1), max(days) + dt.timedelta(days=1))


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """No warning of matplotlib's (a legend with nothing to list, a glyph its font lacks, the
    font cache being built) reaches the terminal: a chart is one line of output."""
    import logging
    import warnings

    for name in ("matplotlib", "fontTools", "fpdf", "PIL"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def png(t: Trend, path: Path) -> None:
    """The same chart as an image, written atomically."""
    with quiet():
        _png(t, path)


def _png(t: Trend, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from coach.storage.atomic import atomic_path, create
    from coach.storage.paths import PRIVATE_FILE as PRIVATE

    fig, (pain, reach) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, height_ratios=(3, 2))
    try:
        draw(t, pain, reach)
        fig.autofmt_xdate()
        fig.tight_layout()
        with atomic_path(path) as tmp, create(tmp, PRIVATE) as f:  # health data: the owner's only
            fig.savefig(f, format="png", dpi=100)
    finally:
        plt.close(fig)
