"""`coach test`: the article's directional-preference test, guided hands-free.

Knees to chest first. If the leg pain eases, flexion may be the direction. If not, lying on the
stomach with a gentle arch; if that does not ease it either, propped on the elbows. After each
position the pain questions are asked again, with new numbness or tingling, and compared with the
baseline by the response rule (coach/response.py).

After a position that was worse or mixed, the person rests, lying comfortably, for a few minutes
(`settle`, 1-5, default 2: the traffic light's CAUTION is a flare that settles within about 5),
and is asked again before anything else is tried:
- the pain now reaches less far down than at the baseline, leg pain not up by 2, and the person
  does not say worse: GO, a lasting change, which counts for that direction as a better response
  does (clinical notes, section 7);
- settled back (leg pain within 1 point of the baseline, reaching no farther, and the person no
  longer says worse): a CAUTION, recorded as such; the next position starts from the settled
  rating, and the test goes on. "It has settled back" is said only then;
- anything still up: a STOP for that direction, said with what is still up, and recorded at once
  as a flare (so it bars the direction even if the test is then cut off); the other direction may
  still be tried, from the rating as it is now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from coach.clinical import evidence
from coach.clinical.preference import (
    CAUTION,
    EXTENSION,
    FLEXION,
    GO,
    STOP,
    UNCLEAR,
    Position,
    Recommendation,
    Result,
    after_rest,
    result,
)
from coach.clinical.response import MIXED, SAME, WORSE, Rating, Verdict, compare, reasons_text, sentence
from coach.core.errors import DoseError
from coach.core.exercise import catalog
from coach.core.script import test_position
from coach.live.conversation import recorded
from coach.live.guide import Guide
from coach.live.ratings import rate
from coach.live.settle import rest
from coach.storage.history import History

DEFAULT_HOLD = 30  # seconds; the article says 30-60
HOLD_RANGE = (30, 60)


@dataclass(frozen=True)
class Outcome:
    result: Result
    recommendation: Recommendation


def check_hold(hold: int) -> int:
    lo, hi = HOLD_RANGE
    if not lo <= hold <= hi:
        raise DoseError("hold", hold, "range", "", f"{lo}-{hi}")  # no exercise: the test's own range
    return hold


def run(guide: Guide, history: History, hold: int = DEFAULT_HOLD, settle: int = 2) -> Outcome:
    w = guide.words
    exercises = catalog(w)
    names = {eid: evidence.position_name(eid, w) for eid in exercises}
    tid = history.start_trial()
    with recorded(history, "trials", tid) as record:
        record.at("baseline")
        guide.say(*w.test_intro)
        answers = rate(guide, history, "baseline", back=True, trial_id=tid)
        baseline = Rating.of(answers)
        positions: list[Position] = []
        flares: list[dict] = []

        def test(exercise_id: str, direction: str, move: str | None = None) -> Position:
            nonlocal baseline
            record.at(exercise_id)
            if move:
                guide.say(move)
            script = test_position(exercises[exercise_id], hold, w, guide.clips.length, guide.sample_rate)
            guide.play(script, every=guide.mirrored(script, {e.id: e.name for e in exercises.values()}, "coach · test"))
            guide.say(w.test_again)
            after = rate(guide, history, "after", back=True, numbness=True, compared=True, save=False)
            verdict = compare(baseline, Rating.of(after), after["compared"]) or Verdict(SAME, ())
            history.add_rating("after", **after, exercise=exercise_id, trial_id=tid, verdict=verdict.change,
                               reasons=json.dumps(verdict.to_dict()))
            guide.say(sentence(verdict, names[exercise_id], w))
            settled = None
            if verdict.change in (WORSE, MIXED):
                settled, rested, now = _settle(guide, history, record, tid, exercise_id, baseline, settle)
                if settled == STOP:
                    flares.append({"direction": direction, "exercise": exercise_id, "verdict": verdict.to_dict()})
                    history.update("trials", tid, flares=json.dumps(flares),
                                   worse=json.dumps(sorted({f["direction"] for f in flares})))
                    still = reasons_text(rested, w)
                    guide.say(w.test_still.format(reasons=still) if still else w.test_still_unknown)
                elif settled == GO:
                    guide.say(w.test_lasting.format(reasons=reasons_text(rested, w)))
                else:
                    guide.say(w.test_settled)
                baseline = now  # the next position starts from the pain as it is now
            position = Position(exercise_id, direction, verdict, settled)
            positions.append(position)
            return position

        first = test("knees-to-chest", FLEXION)
        if not first.helped:
            lying = test("prone-lying", EXTENSION, move=f"{w.test_to_extension} {w.to_stomach}")
            if not lying.helped and not lying.stopped:
                test("prone-on-elbows", EXTENSION, move=w.test_to_elbows)

        found = result(positions, w, names)
        record.at("result")
        record.done(step="result", result=found.direction,
                    worse=json.dumps(sorted({p.direction for p in positions if p.stopped})),
                    better=json.dumps(sorted({p.direction for p in positions if p.helped})),
                    caution=json.dumps(sorted({p.direction for p in positions if p.settled == CAUTION})),
                    reasons=json.dumps(list(found.reasons)))
    rec = evidence.recommendation(history.record(), w)
    if found.direction in (FLEXION, EXTENSION):
        # each position's change was said as it was measured; the result names the one that helped
        what = w.reasons["and"].join(names[p.exercise] for p in found.helped)
        guide.say(w.test_result.format(direction=w.directions[found.direction], what=what))
    else:
        guide.say(w.test_result_unclear)
    for reason in found.reasons:
        guide.echo(f"  - {reason}")
    for bar in rec.barred:
        guide.say(bar.text(w))
    if rec.trials > 1 and rec.direction != UNCLEAR:
        guide.say(w.test_trials.format(agree=rec.agree, total=rec.trials, direction=w.directions[rec.direction]))
    else:
        guide.echo(w.reasons["over_all"].format(summary=rec.summary(w)))
    guide.say(w.test_end)
    return Outcome(found, rec)


def _settle(guide: Guide, history: History, record, tid: int, exercise_id: str, baseline: Rating,
            minutes: int) -> tuple[str, Verdict, Rating]:
    """Rest, ask again (with how it feels now), and compare with the baseline before the
    position: GO, CAUTION or STOP (`after_rest`), the verdict against the baseline, and the
    rating as it is now."""
    record.at(f"rest after {exercise_id}")
    rest(guide, minutes)
    again = rate(guide, history, "settled", back=True, numbness=True, compared=True, save=False)
    settled, verdict = after_rest(baseline, Rating.of(again), again["compared"])
    history.add_rating("settled", **again, exercise=exercise_id, trial_id=tid, verdict=settled,
                       reasons=json.dumps(verdict.to_dict()))
    return settled, verdict, Rating.of(again)
