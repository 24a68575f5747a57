"""Little and often (issue 17, item 3): the short routine of each direction, the day's plan, and the
plan as a calendar file read back by an independent iCalendar parser."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.app import choice
from coach.clinical.plan import FULL, SHORT, Slot, day
from coach.clinical.preference import Bar, Recommendation
from coach.core.rules import routines
from coach.core.words import catalog as words
from tests.conftest import run_coach

pytestmark = pytest.mark.timeout(300)

T = dt.time.fromisoformat


# --- the day's plan: a table -----------------------------------------------------------------------

@pytest.mark.parametrize("full, every, span, expected", [
    # the defaults: full at 08:00 and 18:00, short every 3 h; none within 1.5 h of a full one
    (["08:00", "18:00"], 3.0, ("08:00", "21:00"),
     [("08:00", FULL), ("11:00", SHORT), ("14:00", SHORT), ("18:00", FULL), ("20:00", SHORT)]),
    # every 2 h: none within an hour of a full one, so 17:00 and 19:00 stay
    (["08:00", "18:00"], 2.0, ("08:00", "21:00"),
     [("08:00", FULL), ("10:00", SHORT), ("12:00", SHORT), ("14:00", SHORT), ("16:00", SHORT), ("18:00", FULL),
      ("20:00", SHORT)]),
    # once a day, late; the day's span is the short sessions' only
    (["19:30"], 2.5, ("07:00", "17:00"),
     [("07:00", SHORT), ("09:30", SHORT), ("12:00", SHORT), ("14:30", SHORT), ("17:00", SHORT), ("19:30", FULL)]),
])
def test_the_day_plan(full, every, span, expected):
    slots = day([T(t) for t in full], every, T(span[0]), T(span[1]))
    assert slots == [Slot(T(t), kind) for t, kind in expected]


# --- the short routines ----------------------------------------------------------------------------

def test_each_direction_has_a_short_routine_of_its_direction_exercise():
    w = words()
    found = routines(w)
    assert [s.exercise.id for s in found["flexion-short"].steps] == ["knees-to-chest"]
    assert [s.exercise.id for s in found["extension-short"].steps] == ["prone-lying", "prone-on-elbows"]
    assert {r: found[r].direction for r in found} == {"flexion": "flexion", "flexion-short": "flexion",
                                                      "extension": "extension", "extension-short": "extension"}


def test_a_barred_direction_bars_its_short_routine_too():
    bar = Bar("flexion", None)
    rec = Recommendation("unclear", 0, 0, ("no test",), barred=(bar,))
    assert choice.bar(rec, routines(words())["flexion-short"].direction) == bar
    assert choice.bar(rec, routines(words())["extension-short"].direction) is None


def test_start_short_plays_the_short_routine(tmp_path):
    result = run_coach("script", "--flexion", "--short", "--json")
    assert result.returncode == 0, result.stderr
    script = json.loads(result.stdout)
    assert script["routine"] == "flexion-short"
    holds = [e for e in script["events"] if e.get("cue") == "hold-start"]
    assert [e["exercise"] for e in holds] == ["knees-to-chest"] * 2
    assert 90 < script["total_seconds"] < 180  # a few minutes, not a full session
    refused = run_coach("start", "--routine", "flexion", "--short")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == ("Error: --short goes with --flexion or --extension (or the "
                                                       "direction your tests found), not with --routine.")


# --- coach plan, and its calendar ------------------------------------------------------------------

def test_plan_prints_the_day_and_writes_a_calendar_an_independent_parser_reads(tmp_path):
    from ical.calendar_stream import IcsCalendarStream

    path = tmp_path / "day.ics"
    result = run_coach("plan", "--flexion", "--ics", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Your day, little and often. General information, not medical advice."
    assert lines[1].startswith("  08:00  full session, about ") and lines[1].endswith("min: coach start --flexion")
    assert lines[2].startswith("  11:00  short session, about ") and lines[2].endswith("min: coach start --flexion --short")
    assert [line.split()[0] for line in lines[1:6]] == ["08:00", "11:00", "14:00", "18:00", "20:00"]

    cal = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    *events, last = sorted(cal.events, key=lambda e: e.dtstart)
    assert [(e.dtstart.time(), e.summary) for e in events] == [
        (T("08:00"), "Exercises: the full session"), (T("11:00"), "Exercises: a short session"),
        (T("14:00"), "Exercises: a short session"), (T("18:00"), "Exercises: the full session"),
        (T("20:00"), "Exercises: a short session")]
    assert all(e.dtstart.date() == dt.date.today() and e.dtstart.tzinfo is None for e in events)  # the phone's own time
    assert all(e.rrule is not None and e.rrule.freq.value == "DAILY" for e in events)  # every day
    ends = dt.date.today() + dt.timedelta(weeks=6)  # no session recorded: six weeks from today
    assert {e.rrule.until.date() for e in events} == {ends - dt.timedelta(days=1)}  # ... for six weeks
    assert (last.dtstart.date(), last.rrule, last.summary) == (ends, None, "Six weeks of exercises: is your leg better?")
    assert "If your leg pain is no better after six weeks of exercises, see a doctor" in last.description
    assert lines[6].startswith(f"The plan runs until {ends.day} ") and "see a doctor or physiotherapist" in lines[6]
    for e in events:
        [alarm] = e.alarm
        assert str(getattr(alarm.action, "value", alarm.action)) == "DISPLAY" and alarm.trigger == dt.timedelta(0)  # at its time
    full, short = events[0], events[1]
    assert full.duration > short.duration >= dt.timedelta(minutes=2)
    assert "coach start --flexion --short" in short.description and "not medical advice" in short.description
    assert len({e.uid for e in events}) == 5  # each slot its own, the same when written again


def test_plan_times_come_from_the_config_and_bad_ones_are_refused(tmp_path):
    assert run_coach("config", "set", "plan_full", "7:30").returncode == 0
    assert run_coach("config", "set", "plan_every", "2").returncode == 0
    result = run_coach("plan", "--extension")
    assert result.returncode == 0, result.stderr
    times = [line.split()[0] for line in result.stdout.splitlines()[1:-2]]
    assert times == ["07:30", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00"]  # 08:00 is too near 07:30
    assert "coach start --extension --short" in result.stdout
    for key, value, expected in [("plan_full", "25:00", "one or two times of day, as 08:00, 18:00"),
                                 ("plan_full", "08:00, 12:00, 18:00", "one or two times of day, as 08:00, 18:00"),
                                 ("plan_day", "21:00-08:00", "a span of the day, as 08:00-21:00"),
                                 ("plan_every", "1", "a number of hours from 2 to 3")]:
        bad = run_coach("config", "set", key, value)
        assert bad.returncode == 2 and expected in bad.stderr, (key, value, bad.stderr)


def test_plan_refuses_a_file_that_is_not_a_calendar_and_writes_nothing(tmp_path):
    result = run_coach("plan", "--flexion", "--ics", str(tmp_path / "day.txt"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: cannot write {tmp_path / 'day.txt'}: a calendar file's name ends in .ics."
    assert list(tmp_path.iterdir()) == []
    no_test = run_coach("plan")
    assert no_test.returncode == 2 and "Run 'coach test' first" in no_test.stderr


def test_the_plan_ends_six_weeks_into_self_management_and_never_within_a_week():
    from coach.clinical.plan import until

    today = dt.date(2026, 12, 7)
    assert until(None, today) == dt.date(2027, 1, 18)  # nothing recorded: six weeks from today
    assert until(dt.date(2026, 11, 23), today) == dt.date(2027, 1, 4)  # two weeks in: four to go
    assert until(dt.date(2026, 10, 1), today) == dt.date(2026, 12, 14)  # past six weeks: one more, then the advice


def test_a_barred_direction_is_planned_only_with_its_warning_and_its_exercises_left_out_of_the_other(tmp_path):
    """After knees to chest spread the pain (the history tests/test_body.py's test leaves): the
    flexion plan opens with the warning `coach start` gives, in the calendar too; the extension
    plan says the knee-to-chest stretches are left out, and its full session is shorter for it."""
    from ical.calendar_stream import IcsCalendarStream

    from tests.test_body import flared_in_a_test

    before = run_coach("plan", "--extension")
    avoid = flared_in_a_test()
    path = tmp_path / "day.ics"
    barred = run_coach("plan", "--flexion", "--ics", str(path))
    assert barred.returncode == 0, barred.stderr
    lines = barred.stdout.splitlines()
    assert lines[1:3] == [avoid, words().barred_file]
    cal = IcsCalendarStream.calendar_from_ics(path.read_text(encoding="utf-8"))
    assert all(e.description.startswith(avoid) for e in cal.events if e.rrule is not None)
    other = run_coach("plan", "--extension")
    assert other.returncode == 0, other.stderr
    left = other.stdout.splitlines()[1]
    assert left.startswith("The stretches that pull your knee toward your chest are left out today: on ")
    assert "knees to chest, the pain spread farther down, from calf to foot." in left
    minutes = lambda out: int(out.splitlines()[[i for i, x in enumerate(out.splitlines()) if "08:00" in x][0]]  # noqa: E731
                              .split("about ")[1].split()[0])
    assert minutes(other.stdout) < minutes(before.stdout)  # two stretches, both sides, fewer


def test_the_readme_plan_example_is_what_coach_plan_prints():
    """Issue 27, item 11: the README's example matches the real output, line for line (the
    minutes depend on the voice's speed and the end date on today: those are numbers anywhere)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "docs" / "using.md").read_text(encoding="utf-8")
    block = readme.split("prints the day (a test checks that this is what it prints):\n\n```\n")[1].split("```")[0]
    result = run_coach("plan", "--flexion")
    assert result.returncode == 0, result.stderr

    def shape(text: str) -> list[str]:
        text = re.sub(r"until \d+ \w+ \d{4}", "until DATE", text)
        return [re.sub(r"about \d+ min", "about N min", line) for line in text.strip().splitlines()]

    assert shape(result.stdout) == shape(block)
