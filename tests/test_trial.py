"""The test's flow, screening and a session's check-ins, driven by piped answers with a silent player
(the same flows run with the real engine and audio server in test_conversation.py)."""

from __future__ import annotations

import io
import json

import pytest

from coach.core.question import questions
from coach.core.words import catalog as words
from coach.live import conversation as live
from coach.live import trial
from coach.live.answers import LineAnswers, NoMoreAnswers
from coach.storage.history import History
from tests.test_answers import guide_with

BASE = ["6", "3", "calf"]
N = "n"  # no new numbness or tingling


def run_trial(tmp_path, answers, settle=2):
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("".join(f"{a}\n" for a in answers))))
    played = []
    g.play = lambda script, *a, **k: played.append(script) or True  # type: ignore[method-assign]
    h = History.open(tmp_path / "h.sqlite3")
    outcome = trial.run(g, h, 30, settle)
    PLAYED[:] = played
    return outcome, h, printed, spoken


PLAYED: list = []  # the scripts the last trial played


def afters(h):
    return [(r["exercise"], r["verdict"]) for r in h.table("ratings") if r["moment"] in ("after", "settled")]


def rests(outcome):
    """Each rest in seconds: from the end of its spoken lines to "the same questions again",
    which ends its script."""
    said = len(words().test_rest)
    out = []
    for s in PLAYED:
        if s.routine == "rest":
            speech = [e for e in s.events if e.kind == "speech"]
            assert speech[-1].text == words().test_again and speech[-1].end == s.total
            out.append(round((speech[-1].start - speech[said - 1].end) / s.sample_rate, 3))
    return out


