"""The session script: exact timing rules, checked on the pure core with stand-in speech lengths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.audio import cue
from coach.core.control import spans
from coach.core.dose import plan
from coach.core.errors import InputError
from coach.core.rules import routines
from coach.core.script import AFTER_TONE, COUNT_LEAD, SAID_BACK, SAMPLE_RATE, Guess, build
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


def rep_sets(script):
    """(the rep set's own note, the first event after its last rep), in order."""
    at = {e.start: e for e in script.events}
    return [(at[s.start], at[s.end]) for s in spans(script) if s.counted]


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
    held = [(a.exercise, a.side, (b.start - a.start) / SR) for a, b in pairs]
    assert held == (
        [("knees-to-chest", None, 30.0)] * 3
        + [("knee-to-opposite-shoulder", "left", 30.0)] * 3
        + [("knee-to-opposite-shoulder", "right", 30.0)] * 3
        + [("figure-four", "left", 30.0)] * 3
        + [("figure-four", "right", 30.0)] * 3
    )
    assert [(a.exercise, a.side) for a, _ in rep_sets(s)] == [("sciatic-nerve-glide", "left"), ("sciatic-nerve-glide", "right")]
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


def test_reps_are_counted_on_the_grid_after_their_own_note_not_the_hold_tones():
    s = make("flexion", only=("sciatic-nerve-glide",), reps=10, side="right")
    period = round(4.5 * SR)
    assert holds(s) == []  # nothing is held: no hold tones
    (start, end), = rep_sets(s)
    assert start.cue == "reps-start"
    counts = [e for e in s.events if e.kind == "speech" and e.rep and e.text != "and back"]
    assert [e.text for e in counts] == [words().number(n) for n in range(1, 11)]
    assert [e.rep for e in counts] == list(range(1, 11))
    first = start.start + round(COUNT_LEAD * SR)
    assert [e.start for e in counts] == [first + k * period for k in range(10)]
    backs = [e for e in s.events if e.text == "and back"]  # the first three reps only, then numbers alone
    assert [e.start for e in backs] == [first + k * period + period // 2 for k in range(SAID_BACK)]
    assert end.start == first + 10 * period and end.text == "Stop there. Let go, and rest your right foot on the floor."
    assert {e.side for e in s.events if e.exercise == "sciatic-nerve-glide"} - {None} == {"right"}
    spoken = [e.text for e in s.events if e.kind == "speech"]
    assert words().numbers_only in spoken and words().cues_moving in spoken


def test_a_voice_too_slow_for_the_rep_tempo_is_a_clear_error():
    with pytest.raises(InputError, match="too slow"):
        make("flexion", length_of=by_chars(30000), only=("sciatic-nerve-glide",))


def test_each_side_gets_its_full_dose_and_its_set_up_said_again():
    s = make("flexion", only=("knee-to-opposite-shoulder",), reps=4)
    sides = [a.side for a, _ in holds(s)]
    assert sides == ["left"] * 4 + ["right"] * 4
    i = next(i for i, e in enumerate(s.events) if e.text == words().switch_sides)
    spoken = [e.text for e in s.events[i:] if e.kind == "speech"]
    assert spoken[:4] == [words().switch_sides, words().next_side_of("right"),
                          "Keep your left leg straight, and draw your right knee toward your left shoulder.",
                          words().get_ready]
    ready = next(j for j in range(i, len(s.events)) if s.events[j].text == words().get_ready)
    assert s.events[ready + 1].kind == "silence" and s.events[ready + 1].length >= 6 * SR


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
    pairs = holds(s) + rep_sets(s)
    assert len(pairs) == expected_sets
    by_id = {d.exercise.id: d for d in doses}
    for a, b in pairs:
        d = by_id[a.exercise]
        if d.hold_seconds:
            assert (a.cue, b.cue) == ("hold-start", "hold-end")
            assert b.start - a.start == d.hold_seconds * SR
        else:
            assert a.cue == "reps-start"  # a moving exercise is never framed by the hold tones
            assert not any(e.cue in ("hold-start", "hold-end") for e in s.events if e.exercise == d.exercise.id)
            period = round(d.exercise.seconds_per_rep * SR)
            assert b.start - a.start == round(COUNT_LEAD * SR) + d.count * period
            counts = [e for e in s.events if a.start < e.start < b.start and e.kind == "speech" and e.text != "and back"]
            assert [e.start - counts[0].start for e in counts] == [k * period for k in range(d.count)]


# Words for ears only: each line followed with closed eyes.

def _exercises(lang="en"):
    from coach.core.exercise import catalog

    return catalog(words(lang)).values()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_line_of_a_sided_exercise_that_names_a_leg_names_its_side(lang):
    import re

    w = words(lang)
    part = re.compile(r"\b(leg|knee|ankle|thigh|foot|hip|buttock|shoulder|pierna|rodilla|tobillo|muslo|pie|cadera|nalga|hombro)\b")
    for ex in _exercises(lang):
        if not ex.per_side:
            continue
        for side in ("left", "right"):
            named = [*w.sides.values(), *w.sides_m.values()]  # the leg worked, or the other, by name
            for field in ("setup", "movement", "feel", "breathe", "release", "again"):
                line = w.sided(getattr(ex.say, field), side)
                assert "{" not in line, (ex.id, field, line)
                if field in ("movement", "release", "again") or part.search(line):
                    assert any(re.search(rf"\b{n}\b", line) for n in named), (ex.id, side, field, line)
                if field in ("movement", "again"):
                    assert re.search(rf"\b({w.sides[side]}|{w.sides_m[side]})\b", line), (ex.id, side, field, line)


def test_no_line_leans_on_a_leg_named_earlier():
    import re

    leaning = re.compile(r"\bthat (leg|knee|hip|ankle|thigh)\b|\bthe other\b|\bopposite\b|\bon, and back\b", re.IGNORECASE)
    for ex in _exercises():
        for line in ex.say.all():
            assert not leaning.search(line), (ex.id, line)


def _by_exercise(s):
    out: dict[str, list] = {}
    for e in s.events:
        if e.exercise:
            out.setdefault(e.exercise, []).append(e)
    return out


@pytest.mark.parametrize("routine", ["flexion", "extension"])
def test_each_exercise_has_one_breathing_cue_one_caution_and_its_own_release(routine):
    s = make(routine)
    w = words()
    for ex_id, events in _by_exercise(s).items():
        ex = next(e for e in _exercises() if e.id == ex_id)
        spoken = [e.text for e in events if e.kind == "speech"]
        breathing = [t for t in spoken if t in {w.sided(ex.say.breathe, side) for side in ("left", "right")}]
        assert len(breathing) == 1, (ex_id, breathing)
        assert spoken.count(ex.say.caution) == 1, ex_id
        releases = {w.sided(ex.say.release, side) for side in ("left", "right")}
        if ex.held:
            first_hold = holds(_only(s, ex_id))[0]
            inside = [e.text for e in events if first_hold[0].start < e.start < first_hold[1].start and e.kind == "speech"]
            assert inside[0] == breathing[0]  # the breathing cue opens the first hold
            after = [next(e for e in events if e.start > b.start and e.kind == "speech") for _, b in holds(_only(s, ex_id))]
            assert all(e.text in releases for e in after), ex_id  # each hold ends with the exercise's release
        else:
            assert all(b.text in releases for _, b in rep_sets(_only(s, ex_id)))
    assert w.relax not in [e.text for e in s.events]  # every built-in exercise has its own release


def _only(s, ex_id):
    from coach.core.script import Script

    return Script(s.routine, s.sample_rate, tuple(e for e in s.events if e.exercise == ex_id))


def test_and_back_is_said_with_the_first_reps_of_each_side_only():
    s = make("flexion")
    assert [e.text for e in s.events].count(words().and_back) == SAID_BACK * 2  # 24 before


def test_the_introduction_says_which_exercises_have_tones():
    flexion = [e.text for e in make("flexion").events if e.kind == "speech"]
    assert words().cues in flexion and words().cues_moving in flexion  # the glide moves
    stretches = [e.text for e in make("flexion", only=("knees-to-chest", "figure-four")).events if e.kind == "speech"]
    assert words().cues in stretches and words().cues_moving not in stretches


# Drafts: a script built while its phrases are still being made (a live session's cold start).

def _draft_of(routine, options, per_char, known, guess_factor):
    """The session with only the phrases in `known` exact; every other length a Guess."""
    exact = by_chars(per_char)
    return make(routine, length_of=lambda text: exact(text) if text in known
                else Guess(max(1, round(exact(text) * guess_factor))), **options)


@settings(max_examples=60, deadline=None)
@given(sessions(), st.data())
def test_a_draft_is_final_before_its_first_guess_and_never_settles_inside_a_hold(case, data):
    routine, options, per_char = case
    final = make(routine, length_of=by_chars(per_char), **options)
    assert final.final and final.ready == final.total
    said = list(dict.fromkeys(e.text for e in final.events if e.kind == "speech"))
    known = set(said[: data.draw(st.integers(0, len(said)), label="phrases made")])
    draft = _draft_of(routine, options, per_char, known, data.draw(st.floats(0.3, 3.0), label="guess"))
    if known >= set(said):
        assert draft == final
        return
    assert not draft.final and 0 <= draft.settled < draft.total
    # the settled part is the final script's, sample for sample: every event that starts in it
    before = [e for e in draft.events if e.start < draft.settled]
    assert before[:-1] == [e for e in final.events if e.start < draft.settled][: len(before) - 1]
    if before:
        assert before[-1].kind == "silence" or before[-1].end <= draft.settled
        same = next(e for e in final.events if e.start == before[-1].start)
        assert (same.kind, same.text, same.cue) == (before[-1].kind, before[-1].text, before[-1].cue)
    for span in spans(final):  # a wait for speech at the settled point never lengthens a hold or rep set
        assert not span.start < draft.settled < span.end, (span, draft.settled)


def test_the_first_phrase_made_settles_the_opening():
    final = make(length_of=by_chars())
    first = final.events[0].text
    draft = _draft_of("flexion", {}, 1100, {first}, 1.0)
    assert draft.settled == final.events[1].end  # the intro and the pause after it: nothing more
    assert draft.total == final.total  # a guess as good as the truth plans the same session


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_introduction_names_what_the_session_does(lang):
    """The routine's own introduction for the routine as it is; cut down by --only, or with a
    position taken in place of one, its name and the day's exercises in order."""
    from coach.core.dose import in_place

    w = words(lang)
    flexion, extension = routines(w)["flexion"], routines(w)["extension"]
    opening = lambda r, only=(): build(r, plan(r, only, words=w), w, by_chars()).events[0].text  # noqa: E731
    assert opening(flexion) == flexion.intro
    today = opening(flexion, ("figure-four", "knees-to-chest"))
    names = [ex.name.lower() for ex in (flexion.steps[0].exercise, flexion.steps[2].exercise)]
    assert today != flexion.intro and names[0] in today.lower() and names[1] in today.lower()
    assert today.lower().index(names[0]) < today.lower().index(names[1])  # in the order they are done
    assert flexion.steps[1].exercise.name.lower() not in today.lower()
    pressed = in_place(extension, {"prone-on-elbows": "press-up"}, w)
    said = opening(pressed)
    assert said != extension.intro and [s.exercise.name for s in pressed.steps][1].lower() in said.lower()


def test_a_rest_is_exact_to_the_sample_up_to_the_questions_again():
    """The rest after a flare and "the same questions again" are one script: the phrase starts
    exactly the rest's length after the last line ends (a separate play restarted the stream,
    0.9 s late on a loaded machine)."""
    from coach.core.script import rest_period

    script = rest_period(["Lie comfortably."], 60, "Halfway.", lambda text: 1000, 22050, then="Again.")
    said = [e for e in script.events if e.kind == "speech"]
    assert [e.text for e in said] == ["Lie comfortably.", "Halfway.", "Again."]
    assert said[-1].start - (said[0].start + said[0].length) == 60 * 22050
    assert script.total == said[-1].start + said[-1].length
