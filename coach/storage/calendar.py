"""A day's plan as an iCalendar file (RFC 5545) that a phone's calendar imports: one event a
session, repeating daily until the plan's last day, each with an alarm at its start; and one
last event that day. Written by the icalendar library, not
by hand, and atomically."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from coach.storage.atomic import atomic_path, create
from coach.storage.paths import PRIVATE_FILE as PRIVATE


@dataclass(frozen=True)
class Entry:
    at: dt.time
    minutes: int  # how long it lasts
    summary: str
    description: str
    uid: str  # the same for the same slot, so a calendar that imports it again updates it
    until: dt.date | None = None  # repeats daily to this day; None: once, on the day written
    day: dt.date | None = None  # its day, when not the first

def write(path: Path, entries: list[Entry], first: dt.date, name: str) -> None:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//coach//little and often//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(entry.day or first, entry.at))  # floating: the phone's own time zone
        event.add("duration", dt.timedelta(minutes=entry.minutes))
        if entry.until is not None:
            event.add("rrule", {"freq": "daily", "until": dt.datetime.combine(entry.until, entry.at)})
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(0))
        alarm.add("description", entry.summary)
        event.add_component(alarm)
        cal.add_component(event)
    with atomic_path(path) as tmp, create(tmp, PRIVATE) as f:  # when the person exercises: theirs alone
        f.write(cal.to_ical())
