"""The directional-preference rule (clinical notes, section 2): pure, so every case is tested.

Where the pain reaches counts more than how much it hurts: pain that retreats up the leg
(centralizes) is better even if the back hurts more; pain that spreads down (peripheralizes) is
worse even if it is less intense. Only when the reach is unchanged does the leg pain's number
decide, and only by 2 points or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

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


def compare(before: Rating, after: Rating, felt: str | None = None) -> Verdict:
    """Better, same or worse, with the reasons, from two ratings and what the person felt."""
    down = REACH.index(after.reach) - REACH.index(before.reach)
    leg = after.leg - before.leg
    if down > 0:
        why = [f"the pain spread farther down, from {before.reach} to {after.reach}"]
        if leg < 0:
            why.append("even though the leg pain is less intense, where it reaches counts more")
        return Verdict(WORSE, tuple(why))
    if down < 0:
        why = [f"the pain moved back up, from {before.reach} to {after.reach}"]
        if after.back > before.back:
            why.append("more back pain while the leg pain retreats is a good sign")
        return Verdict(BETTER, tuple(why))
    if leg >= MEANINGFUL:
        return Verdict(WORSE, (f"leg pain went up {leg} points, from {before.leg} to {after.leg}",))
    if leg <= -MEANINGFUL:
        return Verdict(BETTER, (f"leg pain went down {-leg} points, from {before.leg} to {after.leg}",))
    if felt == WORSE:  # the numbers barely moved, but the person says worse: take them at their word
        return Verdict(WORSE, ("you said it felt worse",))
    why = f"the pain reaches the same place and leg pain changed by {abs(leg)} point{'s' if abs(leg) != 1 else ''}"
    if felt == BETTER:
        why += ": you felt better, but not by a clear change"
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
    why = [f"{p.exercise.replace('-', ' ')}: {p.verdict.change}, {'; '.join(p.verdict.reasons)}" for p in positions]
    if len(helped) == 1:
        return Result(helped.pop(), tuple(why))
    if helped:
        return Result(UNCLEAR, (*why, "both directions helped: repeat the test on another day"))
    if worse:
        why.append("no position helped, and pain that spreads down the leg means stop that direction")
    return Result(UNCLEAR, (*why, "no direction helped clearly: repeat the test on another day"))


@dataclass(frozen=True)
class Recommendation:
    direction: str  # flexion | extension | unclear
    agree: int  # trials that found this direction
    trials: int  # trials weighed
    reasons: tuple[str, ...]

    def summary(self) -> str:
        if not self.trials:
            return "no test recorded yet"
        if self.direction == UNCLEAR:
            return f"unclear: {self.reasons[0]}"
        return f"{self.direction}: {self.agree} of {self.trials} test{'s' if self.trials != 1 else ''} found it helped"


def recommend(trials: Iterable[tuple[str, frozenset[str]]]) -> Recommendation:
    """Weigh every trial, newest first: each is (result, directions that made the pain worse).

    The direction found by the most trials wins, a tie going to the newest; a direction that made
    the pain worse in the newest trial is never recommended, whatever older trials found."""
    trials = list(trials)
    if not trials:
        return Recommendation(UNCLEAR, 0, 0, ("no test recorded yet: run 'coach test'",))
    barred = trials[0][1]
    counts = {d: sum(r == d for r, _ in trials) for d in (FLEXION, EXTENSION)}
    candidates = [d for d in (FLEXION, EXTENSION) if counts[d] and d not in barred]
    if not candidates:
        why = "no test found a direction that helped" if not any(counts.values()) else (
            f"the latest test made {' and '.join(sorted(barred))} worse")
        return Recommendation(UNCLEAR, 0, len(trials), (f"{why}: repeat 'coach test' on another day",))
    newest = next((r for r, _ in trials if r in candidates), None)
    best = max(candidates, key=lambda d: (counts[d], d == newest))
    why = [f"{counts[best]} of {len(trials)} test{'s' if len(trials) != 1 else ''} found {best} helped"]
    other = EXTENSION if best == FLEXION else FLEXION
    if counts[other]:
        why.append(f"{counts[other]} found {other} helped")
    return Recommendation(best, counts[best], len(trials), tuple(why))
