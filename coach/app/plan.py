"""`coach plan`: the day's sessions, little and often, printed; and as an iCalendar file."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Callable

from coach.app import listing
from coach.app import session as sessions
from coach.clinical.plan import FULL, day
from coach.core.errors import CoachError, InputError
from coach.storage import calendar

Echo = Callable[..., None]



def _minutes(request: sessions.Request, routine: str) -> int:
    """The routine's length in the request's voice, in whole minutes (rounded up)."""
    seconds = listing.seconds(sessions.Request(routine=routine, voice=request.voice, words=request.words))
    return max(1, math.ceil(seconds / 60))


def plan(request: sessions.Request, full: str, every: float, span: str, ics: Path | None, echo: Echo,
         flag: str = "") -> None:
    """Print the day's plan; with `ics`, write it as a calendar too. `request.routine` is the
    direction whose routines' lengths are given; `flag` is what the commands add to name it."""
    w = request.words.plan
    start, end = (dt.time.fromisoformat(t) for t in span.split("-"))
    slots = day([dt.time.fromisoformat(t.strip()) for t in full.split(",")], every, start, end)
    direction = request.routine
    commands = {FULL: f"coach start{flag}", "short": f"coach start{flag} --short"}
    minutes = {FULL: _minutes(request, direction), "short": _minutes(request, f"{direction}-short")}
    echo(w["title"])
    for s in slots:
        echo("  " + w["line"].format(time=s.at.strftime("%H:%M"), what=w[s.kind], minutes=minutes[s.kind],
                                      command=commands[s.kind]))
    echo(w["change"])
    if ics is None:
        return
    if ics.suffix.lower() != ".ics":
        raise InputError(f"cannot write {ics}: a calendar file's name ends in .ics.")
    if not ics.parent.is_dir():
        raise InputError(f"cannot write {ics}: the folder {ics.parent} does not exist.")
    entries = [calendar.Entry(s.at, minutes[s.kind], w[f"{s.kind}_summary"],
                              w["description"].format(command=commands[s.kind]),
                              f"coach-{s.kind}-{s.at.strftime('%H%M')}@coach")
               for s in slots]
    try:
        calendar.write(ics, entries, dt.date.today(), w["calendar"])
    except OSError as e:
        raise CoachError(f"cannot write {ics}: {e.strerror or e}.") from e
    echo(w["written"].format(path=ics))
