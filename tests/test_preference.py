"""What one test found, and which direction to follow over the tests and sessions recorded:
bars, recency and their words (clinical notes, sections 2 and 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.clinical.preference import (
    CAUTION,
    EXTENSION,
    FLEXION,
    STOP,
    UNCLEAR,
    Bar,
    Flare,
    Position,
    Trial,
    barred,
    recommend,
    result,
    weight,
)
from coach.clinical.response import BETTER, MIXED, SAME, WORSE, Rating, Reason, Verdict, compare
from coach.core.words import catalog

EN, ES = catalog("en"), catalog("es")
NAMES = {"knees-to-chest": "knees to chest", "prone-lying": "lying on your stomach",
         "prone-on-elbows": "propped on your elbows"}
TODAY = dt.date(2026, 12, 1)
SPREAD = Verdict(WORSE, (Reason("spread", "calf", "foot"),))


def pos(exercise, direction, change, settled=None):
    return Position(exercise, direction, Verdict(change, (Reason("leg_steady", 5, 5),)), settled)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.mark.parametrize(
    "positions, direction",
    [
        ([pos("knees-to-chest", FLEXION, BETTER)], FLEXION),
        ([pos("knees-to-chest", FLEXION, SAME), pos("prone-lying", EXTENSION, BETTER)], EXTENSION),
        ([pos("knees-to-chest", FLEXION, WORSE, STOP), pos("prone-lying", EXTENSION, SAME),
          pos("prone-on-elbows", EXTENSION, BETTER)], EXTENSION),
        # all same: unclear
        ([pos("knees-to-chest", FLEXION, SAME), pos("prone-lying", EXTENSION, SAME),
          pos("prone-on-elbows", EXTENSION, SAME)], UNCLEAR),
        ([pos("knees-to-chest", FLEXION, WORSE, STOP), pos("prone-lying", EXTENSION, WORSE, STOP)], UNCLEAR),
        ([pos("knees-to-chest", FLEXION, BETTER), pos("prone-lying", EXTENSION, BETTER)], UNCLEAR),
        # mixed never helps a direction, settled or not
        ([pos("knees-to-chest", FLEXION, MIXED, CAUTION), pos("prone-lying", EXTENSION, SAME),
          pos("prone-on-elbows", EXTENSION, SAME)], UNCLEAR),
        ([], UNCLEAR),
    ],
)
def test_one_trial(positions, direction):
    found = result(positions, EN, NAMES)
    assert found.direction == direction
    if direction == UNCLEAR:
        assert "repeat the test on another day" in found.reasons[-1]
    else:
        assert [p.direction for p in found.helped] == [direction]


def test_a_settled_flare_is_a_caution_and_an_unsettled_one_a_stop():
    assert not pos("knees-to-chest", FLEXION, WORSE, CAUTION).stopped
    assert pos("knees-to-chest", FLEXION, WORSE, STOP).stopped
    assert pos("knees-to-chest", FLEXION, MIXED, STOP).stopped
    found = result([pos("knees-to-chest", FLEXION, WORSE, CAUTION), pos("prone-lying", EXTENSION, BETTER)],
                   EN, NAMES)
    assert found.reasons[0] == ("knees to chest: worse, leg pain changed by 0 points, from 5 to 5 "
                                "(it settled back during the rest: a caution, not a stop)")


def test_the_elbows_are_named_when_the_elbows_eased_it():
    verdict = compare(Rating(6, 3, "calf"), Rating(5, 3, "knee"))
    found = result([pos("knees-to-chest", FLEXION, SAME), pos("prone-lying", EXTENSION, SAME),
                    Position("prone-on-elbows", EXTENSION, verdict)], EN, NAMES)
    assert found.reasons[-1] == "propped on your elbows: better, the pain moved back up, from calf to knee"
    assert found.helped[0].exercise == "prone-on-elbows"


def trial(days, result, better=(), worse=()):
    return Trial(ago(days), result, frozenset(better or ([result] if result in (FLEXION, EXTENSION) else [])),
                 frozenset(worse))


@pytest.mark.parametrize(
    "trials, direction, agree",
    [
        ([], UNCLEAR, 0),
        ([trial(0, UNCLEAR)], UNCLEAR, 0),
        ([trial(0, FLEXION)], FLEXION, 1),
        # several trials weighed: the majority wins when they are of an age
        ([trial(0, EXTENSION), trial(1, FLEXION), trial(2, FLEXION)], FLEXION, 2),
        ([trial(0, UNCLEAR), trial(1, EXTENSION), trial(2, UNCLEAR)], EXTENSION, 1),
        # a tie goes to the newest trial
        ([trial(0, EXTENSION), trial(0, FLEXION)], EXTENSION, 1),
        ([trial(0, UNCLEAR), trial(1, FLEXION), trial(1, EXTENSION)], FLEXION, 1),
        # recency: one test today outweighs two from five weeks ago (1 > 2 x 0.18)
        ([trial(0, EXTENSION), trial(35, FLEXION), trial(36, FLEXION)], EXTENSION, 1),
        # ... but not two from a week ago (1 < 2 x 0.71)
        ([trial(0, EXTENSION), trial(7, FLEXION), trial(8, FLEXION)], FLEXION, 2),
        # a direction that made it worse in the newest trial is never recommended
        ([trial(0, UNCLEAR, worse=[FLEXION]), trial(1, FLEXION), trial(2, FLEXION)], UNCLEAR, 0),
        ([trial(0, EXTENSION, worse=[FLEXION]), trial(1, FLEXION), trial(2, FLEXION)], EXTENSION, 1),
        # an older worse, more than 14 days ago, with no flare since, does not bar
        ([trial(0, FLEXION), trial(20, UNCLEAR, worse=[FLEXION])], FLEXION, 1),
    ],
)
def test_several_trials(trials, direction, agree):
    rec = recommend(trials, [], TODAY, EN)
    assert (rec.direction, rec.agree, rec.trials) == (direction, agree, len(trials))
    if direction != UNCLEAR:
        s = "s" if len(trials) != 1 else ""
        assert rec.summary(EN) == f"{direction}: {agree} of {len(trials)} test{s} found it helped"


def test_a_worse_in_an_earlier_test_still_bars_after_a_later_unclear_one():
    """Issue 12: only the latest test used to bar a direction."""
    trials = [trial(0, UNCLEAR), trial(3, FLEXION, better=[FLEXION], worse=[EXTENSION]), trial(6, EXTENSION)]
    flares = [Flare(ago(3), EXTENSION, "lying on your stomach", SPREAD)]
    rec = recommend(trials, flares, TODAY, EN)
    assert rec.direction == FLEXION
    assert [b.direction for b in rec.barred] == [EXTENSION]
    assert rec.bar(EXTENSION).text(EN) == (
        "Avoid extension for now. On 28 November, lying on your stomach, the pain spread farther down, "
        "from calf to foot. A later test that finds extension better lifts this.")
    assert rec.bar(EXTENSION).text(ES) == (
        "Evita la extensión por ahora. El 28 de noviembre, lying on your stomach, el dolor bajó más por la pierna, "
        "de pantorrilla a pie. Una prueba posterior en la que la extensión mejore lo levanta.")


@pytest.mark.parametrize("flare_days, later, is_barred", [
    (0, None, True),  # today
    (13, None, True),  # the 14th day
    (14, None, False),  # past the 14 days
    (5, trial(2, EXTENSION), False),  # a later test found it better
    (5, trial(5, EXTENSION), True),  # the same day: which came first is not known, so it stays
    (5, trial(2, UNCLEAR, better=[FLEXION]), True),  # a later test that did not find it better
])
def test_what_bars_a_direction_and_what_lifts_it(flare_days, later, is_barred):
    flares = [Flare(ago(flare_days), EXTENSION, "during the extension routine", SPREAD)]
    trials = [later] if later else []
    bars = barred(trials, flares, TODAY)
    assert bool(bars) == is_barred
    rec = recommend([*trials, trial(20, EXTENSION)], flares, TODAY, EN)
    assert (rec.direction == EXTENSION) != is_barred


def test_a_barred_direction_is_never_recommended_even_with_more_tests():
    trials = [trial(0, FLEXION), trial(1, EXTENSION), trial(2, EXTENSION), trial(3, EXTENSION)]
    flares = [Flare(ago(1), EXTENSION, "during the extension routine", Verdict(WORSE, (Reason("stopped"),)))]
    rec = recommend(trials, flares, TODAY, EN)
    assert rec.direction == FLEXION
    assert rec.bar(EXTENSION).text(EN).startswith(
        "Avoid extension for now. On 30 November, during the extension routine, you said the pain was spreading")


def test_both_barred_is_unclear_with_the_reason():
    flares = [Flare(ago(1), d, "x", SPREAD) for d in (FLEXION, EXTENSION)]
    rec = recommend([trial(2, FLEXION), trial(3, EXTENSION)], flares, TODAY, EN)
    assert rec.direction == UNCLEAR
    assert rec.reasons[0] == "extension and flexion made the pain worse recently: repeat 'coach test' on another day"


def test_weights_halve_every_two_weeks():
    assert weight(TODAY, TODAY) == 1.0
    assert weight(ago(14), TODAY) == 0.5
    assert weight(ago(28), TODAY) == 0.25
    assert Bar(FLEXION, None).text(EN) == "Avoid flexion for now: your latest test found it made the pain worse."


@pytest.mark.parametrize("again, felt, expected", [
    # the pain reaches less far down than at the start, leg pain not up by 2: lasting centralization
    (Rating(7, 3, "thigh", False), "same", "go"),
    (Rating(5, 3, "knee", False), None, "go"),
    # ... but not with new numbness, nor when the person says it is worse
    (Rating(6, 3, "thigh", True), "same", "stop"),
    (Rating(6, 3, "thigh", False), "worse", "stop"),
    # leg pain up 2 with it: still up
    (Rating(8, 3, "thigh", False), "same", "stop"),
    # settled back: within 1 point, reaching no farther, not worse
    (Rating(7, 3, "calf", False), "same", "caution"),
    (Rating(4, 3, "calf", False), None, "caution"),
    # not settled: farther down, leg pain up 2, or still worse by the person's own word
    (Rating(6, 3, "foot", False), "same", "stop"),
    (Rating(8, 3, "calf", False), "same", "stop"),
    (Rating(6, 3, "calf", False), "worse", "stop"),
    # nothing answered after the rest: nothing shows it settled
    (Rating(None, None, None, None), None, "stop"),
])
def test_after_the_rest_go_caution_or_stop(again, felt, expected):
    from coach.clinical.preference import after_rest

    assert after_rest(Rating(6, 3, "calf"), again, felt)[0] == expected
