"""The response rule, as a table of cases with the exact words each produces, in English and
Spanish (clinical notes, sections 2 and 6; issue 12's cases among them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.clinical.response import (
    BETTER,
    MIXED,
    REACH,
    SAME,
    WORSE,
    Rating,
    Reason,
    Verdict,
    compare,
    explain,
    reasons_text,
)
from coach.core.words import catalog

EN, ES = catalog("en"), catalog("es")

CASES = [
    # (before, after, felt) → change, English reasons, Spanish reasons
    # a session whose pain went from 3 (thigh) to 7 (foot): worse, both changes named
    ((3, None, "thigh"), (7, None, "foot", False), None, WORSE,
     "the pain spread farther down, from thigh to foot; leg pain went up 4 points, from 3 to 7",
     "el dolor bajó más por la pierna, de muslo a pie; el dolor de la pierna subió 4 puntos, de 3 a 7"),
    # leg pain 3 → 9 while the pain reaches less far down: mixed, never "eased"
    ((3, 2, "calf"), (9, 2, "thigh", False), BETTER, MIXED,
     "the pain moved back up, from calf to thigh; leg pain went up 6 points, from 3 to 9",
     "el dolor subió, de pantorrilla a muslo; el dolor de la pierna subió 6 puntos, de 3 a 9"),
    # the reverse: it spreads farther while leg pain falls by 2 or more: mixed
    ((6, 2, "thigh"), (3, 2, "knee", False), BETTER, MIXED,
     "the pain spread farther down, from thigh to knee; leg pain went down 3 points, from 6 to 3",
     "el dolor bajó más por la pierna, de muslo a rodilla; el dolor de la pierna bajó 3 puntos, de 6 a 3"),
    # spreading with a small fall in leg pain: still worse, where it reaches counts more
    ((6, 2, "thigh"), (5, 2, "knee", False), BETTER, WORSE,
     "the pain spread farther down, from thigh to knee; even though the leg pain is less intense, where it reaches counts more",
     "el dolor bajó más por la pierna, de muslo a rodilla; aunque el dolor de la pierna es menos intenso, cuenta más hasta dónde llega"),
    # centralized with more back pain: better
    ((6, 3, "calf"), (6, 6, "thigh", False), SAME, BETTER,
     "the pain moved back up, from calf to thigh; more back pain while the leg pain retreats is a good sign",
     "el dolor subió, de pantorrilla a muslo; más dolor de espalda mientras el de la pierna se retira es buena señal"),
    # same reach: leg pain decides by 2 points
    ((6, 2, "knee"), (4, 2, "knee", False), SAME, BETTER,
     "leg pain went down 2 points, from 6 to 4",
     "el dolor de la pierna bajó 2 puntos, de 6 a 4"),
    ((6, 2, "knee"), (8, 2, "knee", False), SAME, WORSE,
     "leg pain went up 2 points, from 6 to 8",
     "el dolor de la pierna subió 2 puntos, de 6 a 8"),
    ((6, 2, "knee"), (7, 2, "knee", False), SAME, SAME,
     "the pain reaches the same place (knee); leg pain changed by 1 point, from 6 to 7",
     "el dolor llega al mismo sitio (rodilla); el dolor de la pierna cambió 1 punto, de 6 a 7"),
    ((6, 2, "knee"), (5, 2, "knee", False), BETTER, SAME,
     "the pain reaches the same place (knee); leg pain changed by 1 point, from 6 to 5; you felt better, but not by a clear change",
     "el dolor llega al mismo sitio (rodilla); el dolor de la pierna cambió 1 punto, de 6 a 5; lo notaste mejor, pero sin un cambio claro"),
    # new numbness or tingling with nothing else moving: worse
    ((6, 2, "knee"), (6, 2, "knee", True), SAME, WORSE,
     "there is new numbness or tingling in the leg",
     "hay entumecimiento u hormigueo nuevo en la pierna"),
    # new numbness beside a good sign: mixed
    ((6, 2, "calf"), (6, 2, "knee", True), BETTER, MIXED,
     "the pain moved back up, from calf to knee; there is new numbness or tingling in the leg",
     "el dolor subió, de pantorrilla a rodilla; hay entumecimiento u hormigueo nuevo en la pierna"),
    # spreading and new numbness: worse, whatever the number does
    ((6, 2, "knee"), (3, 2, "foot", True), None, WORSE,
     "the pain spread farther down, from knee to foot; leg pain went down 3 points, from 6 to 3; "
     "there is new numbness or tingling in the leg",
     "el dolor bajó más por la pierna, de rodilla a pie; el dolor de la pierna bajó 3 puntos, de 6 a 3; "
     "hay entumecimiento u hormigueo nuevo en la pierna"),
    # the person's own "worse" counts when nothing measured moved
    ((6, 2, "knee"), (6, 2, "knee", False), WORSE, WORSE,
     "the pain reaches the same place (knee); leg pain changed by 0 points, from 6 to 6; you said it felt worse",
     "el dolor llega al mismo sitio (rodilla); el dolor de la pierna cambió 0 puntos, de 6 a 6; dijiste que lo notabas peor"),
    # back pain alone never decides
    ((4, 1, "thigh"), (4, 8, "thigh", False), SAME, SAME,
     "the pain reaches the same place (thigh); leg pain changed by 0 points, from 4 to 4",
     "el dolor llega al mismo sitio (muslo); el dolor de la pierna cambió 0 puntos, de 4 a 4"),
]


def rating(values) -> Rating:
    leg, back, reach, *numb = values
    return Rating(leg, back, reach, numb[0] if numb else None)


@pytest.mark.parametrize("before, after, felt, change, english, spanish", CASES)
def test_the_rule_and_its_words(before, after, felt, change, english, spanish):
    verdict = compare(rating(before), rating(after), felt)
    assert verdict is not None and verdict.change == change
    assert reasons_text(verdict, EN) == english
    assert reasons_text(verdict, ES) == spanish


def test_mixed_is_never_called_eased_or_better():
    verdict = compare(Rating(3, None, "calf"), Rating(9, None, "thigh"))
    for w in (EN, ES):
        said = explain(verdict, "knees to chest", w)
        assert "eased" not in said and "better" not in said and "alivi" not in said and "mejor" not in said
    assert explain(verdict, "knees to chest", EN) == (
        "knees to chest, a mixed response: the pain moved back up, from calf to thigh; "
        "leg pain went up 6 points, from 3 to 9.")


def test_the_sentence_names_the_position_that_was_measured():
    verdict = compare(Rating(6, 3, "calf"), Rating(5, 3, "knee"))
    assert explain(verdict, "propped on your elbows", EN) == (
        "propped on your elbows, the pain moved back up, from calf to knee.")
    assert explain(verdict, "apoyado sobre los codos", ES) == (
        "apoyado sobre los codos, el dolor subió, de pantorrilla a rodilla.")


def test_skipped_answers_compare_what_is_there():
    assert compare(Rating(None, None, None), Rating(None, None, None)) is None
    only_reach = compare(Rating(None, None, "calf"), Rating(4, None, "foot"))
    assert only_reach.change == WORSE and only_reach.reasons == (Reason("spread", "calf", "foot"),)


def test_verdicts_keep_their_reasons_as_data():
    verdict = compare(Rating(3, None, "calf"), Rating(9, None, "thigh"))
    assert Verdict.from_dict(verdict.to_dict()) == verdict


@pytest.mark.parametrize("values, why", [
    ((6, None, "none"), "none_with_pain"),
    ((0, None, "calf"), "leg_without_pain"),
    ((0, None, "none"), None), ((4, None, "calf"), None), ((0, None, "low back"), None),
    ((3, None, "buttock"), None), ((None, None, "none"), None),
])
def test_answers_that_contradict_themselves(values, why):
    assert rating(values).contradiction() == why


ratings = st.builds(Rating, st.integers(0, 10), st.integers(0, 10), st.sampled_from(REACH), st.booleans())


@given(ratings, ratings, st.sampled_from([BETTER, SAME, WORSE, None]))
def test_where_it_reaches_counts_more_than_how_much(before, after, felt):
    verdict = compare(before, after, felt)
    assert verdict is not None and verdict.reasons
    down = REACH.index(after.reach) - REACH.index(before.reach)
    leg = after.leg - before.leg
    if down > 0:  # spreading is never better, and only mixed when leg pain fell clearly
        assert verdict.change == (MIXED if leg <= -2 and not after.numbness else WORSE)
    elif down < 0:
        assert verdict.change == (MIXED if leg >= 2 or after.numbness else BETTER)
    elif after.numbness:
        assert verdict.change in (WORSE, MIXED)
    for w in (EN, ES):
        reasons_text(verdict, w)  # every verdict can be said in every language


def test_ratings_are_checked():
    with pytest.raises(ValueError):
        Rating(11, 0, "knee")
    with pytest.raises(ValueError):
        Rating(1, 0, "ankle")
