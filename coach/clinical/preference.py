"""The directional preference: what one test found, and which direction to follow over all the
tests and sessions recorded (clinical notes, sections 2 and 6). Pure, so every case is tested;
the history hands it plain values and `today`.

- A test position is judged by the response rule (coach/response.py). Only a better response
  helps a direction; mixed is a caution, never a help.
- **Barred**: a direction that made the pain worse, in any test or session of the last 14 days,
  is not followed until a later test finds it better. The newest test's "worse" also bars,
  however old that test is, since nothing newer has been learnt.
- **Recency**: each test that found a direction counts with a weight that halves every 14 days
  of age (today 1, two weeks ago 1/2, four weeks ago 1/4). The direction with the larger weighted
  count wins; an exact tie goes to the one the newest test found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence

from coach.clinical.response import (
    BETTER,
    SAME,
    WORSE,
    Rating,
    Verdict,
    change_word,
    compare,
    explain,
    reasons_text,
)

FLEXION, EXTENSION, UNCLEAR = "flexion", "extension", "unclear"
DIRECTIONS = (FLEXION, EXTENSION)
BAR_DAYS = 14  # a direction that made the pain worse this recently is barred
HALF_LIFE = 14.0  # days over which a test's weight halves
# what a test position did after a worse or mixed response and a rest (clinical notes, section 7)
GO, CAUTION, STOP = "go", "caution", "stop"  # it centralized and stayed | it settled back | it stayed up


@dataclass(frozen=True)
class Position:
    """One test position of a trial and how it went."""

    exercise: str  # knees-to-chest | prone-lying | prone-on-elbows
    direction: str  # flexion | extension
    verdict: Verdict
    settled: str | None = None  # go | caution | stop, after a worse or mixed response and a rest

    @property
    def helped(self) -> bool:
        """Better at once, or better lastingly: the pain reaching less far down after the rest."""
        return self.verdict.change == BETTER or self.settled == GO

    @property
    def stopped(self) -> bool:
        """It made the pain worse, and that did not settle: this direction ends here."""
        return self.settled == STOP or (self.settled is None and self.verdict.change == WORSE)


def after_rest(baseline: Rating, again: Rating, felt: str | None) -> tuple[str, Verdict]:
    """GO, CAUTION or STOP for a position that was worse or mixed, from the rating after the rest
    (`felt`: the person's own better, same or worse), with the verdict against the baseline:
    - GO, lasting centralization ("promptly and lastingly"): the pain reaches less far down than
      at the baseline, leg pain is not up by 2, no new numbness, and the person does not say worse;
    - CAUTION, settled back: leg pain within 1 point of the baseline (or lower), reaching no
      farther, no new numbness, and the person no longer says worse;
    - STOP otherwise: something is still up."""
    verdict = compare(baseline, again, felt) or Verdict(SAME, ())
    keys = {r.key for r in verdict.reasons}
    if felt == WORSE or keys & {"spread", "numbness", "leg_up"}:
        return STOP, verdict
    if "moved_up" in keys:
        return GO, verdict
    # no "leg_up" (2 points or more) and no "spread" above: within 1 point, reaching no farther
    if again.leg is None and again.reach is None:  # both skipped: nothing shows it settled
        return STOP, verdict
    return CAUTION, verdict


@dataclass(frozen=True)
class Result:
    direction: str  # flexion | extension | unclear
    reasons: tuple[str, ...]
    helped: tuple[Position, ...] = ()  # the positions that found the direction


def result(positions: Sequence[Position], w, names: dict[str, str]) -> Result:
    """What one trial found. `names` gives each exercise's name as a phrase ("knees to chest")."""
    helped = [p for p in positions if p.helped]
    directions = {p.direction for p in helped}
    why = [w.reasons["position"].format(exercise=names.get(p.exercise, p.exercise),
                                        change=change_word(p.verdict.change, w), reasons=reasons_text(p.verdict, w))
           + (" " + w.reasons[f"settled_{p.settled}"] if p.settled else "") for p in positions]
    if len(directions) == 1:
        return Result(directions.pop(), tuple(why), tuple(helped))
    if directions:
        return Result(UNCLEAR, (*why, w.reasons["both_helped"]))
    if any(p.stopped for p in positions):
        why.append(w.reasons["stop_direction"])
    return Result(UNCLEAR, (*why, w.reasons["none_clear"]))


@dataclass(frozen=True)
class Trial:
    """A recorded test, as the recommendation weighs it."""

    day: dt.date
    result: str  # flexion | extension | unclear
    better: frozenset[str] = frozenset()  # directions a position of it helped
    worse: frozenset[str] = frozenset()  # directions that made the pain worse and did not settle


@dataclass(frozen=True)
class Flare:
    """A time a direction made the pain worse: a test position that did not settle, or a session
    that ended worse or was stopped for symptoms."""

    day: dt.date
    direction: str
    what: str  # the position or routine, as a phrase ("lying on your stomach", "the extension routine")
    verdict: Verdict


@dataclass(frozen=True)
class Bar:
    direction: str
    flare: Flare | None  # None: barred by the newest test, whose own words say why

    def text(self, w) -> str:
        """'Avoid extension for now: on 28 November, with lying on your stomach, the pain spread
        farther down, from calf to foot.'"""
        direction = w.directions[self.direction]
        if self.flare is None:
            return w.reasons["avoid_latest"].format(direction=direction)
        f = self.flare
        return w.reasons["avoid"].format(direction=direction, date=day_words(f.day, w),
                                         why=explain(f.verdict, f.what, w))


@dataclass(frozen=True)
class Recommendation:
    direction: str  # flexion | extension | unclear
    agree: int  # trials that found this direction
    trials: int  # trials weighed
    reasons: tuple[str, ...]
    barred: tuple[Bar, ...] = field(default=())

    def summary(self, w) -> str:
        if not self.trials:
            return w.reasons["no_test"]
        if self.direction == UNCLEAR:
            return w.reasons["unclear"].format(reason=self.reasons[0])
        return w.reasons["summary"].format(direction=w.directions[self.direction], agree=self.agree,
                                           trials=self.trials, tests=_tests(self.trials, w))

    def bar(self, direction: str) -> Bar | None:
        return next((b for b in self.barred if b.direction == direction), None)


def _tests(n: int, w) -> str:
    return w.reasons["test" if n == 1 else "tests"]


def weight(day: dt.date, today: dt.date) -> float:
    return 0.5 ** (max(0, (today - day).days) / HALF_LIFE)


def barred(trials: Sequence[Trial], flares: Sequence[Flare], today: dt.date) -> tuple[Bar, ...]:
    """The directions not to follow, each with the newest reason (trials newest first)."""
    bars: list[Bar] = []
    for d in DIRECTIONS:
        recent = sorted((f for f in flares if f.direction == d and (today - f.day).days < BAR_DAYS),
                        key=lambda f: f.day, reverse=True)
        # a later test that found it better lifts a bar (a test the same day comes after its flare
        # only if it is newer, which the day alone cannot tell: the bar stays, the careful way)
        lifted = [f for f in recent if any(t.day > f.day and d in t.better for t in trials)]
        standing = [f for f in recent if f not in lifted]
        if standing:
            bars.append(Bar(d, standing[0]))
        elif trials and d in trials[0].worse:
            bars.append(Bar(d, None))
    return tuple(bars)


def recommend(trials: Sequence[Trial], flares: Sequence[Flare], today: dt.date, w) -> Recommendation:
    """Weigh every trial (newest first) and every flare: see the module's docstring."""
    trials = list(trials)
    bars = barred(trials, flares, today)
    if not trials:
        return Recommendation(UNCLEAR, 0, 0, (w.reasons["no_test_run"],), bars)
    counts = {d: sum(t.result == d for t in trials) for d in DIRECTIONS}
    score = {d: sum(weight(t.day, today) for t in trials if t.result == d) for d in DIRECTIONS}
    shut = {b.direction for b in bars}
    candidates = [d for d in DIRECTIONS if counts[d] and d not in shut]
    if not candidates:
        why = w.reasons["none_helped"] if not any(counts.values()) else w.reasons["made_worse"].format(
            directions=w.reasons["and"].join(w.directions[d] for d in sorted(shut)))
        return Recommendation(UNCLEAR, 0, len(trials), (w.reasons["repeat"].format(why=why),), bars)
    newest = next((t.result for t in trials if t.result in candidates), None)
    best = max(candidates, key=lambda d: (round(score[d], 9), d == newest))
    why = [w.reasons["found"].format(n=counts[best], total=len(trials), tests=_tests(len(trials), w),
                                     direction=w.directions[best])]
    other = EXTENSION if best == FLEXION else FLEXION
    if counts[other]:
        why.append(w.reasons["also_found"].format(n=counts[other], direction=w.directions[other]))
    return Recommendation(best, counts[best], len(trials), tuple(why), bars)


def day_words(day: dt.date, w, year: bool = False) -> str:
    """'28 November' (or '28 November 2026') in the catalog's words. A bar is at most 14 days
    old, so its day needs no year."""
    key = "date_year" if year else "date"
    return w.reasons[key].format(day=day.day, month=w.months[day.month - 1], year=day.year)

