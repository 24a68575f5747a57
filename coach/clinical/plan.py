"""Little and often (clinical notes, section 6): a day's plan of sessions. The full routine once or
twice a day; the direction exercise alone, a short session, every 2-3 hours between them. Pure:
the times come from the config file, and nothing here knows a clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FULL, SHORT = "full", "short"
WEEKS = 6  # "no improvement after about 6 weeks of self-management: see a clinician" (section 7)
LAST_WEEK = dt.timedelta(days=7)  # a plan made later than that still runs a week, then says the same


@dataclass(frozen=True)
class Slot:
    at: dt.time
    kind: str  # FULL or SHORT


def day(full: list[dt.time], every_hours: float, start: dt.time, end: dt.time) -> list[Slot]:
    """The day's sessions in order: each full one at its time; short ones every `every_hours`
    from `start` to `end`, leaving out any nearer to a full one than half that spacing."""
    base = dt.date(2000, 1, 1)
    at = lambda t: dt.datetime.combine(base, t)  # noqa: E731
    slots = [Slot(t, FULL) for t in full]
    step = dt.timedelta(hours=every_hours)
    apart = step / 2
    t = at(start)
    while t <= at(end):
        if all(abs(t - at(f)) >= apart for f in full):
            slots.append(Slot(t.time(), SHORT))
        t += step
    return sorted(slots, key=lambda s: (s.at, s.kind))


def until(first_session: dt.date | None, today: dt.date) -> dt.date:
    """The plan's last day, whose alarm says to see a clinician if the leg is no better: six
    weeks from the first session (from today, with none), and never less than a week away."""
    return max((first_session or today) + dt.timedelta(weeks=WEEKS), today + LAST_WEEK)
