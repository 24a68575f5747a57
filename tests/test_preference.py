"""The directional-preference rule, as a table of cases (clinical notes, section 2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.preference import (
    BETTER, EXTENSION, FLEXION, REACH, SAME, UNCLEAR, WORSE, Position, Rating, Verdict, compare,
    recommend, result,
)


@pytest.mark.parametrize(
    "before, after, felt, change, reason",
    [
        # centralized but more back pain: better
        ((6, 3, "calf"), (6, 6, "thigh"), SAME, BETTER, "moved back up, from calf to thigh"),
        ((6, 3, "calf"), (7, 6, "buttock"), WORSE, BETTER, "more back pain while the leg pain retreats"),
        # peripheralized: worse, even when it hurts less
        ((6, 2, "thigh"), (3, 2, "knee"), BETTER, WORSE, "even though the leg pain is less intense"),
        ((2, 2, "none"), (2, 2, "low back"), SAME, WORSE, "spread farther down"),
        # same reach: the leg pain's number decides, by 2 points or more
        ((6, 2, "knee"), (4, 2, "knee"), SAME, BETTER, "leg pain went down 2 points"),
        ((6, 2, "knee"), (8, 2, "knee"), SAME, WORSE, "leg pain went up 2 points"),
        ((6, 2, "knee"), (5, 2, "knee"), BETTER, SAME, "you felt better, but not by a clear change"),
        ((6, 2, "knee"), (7, 2, "knee"), SAME, SAME, "changed by 1 point"),
        ((6, 2, "knee"), (6, 2, "knee"), SAME, SAME, "changed by 0 points"),
        # the person's own "worse" counts when the numbers barely move
        ((6, 2, "knee"), (6, 2, "knee"), WORSE, WORSE, "you said it felt worse"),
        # back pain alone never decides
        ((4, 1, "thigh"), (4, 8, "thigh"), SAME, SAME, "reaches the same place"),
    ],
)
def test_compare(before, after, felt, change, reason):
    verdict = compare(Rating(*before), Rating(*after), felt)
    assert verdict.change == change
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def pos(exercise, direction, change):
    return Position(exercise, direction, Verdict(change, ("because",)))


@pytest.mark.parametrize(
    "positions, direction",
    [
        ([pos("knees-to-chest", FLEXION, BETTER)], FLEXION),
        ([pos("knees-to-chest", FLEXION, SAME), pos("prone-lying", EXTENSION, BETTER)], EXTENSION),
        ([pos("knees-to-chest", FLEXION, WORSE), pos("prone-lying", EXTENSION, SAME),
          pos("prone-on-elbows", EXTENSION, BETTER)], EXTENSION),
        # all same: unclear
        ([pos("knees-to-chest", FLEXION, SAME), pos("prone-lying", EXTENSION, SAME),
          pos("prone-on-elbows", EXTENSION, SAME)], UNCLEAR),
        ([pos("knees-to-chest", FLEXION, WORSE), pos("prone-lying", EXTENSION, WORSE)], UNCLEAR),
        ([pos("knees-to-chest", FLEXION, BETTER), pos("prone-lying", EXTENSION, BETTER)], UNCLEAR),
        ([], UNCLEAR),
    ],
)
def test_one_trial(positions, direction):
    found = result(positions)
    assert found.direction == direction
    if direction == UNCLEAR:
        assert "repeat the test on another day" in found.reasons[-1]


none = frozenset()


@pytest.mark.parametrize(
    "trials, direction, agree",
    [
        ([], UNCLEAR, 0),
        ([(UNCLEAR, none)], UNCLEAR, 0),
        ([(FLEXION, none)], FLEXION, 1),
        # several trials weighed: the majority wins
        ([(EXTENSION, none), (FLEXION, none), (FLEXION, none)], FLEXION, 2),
        ([(UNCLEAR, none), (EXTENSION, none), (UNCLEAR, none)], EXTENSION, 1),
        # a tie goes to the newest trial
        ([(EXTENSION, none), (FLEXION, none)], EXTENSION, 1),
        ([(UNCLEAR, none), (FLEXION, none), (EXTENSION, none)], FLEXION, 1),
        # a direction that made it worse in the newest trial is never recommended
        ([(UNCLEAR, frozenset({FLEXION})), (FLEXION, none), (FLEXION, none)], UNCLEAR, 0),
        ([(EXTENSION, frozenset({FLEXION})), (FLEXION, none), (FLEXION, none)], EXTENSION, 1),
        # but an older worse does not bar a direction the newer trials found
        ([(FLEXION, none), (UNCLEAR, frozenset({FLEXION}))], FLEXION, 1),
    ],
)
def test_several_trials(trials, direction, agree):
    rec = recommend(trials)
    assert (rec.direction, rec.agree, rec.trials) == (direction, agree, len(trials))
    if direction != UNCLEAR:
        assert rec.summary() == f"{direction}: {agree} of {len(trials)} test{'s' if len(trials) != 1 else ''} found it helped"


ratings = st.builds(Rating, st.integers(0, 10), st.integers(0, 10), st.sampled_from(REACH))


@given(ratings, ratings, st.sampled_from([BETTER, SAME, WORSE, None]))
def test_where_it_reaches_counts_more_than_how_much(before, after, felt):
    verdict = compare(before, after, felt)
    down = REACH.index(after.reach) - REACH.index(before.reach)
    if down > 0:
        assert verdict.change == WORSE
    elif down < 0:
        assert verdict.change == BETTER
    assert verdict.reasons


def test_ratings_are_checked():
    with pytest.raises(ValueError):
        Rating(11, 0, "knee")
    with pytest.raises(ValueError):
        Rating(1, 0, "ankle")
