"""Keys during a live session, in a pseudo-terminal the size of a terminal window, with the audio
server recording the output; the full-screen board read back by a terminal emulator."""

from __future__ import annotations

import os
import signal
import termios

import pytest

from coach.audio import cue
from coach.audio.speech import Clips
from coach.core.control import count_in
from coach.core.script import SAMPLE_RATE
from coach.core.words import catalog as words
from coach.storage import paths
from coach.storage.history import History
from tests.audio_server import LIVE_TOLERANCE, RATE, cue_onsets, phrase_onsets
from tests.conftest import ONE_SIDE, TINY, brief, coach_voice, screened_today
from tests.terminal import Terminal

HOLD = 15  # seconds: room to pause and resume inside one hold
ARGS = (*ONE_SIDE, "--hold", str(HOLD), "--no-ratings")
WINDOW = (80, 24)


def given_back(term: Terminal) -> None:
    """The terminal as the coach found it: its own screen, the cursor shown, echo and line mode on."""
    assert not term.screen.alternate, "\n".join(term.screen.display)
    assert not term.screen.cursor.hidden
    assert term.modes & termios.ECHO and term.modes & termios.ICANON


def resumed_hold(recording) -> tuple[int, float]:
    """On the recording of a session with one paused hold: the hold's start cue (a sample of the
    recording), and the seconds heard of it from the end of the spoken count-in that resumed it
    ("Resuming. Three, two, one.") to its end cue."""
    sr = SAMPLE_RATE
    start = cue_onsets(recording, cue.render("hold-start", RATE), 2, RATE)[0]
    end = cue_onsets(recording, cue.render("hold-end", RATE), 1, RATE)[0]
    clips = Clips(coach_voice(400), paths.cache_dir(), sr)
    [said] = phrase_onsets(recording, clips.get(words().resuming), sr, 1)
    return start, (end - said) / RATE - count_in(words(), clips.length, sr).seconds


def test_pause_resume_inside_a_hold_keeps_it_exact_then_quit(pulse):
    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, "start", *ARGS, size=WINDOW)
    brief(term)
    held = term.wait_shown("seconds left · hold 1 of 2")
    assert term.screen.cursor.hidden and term.shows("q quit")
    term.wait_until(lambda: recorder.reached(held + 4.0))  # four seconds into the hold, on the audio clock
    paused = term.press(" ")
    shown = term.wait_shown("PAUSED: ")  # "press space", or "say \"go on\" or press space" when it listens
    term.wait_until(lambda: recorder.reached(shown + 2.0))
    resumed = term.press(" ")
    term.wait_shown("seconds left · hold 2 of 2")
    code = term.quit()
    recording = recorder.stop()
    assert code == 0, "\n".join(term.screen.display)
    assert term.shows("the session is recorded as quit")
    given_back(term)

    # the hold a person did, on the recording: from the start cue to the pause, then from the end
    # of the spoken count-in ("Resuming. Three, two, one.") to the end cue
    start, after = resumed_hold(recording)
    before = (recorder.index_at(paused) - start) / RATE  # the pause, placed by the recorder's clock
    print(f"held {before:.3f} + {after:.3f} = {before + after:.3f} s")
    assert abs(before + after - HOLD) < LIVE_TOLERANCE, (before, after)
    assert 3.0 < before < 6.0 and (resumed - paused) > 1.5

    with History.open() as h:
        [s] = h.table("sessions")
    assert (s["outcome"], s["step"]) == ("quit", "knee-hug, left side")


NPR = ("start", *TINY, "--side", "left", "--no-ratings")  # reach up, then a knee hug on the left


def test_next_previous_and_repeat_land_on_the_right_exercise(pulse):
    screened_today()
    term = Terminal(pulse.env, *NPR, size=WINDOW)
    brief(term)
    term.wait_shown(" Reach up.")  # the sentence said last, under the large type
    assert term.shows("exercise 1 of 2")
    term.press("n")
    term.wait_shown(" Knee hug.")
    assert term.shows("exercise 2 of 2") and term.shows("left side")
    term.press("p")
    term.wait_shown(" Reach up.")
    assert term.shows("exercise 1 of 2") and term.shows("Next: Knee hug")
    term.wait_shown(" Lie on your back.")  # the next sentence: the exercise goes on from its start
    term.press("r")
    term.wait_shown(" Reach up.")
    term.press("q")
    term.wait_shown("Press q again to quit")
    term.press("x")  # anything else: go on
    term.wait_gone("Press q again to quit")
    term.wait_gone("PAUSED")
    assert term.quit() == 0
    given_back(term)
    with History.open() as h:
        [s] = h.table("sessions")
    assert (s["outcome"], s["step"]) == ("quit", "reach-up")


def test_keys_with_plain_lines(pulse):
    """--plain in a terminal: the keys work the same, and each event is a line."""
    screened_today()
    term = Terminal(pulse.env, *NPR, "--plain", size=WINDOW)
    brief(term)
    term.wait_for("Keys: space pause/resume")
    term.wait_for("Reach up.")
    term.press("n")
    term.wait_for("Knee hug.")
    term.press("p")
    term.wait_for("Reach up.", count=2)
    term.press("q")
    term.wait_for("Press q again to quit")
    term.press("q")
    assert term.finish() == 0
    text = term.out.decode(errors="replace")
    jumps = text.split("(continuing here)")
    assert len(jumps) == 3  # next, previous
    assert jumps[1].splitlines()[1].endswith("Knee hug.")
    assert jumps[2].splitlines()[1].endswith("Reach up.")
    assert not term.screen.alternate and b"\x1b[?1049h" not in term.out


