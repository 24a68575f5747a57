"""The dose follows the response (issue 17, item 1): the rule as a table of made-up records, with the
words each change is said in; and end to end, a step up offered, accepted and declined in a live
session with piped answers, recorded, and the next session's dose read back from the script."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from coach.app import progress
from coach.app.session import Request
from coach.clinical.progression import DOWN, STEADY, UP, Change, Past, decide
from coach.core.exercise import Level, catalog
from coach.core.rules import parse, routines
from coach.core.words import catalog as words
from coach.storage.history import History
from tests.conftest import screened_today

EN = words()
EX = catalog(EN)
FLEXION = [EX[i] for i in ("knees-to-chest", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide")]
S = lambda r: Past("session", r)  # noqa: E731
CHANGE = Past("change")
AT_DEFAULT: dict[str, Level] = {}


def levels(**by_id) -> dict[str, Level]:
    return {k.replace("_", "-"): v for k, v in by_id.items()}


@pytest.mark.parametrize("record, current, expected", [
    # three in a row better or the same: one step up each, knees 30 -> 45 s, stretches 3 -> 4 holds, glide 12 -> 15
    ([S("better"), S("same"), S("better")], AT_DEFAULT,
     Change(UP, levels(knees_to_chest=Level(45, 3), knee_to_opposite_shoulder=Level(30, 4), figure_four=Level(30, 4),
                       sciatic_nerve_glide=Level(None, 15)), STEADY)),
    # two are not enough; nor three when one was mixed (the newest mixed steps back)
    ([S("better"), S("better")], AT_DEFAULT, None),
    ([S("better"), S("mixed"), S("better")], AT_DEFAULT, None),
    # a session without a response (ratings skipped, cut off) neither counts nor breaks the run
    ([S("better"), S(None), S("same"), S("better")], AT_DEFAULT,
     Change(UP, levels(knees_to_chest=Level(45, 3), knee_to_opposite_shoulder=Level(30, 4), figure_four=Level(30, 4),
                       sciatic_nerve_glide=Level(None, 15)), STEADY)),
    # a change (taken, made or declined) starts the count again
    ([S("better"), S("better"), S("better"), CHANGE, S("better")], AT_DEFAULT, None),
    # worse steps back one, to the first step and never past it
    ([S("worse")], AT_DEFAULT,
     Change(DOWN, levels(knee_to_opposite_shoulder=Level(30, 2), figure_four=Level(30, 2),
                         sciatic_nerve_glide=Level(None, 10)), "worse")),  # knees to chest is on its first step
    ([S("better"), S("better"), S("mixed")], levels(knees_to_chest=Level(60, 3)),
     Change(DOWN, levels(knees_to_chest=Level(45, 3), knee_to_opposite_shoulder=Level(30, 2), figure_four=Level(30, 2),
                         sciatic_nerve_glide=Level(None, 10)), "mixed")),
    # a progression undone after worse: up, then worse, back where it was
    ([S("better")] * 3 + [CHANGE, S("worse")], levels(knees_to_chest=Level(45, 3)),
     Change(DOWN, levels(knees_to_chest=Level(30, 3), knee_to_opposite_shoulder=Level(30, 2), figure_four=Level(30, 2),
                         sciatic_nerve_glide=Level(None, 10)), "worse")),
    # a step back once made is not made again for the same session
    ([S("worse"), CHANGE], AT_DEFAULT, None),
    # never beyond the range: at the top, only those below it step up
    ([S("same")] * 3, levels(knees_to_chest=Level(60, 3), sciatic_nerve_glide=Level(None, 15)),
     Change(UP, levels(knee_to_opposite_shoulder=Level(30, 4), figure_four=Level(30, 4)), STEADY)),
    ([S("same")] * 3, levels(knees_to_chest=Level(60, 3), knee_to_opposite_shoulder=Level(30, 4),
                             figure_four=Level(30, 4), sciatic_nerve_glide=Level(None, 15)), None),
])
def test_the_rule(record, current, expected):
    assert decide(record, current, FLEXION) == expected


def test_the_words_of_each_change_in_both_languages():
    up = decide([S("better")] * 3, {}, FLEXION)
    assert EN.progression["offer"].format(changes=progress.describe(up, {}, FLEXION, EN)) == (
        "Your last three sessions of this routine ended better or the same, and the pain reached no farther down. "
        "Would you like one step more today: knees to chest, held 45 seconds; knee to opposite shoulder, 4 holds; "
        "figure four stretch, 4 holds; sciatic nerve glide, 15 reps?")
    down = decide([S("worse")], {"knees-to-chest": Level(45, 3)}, FLEXION[:1])
    assert EN.progression["down_worse"].format(changes=progress.describe(down, {"knees-to-chest": Level(45, 3)},
                                                                        FLEXION[:1], EN)) == (
        "Your last session of this routine ended worse, so today the dose steps back: knees to chest, held 30 seconds.")
    es = words("es")
    assert progress.describe(up, {}, list(catalog(es).values()), es).startswith("rodillas al pecho, 45 segundos; ")


def test_a_routine_files_own_dose_and_a_flag_are_never_moved():
    text = '''name = "Mine"
[[exercise]]
id = "knees-to-chest"
hold = 45
[[exercise]]
id = "figure-four"
'''
    mine = parse(text, "mine.toml", "mine", EN, "mine.toml")
    assert [e.id for e in progress.movable(mine, Request(routine="mine"))] == ["figure-four"]  # knees: the file's 45 s
    flexion = routines(EN)["flexion"]
    assert progress.movable(flexion, Request(routine="flexion", hold=30)) == []
    assert [e.id for e in progress.movable(flexion, Request(routine="flexion", only=("figure-four",)))] == ["figure-four"]
    assert progress.movable(routines(EN)["flexion-short"], Request(routine="flexion-short")) == []  # its 2 holds are set


# --- end to end ------------------------------------------------------------------------------------

def _three_good_sessions(routine: str = "flexion", response: str = "better") -> None:
    with History.open() as h:
        for day in ("2026-11-01", "2026-11-02", "2026-11-03"):
            sid = h.start_session(routine, {}, direction=routine)
            h.end("sessions", sid, "completed", response=response)
            h.db.execute("UPDATE sessions SET started = ? WHERE id = ?", (f"{day}T08:00:00+00:00", sid))
            h.db.commit()


def _script_holds(env) -> list[float]:
    out = subprocess.run([sys.executable, "-m", "coach", "script", "--flexion", "--only", "knees-to-chest", "--json"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    events = json.loads(out.stdout)["events"]
    starts = [e["start"] for e in events if e.get("cue") == "hold-start"]
    ends = [e["start"] for e in events if e.get("cue") == "hold-end"]
    return [round(b - a, 3) for a, b in zip(starts, ends)]


def _start_until_it_plays(env, args: list[str], answers: str) -> str:
    """`coach start ARGS` with `answers` piped in, stopped (SIGTERM) once the session plays: what it
    printed up to then. The dose and position are chosen before it plays."""
    proc = subprocess.Popen([sys.executable, "-m", "coach", "start", *args, "--no-ratings", "--plain", "--no-listen",
                             "--rate", "400"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(answers)
    proc.stdin.flush()
    said = []
    for line in proc.stdout:
        said.append(line)
        if "[00:00]" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    return "".join(said)


@pytest.mark.parametrize("answer, change, holds", [("y", "up", [45.0] * 3), ("n", "declined", [30.0] * 3)])
def test_a_step_up_offered_in_a_live_session_accepted_or_declined(pulse, answer, change, holds):
    import os

    screened_today()
    _three_good_sessions()
    env = {**os.environ, **pulse.env}
    assert _script_holds(env) == [30.0] * 3  # before: the default
    text = _start_until_it_plays(env, ["--flexion", "--only", "knees-to-chest"], "n\nn\nn\n" + answer + "\n")
    assert "Would you like one step more today: knees to chest, held 45 seconds?" in text
    assert ("Then today: knees to chest, held 45 seconds." if answer == "y" else "Then we keep the same dose.") in text
    with History.open(write=False) as h:
        rows = h.doses("flexion")
        options = h.sessions_of("flexion")[-1].options
    assert [(r.exercise, r.hold, r.count, r.change, r.reason) for r in rows] == \
        [("knees-to-chest", 45, 3, change, "steady")]
    assert options["levels"] == ({"knees-to-chest": [45, 3]} if answer == "y" else {})
    assert _script_holds(env) == holds  # the next session's dose, from the script
    shown = subprocess.run([sys.executable, "-m", "coach", "history"], env=env, capture_output=True, text=True, timeout=60)
    assert ("step up declined" if answer == "n" else "stepped up") + " (steady): knees-to-chest 45 s x 3" in shown.stdout


# --- the position: lying -> on elbows -> press-ups; lying -> sitting --------------------------------

from coach.clinical.progression import BACK, FORWARD, Move, position  # noqa: E402

PRESS, SITTING = EX["press-up"], EX["sitting-flexion"]


@pytest.mark.parametrize("record, active, nexts, expected", [
    ([S("better"), S("same"), S("better")], {}, [PRESS], Move(FORWARD, "press-up", "prone-on-elbows", STEADY)),
    ([S("better"), S("same")], {}, [PRESS], None),  # offered only after three
    ([S("better")] * 3, {"prone-on-elbows": "press-up"}, [PRESS], None),  # taken already: nothing further
    ([S("better")] * 3 + [CHANGE], {}, [PRESS], None),  # declined (a change): the count starts again
    ([S("better")] * 3 + [CHANGE, S("worse")], {"prone-on-elbows": "press-up"}, [PRESS],
     Move(BACK, "press-up", "prone-on-elbows", "worse")),  # worse after a progression: back one position
    ([S("mixed")], {"knees-to-chest": "sitting-flexion"}, [], Move(BACK, "sitting-flexion", "knees-to-chest", "mixed")),
    ([S("worse")], {}, [PRESS], None),  # worse with no next position taken: the dose steps back, not the position
])
def test_the_position_rule(record, active, nexts, expected):
    assert position(record, active, nexts) == expected


def test_a_next_position_comes_after_the_dose_has_no_step_left():
    flexion, extension = routines(EN)["flexion"], routines(EN)["extension"]
    assert progress.nexts(flexion, Request(routine="flexion"), {}) == []  # knees to chest can still go to 45 s
    top = Request(routine="flexion", levels={"knees-to-chest": Level(60, 3)})
    assert progress.nexts(flexion, top, {}) == [SITTING]
    assert progress.nexts(extension, Request(routine="extension"), {}) == [PRESS]  # on the elbows has no dose steps
    assert progress.nexts(extension, Request(routine="extension", reps=2), {}) == []  # a flag sets the session
    assert progress.nexts(extension, Request(routine="extension", only=("figure-four",)), {}) == []


def test_a_next_position_taken_is_in_the_script_in_place_of_the_one_before():
    with History.open() as h:
        h.record_position("extension", FORWARD, STEADY, "press-up", "prone-on-elbows")
        h.record_position("flexion", FORWARD, STEADY, "sitting-flexion", "knees-to-chest")
    from coach.app.session import check, compose

    ext = progress.read(Request(routine="extension"))
    assert ext.positions == {"prone-on-elbows": "press-up"}
    routine, doses = check(ext)
    assert [d.exercise.id for d in doses][:2] == ["prone-lying", "press-up"]
    assert (doses[1].count, doses[1].hold_seconds) == (10, None)  # ten press-ups, counted
    only = check(progress.read(Request(routine="extension", only=("prone-on-elbows",))))[1]
    assert [d.exercise.id for d in only] == ["press-up"]  # --only names the position before
    flex = progress.read(Request(routine="flexion"))
    spoken = [e.text for e in compose(flex).script.events if e.kind == "speech"]
    assert spoken[spoken.index("Sitting bend.") + 1] == "Sit on a firm chair, with your feet flat and apart, and your hands on your knees."
    assert "Now, slowly get down onto the floor, and lie on your back." in spoken


def test_a_next_position_offered_in_a_live_session_and_taken(pulse):
    import os

    screened_today()
    _three_good_sessions("extension", "same")
    env = {**os.environ, **pulse.env}
    text = _start_until_it_plays(env, ["--extension", "--only", "prone-on-elbows"], "n\nn\nn\ny\n")
    assert ("You could try the next position: press-ups, in place of propped on your elbows. Lie on your stomach, "
            "with your hands flat under your shoulders") in text
    assert "You should not feel pain spreading down your leg. If you do, stop, and lie flat. Would you like to try it today?" in text
    assert "Then today: press-ups, in place of propped on your elbows." in text
    with History.open(write=False) as h:
        assert [(r.exercise, r.replaces, r.change) for r in h.doses("extension")] == \
            [("press-up", "prone-on-elbows", "forward")]
    out = subprocess.run([sys.executable, "-m", "coach", "script", "--extension", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    exercises = list(dict.fromkeys(e["exercise"] for e in json.loads(out.stdout)["events"] if e.get("exercise")))
    assert exercises[:2] == ["prone-lying", "press-up"]