@pytest.mark.parametrize(
    "answers, direction, positions, worse, caution",
    [
        # knees to chest eases it: flexion, and the extension positions are not needed
        (BASE + ["4", "4", "thigh", N, "b"], "flexion", [("knees-to-chest", "better")], [], []),
        # not eased: lying on the stomach; no relief: propped on the elbows, which eases it
        (BASE + ["6", "3", "calf", N, "s"] + ["6", "3", "calf", N, "s"] + ["5", "3", "knee", N, "b"], "extension",
         [("knees-to-chest", "same"), ("prone-lying", "same"), ("prone-on-elbows", "better")], [], []),
        # lying on the stomach makes it spread, and it has not settled after the rest: no elbows
        (BASE + ["6", "3", "calf", N, "s"] + ["5", "3", "foot", N, "w"] + ["5", "3", "foot", N, "s"], "unclear",
         [("knees-to-chest", "same"), ("prone-lying", "worse"), ("prone-lying", "stop")], ["extension"], []),
        # knees to chest flares, then settles: a caution; lying starts from the settled rating and eases it
        (BASE + ["8", "3", "calf", N, "w"] + ["6", "3", "calf", N, "s"] + ["4", "3", "calf", N, "b"], "extension",
         [("knees-to-chest", "worse"), ("knees-to-chest", "caution"), ("prone-lying", "better")], [], ["flexion"]),
        # knees to chest makes it worse and it stays worse: flexion stops; extension is tried from here
        (BASE + ["8", "3", "calf", N, "w"] + ["8", "3", "calf", N, "s"] + ["6", "3", "calf", N, "b"], "extension",
         [("knees-to-chest", "worse"), ("knees-to-chest", "stop"), ("prone-lying", "better")], ["flexion"], []),
        # mixed: it reaches less far but leg pain rose 3 points; a rest, it settles, and the test goes on
        (BASE + ["9", "3", "thigh", N, "s"] + ["6", "3", "calf", N, "s"] + ["6", "3", "calf", N, "s"]
         + ["6", "3", "calf", N, "s"], "unclear",
         [("knees-to-chest", "mixed"), ("knees-to-chest", "caution"), ("prone-lying", "same"),
          ("prone-on-elbows", "same")], [], ["flexion"]),
        # new numbness or tingling counts as worse
        (BASE + ["6", "3", "calf", "y", "s"] + ["6", "3", "calf", N, "s"] + ["5", "3", "thigh", N, "b"], "extension",
         [("knees-to-chest", "worse"), ("knees-to-chest", "caution"), ("prone-lying", "better")], [], ["flexion"]),
        # lasting centralization: mixed (less far down, leg pain up 3), and after the rest it still
        # reaches less far with leg pain back where it was: go, flexion found (clinical notes, section 7)
        (BASE + ["9", "3", "thigh", N, "s"] + ["6", "3", "thigh", N, "s"], "flexion",
         [("knees-to-chest", "mixed"), ("knees-to-chest", "go")], [], []),
        # the numbers came back, but the person still says worse: not settled, a stop
        (BASE + ["8", "3", "calf", N, "w"] + ["6", "3", "calf", N, "w"] + ["6", "3", "calf", N, "s"] * 2, "unclear",
         [("knees-to-chest", "worse"), ("knees-to-chest", "stop"), ("prone-lying", "same"),
          ("prone-on-elbows", "same")], ["flexion"], []),
        # back within 1 point of the baseline, reaching no farther: settled
        (BASE + ["8", "3", "calf", N, "w"] + ["7", "3", "calf", N, "s"] + ["5", "3", "thigh", N, "b"], "extension",
         [("knees-to-chest", "worse"), ("knees-to-chest", "caution"), ("prone-lying", "better")], [], ["flexion"]),
    ],
)
def test_the_test_follows_the_article(tmp_path, answers, direction, positions, worse, caution):
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert outcome.result.direction == direction
    assert afters(h) == positions
    row = h.table("trials")[0]
    assert (row["outcome"], row["result"]) == ("completed", direction)
    assert (json.loads(row["worse"]), json.loads(row["caution"])) == (worse, caution)
    assert any(line.startswith(f"Result: {direction}") for line in printed)
    assert any(line.startswith("Over all your tests: ") for line in printed)  # how many agree
    flared = sum(v in ("worse", "mixed") for _, v in positions)
    assert rests(outcome) == [120.0] * flared  # a 2-minute rest after each flare, and only then
    played_again = sum(e.text == "Now the same questions again." for r in PLAYED if r.routine == "rest" for e in r.events)
    assert spoken.count("Now the same questions again.") + played_again == len(positions)  # a rest's ends it
    numbness = questions(words())["numbness"].text
    assert spoken.count(numbness) == len(positions)  # asked after every position and every rest
    if worse:
        assert any(line.startswith("After the rest, ") and line.endswith(". So we go no further in that direction.")
                   for line in spoken)
        assert any(line.startswith(f"Avoid {worse[0]} for now. On ") for line in spoken)
    if caution:
        assert "It has settled back. That was a brief flare, a caution, not a stop. We go on gently from here." \
            in spoken


def test_the_spoken_result_names_the_position_and_the_change(tmp_path):
    answers = BASE + ["6", "3", "calf", N, "s"] + ["6", "3", "calf", N, "s"] + ["5", "3", "knee", N, "b"]
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert "Result: extension: propped on your elbows helped. The extension routine may help." in spoken
    assert "Propped on your elbows, the pain moved back up, from calf to knee." in spoken
    assert "Lying on your stomach, no clear change: the pain reaches the same place (calf); " \
        "leg pain changed by 0 points, from 6 to 6." in spoken


def test_a_mixed_response_is_never_called_eased(tmp_path):
    answers = BASE[:2] + ["calf"] + ["9", "3", "thigh", N, "b"] + ["9", "3", "thigh", N, "s"] \
        + ["9", "3", "thigh", N, "s"] + ["9", "3", "thigh", N, "s"]
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert "Knees to chest, a mixed response: the pain moved back up, from calf to thigh; " \
        "leg pain went up 3 points, from 6 to 9." in spoken
    assert not any("eased" in line for line in spoken if "knees" in line.lower())
    assert outcome.result.direction == "unclear"