@pytest.mark.parametrize("how, code", [("ctrl-c", 130), ("sigterm", 143)])
def test_the_terminal_is_given_back_after_ctrl_c_or_a_signal(pulse, how, code):
    screened_today()
    term = Terminal(pulse.env, *NPR, size=WINDOW)
    brief(term)
    term.wait_shown("exercise 1 of 2")
    if how == "ctrl-c":
        term.press("\x03")  # the terminal turns it into SIGINT, as a person's Ctrl-C
    else:
        import os

        os.kill(term.pid, signal.SIGTERM)
    assert term.finish() == code, term.out.decode(errors="replace")[-3000:]
    given_back(term)
    assert term.shows("Stopped.")
    with History.open() as h:
        [s] = h.table("sessions")
    assert s["outcome"] == "interrupted"


@pytest.mark.live  # its own audio server, stopped mid-session
def test_the_terminal_is_given_back_after_an_error(tmp_path):
    """The audio output lost in the middle of the board: one error line, on the terminal's own screen."""
    from tests.audio_server import PulseServer

    screened_today()
    server = PulseServer().start()  # its own server: this test stops it mid-session
    try:
        term = Terminal(server.env, *NPR, size=WINDOW)
        brief(term)
        term.wait_shown("exercise 1 of 2")
    finally:
        server.stop()
    assert term.finish() == 1
    given_back(term)
    assert term.shows("Error: the audio output stopped in the middle of the session.")
    assert "Traceback" not in term.out.decode(errors="replace")


def test_the_board_follows_the_terminal_size(pulse):
    screened_today()
    term = Terminal(pulse.env, "start", *ARGS, "--hold", "30", size=WINDOW)  # time to resize twice in one hold
    brief(term)
    term.wait_shown("seconds left · hold 1 of 2")
    digits = _digit_rows(term)
    term.resize(120, 40)
    term.wait_until(lambda: _digit_rows(term) > digits)  # larger digits in a larger window
    assert term.shows("seconds left · hold 1 of 2"), "\n".join(term.screen.display)
    assert max(len(row.rstrip()) for row in term.screen.display) > 80
    term.resize(40, 12)  # the emulator cuts its rows to 40 columns, and the label centred at 120 with them
    term.wait_shown("hold 1 of 2", timeout=10)  # drawn again, for the narrow window
    term.press("q")
    term.wait_shown("Press q again")
    term.press("q")
    assert term.finish() == 0
    given_back(term)


def _digit_rows(term: Terminal) -> int:
    return sum("██" in row for row in term.screen.display)


QQ = ("start", *ARGS, "--rate", "250")  # the confirmation sentence takes seconds to say


def test_q_q_quits_at_once_cutting_the_confirmation_off(pulse):
    import time

    import numpy as np

    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, *QQ, size=WINDOW)
    brief(term)
    term.wait_shown("seconds left · hold 1 of 2")
    term.press("q")
    shown = term.wait_shown("Press q again to quit")
    term.wait_until(lambda: recorder.reached(shown + 0.4))  # the sentence has begun
    second = term.press("q")
    code = term.finish()
    took = time.monotonic() - second
    term_text = "\n".join(term.screen.display)
    sentence = Clips(coach_voice(250), paths.cache_dir(), SAMPLE_RATE).length(words().quit_confirm) / SAMPLE_RATE
    recorder.wait_until(second + sentence + 0.5)  # the sink, recorded for as long as the sentence would go on
    recording = recorder.stop()
    assert code == 0, term_text
    given_back(term)
    print(f"q q: exit {took:.3f} s after the second q; the whole sentence is {sentence:.2f} s")
    assert sentence > 1.5 and took < sentence / 2  # a generous bound: the figure is in scripts/bench
    # on the recording: silent from half a second after the second q, where the sentence would go on
    at = recorder.index_at(second)
    assert np.abs(recording[at + RATE // 2: at + int(sentence * RATE)]).max() < 0.01


def test_an_answer_key_pressed_mid_question_is_taken_and_stops_its_speech(pulse):
    from coach.clinical.screening import screening

    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, *QQ, size=WINDOW)
    first, second = screening(words()).groups[0].questions[:2]
    asking = term.wait_shown(first.text[:40])
    term.wait_until(lambda: recorder.reached(asking + 0.5))  # the question is being said
    pressed = term.press("n")
    shown = term.wait_shown(second.text[:40])
    clips = Clips(coach_voice(250), paths.cache_dir(), SAMPLE_RATE)
    term.wait_until(lambda: recorder.reached(shown + clips.length(second.text) / SAMPLE_RATE + 1.0))  # said whole
    term.press("n")
    term.wait_for("[y yes, n no]", count=3)
    term.press("n")
    term.wait_for("  > no", count=3)
    os.kill(term.pid, signal.SIGTERM)  # the questions were the test
    assert term.finish() == 128 + signal.SIGTERM
    recording = recorder.stop()
    whole = clips.length(first.text) / SAMPLE_RATE
    [asked] = phrase_onsets(recording, clips.get(second.text), SAMPLE_RATE, 1)
    after = (asked - recorder.index_at(pressed)) / RATE
    print(f"the next question began {after:.3f} s after the key; the first takes {whole:.2f} s to say")
    # the key drops what is buffered, so the next question follows at once: `index_at` marks the
    # key late by up to one recorded chunk, so "after" may read a few ms below zero
    assert whole > 1.5 and -0.05 < after < whole / 2
    with History.open() as h:
        answers = [a["answer"] for a in h.table("screening_answers")]
    assert answers[-3:] == ["no", "no", "no"]
