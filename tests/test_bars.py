"""A barred direction is barred in every routine (issue 27, item 1; clinical notes, section 7):
while flexion is barred, the stretches that pull a knee toward the chest are left out of the
extension routine too, said once with the reason and the date; named with --only, they are
confirmed (a session) or warned of (a file). The same in `script`, files and `plan`
(tests/test_plan.py)."""

from __future__ import annotations

import datetime as dt
import json

from coach.clinical import loading
from coach.clinical.preference import Bar, Flare
from coach.clinical.response import Rating, compare
from coach.core.rules import routines
from coach.core.words import catalog as words
from coach.storage.history import History
from tests.conftest import BRIEF, run_coach, screened_today
from tests.test_body import FAST, flared_in_a_test

FLARE = Flare(dt.date(2026, 12, 3), "flexion", "knees to chest", compare(Rating(6, 3, "calf"), Rating(6, 3, "foot"), "worse"))
STRETCHES = ["knee-to-opposite-shoulder", "figure-four"]


def test_a_flexion_bar_leaves_the_knee_to_chest_stretches_out_of_the_extension_routine():
    w = words()
    extension, flexion = routines(w)["extension"], routines(w)["flexion"]
    bar = Bar("flexion", FLARE)
    kept = loading.kept(extension, [bar])
    assert kept.exercises == ("prone-lying", "prone-on-elbows", "sciatic-nerve-glide")  # the glide stays
    assert kept.introduced == extension.exercises  # its introduction names what is done today
    assert loading.left_out(extension, [bar]) == (bar,)
    assert loading.sentence(bar, w) == ("The stretches that pull your knee toward your chest are left out today: on "
                                        "3 December, knees to chest, the pain spread farther down, from calf to foot.")
    # its own direction's bar is confirmed when chosen, not stripped: the flexion routine plays whole
    assert loading.kept(flexion, [bar]) == flexion and loading.left_out(flexion, [bar]) == ()
    # while extension is barred, the flexion routine has nothing to drop
    assert loading.kept(flexion, [Bar("extension", None)]) == flexion
    # named with --only: kept, and to be confirmed
    assert loading.kept(extension, [bar], ["figure-four"]).exercises == (
        "prone-lying", "prone-on-elbows", "figure-four", "sciatic-nerve-glide")
    assert loading.asked_barred(extension, [bar], ["figure-four"]) == [("figure-four", bar)]
    # no bar: nothing changes
    assert loading.kept(extension, []) is extension


def test_every_built_in_exercise_says_which_direction_it_loads():
    from coach.core.exercise import catalog

    loads = {ex.id: ex.loads for ex in catalog(words()).values()}
    assert loads == {"knees-to-chest": "flexion", "prone-lying": "extension", "prone-on-elbows": "extension",
                     "knee-to-opposite-shoulder": "flexion", "figure-four": "flexion", "sciatic-nerve-glide": None,
                     "sitting-flexion": "flexion", "press-up": "extension"}


def test_script_and_a_file_leave_them_out_and_say_why_once():
    flared_in_a_test()
    script = run_coach("script", "--extension")
    assert script.returncode == 0, script.stderr
    lines = script.stdout.splitlines()
    assert lines[1].startswith("# The stretches that pull your knee toward your chest are left out today: on ")
    assert not any(ex in script.stdout for ex in STRETCHES)
    assert "This is the extension routine, today: lying on your stomach, propped on your elbows, and sciatic nerve glide." \
        in script.stdout
    recording = json.loads(run_coach("script", "--extension", "--recording", "--json").stdout)
    spoken = [e["text"] for e in recording["events"] if e["kind"] == "speech"]
    said = [t for t in spoken if "left out today" in t]
    assert len(said) == 1 and spoken.index(said[0]) == 0  # once, first in the file's safety chapter
    assert not {e.get("exercise") for e in recording["events"]} & set(STRETCHES)
    # named with --only: played, with the bar's warning at the file's start
    named = json.loads(run_coach("script", "--extension", "--only", "figure-four", "--recording", "--json").stdout)
    spoken = [e["text"] for e in named["events"] if e["kind"] == "speech"]
    assert spoken[0].startswith("Avoid flexion for now.") and spoken[1] == words().barred_file
    assert "figure-four" in {e.get("exercise") for e in named["events"]}


def test_a_bar_lifted_by_a_later_test_brings_them_back():
    flared_in_a_test()
    with History.open() as h:  # a test the next day found flexion better
        tid = h.start_trial()
        h.end("trials", tid, "completed", step="result", result="flexion", worse="[]", better='["flexion"]',
              caution="[]", reasons="[]")
        h.update("trials", tid, started=(dt.datetime.now() + dt.timedelta(days=1)).isoformat(timespec="seconds"))
    script = run_coach("script", "--extension")
    assert "left out" not in script.stdout and all(ex in script.stdout for ex in STRETCHES)


def test_a_stretch_named_while_its_direction_is_barred_is_confirmed_like_a_barred_direction(pulse):
    flared_in_a_test()
    screened_today()
    declined = run_coach("start", "--extension", "--only", "figure-four", "--hold", "15", "--reps", "2", "--no-ratings",
                         *FAST, env=pulse.env, answers=BRIEF + ["n"])
    assert declined.returncode == 0, declined.stderr
    assert declined.stderr.strip() == "Not started: you chose not to do Figure four stretch today."
    assert "Figure four stretch pulls your knee toward your chest. Do you still want to do it today?" in declined.stdout
    assert "Avoid flexion for now." in declined.stdout
    with History.open() as h:
        assert h.table("sessions") == []
        [c] = h.table("confirmations")
        assert (c["direction"], c["answer"]) == ("flexion", "no")


def _unclear_test(worse: list[str]) -> None:
    with History.open() as h:
        tid = h.start_trial()
        h.end("trials", tid, "completed", step="result", result="unclear", worse=json.dumps(worse), better="[]",
              caution="[]", reasons="[]")


def test_no_direction_never_suggests_a_barred_flag():
    """Issue 27, item 9: what to do next, without a barred direction's flag in the same breath."""
    _unclear_test(["flexion"])
    one = run_coach("start")
    assert one.returncode == 2
    line = one.stderr.strip().splitlines()[-1]
    assert "Avoid flexion for now" in line and line.endswith("Repeat 'coach test' on another day, or choose --extension.")
    assert "--flexion" not in line
    _unclear_test(["flexion", "extension"])
    both = run_coach("script")
    line = both.stderr.strip().splitlines()[-1]
    assert line.endswith("Rest today, and repeat 'coach test' on another day.")
    assert "--flexion" not in line and "--extension" not in line


def test_no_direction_is_said_aloud_too(pulse):
    from tests.test_body import heard

    recorder = pulse.recorder().start()
    result = run_coach("start", "--rate", "400", env=pulse.env)
    recording = recorder.stop()
    assert result.returncode == 2 and "Run 'coach test' first" in result.stderr
    said = words().no_direction["untested"]
    assert heard(recording, said, 3.0) > 0.8
