"""Keys during a live session, in a pseudo-terminal, with the audio server recording the output."""

from __future__ import annotations

import termios


from coach import cue, paths
from coach.control import count_in
from coach.history import History
from coach.script import SAMPLE_RATE
from coach.speech import Clips, VoiceSettings
from coach.words import words
from tests.audio_server import RATE, cue_onsets, phrase_onsets
from tests.conftest import screened_today
from tests.terminal import Terminal

ARGS = ("--flexion", "--only", "figure-four", "--hold", "15", "--reps", "2", "--side", "left",
        "--no-ratings", "--rate", "400")


def test_pause_resume_inside_a_hold_keeps_it_exact_then_quit(pulse):
    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, "start", *ARGS)
    term.wait_for("Keys: space pause/resume")
    term.wait_for("(tone: hold starts)")
    term.read(4.0)
    paused = term.press(" ")
    term.wait_for("Paused.")
    term.read(2.0)
    resumed = term.press(" ")
    term.wait_for("(tone: hold ends)")
    term.wait_for("(tone: hold starts)", count=2)
    term.read(2.0)
    term.press("q")
    term.wait_for("Press q again to quit")
    term.press("q")
    code = term.finish()
    recording = recorder.stop()
    text = term.out.decode(errors="replace")
    assert code == 0, text[-800:]
    assert "the session is recorded as quit" in text
    assert term.modes & termios.ECHO and term.modes & termios.ICANON  # echo and line mode back on

    # the hold a person did, on the recording: from the start cue to the pause, then from the end
    # of the spoken count-in ("Resuming. Three, two, one.") to the end cue
    sr = SAMPLE_RATE
    start = cue_onsets(recording, cue.render("hold-start", RATE), 2, RATE)[0]
    end = cue_onsets(recording, cue.render("hold-end", RATE), 1, RATE)[0]
    clips = Clips(VoiceSettings(rate=400), paths.cache_dir(), sr)
    [said] = phrase_onsets(recording, clips.get(words().resuming), sr, 1)
    after = (end - said) / RATE - count_in(words(), clips.length, sr).seconds
    before = (recorder.index_at(paused) - start) / RATE  # the pause, placed by the recorder's clock
    print(f"held {before:.3f} + {after:.3f} = {before + after:.3f} s")
    assert abs(before + after - 15.0) < 0.05, (before, after)
    assert 3.0 < before < 6.0 and (resumed - paused) > 1.5

    with History.open() as h:
        [s] = h.table("sessions")
    assert (s["outcome"], s["step"]) == ("quit", "figure-four, left side")


def test_next_previous_and_repeat_land_on_the_right_exercise(pulse):
    screened_today()
    term = Terminal(pulse.env, "start", "--flexion", "--only", "knees-to-chest", "--only", "figure-four", "--reps", "2",
                    "--side", "left", "--no-ratings", "--rate", "400")
    term.wait_for("Knees to chest.")
    term.read(1.0)
    term.press("n")
    term.wait_for("Figure four stretch.")
    term.read(1.0)
    term.press("p")
    term.wait_for("Knees to chest.", count=2)
    term.read(1.0)
    term.press("r")
    term.wait_for("Knees to chest.", count=3)
    term.read(0.5)
    term.press("q")
    term.wait_for("Press q again to quit")
    term.press("x")  # anything else: go on
    term.wait_for("Resuming.")
    term.press("q")
    term.wait_for("Press q again to quit", count=2)
    term.press("q")
    assert term.finish() == 0
    text = term.out.decode(errors="replace")
    jumps = text.split("(continuing here)")
    assert len(jumps) == 5  # next, previous, repeat, and the resume after the first q
    assert jumps[1].splitlines()[1].endswith("Figure four stretch.")
    assert jumps[2].splitlines()[1].endswith("Knees to chest.")
    assert jumps[3].splitlines()[1].endswith("Knees to chest.")
    with History.open() as h:
        [s] = h.table("sessions")
    assert (s["outcome"], s["step"]) == ("quit", "knees-to-chest")
