"""A session rated worse or mixed after it gets the test's rest before it is judged (issue 27,
item 4; clinical notes, section 7): still up → ended worse (exit 4, the direction barred);
settled back → recorded as a caution; reaching less far down than before → better. Driven by
piped answers with a silent player; the same with the real engine and audio server in
tests/test_body.py."""

from __future__ import annotations

import io
import json

import pytest

from coach.app.session import Request, compose
from coach.clinical import evidence
from coach.core.errors import EndedWorse
from coach.core.words import catalog as words
from coach.live import conversation as live
from coach.live.answers import LineAnswers
from coach.storage.history import History
from tests.test_answers import guide_with

SESSION = compose(Request("flexion", only=("knees-to-chest",), reps=2, hold=30))


def run_session(tmp_path, answers, settle=2):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("".join(f"{a}\n" for a in answers))))
    played = []
    g.play = lambda script, *a, **k: played.append(script) or True  # type: ignore[method-assign]
    h = History.open(tmp_path / "h.sqlite3")
    try:
        live.run(g, h, "flexion", lambda: SESSION, {}, check_in=False, ratings=True, direction="flexion",
                 settle=settle)
    finally:
        rests = [s for s in played if getattr(s, "routine", None) == "rest"]
    return h, spoken, rests


def session_row(h):
    [s] = h.table("sessions")
    return s["outcome"], s["response"]


def test_still_worse_after_the_rest_ends_it_worse_and_bars_the_direction(tmp_path):
    with pytest.raises(EndedWorse) as ended:
        h, spoken, rests = run_session(tmp_path, ["3", "thigh", "6", "foot", "n", "6", "foot", "n", "s"])
    h = History.open(tmp_path / "h.sqlite3")
    assert session_row(h) == ("worse", "worse")
    assert str(ended.value).startswith("The pain was worse after this session, and still after a rest: the pain spread "
                                       "farther down, from thigh to foot; leg pain went up 3 points, from 3 to 6.")
    assert [b.direction for b in evidence.recommendation(h.record(), words()).barred] == ["flexion"]
    assert [r["moment"] for r in h.table("ratings")] == ["before", "after", "settled"]


def test_settled_back_after_the_rest_is_a_caution_not_a_stop(tmp_path):
    h, spoken, rests = run_session(tmp_path, ["3", "thigh", "6", "foot", "n", "4", "thigh", "n", "s"], settle=1)
    assert session_row(h) == ("completed", "caution")
    assert "During this session, the pain spread farther down, from thigh to foot; leg pain went up 3 points, from 3 to 6." \
        in spoken
    assert "It has settled back: a brief flare, a caution, not a stop. Go gently with this routine next time." in spoken
    assert [round(r.seconds - r.seconds % 60) for r in rests] == [60]  # one rest of a minute (--settle 1)
    assert evidence.recommendation(h.record(), words()).barred == ()  # a caution bars nothing
    reasons = json.loads(h.table("sessions")[0]["response_reasons"])
    assert reasons["change"] == "worse"  # what it was before the rest, kept with the caution


def test_a_person_who_still_says_worse_has_not_settled(tmp_path):
    with pytest.raises(EndedWorse):
        run_session(tmp_path, ["3", "thigh", "6", "foot", "n", "3", "thigh", "n", "w"])
    assert session_row(History.open(tmp_path / "h.sqlite3")) == ("worse", "worse")


def test_pain_reaching_less_far_after_the_rest_is_recorded_better(tmp_path):
    # mixed: up to the buttock from the thigh, but leg pain up 3; after the rest, leg pain as before
    h, spoken, rests = run_session(tmp_path, ["3", "thigh", "6", "buttock", "n", "3", "buttock", "n", "s"])
    assert session_row(h) == ("completed", "better")
    assert "After the rest, the pain moved back up, from thigh to buttock. A change that lasts is a good sign." in spoken
    assert not any("settled back" in line for line in spoken)


def test_better_or_the_same_gets_no_rest(tmp_path):
    h, spoken, rests = run_session(tmp_path, ["5", "calf", "3", "thigh", "n"])
    assert session_row(h) == ("completed", "better") and rests == []
