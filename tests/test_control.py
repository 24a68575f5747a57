"""Pause, resume, skip and repeat as positions on the pure script (the live keys come later)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.core.control import count_in, next_exercise, previous_exercise, repeat, resume_at, spans
from coach.core.script import SAMPLE_RATE, SPEECH
from coach.core.words import catalog as words
from tests.test_script import by_chars, make

SR = SAMPLE_RATE
FLEXION = make()
EXERCISES = ["knees-to-chest", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide"]


def event_at(script, position):
    return next(e for e in script.events if e.start <= position < e.end)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_paused_hold_adds_up_to_its_prescription(data):
    held = [s for s in spans(FLEXION) if not s.counted]
    span = data.draw(st.sampled_from(held))
    paused = data.draw(st.integers(span.start, span.end - 1))
    resumed = resume_at(FLEXION, paused)
    assert resumed == paused  # the rest of the hold, to the sample
    assert (paused - span.start) + (span.end - resumed) == span.end - span.start


@settings(max_examples=300, deadline=None)
@given(st.integers(0, FLEXION.total - 1))
def test_resuming_never_skips_ahead_and_restarts_a_sentence(position):
    resumed = resume_at(FLEXION, position)
    assert resumed <= position
    e = event_at(FLEXION, position)
    inside_a_hold = any(position in s for s in spans(FLEXION))
    if e.kind == SPEECH and not inside_a_hold:
        assert resumed == e.start


def test_a_paused_rep_set_restarts_the_current_rep_on_its_count():
    reps = [s for s in spans(FLEXION) if s.counted]
    assert len(reps) == 2  # the nerve glide, each side
    span = reps[0]
    counts = [e for e in FLEXION.events if span.start <= e.start < span.end and e.kind == SPEECH and e.text != "and back"]
    period = counts[1].start - counts[0].start
    for k, count in enumerate(counts[:-1]):
        mid = count.start + period // 3
        assert resume_at(FLEXION, mid) == count.start
        assert (count.start - counts[0].start) == k * period  # on the grid


def test_next_previous_and_repeat_land_on_exercise_and_side_starts():
    starts = {}
    for e in FLEXION.events:
        if e.exercise and e.exercise not in starts:
            starts[e.exercise] = e.start
    assert list(starts) == EXERCISES
    assert next_exercise(FLEXION, 0) == starts["knees-to-chest"]
    for a, b in zip(EXERCISES, EXERCISES[1:]):
        inside = starts[a] + SR
        assert next_exercise(FLEXION, inside) == starts[b]
        assert previous_exercise(FLEXION, starts[b] + SR) == starts[a]
    assert next_exercise(FLEXION, starts["sciatic-nerve-glide"] + SR) is None
    assert previous_exercise(FLEXION, starts["knees-to-chest"] + SR) == starts["knees-to-chest"]
    # repeat: the current side of a per-side exercise
    right = next(e for e in FLEXION.events if e.exercise == "figure-four" and e.side == "right")
    assert repeat(FLEXION, right.start + 20 * SR) == right.start
    left = next(e for e in FLEXION.events if e.exercise == "figure-four" and e.side == "left")
    assert repeat(FLEXION, left.start + 20 * SR) == left.start
    assert event_at(FLEXION, right.start).text == "Switch sides."


def test_the_count_in_is_three_two_one_a_second_apart():
    script = count_in(words(), by_chars(), SR)
    spoken = [(e.start, e.text) for e in script.events if e.kind == SPEECH]
    assert [t for _, t in spoken] == ["Resuming.", "three", "two", "one"]
    assert spoken[2][0] - spoken[1][0] == SR and spoken[3][0] - spoken[2][0] == SR
    assert script.total == spoken[1][0] + 3 * SR
