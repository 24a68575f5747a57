"""What the history holds, as plain values: each row of each table decoded once, where it is read
(coach/storage/history.py), so no other layer parses JSON columns or knows a column's name.

And the one join every view of the history needs: each session and test with its own ratings
(the text history, coach/storage/report.py, and the PDF report, coach/app/report.py). Pure: it
knows no database; it is tested with values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, TypeVar

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Session:
    id: int
    routine: str
    started: str  # ISO time, local, with its offset
    outcome: str  # coach/storage/history.py OUTCOMES
    options: Mapping[str, Any] = field(default_factory=dict)  # the options it was started with
    ended: str | None = None
    step: str | None = None  # where it got to
    reason: str | None = None  # why it ended, where it did not complete
    direction: str | None = None  # the direction it followed, where it had one
    response: str | None = None  # better | same | worse | mixed
    response_reasons: Mapping[str, Any] | None = None  # the verdict with its reasons (coach/clinical/response.py)
    underflows: int | None = None  # the audio's gaps

    @property
    def day(self) -> str:
        return self.started[:10]


@dataclass(frozen=True)
class Trial:
    """A direction test."""

    id: int
    started: str
    outcome: str
    ended: str | None = None
    step: str | None = None
    reason: str | None = None
    result: str | None = None  # the direction found, "none" or "unclear", once completed
    worse: frozenset[str] = frozenset()  # directions that made the pain worse
    better: frozenset[str] = frozenset()  # directions that helped
    caution: frozenset[str] = frozenset()  # flared, then settled
    flares: tuple[Mapping[str, Any], ...] = ()  # {direction, exercise, verdict}, as they happened
    reasons: tuple[str, ...] = ()  # why it found what it found, in words

    @property
    def day(self) -> str:
        return self.started[:10]


@dataclass(frozen=True)
class Rating:
    id: int
    at: str
    moment: str  # baseline | before | after | check-in | settled ...
    session_id: int | None = None
    trial_id: int | None = None
    exercise: str | None = None
    leg: int | None = None
    back: int | None = None
    reach: str | None = None
    numbness: str | None = None
    compared: str | None = None  # better | same | worse
    reasons: Mapping[str, Any] | None = None  # the verdict with its reasons
    given: str | None = None  # key | voice | key+voice

    @property
    def day(self) -> str:
        return self.at[:10]


@dataclass(frozen=True)
class Dose:
    """A dose change of a routine, or a move to a next position (then `replaces` is set)."""

    id: int
    at: str
    routine: str
    exercise: str
    count: int
    change: str  # up | down | declined | forward | back | stayed
    reason: str
    hold: int | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class Screening:
    id: int
    at: str
    day: str
    purpose: str
    outcome: str  # clear | emergency | urgent | incomplete
    advice: str | None = None


@dataclass(frozen=True)
class Answer:
    """A safety question's answer."""

    id: int
    screening_id: int
    question: str
    text: str
    answer: str  # yes | no
    given: str | None = None


@dataclass(frozen=True)
class Clearance:
    id: int
    at: str
    day: str
    kind: str  # emergency | cancer | fracture | infection
    note: str | None = None


@dataclass(frozen=True)
class Record:
    """The whole history, each table oldest first, every row usable (a bad one was skipped)."""

    sessions: tuple[Session, ...] = ()
    trials: tuple[Trial, ...] = ()
    ratings: tuple[Rating, ...] = ()
    doses: tuple[Dose, ...] = ()
    screenings: tuple[Screening, ...] = ()
    answers: tuple[Answer, ...] = ()
    clearances: tuple[Clearance, ...] = ()

    @property
    def leg_ratings(self) -> list[Rating]:
        """Every rating with a leg pain or reach, by time."""
        return sorted((r for r in self.ratings if r.leg is not None or r.reach is not None), key=lambda r: (r.at, r.id))


@dataclass(frozen=True)
class Safety:
    """Where the safety questions stand today (coach/clinical/screening.py weighs it)."""

    block: Screening | None = None  # an emergency-level screening no clinician's clearance has followed
    today: Screening | None = None  # today's screening that reached an outcome, a stop first
    stopped_on: str | None = None  # the question today's screening stopped on
    seen: Clearance | None = None  # the newest emergency clearance


@dataclass(frozen=True)
class SessionLine:
    """A session with its own ratings."""

    session: Session
    before: Rating | None
    after: Rating | None
    check_ins: tuple[Rating, ...]


@dataclass(frozen=True)
class TrialLine:
    """A test with its baseline and its last after-rating."""

    trial: Trial
    baseline: Rating | None
    last: Rating | None


def grouped(items: Iterable[T], key: Callable[[T], K | None]) -> dict[K, list[T]]:
    """Items by one key, each group in the items' order: one pass, so 20,000 sessions join their
    ratings in linear time (a scan of every rating for every session took 73 s)."""
    out: dict[K, list[T]] = {}
    for item in items:
        k = key(item)
        if k is not None:
            out.setdefault(k, []).append(item)
    return out


def _first(ratings: Iterable[Rating], moment: str) -> Rating | None:
    return next((r for r in ratings if r.moment == moment), None)


def joined(record: Record) -> tuple[list[SessionLine], list[TrialLine]]:
    """Each session and each test with its ratings, oldest first."""
    of_session = grouped(record.ratings, lambda r: r.session_id)
    of_trial = grouped(record.ratings, lambda r: r.trial_id)
    sessions = []
    for s in record.sessions:
        mine = of_session.get(s.id, [])
        sessions.append(SessionLine(s, _first(mine, "before"), _first(mine, "after"),
                                    tuple(r for r in mine if r.moment == "check-in")))
    trials = []
    for t in record.trials:
        mine = of_trial.get(t.id, [])
        trials.append(TrialLine(t, _first(mine, "baseline"), _first(reversed(mine), "after")))
    return sessions, trials