def test_the_rest_lasts_as_configured(tmp_path):
    answers = BASE + ["8", "3", "calf", N, "w"] + ["6", "3", "calf", N, "s"] + ["4", "3", "calf", N, "b"]
    outcome, h, printed, spoken = run_trial(tmp_path, answers, settle=4)
    assert rests(outcome) == [240.0]
    line = "Lie in a position that is comfortable, and breathe slowly. I will ask again in four minutes."
    assert line in printed and any(e.text == line for s in PLAYED if s.routine == "rest" for e in s.events)  # printed and played


def test_an_answer_that_contradicts_itself_is_asked_again_once(tmp_path):
    answers = ["6", "3", "none", "6", "calf"] + ["4", "4", "thigh", N, "b"]
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert "You said your leg pain is 6, but that the pain reaches nowhere. Let's check those two again." in spoken
    base = h.table("ratings")[0]
    assert (base["moment"], base["leg"], base["back"], base["reach"]) == ("baseline", 6, 3, "calf")
    # asked again once only: a second contradiction is kept as said
    answers = ["0", "3", "foot", "0", "foot"] + ["0", "3", "foot", "0", "foot", N, "s"] * 3
    outcome, h, printed, spoken = run_trial(tmp_path, answers)
    assert spoken.count("You said the pain reaches your foot, but that your leg pain is zero. "
                        "Let's check those two again.") == 1 + 3  # the baseline, then each position's own


def test_the_recommendation_weighs_every_trial(tmp_path):
    flexion = BASE + ["4", "4", "thigh", N, "b"]
    extension = BASE + ["6", "3", "calf", N, "s", "4", "3", "calf", N, "b"]
    for answers in (flexion, extension, flexion):
        outcome, h, printed, spoken = run_trial(tmp_path, answers)
        h.close()
    assert (outcome.recommendation.direction, outcome.recommendation.agree, outcome.recommendation.trials) == ("flexion", 2, 3)
    assert "2 of 3 tests so far found flexion." in spoken


def test_a_flare_that_did_not_settle_bars_even_if_the_test_is_cut_off(tmp_path):
    answers = BASE + ["8", "3", "foot", N, "w"] + ["8", "3", "foot", N, "w"]  # then the input ends
    with pytest.raises(NoMoreAnswers):
        run_trial(tmp_path, answers)
    h = History.open(tmp_path / "h.sqlite3")
    row = h.table("trials")[0]
    assert (row["outcome"], json.loads(row["worse"])) == ("no-answer", ["flexion"])
    from coach.clinical import evidence
    from coach.core.words import catalog as words

    assert [b.direction for b in evidence.recommendation(h.record(), words()).barred] == ["flexion"]


def test_the_end_of_input_mid_test_is_recorded(tmp_path):
    with pytest.raises(NoMoreAnswers):
        run_trial(tmp_path, BASE + ["4"])
    h = History.open(tmp_path / "h.sqlite3")
    row = h.table("trials")[0]
    assert (row["outcome"], row["step"]) == ("no-answer", "knees-to-chest")


def test_check_ins_after_each_exercise(tmp_path):
    from coach.app.session import Request, compose

    session = compose(Request("flexion", only=("knees-to-chest", "figure-four"), reps=2, side="left"))
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("5\nknee\nb\ns\n4\nthigh\nn\n")))
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
    from coach.app.session import Request, compose

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


def test_settled_back_is_said_only_when_it_has_and_what_is_still_up_is_named(tmp_path):
    lasting = BASE + ["9", "3", "thigh", N, "s"] + ["6", "3", "thigh", N, "s"]
    outcome, h, printed, spoken = run_trial(tmp_path / "a", lasting)
    assert ("After the rest, the pain moved back up, from calf to thigh. A change that lasts counts for this direction."
            in spoken)
    assert "Result: flexion: knees to chest helped. The flexion routine may help." in spoken
    assert not any("settled back" in line for line in spoken)
    still = BASE + ["8", "3", "calf", N, "w"] + ["6", "3", "foot", N, "s"] + ["5", "3", "thigh", N, "b"]
    outcome, h, printed, spoken = run_trial(tmp_path / "b", still)
    assert ("After the rest, the pain spread farther down, from calf to foot. So we go no further in that direction."
            in spoken)
    assert not any("settled back" in line for line in spoken)
