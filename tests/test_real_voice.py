"""Real people's recordings (tests/speech) played into the test audio server's microphone: what
`coach listen --for KIND` takes from them, a `coach test` answered by them, and what is never
taken: another voice's yes unconfirmed, noise bursts, the coach's own sound."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from tests.audio_server import MIC_RATE
from tests.conftest import BRIEF, ONE_SIDE, screened_today, start_with_answers
from tests.test_listen import history_rows
from tests.voices import Spoken, real

pytestmark = [pytest.mark.usefixtures("pulse"), pytest.mark.live]

DIGITS = ["digits/4_theo_5.wav", "digits/9_jackson_32.wav", "commands/three-93ec8b84_nohash_0.wav"]
YES, NO = "commands/yes-93ec8b84_nohash_0.wav", "commands/no-93ec8b84_nohash_0.wav"


def listened(pulse, shared_cache, kind: str, clips: list[str], expected: list[str | None],
             seconds: float = 25) -> list[dict]:
    """`coach listen --for KIND --json`, each clip said once it listens: what it printed for
    each clip. A clip that should be taken and was not (nothing found in the sound, or words
    that are no answer) is said once more, as a person would; one taken wrongly is never said
    again, and a clip that should not be taken is said once."""
    run = Spoken(["listen", "--for", kind, "--json", "--seconds", str(seconds)], pulse, shared_cache)
    run.wait_for('{"event": "listening"}', timeout=90)
    got: list[dict] = []
    for clip, wanted in zip(clips, expected):
        for attempt in range(2):
            run.say(clip, "real")
            try:
                result = json.loads(run.next_line('"took"', timeout=20 if attempt == 0 else 30))
            except AssertionError:  # not even a stretch of speech found (a loaded machine)
                if attempt or wanted is None:
                    raise
                continue
            if result["took"] is not None or wanted is None or attempt:
                break
        got.append(result)
    code, out, err = run.finish(timeout=seconds + 60)
    assert code == 0 and "Traceback" not in err, out + err
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert lines[0] == {"event": "listening"}
    return got


def test_listen_for_pain_takes_real_numbers(pulse, shared_cache):
    got = listened(pulse, shared_cache, "pain", DIGITS, ["4", "9", "3"])
    assert [g["took"] for g in got] == ["4", "9", "3"], got
    for g in got:
        assert set(g) == {"t", "took", "said", "confidence", "level"}
        assert 0 < g["t"] < 25 and 0 <= g["confidence"] <= 1 and -60 < g["level"] <= 0


def test_listen_for_yes_no_and_commands_take_real_voices_and_not_a_dog(pulse, shared_cache):
    got = listened(pulse, shared_cache, "yes-no", [YES, NO], ["yes", "no"])
    assert [g["took"] for g in got] == ["yes", "no"], got
    got = listened(pulse, shared_cache, "commands", ["commands/stop-97f4c236_nohash_2.wav",
                                                     "commands/dog-988e2f9a_nohash_0.wav"], ["quit", None])
    assert [g["took"] for g in got] == ["quit", None], got  # "dog" was once taken as quit


@pytest.mark.timeout(720)  # a whole test by voice, a 30 s hold: 221 s on a loaded machine, 3x that
def test_coach_test_answered_by_real_people(pulse, shared_cache):
    """The safety questions and the pain numbers by real voices; where no real recording of the
    word exists here ("foot", "calf", "better"), the second synthetic voice."""
    run = Spoken(["test", "--rate", "400"], pulse, shared_cache)
    run.wait_for("Listening: answer aloud or by key")
    for _ in range(11):
        run.answer("[y yes, n no]", NO, voice="real")
    run.answer("pain is in your leg", "commands/four-6a27a9bf_nohash_0.wav", voice="real")  # the 8 kHz "four" is quiet (-42 dBFS): once never heard
    run.answer("in your lower back", "commands/three-93ec8b84_nohash_0.wav", voice="real")
    run.answer("does the pain reach", "foot", voice="second")
    run.answer("pain is in your leg", "digits/2_theo_1.wav", voice="real")
    run.answer("in your lower back", "commands/three-93ec8b84_nohash_0.wav", voice="real")
    run.answer("does the pain reach", "calf", voice="second")
    run.answer("new numbness or tingling in your leg", NO, voice="real")  # (not a safety question's)
    run.answer("better, the same, or worse", "better", voice="second")
    code, out, err = run.finish()
    assert code == 0 and "Traceback" not in err, out + err
    assert [tuple(r) for r in history_rows("SELECT answer, given FROM screening_answers")] == [("no", "voice")] * 11
    ratings = history_rows("SELECT moment, leg, back, reach, given FROM ratings ORDER BY id")
    assert [tuple(r) for r in ratings] == [("baseline", 4, 3, "foot", "voice"), ("after", 2, 3, "calf", "voice")]
    assert tuple(history_rows("SELECT outcome, result FROM trials")[0]) == ("completed", "flexion")


@pytest.mark.timeout(420)  # 3x its 124 s on a loaded machine (issue 29: no test within 3x of its limit)
def test_another_voices_yes_unconfirmed_never_sends_anyone_to_emergency_care(pulse, shared_cache):
    """A yes to the saddle-numbness question, then nothing: asked again, never acted on; the
    person's own no then answers it."""
    run = Spoken(["test", "--rate", "400"], pulse, shared_cache)
    run.wait_for("Listening: answer aloud or by key")
    run.wait_for("[y yes, n no]")
    asked = time.monotonic()
    run.say(YES, "real", after=asked)
    run.wait_for("Is that right?")
    # no confirmation: after 10 s of silence the question is asked again, and answered no
    run.answer("numbness or tingling around your anus", NO, voice="real")
    for _ in range(8):  # the rest of the questions
        run.answer("[y yes, n no]", NO, voice="real")
    run.proc.terminate()
    code, out, err = run.finish()
    assert "emergency" not in out.lower(), out
    rows = history_rows("SELECT answer FROM screening_answers")
    assert "yes" not in [r["answer"] for r in rows]


@pytest.mark.timeout(330)  # 3x its 101 s on a loaded machine (issue 29: no test within 3x of its limit)
def test_noise_bursts_into_the_microphone_are_no_command(pulse):
    """A session plays with noise bursts and a dog's bark-length word said into the microphone
    between its phrases: nothing is taken, nothing paused, the session completes."""
    screened_today()
    mouth = pulse.mouth()
    proc = start_with_answers(["start", *ONE_SIDE, "--hold", "5"], pulse.env, [*BRIEF, "3", "k", "3", "k", "n"])
    recorder = pulse.recorder().start()
    rng = np.random.default_rng(26)
    for _ in range(4):  # each burst once the coach has spoken and gone quiet: into what it listens to
        assert recorder.wait_for_sound(60) and recorder.wait_for_quiet(0.6), "the session never spoke, or never paused"
        burst = np.concatenate([rng.normal(0, 9000, int(0.25 * MIC_RATE)), np.zeros(MIC_RATE // 5)])
        mouth.say(np.clip(burst, -32768, 32767).astype(np.int16), lead=0.1)
    mouth.say(real("commands/dog-988e2f9a_nohash_0.wav"))
    out, err = proc.communicate(timeout=200)
    recorder.stop()
    assert proc.returncode == 0, out + err
    assert "PAUSED" not in out and "Stop the session?" not in out and "heard:" not in out, out
