"""How the body responded: one rule that compares two ratings, used by the test, after a session
and by the history (clinical notes, sections 2 and 6). Pure: no clock, no engine, no storage.

The rule, in order of what counts most:
1. where the pain reaches: pain that retreats up the leg (centralizes) is a good sign even if the
   back hurts more; pain that spreads farther down (peripheralizes) is a bad one even if it is
   less intense;
2. then leg pain, by 2 points or more (0-10; Ostelo 2008: a change that matters);
3. then new numbness or tingling in the leg, which counts as worse (section 2).
A good sign beside a bad one is **mixed**, never "better" and never "eased": the pain reaching
less far while leg pain rose by 2 or more, or the reverse; or a good sign with new numbness.
The one exception: pain that spreads farther down *with* new numbness is worse whatever the
number does, because both are signs of the nerve, and a lower number does not outweigh them.
With nothing measured moving, the person's own "worse" is taken at its word.

Every verdict carries its reasons as data (`Reason`), and every word said or printed about it is
made from them (`explain`), so the words always name the change that was measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

REACH = ("none", "low back", "buttock", "thigh", "knee", "calf", "foot")
LEG_REACH = ("thigh", "knee", "calf", "foot")  # pain this far down is pain in the leg
MEANINGFUL = 2  # points of leg pain (0-10) that count as a real change
BETTER, SAME, WORSE, MIXED = "better", "same", "worse", "mixed"


@dataclass(frozen=True)
class Rating:
    leg: int | None  # 0-10; None when skipped
    back: int | None = None  # 0-10; None when not asked or skipped
    reach: str | None = None  # one of REACH; None when skipped
    numbness: bool | None = None  # new numbness or tingling in the leg; None when not asked

    def __post_init__(self) -> None:
        if self.reach is not None and self.reach not in REACH:
            raise ValueError(f"unknown reach {self.reach!r}")
        for value in (self.leg, self.back):
            if value is not None and not 0 <= value <= 10:
                raise ValueError(f"pain {value} is outside 0-10")

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> "Rating":
        """From the answers of `live.rate` (numbness recorded as "yes"/"no")."""
        numb = answers.get("numbness")
        return cls(answers.get("leg"), answers.get("back"), answers.get("reach"),
                   None if numb in (None, "") else numb == "yes")

    def contradiction(self) -> str | None:
        """Why these answers cannot both be true, or None: pain that reaches nowhere with leg
        pain, or pain down the leg with no leg pain. ('low back' and 'buttock' with some leg pain
        are left alone: people describe the edge of the buttock differently.)"""
        if self.leg is None or self.reach is None:
            return None
        if self.reach == "none" and self.leg > 0:
            return "none_with_pain"
        if self.reach in LEG_REACH and self.leg == 0:
            return "leg_without_pain"
        return None


@dataclass(frozen=True)
class Reason:
    """One measured change: `key` names it (a key of the catalog's [reasons]); before and after
    are what was measured (points of leg pain, or where the pain reached)."""

    key: str
    before: int | str | None = None
    after: int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "before": self.before, "after": self.after}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Reason":
        return cls(d["key"], d.get("before"), d.get("after"))


@dataclass(frozen=True)
class Verdict:
    change: str  # better | same | worse | mixed
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "reasons": [r.to_dict() for r in self.reasons]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Verdict":
        return cls(d["change"], tuple(Reason.from_dict(r) for r in d.get("reasons", ())))


def compare(before: Rating, after: Rating, felt: str | None = None) -> Verdict | None:
    """Better, same, worse or mixed, with the reasons; None when nothing can be compared (every
    answer skipped) and the person said nothing either."""
    good: list[Reason] = []
    bad: list[Reason] = []
    steady: list[Reason] = []
    if before.reach is not None and after.reach is not None:
        down = REACH.index(after.reach) - REACH.index(before.reach)
        if down > 0:
            bad.append(Reason("spread", before.reach, after.reach))
        elif down < 0:
            good.append(Reason("moved_up", before.reach, after.reach))
        else:
            steady.append(Reason("same_place", before.reach, after.reach))
    if before.leg is not None and after.leg is not None:
        leg = after.leg - before.leg
        if leg >= MEANINGFUL:
            bad.append(Reason("leg_up", before.leg, after.leg))
        elif leg <= -MEANINGFUL:
            good.append(Reason("leg_down", before.leg, after.leg))
        else:
            steady.append(Reason("leg_steady", before.leg, after.leg))
    if after.numbness:
        bad.append(Reason("numbness"))
    spread = any(r.key == "spread" for r in bad)

    order = {"spread": 0, "moved_up": 0, "leg_up": 1, "leg_down": 1, "numbness": 2}
    moved = tuple(sorted(good + bad, key=lambda r: order[r.key]))  # reach, then leg pain, then numbness
    if good and bad:
        if spread and any(r.key == "numbness" for r in bad):
            return Verdict(WORSE, moved)
        return Verdict(MIXED, moved)
    if bad:
        extra = [Reason("less_intense", before.leg, after.leg)] if spread and _fell(before, after) else []
        return Verdict(WORSE, (*moved, *extra))
    if good:
        extra = []
        if any(r.key == "moved_up" for r in good) and _rose(before.back, after.back):
            extra.append(Reason("more_back", before.back, after.back))
        return Verdict(BETTER, (*moved, *extra))
    if felt == WORSE:  # nothing measured moved, but the person says worse: take them at their word
        return Verdict(WORSE, (*steady, Reason("felt_worse")))
    if not steady and felt is None:
        return None
    return Verdict(SAME, (*steady, *([Reason("felt_better")] if felt == BETTER else [])))


def _fell(before: Rating, after: Rating) -> bool:
    return before.leg is not None and after.leg is not None and after.leg < before.leg


def _rose(before: int | None, after: int | None) -> bool:
    return before is not None and after is not None and after > before


def reason_text(reason: Reason, w) -> str:
    """One reason in the words of the catalog `w` (coach/words.py)."""
    template = w.reasons[reason.key]
    fields: dict[str, Any] = {"before": reason.before, "after": reason.after}
    if reason.key in ("spread", "moved_up", "same_place"):
        fields = {"before": reach_word(str(reason.before), w), "after": reach_word(str(reason.after), w)}
    elif isinstance(reason.before, int) and isinstance(reason.after, int):
        n = abs(reason.after - reason.before)
        fields["n"] = n
        fields["points"] = w.reasons["point" if n == 1 else "points"]
    return template.format(**fields)


def reasons_text(verdict: Verdict, w) -> str:
    """Every reason of a verdict, joined: "the pain moved back up, from calf to thigh; leg pain
    went up 6 points, from 3 to 9"."""
    return w.reasons["join"].join(reason_text(r, w) for r in verdict.reasons)


def explain(verdict: Verdict, what: str, w) -> str:
    """A sentence that names what was done and what changed: "With knees to chest, the pain
    moved back up, from calf to thigh." `what` is the position or routine, as a phrase."""
    return w.reasons[f"with_{verdict.change}"].format(what=what, reasons=reasons_text(verdict, w))


def sentence(verdict: Verdict, what: str, w) -> str:
    """`explain` on its own, as a sentence that starts with a capital."""
    said = explain(verdict, what, w)
    return said[:1].upper() + said[1:]


def reach_word(reach: str, w) -> str:
    return next((word for answer, word in w.answers["reach"].values() if answer == reach), reach)


def change_word(change: str, w) -> str:
    return w.reasons["changes"].get(change, change)
