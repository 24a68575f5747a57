"""Routine files: the person's own routines, checked strictly, found by name, and run."""

from __future__ import annotations

import json
import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.app.session import Request, compose
from coach.core import dose, rules
from coach.core.errors import InputError
from coach.core.routine import RoutineError
from coach.core.rules import parse
from coach.core.script import CUE
from coach.core.words import catalog as words
from tests.conftest import run_coach

GOOD = """\
name = "My morning"

[[exercise]]
id = "knees-to-chest"
hold = 45
holds = 2
rest = 20

[[exercise]]
id = "figure-four"
sides = "left"

[[exercise]]
id = "pelvic-tilt"
name = "Pelvic tilt"
position = "back"
reps = 3
seconds_per_rep = 5
setup = "Lie on your back with your knees bent."
movement = "On each number, flatten your lower back to the floor. On, and back, let it go."
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RoutineError) as e:
        parse(textwrap.dedent(text), "r.toml", "r", words())
    assert str(e.value).splitlines()[0].startswith("r.toml has ")
    return e.value.problems


BROKEN = [
    ('name = "x"\n[[exercise]\nid = "a"\n',
     ["r.toml:2: not valid TOML: Expected ']]' at the end of an array declaration (column 11)"]),
    ('name = "x"\ncolour = "blue"\n[[exercise]]\nid = "knees-to-chest"\n',
     ["r.toml:2: colour: unknown key for a routine: expected one of name, intro, exercise, found colour"]),
    ('[[exercise]]\nid = "knees-to-chest"\n',
     ["r.toml: name: missing: expected text"]),
    ('name = 3\n[[exercise]]\nid = "knees-to-chest"\n',
     ["r.toml:1: name: expected text, found 3"]),
    ('name = "x"\n',
     ["r.toml: missing exercises: expected at least one [[exercise]] table with an id"]),
    ('name = "x"\nexercise = "knees-to-chest"\n',
     ['r.toml:2: exercise: expected [[exercise]] tables, found "knees-to-chest" (text)']),
    ('name = "x"\n[[exercise]]\nhold = 30\n',
     ["r.toml:2: exercise[1]: missing id: expected a built-in exercise id (knees-to-chest, prone-lying, "
      "prone-on-elbows, knee-to-opposite-shoulder, figure-four, sciatic-nerve-glide, sitting-flexion, press-up) or a new id of lowercase "
      "letters, digits and hyphens, found nothing"]),
    ('name = "x"\n[[exercise]]\nid = "kneez"\n',
     ["r.toml:3: exercise[1].id: expected a built-in exercise (knees-to-chest, prone-lying, prone-on-elbows, "
      "knee-to-opposite-shoulder, figure-four, sciatic-nerve-glide, sitting-flexion, press-up), or a new exercise with name, position, "
      "setup and movement, found kneez"]),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nhold = 90\n',
     ["r.toml:4: exercise[1].hold: expected a whole number of seconds for knees-to-chest from 30 to 60, found 90"]),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nhold = 30.5\n',
     ["r.toml:4: exercise[1].hold: expected a whole number of seconds for knees-to-chest from 30 to 60, found 30.5"]),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nholds = "three"\n',
     ['r.toml:4: exercise[1].holds: expected a whole number of holds for knees-to-chest from 1 to 5, found "three" (text)']),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nreps = 3\n',
     ["r.toml:4: exercise[1].reps: knees-to-chest is held: expected holds, found reps"]),
    ('name = "x"\n[[exercise]]\nid = "sciatic-nerve-glide"\nhold = 30\n',
     ["r.toml:4: exercise[1].hold: sciatic-nerve-glide is done in reps, not held: expected reps, found hold"]),
    ('name = "x"\n[[exercise]]\nid = "sciatic-nerve-glide"\nreps = 40\n',
     ["r.toml:4: exercise[1].reps: expected a whole number of reps for sciatic-nerve-glide from 10 to 15, found 40"]),
    ('name = "x"\n[[exercise]]\nid = "figure-four"\nsides = "up"\n',
     ['r.toml:4: exercise[1].sides: expected "both", "left" or "right", found "up" (text)']),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nsides = "left"\n',
     ['r.toml:4: exercise[1].sides: knees-to-chest is done with both legs at once: expected no sides, found "left"']),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nrest = -1\n',
     ["r.toml:4: exercise[1].rest: expected a whole number of seconds from 0 to 300, found -1"]),
    ('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nname = "Mine"\n',
     ["r.toml:4: exercise[1].name: unknown key for the built-in exercise knees-to-chest (its words are fixed: "
      "give a new id for an exercise of your own): expected one of id, hold, holds, reps, sides, rest, found name"]),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "side"\nhold = 10\nmovement = "Lift."\n',
     ['r.toml:5: exercise[1].position: expected "back", "stomach" or "sitting", found "side" (text)',
      "r.toml:2: exercise[1]: missing setup: expected text"]),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "back"\nsetup = "a"\nmovement = "b"\n',
     ["r.toml:2: exercise[1]: expected hold and holds (a held exercise) or reps (a moving one), found neither"]),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "back"\nsetup = "a"\nmovement = "b"\n'
     'reps = 5\nseconds_per_rep = 1\n',
     ["r.toml:9: exercise[1].seconds_per_rep: expected a number of seconds from 2 to 12, found 1"]),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "back"\nsetup = "a"\nmovement = "b"\n'
     'hold = 500\n',
     ["r.toml:8: exercise[1].hold: expected a whole number of seconds for bridge from 5 to 120, found 500"]),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "back"\nsetup = "a"\nmovement = "b"\n'
     'reps = 5\nper_side = "yes"\n',
     ['r.toml:9: exercise[1].per_side: expected true or false, found "yes" (text)']),
    ('name = "x"\n[[exercise]]\nid = "bridge"\nname = "Bridge"\nposition = "back"\nsetup = "a"\nmovement = "b"\n'
     'reps = 5\nget_ready = 60\n',
     ["r.toml:9: exercise[1].get_ready: expected a whole number of seconds from 2 to 30, found 60"]),
    ('name = "x"\n[[exercise]]\nid = "Bad Id"\n',
     ['r.toml:3: exercise[1].id: expected a built-in exercise id (knees-to-chest, prone-lying, prone-on-elbows, '
      'knee-to-opposite-shoulder, figure-four, sciatic-nerve-glide, sitting-flexion, press-up) or a new id of lowercase letters, digits and '
      'hyphens, found "Bad Id" (text)']),
]


@pytest.mark.parametrize("text, expected", BROKEN, ids=[str(i) for i in range(len(BROKEN))])
def test_each_broken_file_has_its_exact_message(text, expected):
    assert problems(text) == expected


def test_every_problem_in_a_file_is_reported_at_once():
    found = problems("""\
        name = "x"
        colour = "blue"

        [[exercise]]
        id = "knees-to-chest"
        hold = 90
        holds = 9

        [[exercise]]
        id = "kneez"

        [[exercise]]
        id = "figure-four"
        sides = "up"
        """)
    assert [p.split(": ")[0] for p in found] == ["r.toml:2", "r.toml:6", "r.toml:7", "r.toml:10", "r.toml:14"]


def test_a_good_file_loads_with_its_own_doses():
    r = parse(GOOD, "r.toml", "my-morning", words())
    assert r.name == "My morning"
    assert r.exercises == ("knees-to-chest", "figure-four", "pelvic-tilt")
    doses = dose.plan(r, words=words())
    assert (doses[0].hold_seconds, doses[0].count, doses[0].rest) == (45, 2, 20)
    assert doses[1].sides == ("left",)
    tilt = doses[2].exercise
    assert (tilt.name, tilt.held, doses[2].count, tilt.seconds_per_rep) == ("Pelvic tilt", False, 3, 5.0)
    # flags win over the file
    assert dose.plan(r, hold=30, only=("knees-to-chest",), words=words())[0].hold_seconds == 30


def test_the_built_in_routines_are_the_same_kind_of_file():
    assert rules.routines(words())["flexion"].exercises == (
        "knees-to-chest", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide")


def test_the_script_follows_the_file(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    script = compose(Request(routine=str(path))).script
    sr = script.sample_rate
    cues = [e for e in script.events if e.kind == CUE and e.exercise == "knees-to-chest"]
    assert [e.cue for e in cues] == ["hold-start", "hold-end"] * 2
    assert cues[1].start - cues[0].start == 45 * sr  # the file's hold, exactly
    assert {e.side for e in script.events if e.exercise == "figure-four"} == {None, "left"}
    spoken = [e.text for e in script.events if e.kind == "speech"]
    assert "This is your own routine: My morning." in spoken
    assert "Lie on your back with your knees bent." in spoken
    assert "If pain spreads down your leg, stop, and rest." in spoken  # the coach's caution, none given
    counts = [e.text for e in script.events if e.exercise == "pelvic-tilt" and e.rep and e.kind == "speech"]
    assert counts[:1] == ["one"] and "three" in counts
    # 20 s of rest after knees to chest: the silence before figure four's name
    first = next(i for i, e in enumerate(script.events) if e.exercise == "figure-four")
    assert script.events[first - 1].kind == "silence" and script.events[first - 1].length >= 20 * sr


def test_an_exercise_of_your_own_names_its_sides_and_has_its_own_release(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(textwrap.dedent("""\
        name = "Mine"

        [[exercise]]
        id = "side-bridge"
        name = "Leg slide"
        position = "back"
        per_side = true
        hold = 10
        holds = 2
        setup = "Lie on your back, {knees} bent."
        movement = "Slide your {side} heel away, and keep your {other} foot still."
        breathe = "Breathe out as you slide."
        release = "Bring your {side} heel back."
        again = "Now slide your {side} heel away."

        [[exercise]]
        id = "plain"
        name = "Plain"
        position = "back"
        hold = 10
        holds = 1
        setup = "Lie still."
        movement = "Rest."
        """), encoding="utf-8")
    script = compose(Request(routine=str(path))).script
    spoken = [e.text for e in script.events if e.kind == "speech"]
    assert "Lie on your back, {knees} bent." in spoken  # a brace of its own is said as written
    assert "Slide your left heel away, and keep your right foot still." in spoken
    assert "Now slide your right heel away." in spoken  # the second side's shorter set-up
    assert spoken.count("Bring your left heel back.") == 2 and spoken.count("Bring your right heel back.") == 2
    assert spoken.count("Breathe out as you slide.") == 1  # once an exercise
    assert spoken.count("Breathe slowly and easily.") == 1  # the coach's own, for the one without
    assert "And relax." in spoken  # the release of the one without


# --- random files: a routine or a RoutineError, never anything else -----------------------------

KEYS = ["name", "intro", "id", "hold", "holds", "reps", "sides", "rest", "position", "per_side", "setup",
        "movement", "feel", "caution", "breathe", "release", "again", "seconds_per_rep", "rest_between",
        "get_ready", "colour"]
scalars = st.one_of(
    st.integers(-5, 200), st.floats(-10, 200, allow_nan=False), st.booleans(),
    st.sampled_from(["knees-to-chest", "figure-four", "sciatic-nerve-glide", "back", "stomach", "left",
                     "both", "", "Lie down.", "bridge"]),
    st.text(max_size=12), st.lists(st.integers(0, 9), max_size=3),
)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return json.dumps(v)  # a TOML basic string


@st.composite
def routine_files(draw) -> str:
    lines = [f"{k} = {toml_value(draw(scalars))}" for k in draw(st.lists(st.sampled_from(["name", "intro", "colour"]), unique=True))]
    for _ in range(draw(st.integers(0, 4))):
        lines.append("[[exercise]]")
        for k in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=8)):
            lines.append(f"{k} = {toml_value(draw(scalars))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routine_files())
def test_random_routine_files_load_or_fail_with_a_message(text):
    try:
        r = parse(text, "r.toml", "r", words())
    except RoutineError as e:
        assert e.problems and all(p.startswith("r.toml") for p in e.problems)
        return
    assert r.steps
    dose.plan(r, words=words())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.printable + "éñ[]=\"'", max_size=200))
def test_random_text_loads_or_fails_with_a_message(text):
    try:
        parse(text, "r.toml", "r", words())
    except RoutineError as e:
        assert e.problems


# --- as a user runs it ---------------------------------------------------------------------------

def test_new_then_list_then_run_by_name(fresh_home):  # its own speech cache: nothing else writes to it
    made = run_coach("routines", "new", "my-morning")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path == fresh_home / "config" / "routines" / "my-morning.toml"
    assert path.read_text(encoding="utf-8").startswith("# A routine of your own for coach.")
    speech = fresh_home / "cache" / "speech"
    before = sorted(speech.rglob("*.wav"))
    listed = run_coach("routines")
    assert listed.returncode == 0, listed.stderr
    assert sorted(speech.rglob("*.wav")) == before  # listing synthesizes nothing
    rows = {line.split()[0]: line for line in listed.stdout.splitlines() if line and not line.startswith("Your")}
    assert set(rows) == {"flexion", "extension", "flexion-short", "extension-short", "my-morning"}
    assert str(path) in rows["my-morning"] and "built-in" in rows["flexion"]
    script = json.loads(run_coach("script", "--routine", "my-morning", "--json").stdout)
    # once its phrases have been spoken (here by 'coach script'), the length is the script's own
    again = {line.split()[0]: line for line in run_coach("routines").stdout.splitlines() if line and not line.startswith("Your")}
    minutes, seconds = again["my-morning"].split()[-2].split(":")
    assert abs(int(minutes) * 60 + int(seconds) - script["total_seconds"]) <= 1
    again = run_coach("routines", "new", "my-morning")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_broken_routine_file_runs_nothing_and_exits_2(tmp_path, coach_home):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[[exercise]]\nid = "knees-to-chest"\nhold = 90\nholds = 9\n', encoding="utf-8")
    for command in (["start"], ["script"], ["export", str(tmp_path / "out.mp3")]):
        result = run_coach(*command, "--routine", str(path))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert lines[0] == f"Error: {path} has 2 problems, so nothing was run:"
        assert lines[1].startswith(f"  {path}:4: exercise[1].hold: ")
        assert lines[2].startswith(f"  {path}:5: exercise[1].holds: ")
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.mp3").exists()
    assert json.loads(run_coach("history", "--json").stdout)["sessions"] == []  # nothing was started


def test_a_broken_routine_in_the_folder_is_listed_with_its_problems(coach_home):
    folder = coach_home / "config" / "routines"
    folder.mkdir(parents=True)
    (folder / "oops.toml").write_text("name = \n", encoding="utf-8")
    listed = run_coach("routines")
    assert listed.returncode == 0, listed.stderr
    assert "(1 problem: see 'coach script --routine oops')" in listed.stdout


@pytest.mark.parametrize("args, message", [
    (["routines", "new", "My Morning"], "'My Morning' cannot be a routine name"),
    (["script", "--routine", "nope"], "no routine named 'nope'. Known: extension, extension-short, flexion, flexion-short"),
    (["script", "--routine", "/nonexistent/r.toml"], "no routine file at /nonexistent/r.toml."),
    (["script", "--routine", "flexion", "--flexion"], "choose one routine: --flexion, --extension or --routine."),
])
def test_routine_invocation_errors(args, message):
    result = run_coach(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr


def test_unknown_only_names_the_routines_exercises(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    from coach.cli.base import worded

    with pytest.raises(InputError) as e:
        compose(Request(routine=str(path), only=("prone-lying",)))
    assert "not part of the mine routine, whose exercises are: knees-to-chest, figure-four, pelvic-tilt" in worded(e.value)


def test_a_routine_file_plays_live(pulse, tmp_path):
    from tests.test_live import TOLERANCE, live_cues

    path = tmp_path / "tiny.toml"
    path.write_text(textwrap.dedent("""\
        name = "Tiny"
        intro = "A tiny routine."

        [[exercise]]
        id = "bridge"
        name = "Bridge"
        position = "back"
        hold = 5
        holds = 1
        setup = "Lie on your back with your knees bent."
        movement = "Lift your hips a little."
        """), encoding="utf-8")
    script, recording, pairs = live_cues(pulse, ("--routine", str(path), "--rate", "400"))
    assert [e["cue"] for e in script["events"] if e["kind"] == CUE] == ["hold-start", "hold-end", "session-end"]
    heard = [h for _, h in pairs]
    assert abs((heard[1] - heard[0]) - 5.0) <= TOLERANCE
    sessions = json.loads(run_coach("history", "--json").stdout)["sessions"]
    assert [(s["routine"], s["outcome"]) for s in sessions] == [("tiny", "completed")]


def test_listing_on_a_cold_cache_estimates_lengths_and_synthesizes_nothing(fresh_home):
    listed = run_coach("routines", "--rate", "120")
    assert listed.returncode == 0, listed.stderr
    assert not (fresh_home / "cache" / "speech").exists()
    rows = {line.split()[0]: line.split() for line in listed.stdout.splitlines() if line and not line.startswith("Your")}
    assert rows["flexion"][-2].startswith("~") and "estimated from the speaking rate" in listed.stderr
    minutes, seconds = rows["flexion"][-2].lstrip("~").split(":")
    script = json.loads(run_coach("script", "--flexion", "--rate", "120", "--json").stdout)
    assert abs(int(minutes) * 60 + int(seconds) - script["total_seconds"]) <= 0.1 * script["total_seconds"]
