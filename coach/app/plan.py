"""`coach plan`: the day's sessions, little and often, printed; and as an iCalendar file.

The plan follows what the history says (clinical notes, section 7): a barred direction is planned
only with the warning `coach start` gives; a bar's exercises are left out of the other routine's
sessions, and said so; and the alarms end six weeks into self-management, the last one saying to
see a clinician if the leg is no better."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from coach.app import choice, listing
from coach.app import session as sessions
from coach.app.records import opened
from coach.clinical import evidence, loading
from coach.clinical.plan import FULL, day, until
from coach.clinical.preference import day_words
from coach.core.errors import CoachError, InputError
from coach.storage import calendar

Echo = Callable[..., None]


def _minutes(request: sessions.Request, routine: str) -> int:
    """The routine's length in the request's voice, in whole minutes (rounded up)."""
    seconds = listing.seconds(replace(request, routine=routine))
    return max(1, math.ceil(seconds / 60))


@dataclass(frozen=True)
class Planned:
    at: dt.time
    kind: str  # "full" or "short"
    minutes: int
    command: str


@dataclass(frozen=True)
class DayPlan:
    """The day's sessions for one direction, what is said before them, and when the alarms end."""

    direction: str
    warning: list[str]
    sessions: list[Planned]
    until: dt.date  # the first day without alarms: six weeks into self-management

    def to_dict(self) -> dict:
        return {"direction": self.direction, "warning": self.warning, "until": self.until.isoformat(),
                "sessions": [{"time": s.at.strftime("%H:%M"), "kind": s.kind, "minutes": s.minutes,
                              "command": s.command} for s in self.sessions]}


def make(request: sessions.Request, full: str, every: float, span: str, echo: Echo, flag: str = "",
         today: dt.date | None = None) -> DayPlan:
    """The day's plan. `request.routine` is the direction whose routines' lengths are given;
    `flag` is what the commands add to name it."""
    today = today or dt.date.today()
    words = request.words
    with opened(echo, write=False) as history:  # what the history has to say, on stderr
        record = history.record()
        rec = evidence.recommendation(record, words, today)
        first = evidence.first_session(record)
    request = replace(request, bars=rec.barred)
    start, end = (dt.time.fromisoformat(t) for t in span.split("-"))
    slots = day([dt.time.fromisoformat(t.strip()) for t in full.split(",")], every, start, end)
    direction = request.routine
    bar = choice.bar(rec, direction)
    warning = [bar.text(words), words.barred_file] if bar is not None else []  # as `coach start` says it
    warning += [loading.sentence(b, words) for b in sessions.left_out(request)]
    commands = {FULL: f"coach start{flag}", "short": f"coach start{flag} --short"}
    minutes = {FULL: _minutes(request, direction), "short": _minutes(request, f"{direction}-short")}
    return DayPlan(direction, warning, [Planned(s.at, s.kind, minutes[s.kind], commands[s.kind]) for s in slots],
                   until(first, today))


def plan(request: sessions.Request, full: str, every: float, span: str, ics: Path | None, echo: Echo,
         flag: str = "", today: dt.date | None = None) -> None:
    """Print the day's plan; with `ics`, write it as a calendar too."""
    if ics is not None and ics.suffix.lower() != ".ics":
        raise InputError(f"cannot write {ics}: a calendar file's name ends in .ics.")
    if ics is not None and not ics.parent.is_dir():
        raise InputError(f"cannot write {ics}: the folder {ics.parent} does not exist.")
    today = today or dt.date.today()
    words = request.words
    p = make(request, full, every, span, echo, flag, today)
    w = words.plan
    echo(w["title"])
    for line in p.warning:
        echo(line)
    for s in p.sessions:
        echo("  " + w["line"].format(time=s.at.strftime("%H:%M"), what=w[s.kind], minutes=s.minutes, command=s.command))
    echo(w["until"].format(date=day_words(p.until, words, year=True)))
    echo(w["change"])
    if ics is None:
        return
    said = " ".join(p.warning)
    entries = [calendar.Entry(s.at, s.minutes, w[f"{s.kind}_summary"],
                              " ".join(filter(None, (said, w["description"].format(command=s.command)))),
                              f"coach-{s.kind}-{s.at.strftime('%H%M')}@coach", until=p.until - dt.timedelta(days=1))
               for s in p.sessions]
    entries.append(calendar.Entry(p.sessions[0].at, 5, w["last_summary"], w["last_description"], "coach-last@coach",
                                  day=p.until))
    try:
        calendar.write(ics, entries, today, w["calendar"])
    except OSError as e:
        raise CoachError(f"cannot write {ics}: {e.strerror or e}.") from e
    echo(w["written"].format(path=ics, date=day_words(p.until, words, year=True)))
