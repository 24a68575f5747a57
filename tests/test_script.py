"""The session script: exact timing rules, checked on the pure core with stand-in speech lengths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.audio import cue
from coach.core.dose import plan
from coach.core.errors import InputError
from coach.core.rules import routines
from coach.core.script import AFTER_TONE, COUNT_LEAD, SAMPLE_RATE, build
from coach.core.words import catalog as words

SR = SAMPLE_RATE


def by_chars(per_char: int = 1100):
    """Roughly a real voice at 150 wpm: about 0.05 s a character."""
    return lambda text: per_char * len(text)


def make(routine="flexion", length_of=None, **options):
    r = routines(words())[routine]
    return build(r, plan(r, **options, words=words()), words(), length_of or by_chars())


def holds(script):
    """(start cue, end cue) pairs, in order."""
    starts = [e for e in script.events if e.cue == "hold-start"]
    ends = [e for e in script.events if e.cue == "hold-end"]
    assert len(starts) == len(ends)
    return list(zip(starts, ends))


def assert_well_formed(script):
    events = script.events
    assert events[0].start == 0
    for a, b in zip(events, events[1:]):
        assert a.end == b.start, (a, b)  # ordered, touching, never overlapping
    assert all(e.length > 0 for e in events)
    assert script.total == sum(e.length for e in events)
    for e in events:
        if e.kind == "cue":
            assert e.length == cue.length(e.cue, script.sample_rate)
        if e.kind == "speech":
            assert e.text
    for i, tone in enumerate(events):  # words are never lost in a tone: half a second after it
        if tone.kind == "cue":
            after = next((e for e in events[i + 1:] if e.kind != "silence"), None)
            if after is not None and after.kind == "speech":
                assert after.start - tone.end >= AFTER_TONE * script.sample_rate, (tone, after)


def test_flexion_order_and_doses():
    s = make("flexion")
    assert_well_formed(s)
    order = list(dict.fromkeys(e.exercise for e in s.events if e.exercise))
    assert order == ["knees-to-chest", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide"]
    pairs = holds(s)
    # knees to chest 3 x 30 s; two stretches 3 x 30 s each side; the glide is one set per side
    held = [(a.exercise, a.side, (b.start - a.start) / SR) for a, b in pairs if a.exercise != "sciatic-nerve-glide"]
    assert held == (
        [("knees-to-chest", None, 30.0)] * 3
        + [("knee-to-opposite-shoulder", "left", 30.0)] * 3
        + [("knee-to-opposite-shoulder", "right", 30.0)] * 3
        + [("figure-four", "left", 30.0)] * 3
        + [("figure-four", "right", 30.0)] * 3
    )
    assert s.events[-2].cue == "session-end"


def test_extension_changes_position_with_words_and_time():
    s = make("extension")
    assert_well_formed(s)
    order = list(dict.fromkeys(e.exercise for e in s.events if e.exercise))
    assert order == ["prone-lying", "prone-on-elbows", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide"]
    roll = [i for i, e in enumerate(s.events) if e.text == words().to_back]
    assert len(roll) == 1
    i = roll[0]
    assert s.events[i - 1].exercise == "prone-on-elbows"
    pause = s.events[i + 1]
    assert pause.kind == "silence" and pause.length >= 5 * SR
    assert s.events[i + 2].exercise == "knee-to-opposite-shoulder"
    assert not any(e.text == words().to_stomach for e in s.events)


def test_intro_and_disclaimer_come_first_and_close_last():
    s = make("flexion")
    spoken = [e.text for e in s.events if e.kind == "speech"]
    assert spoken[0] == routines(words())["flexion"].intro
    assert tuple(spoken[1:4]) == words().disclaimer
    assert tuple(spoken[-2:]) == words().close


@pytest.mark.parametrize("seconds", [15, 20, 30, 45, 60])
def test_hold_is_exact_whatever_is_spoken_inside(seconds):
    s = make("flexion", only=("figure-four",) if seconds <= 30 else ("knees-to-chest",), hold=seconds)
    for a, b in holds(s):
        assert b.start - a.start == seconds * SR
        inside = [e for e in s.events if a.start < e.start < b.start]
        spoken = [e.text for e in inside if e.kind == "speech"]
        assert spoken[-3:] == ["three", "two", "one"]
        for k, text in zip((3, 2, 1), ("three", "two", "one")):
            (e,) = [e for e in inside if e.text == text]
            assert e.start == b.start - k * SR  # each count on its second
        assert ("Ten seconds left." in spoken) == (seconds >= 20)
        assert ("Halfway." in spoken) == (seconds >= 40)


def test_slow_voice_drops_phrases_but_never_lengthens_a_hold():
    slow = by_chars(8000)  # about seven times slower than a real voice: no count fits its second
    s = make("flexion", length_of=slow, only=("figure-four",), hold=15)
    assert_well_formed(s)
    for a, b in holds(s):
        assert b.start - a.start == 15 * SR
        inside = [e for e in s.events if a.start < e.start < b.start]
        assert [e.cue for e in inside if e.kind == "cue"] == ["tick", "tick", "tick"]


def test_reps_are_counted_on_the_grid():
    s = make("flexion", only=("sciatic-nerve-glide",), reps=10, side="right")
    period = round(4.5 * SR)
    (start, end), = holds(s)
    counts = [e for e in s.events if e.kind == "speech" and e.rep and e.text != "and back"]
    assert [e.text for e in counts] == [words().number(n) for n in range(1, 11)]
    assert [e.rep for e in counts] == list(range(1, 11))
    first = start.start + round(COUNT_LEAD * SR)
    assert [e.start for e in counts] == [first + k * period for k in range(10)]
    backs = [e for e in s.events if e.text == "and back"]
    assert [e.start for e in backs] == [first + k * period + period // 2 for k in range(10)]
    assert end.start == first + 10 * period
    assert {e.side for e in s.events if e.exercise == "sciatic-nerve-glide"} - {None} == {"right"}


def test_a_voice_too_slow_for_the_rep_tempo_is_a_clear_error():
    with pytest.raises(InputError, match="too slow"):
        make("flexion", length_of=by_chars(30000), only=("sciatic-nerve-glide",))


def test_each_side_gets_its_full_dose_with_time_to_switch():
    s = make("flexion", only=("knee-to-opposite-shoulder",), reps=4)
    sides = [a.side for a, _ in holds(s)]
    assert sides == ["left"] * 4 + ["right"] * 4
    i = next(i for i, e in enumerate(s.events) if e.text == words().switch_sides)
    announce = s.events[i + 2]
    assert announce.text == words().next_side_of("right")
    assert s.events[i + 3].kind == "silence" and s.events[i + 3].length >= 5 * SR


@pytest.mark.parametrize("routine", ["flexion", "extension"])
def test_half_a_second_after_every_tone_before_words(routine):
    assert_well_formed(make(routine))  # which checks it: after each hold's end, before "And relax."


def test_each_exercise_has_its_own_time_to_get_into_position():
    s = make("flexion")
    waits = {}
    for a, b in zip(s.events, s.events[1:]):
        if a.text == words().get_ready:
            waits.setdefault(a.exercise, b.length / SR)
    assert waits["figure-four"] >= 8  # an ankle over the other knee, hands behind the thigh
    assert waits["knees-to-chest"] == 4 and waits["knee-to-opposite-shoulder"] == 6


def test_a_single_hold_is_not_numbered():
    s = make("extension", only=("prone-lying",))
    spoken = [e.text for e in s.events if e.kind == "speech"]
    assert "Now hold." in spoken and not any("of one" in t for t in spoken)


def test_one_side_only():
    s = make("flexion", side="left")
    assert {e.side for e in s.events} <= {None, "left"}


def test_json_shape():
    d = make("flexion", only=("sciatic-nerve-glide",), reps=10, side="left").to_dict()
    assert set(d) == {"routine", "sample_rate", "total_seconds", "events"}
    assert d["routine"] == "flexion" and d["sample_rate"] == SR
    assert d["events"][-1]["end"] == d["total_seconds"]
    counts = [e for e in d["events"] if e.get("text") == "one"]
    assert counts[0]["rep"] == 1 and counts[0]["exercise"] == "sciatic-nerve-glide" and counts[0]["side"] == "left"
    assert {e["kind"] for e in d["events"]} == {"speech", "cue", "silence"}
    assert all(set(e) <= {"start", "end", "kind", "text", "cue", "exercise", "side", "rep"} for e in d["events"])


# Property tests: any valid options, any voice speed, the rules hold.
@st.composite
def sessions(draw):
    routine = draw(st.sampled_from(["flexion", "extension"]))
    r = routines(words())[routine]
    from coach.core.exercise import catalog

    chosen = draw(st.lists(st.sampled_from(r.exercises), unique=True, max_size=3))
    exs = [catalog(words())[e] for e in (chosen or r.exercises)]
    held = [e for e in exs if e.held]
    hold = None
    if held and draw(st.booleans()):
        lo, hi = max(e.hold.min for e in held), min(e.hold.max for e in held)
        if lo <= hi:
            hold = draw(st.integers(lo, hi))
    reps = None
    lo, hi = max(e.count.min for e in exs), min(e.count.max for e in exs)
    if lo <= hi and draw(st.booleans()):
        reps = draw(st.integers(lo, hi))
    side = draw(st.sampled_from(["both", "left", "right"]))
    per_char = draw(st.integers(300, 2500))
    return routine, dict(only=tuple(chosen), hold=hold, reps=reps, side=side), per_char


@settings(max_examples=60, deadline=None)
@given(sessions())
def test_properties(case):
    routine, options, per_char = case
    s = make(routine, length_of=by_chars(per_char), **options)
    assert_well_formed(s)
    doses = plan(routines(words())[routine], **options, words=words())
    expected_sets = sum(len(d.sides) * (d.count if d.hold_seconds else 1) for d in doses)
    pairs = holds(s)
    assert len(pairs) == expected_sets
    by_id = {d.exercise.id: d for d in doses}
    for a, b in pairs:
        d = by_id[a.exercise]
        if d.hold_seconds:
            assert b.start - a.start == d.hold_seconds * SR
        else:
            period = round(d.exercise.seconds_per_rep * SR)
            assert b.start - a.start == round(COUNT_LEAD * SR) + d.count * period
            counts = [e for e in s.events if a.start < e.start < b.start and e.kind == "speech" and e.text != "and back"]
            assert [e.start - counts[0].start for e in counts] == [k * period for k in range(d.count)]
