"""`coach test`: the article's directional-preference test, guided hands-free.

Knees to chest first. If the leg pain eases, flexion may be the direction. If not, lying on the
stomach with a gentle arch; if that does not ease it either, propped on the elbows. A position
that makes the pain spread down the leg, or 2 points worse, ends that direction at once. Every
position is compared with the baseline before the test, by the rule in coach/preference.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from coach.exercise import catalog
from coach.errors import InputError
from coach.guide import Guide
from coach.history import History
from coach.live import rate, recorded
from coach.preference import (
    BETTER, EXTENSION, FLEXION, UNCLEAR, WORSE, Position, Rating, Recommendation, Result, compare,
    recommend, result,
)
from coach.script import test_position
from coach.words import words

DEFAULT_HOLD = 30  # seconds; the article says 30-60
HOLD_RANGE = (30, 60)


@dataclass(frozen=True)
class Outcome:
    result: Result
    recommendation: Recommendation


def check_hold(hold: int) -> int:
    lo, hi = HOLD_RANGE
    if not lo <= hold <= hi:
        raise InputError(f"--hold {hold} is outside the test's range of {lo}-{hi} seconds (the article's).")
    return hold


def run(guide: Guide, history: History, hold: int = DEFAULT_HOLD) -> Outcome:
    w = words()
    exercises = catalog()
    tid = history.start_trial()
    with recorded(history, "trials", tid) as record:
        record.at("baseline")
        guide.say(*w.test_intro)
        answers = rate(guide, history, "baseline", back=True, trial_id=tid)
        baseline = Rating(answers["leg"], answers["back"], answers["reach"])
        positions: list[Position] = []

        def test(exercise_id: str, direction: str, move: str | None = None) -> str:
            record.at(exercise_id)
            if move:
                guide.say(move)
            guide.play(test_position(exercises[exercise_id], hold, w, guide.clips.length, guide.sample_rate))
            guide.say(w.test_again)
            after = rate(guide, history, "after", back=True, compared=True, save=False)
            verdict = compare(baseline, Rating(after["leg"], after["back"], after["reach"]), after["compared"])
            history.add_rating("after", **after, exercise=exercise_id, trial_id=tid, verdict=verdict.change)
            positions.append(Position(exercise_id, direction, verdict))
            if verdict.change == WORSE:
                guide.say(w.test_stop_direction)
            return verdict.change

        if test("knees-to-chest", FLEXION) != BETTER:
            lying = test("prone-lying", EXTENSION, move=f"{w.test_to_extension} {w.to_stomach}")
            if lying == "same":
                test("prone-on-elbows", EXTENSION, move=w.test_to_elbows)

        found = result(positions)
        worse = sorted({p.direction for p in positions if p.verdict.change == WORSE})
        record.at("result")
        record.done(step="result", result=found.direction, worse=json.dumps(worse),
                    reasons=json.dumps(list(found.reasons)))
    rec = recommend(history.trials())
    spoken = {FLEXION: w.test_result_flexion, EXTENSION: w.test_result_extension}.get(
        found.direction, w.test_result_unclear)
    guide.say(spoken)
    for reason in found.reasons:
        guide.echo(f"  - {reason}")
    if rec.trials > 1 and rec.direction != UNCLEAR:
        guide.say(w.test_trials.format(agree=rec.agree, total=rec.trials, direction=w.directions[rec.direction]))
    else:
        guide.echo(w.reasons["over_all"].format(summary=rec.summary()))
    guide.say(w.test_end)
    return Outcome(found, rec)
