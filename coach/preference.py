"""The directional-preference rule (clinical notes, section 2): pure, so every case is tested.

Where the pain reaches counts more than how much it hurts: pain that retreats up the leg
(centralizes) is better even if the back hurts more; pain that spreads down (peripheralizes) is
worse even if it is less intense. Only when the reach is unchanged does the leg pain's number
decide, and only by 2 points or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from coach.exercise import catalog
from coach.words import words

REACH = ("none", "low back", "buttock", "thigh", "knee", "calf", "foot")
MEANINGFUL = 2  # points of leg pain (0-10) that count as a real change
BETTER, SAME, WORSE = "better", "same", "worse"
FLEXION, EXTENSION, UNCLEAR = "flexion", "extension", "unclear"


@dataclass(frozen=True)
class Rating:
    leg: int  # 0-10
    back: int  # 0-10
    reach: str  # one of REACH

    def __post_init__(self) -> None:
        if self.reach not in REACH:
            raise ValueError(f"unknown reach {self.reach!r}")
        for value in (self.leg, self.back):
            if not 0 <= value <= 10:
                raise ValueError(f"pain {value} is outside 0-10")


@dataclass(frozen=True)
class Verdict:
    change: str  # better | same | worse
    reasons: tuple[str, ...]


def _(key: str, **fields) -> str:
    """A reason in the session's language (coach/data/lang, [reasons])."""
    return words().reasons[key].format(**fields)


def _reach(reach: str) -> str:
    return next((word for answer, word in words().answers["reach"].values() if answer == reach), reach)


def _change(change: str) -> str:
    return next((word for answer, word in words().answers["compared"].values() if answer == change), change)


def _direction(direction: str) -> str:
    return words().directions.get(direction, direction)


def _exercise(exercise: str) -> str:
    ex = catalog().get(exercise)
    return ex.name.lower() if ex else exercise.replace("-", " ")


def compare(before: Rating, after: Rating, felt: str | None = None) -> Verdict:
    """Better, same or worse, with the reasons, from two ratings and what the person felt."""
    down = REACH.index(after.reach) - REACH.index(before.reach)
    leg = after.leg - before.leg
    if down > 0:
        why = [_("spread", before=_reach(before.reach), after=_reach(after.reach))]
        if leg < 0:
            why.append(_("less_intense"))
        return Verdict(WORSE, tuple(why))
    if down < 0:
        why = [_("moved_up", before=_reach(before.reach), after=_reach(after.reach))]
        if after.back > before.back:
            why.append(_("more_back"))
        return Verdict(BETTER, tuple(why))
    if leg >= MEANINGFUL:
        return Verdict(WORSE, (_("leg_up", n=leg, before=before.leg, after=after.leg),))
    if leg <= -MEANINGFUL:
        return Verdict(BETTER, (_("leg_down", n=-leg, before=before.leg, after=after.leg),))
    if felt == WORSE:  # the numbers barely moved, but the person says worse: take them at their word
        return Verdict(WORSE, (_("felt_worse"),))
    why = _("same_place", n=abs(leg), points=_("point" if abs(leg) == 1 else "points"))
    if felt == BETTER:
        why += _("felt_better")
    return Verdict(SAME, (why,))


@dataclass(frozen=True)
class Position:
    """One test position of a trial and how it went."""

    exercise: str  # knees-to-chest | prone-lying | prone-on-elbows
    direction: str  # flexion | extension
    verdict: Verdict


@dataclass(frozen=True)
class Result:
    direction: str  # flexion | extension | unclear
    reasons: tuple[str, ...]


def result(positions: Sequence[Position]) -> Result:
    """What one trial found."""
    helped = {p.direction for p in positions if p.verdict.change == BETTER}
    worse = [p for p in positions if p.verdict.change == WORSE]
    why = [_("position", exercise=_exercise(p.exercise), change=_change(p.verdict.change),
             reasons="; ".join(p.verdict.reasons)) for p in positions]
    if len(helped) == 1:
        return Result(helped.pop(), tuple(why))
    if helped:
        return Result(UNCLEAR, (*why, _("both_helped")))
    if worse:
        why.append(_("stop_direction"))
    return Result(UNCLEAR, (*why, _("none_clear")))


@dataclass(frozen=True)
class Recommendation:
    direction: str  # flexion | extension | unclear
    agree: int  # trials that found this direction
    trials: int  # trials weighed
    reasons: tuple[str, ...]

    def summary(self) -> str:
        if not self.trials:
            return _("no_test")
        if self.direction == UNCLEAR:
            return _("unclear", reason=self.reasons[0])
        return _("summary", direction=_direction(self.direction), agree=self.agree, trials=self.trials,
                 tests=_("test" if self.trials == 1 else "tests"))


def recommend(trials: Iterable[tuple[str, frozenset[str]]]) -> Recommendation:
    """Weigh every trial, newest first: each is (result, directions that made the pain worse).

    The direction found by the most trials wins, a tie going to the newest; a direction that made
    the pain worse in the newest trial is never recommended, whatever older trials found."""
    trials = list(trials)
    if not trials:
        return Recommendation(UNCLEAR, 0, 0, (_("no_test_run"),))
    barred = trials[0][1]
    counts = {d: sum(r == d for r, _ in trials) for d in (FLEXION, EXTENSION)}
    candidates = [d for d in (FLEXION, EXTENSION) if counts[d] and d not in barred]
    if not candidates:
        why = _("none_helped") if not any(counts.values()) else _(
            "made_worse", directions=_("and").join(_direction(d) for d in sorted(barred)))
        return Recommendation(UNCLEAR, 0, len(trials), (_("repeat", why=why),))
    newest = next((r for r, _ in trials if r in candidates), None)
    best = max(candidates, key=lambda d: (counts[d], d == newest))
    why = [_("found", n=counts[best], total=len(trials), tests=_("test" if len(trials) == 1 else "tests"),
             direction=_direction(best))]
    other = EXTENSION if best == FLEXION else FLEXION
    if counts[other]:
        why.append(_("also_found", n=counts[other], direction=_direction(other)))
    return Recommendation(best, counts[best], len(trials), tuple(why))
