"""The test's flow, screening and a session's check-ins, driven by piped answers with a silent player
(the same flows run with the real engine and audio server in test_conversation.py)."""

from __future__ import annotations

import io

import pytest

from coach import live, screening, trial
from coach.answers import LineAnswers, NoMoreAnswers
from coach.errors import ScreeningStop
from coach.history import History
from tests.conftest import NO
from tests.test_answers import guide_with

BASE = ["6", "3", "calf"]


def run_trial(tmp_path, answers):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("".join(f"{a}\n" for a in answers))))
    h = History.open(tmp_path / "h.sqlite3")
    return trial.run(g, h, 30), h, printed, spoken


def afters(h):
    return [(r["exercise"], r["verdict"]) for r in h.table("ratings") if r["moment"] == "after"]


@pytest.mark.parametrize(
    "answers, direction, positions",
    [
        # knees to chest eases it: flexion, and the extension positions are not needed
        (BASE + ["4", "4", "thigh", "b"], "flexion", [("knees-to-chest", "better")]),
        # not eased: lying on the stomach; no relief: propped on the elbows, which eases it
        (BASE + ["6", "3", "calf", "s"] + ["6", "3", "calf", "s"] + ["5", "3", "knee", "b"], "extension",
         [("knees-to-chest", "same"), ("prone-lying", "same"), ("prone-on-elbows", "better")]),
        # lying on the stomach makes it spread: that direction stops at once, no elbows
        (BASE + ["6", "3", "calf", "s"] + ["5", "3", "foot", "w"], "unclear",
         [("knees-to-chest", "same"), ("prone-lying", "worse")]),
        # knees to chest makes it worse: extension is tried next
        (BASE + ["8", "3", "calf", "w"] + ["4", "3", "calf", "b"], "extension",
         [("knees-to-chest", "worse"), ("prone-lying", "better")]),
    ],
)
def test_the_test_follows_the_article(tmp_path, answers, direction, positions):
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert outcome.result.direction == direction
    assert afters(h) == positions
    row = h.table("trials")[0]
    assert (row["outcome"], row["result"]) == ("completed", direction)
    assert any(line.startswith(f"Result: {direction}.") for line in printed)
    assert any(line.startswith("Over all your tests: ") for line in printed)  # how many agree
    if any(v == "worse" for _, v in positions):
        assert "That made your leg pain worse, so we go no further in that direction." in spoken


def test_the_recommendation_weighs_every_trial(tmp_path):
    flexion = BASE + ["4", "4", "thigh", "b"]
    extension = BASE + ["6", "3", "calf", "s", "4", "3", "calf", "b"]
    for answers in (flexion, extension, flexion):
        outcome, h, printed, spoken = run_trial(tmp_path, answers)
        h.close()
    assert (outcome.recommendation.direction, outcome.recommendation.agree, outcome.recommendation.trials) == ("flexion", 2, 3)
    assert "2 of 3 tests so far found flexion." in spoken


def test_the_end_of_input_mid_test_is_recorded(tmp_path):
    with pytest.raises(NoMoreAnswers):
        run_trial(tmp_path, BASE + ["4"])
    h = History.open(tmp_path / "h.sqlite3")
    row = h.table("trials")[0]
    assert (row["outcome"], row["step"]) == ("no-answer", "knees-to-chest")


def test_screening_any_yes_stops_with_its_advice_and_records_it(tmp_path):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("n\nn\nn\ny\n")))
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(ScreeningStop) as stop:
        screening.screen(g, h, "session")
    assert stop.value.exit_code == 3 and "See a doctor first." in str(stop.value)
    assert "See a doctor before you start these exercises, and tell them what you answered." in spoken
    assert h.screening_today()["outcome"] == "urgent"
    assert [a["answer"] for a in h.table("screening_answers")] == ["no", "no", "no", "yes"]
    # the rest of the day: no exercise, and no questions
    g2, printed2, spoken2 = guide_with(LineAnswers(io.StringIO("")))
    with pytest.raises(ScreeningStop):
        screening.daily(g2, h)
    assert "Please do not exercise today." in spoken2


def test_screening_all_no_is_not_asked_again_today(tmp_path):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("".join(f"{a}\n" for a in NO))))
    h = History.open(tmp_path / "h.sqlite3")
    screening.daily(g, h)
    assert h.screening_today()["outcome"] == "clear"
    g2, printed2, spoken2 = guide_with(LineAnswers(io.StringIO("")))
    screening.daily(g2, h)  # no answers needed
    assert spoken2 == []


def test_a_cut_off_screening_keeps_its_answers(tmp_path):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("n\nn\n")))
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(NoMoreAnswers):
        screening.screen(g, h, "test")
    assert h.screening_today() is None
    assert h.table("screenings")[0]["outcome"] == "incomplete"
    assert len(h.table("screening_answers")) == 2


def test_check_ins_after_each_exercise(tmp_path):
    from coach.session import Request, compose

    session = compose(Request("flexion", only=("knees-to-chest", "figure-four"), reps=2, side="left"))
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("5\nknee\nb\ns\n4\nthigh\n")))
    played = []
    g.player.play = lambda renderer, start, end, every, interrupt=None, lead=None: played.append((start, end)) or True  # type: ignore[method-assign]
    h = History.open(tmp_path / "h.sqlite3")
    live.run(g, h, "flexion", lambda: session, {}, check_in=True, ratings=True)
    checks = [r["compared"] for r in h.table("ratings") if r["moment"] == "check-in"]
    assert checks == ["better", "same"]  # one after each exercise
    assert [(r["moment"], r["leg"], r["reach"]) for r in h.table("ratings") if r["leg"] is not None] == [
        ("before", 5, "knee"), ("after", 4, "thigh")]
    # the session played in three spans that cover it exactly, cut at the exercises' ends
    assert played[0][0] == 0 and played[-1][1] == session.script.total
    assert all(a[1] == b[0] for a, b in zip(played, played[1:])) and len(played) == 3
    row = h.table("sessions")[0]
    assert (row["outcome"], row["step"]) == ("completed", "end")
    # one plain timestamped line per speech and cue event, in order, each once
    shown = [p for p in printed if p.startswith("[")]
    events = [e for e in session.script.events if e.kind in ("speech", "cue")]
    assert len(shown) == len(events)
    assert shown[0] == f"[00:00] {events[0].text}" and shown[-1].endswith("(chime: the end)")
    assert sum(line.endswith("(tone: hold starts)") for line in shown) == 4  # 2 holds of each exercise


def test_a_crash_mid_session_is_recorded_where_it_happened(tmp_path):
    from coach.session import Request, compose

    session = compose(Request("flexion", only=("figure-four",), reps=2, side="left"))
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("")))

    def crash(renderer, start, end, every, interrupt=None, lead=None):
        every(session.script.total // 2)  # halfway through, something breaks
        raise RuntimeError("disk on fire")

    g.player.play = crash  # type: ignore[method-assign]
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(RuntimeError):
        live.run(g, h, "flexion", lambda: session, {}, check_in=False, ratings=False)
    row = h.table("sessions")[0]
    assert (row["outcome"], row["reason"]) == ("interrupted", "RuntimeError: disk on fire")
    assert row["step"].startswith("figure-four, ") and row["at_seconds"] == round(session.script.total // 2 / 22050, 3)
