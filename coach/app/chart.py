"""The trend chart: leg pain and how far down it reaches, by day, drawn by matplotlib (imported
only here and by the report, which places the same chart on its page). What the trend is, and
what counts as a change, is the clinical layer's (coach/clinical/trend.py); this draws it."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, Iterator

from coach.clinical.response import REACH
from coach.clinical.trend import Trend


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
