"""Speech through the real engine: synthesis, trimming, the disk cache, voices."""

from __future__ import annotations

import numpy as np
import pytest

from coach.audio import wav
from coach.audio.espeak import Engine
from coach.audio.speech import TRIM_THRESHOLD, Clips, VoiceSettings, trim
from coach.core.errors import InputError
from coach.core.script import SAMPLE_RATE
from coach.storage import paths


def read_wav(path):
    samples, rate = wav.read(path)
    return wav.to_float(samples), rate


@pytest.fixture(scope="module")
def engine():
    return Engine()


def test_real_engine_synthesizes_a_phrase(engine, tmp_path):
    path = tmp_path / "p.wav"
    engine.synthesize("Hold one of three.", path)
    pcm, rate = read_wav(path)
    assert rate == 22050
    assert len(pcm) > 0.5 * rate
    assert np.sqrt(np.mean(pcm**2)) > 0.02  # speech, not silence


def test_many_phrases_in_a_row_each_come_out_whole(engine, tmp_path):
    """The measured pitfall: runAndWait may return early; we wait for the callback."""
    for i in range(30):
        path = tmp_path / f"{i}.wav"
        engine.synthesize(f"Count {i}.", path)
        pcm, _ = read_wav(path)
        assert len(pcm) > 0.2 * 22050, i


def test_trim_removes_the_engines_silence(engine, tmp_path):
    path = tmp_path / "p.wav"
    engine.synthesize("three", path)
    raw, rate = read_wav(path)
    clip = trim(raw, rate)
    assert 0 < len(clip) < len(raw) - 0.2 * rate  # the ~250 ms end pause is gone
    loud = np.flatnonzero(np.abs(clip) > TRIM_THRESHOLD)
    assert loud[0] < 0.02 * rate and len(clip) - loud[-1] < 0.03 * rate
    assert abs(clip[0]) < 1e-3 and abs(clip[-1]) < 1e-3


def test_cache_second_run_synthesizes_nothing(fresh_home):
    texts = ["Go gently.", "Switch sides.", "one"]
    first = Clips(VoiceSettings(rate=150), paths.cache_dir(), SAMPLE_RATE)
    a = [first.get(t) for t in texts]
    assert first.synthesized == 3
    second = Clips(VoiceSettings(rate=150), paths.cache_dir(), SAMPLE_RATE)
    b = [second.get(t) for t in texts]
    assert second.synthesized == 0 and second._engine is None  # the engine never started
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    # a different rate or voice is a different clip
    faster = Clips(VoiceSettings(rate=200), paths.cache_dir(), SAMPLE_RATE)
    assert len(faster.get("Switch sides.")) < len(a[1])
    assert faster.synthesized == 1


def test_a_damaged_cache_file_is_made_again(fresh_home):
    clips = Clips(VoiceSettings(), paths.cache_dir(), SAMPLE_RATE)
    good = clips.get("Go gently.")
    clips.path("Go gently.").write_bytes(b"RIFF broken")
    again = Clips(VoiceSettings(), paths.cache_dir(), SAMPLE_RATE)
    assert abs(len(again.get("Go gently.")) - len(good)) < 0.05 * SAMPLE_RATE
    assert again.synthesized == 1


def test_voices_and_resolving_them(engine):
    voices = engine.voices()
    assert len(voices) > 10
    ids = {v.id for v in voices}
    assert "gmw/en-us" in ids
    assert engine.resolve_voice("en-us") == "gmw/en-us"
    assert engine.resolve_voice("English (America)") == "gmw/en-us"
    with pytest.raises(InputError, match="unknown voice 'no-such-voice'"):
        engine.resolve_voice("no-such-voice")


def test_a_chosen_voice_is_used(fresh_home):
    us = Clips(VoiceSettings(voice="en-us"), paths.cache_dir(), SAMPLE_RATE).get("Relax.")
    es = Clips(VoiceSettings(voice="es"), paths.cache_dir(), SAMPLE_RATE).get("Relax.")
    assert not np.array_equal(us[: min(len(us), len(es))], es[: min(len(us), len(es))])


def test_changing_rate_back_and_forth_in_one_process_takes_effect(fresh_home):
    """A rate change between two phrases was once dropped by the engine's loop."""
    lengths = {}
    for i, rate in enumerate((200, 120, 200, 120)):
        clips = Clips(VoiceSettings(rate=rate), paths.cache_dir(), SAMPLE_RATE)
        lengths.setdefault(rate, []).append(clips.length(f"Bring both knees toward your chest, number {i}."))
    assert max(lengths[200]) < 0.8 * min(lengths[120])


@pytest.mark.parametrize("text", ["...", "-", "  "])
def test_a_phrase_the_engine_says_as_silence_is_that_phrases_problem(fresh_home, text):
    clips = Clips(VoiceSettings(), paths.cache_dir(), SAMPLE_RATE)
    with pytest.raises(InputError) as e:
        clips.get(text)
    assert str(e.value) == (f"the speech engine says nothing for the text {text!r}: "
                            "give it words it can say (letters or digits).")
    assert "espeak" not in str(e.value)
    assert len(clips.get("Go gently.")) > 0  # the engine itself is fine


def test_the_pyttsx3_internals_speech_relies_on_are_there(engine):
    """The installed pyttsx3 is the one pinned in pyproject: what coach/audio/speech.py reaches
    for past its public API is all there. A new pyttsx3 fails here, naming what changed."""
    import importlib.metadata

    from coach.audio.espeak import missing_internals

    version = importlib.metadata.version("pyttsx3")
    missing = missing_internals(engine)
    assert not missing, (f"pyttsx3 {version} lacks what coach/audio/speech.py relies on: {'; '.join(missing)}. "
                         "Check speech.py against this version before widening the pin in pyproject.toml.")
    assert version.startswith("2.99"), f"pyttsx3 {version} is outside the tested range (pyproject: >=2.99,<2.100)"


def test_an_engine_without_them_is_named(engine, monkeypatch):
    from pyttsx3.drivers import _espeak, espeak

    from coach.audio.espeak import missing_internals

    monkeypatch.delattr(_espeak, "Synchronize")
    monkeypatch.setattr(espeak, "time", None)
    missing = missing_internals(engine)
    assert any("Synchronize" in m for m in missing) and any("run loop" in m for m in missing)


def test_phrases_made_in_a_thread_lose_nothing_printed_meanwhile(tmp_path, capsys):
    """The espeak driver prints a line for every phrase it saves; silencing it must not silence
    the session's own lines, printed while a thread makes phrases ahead (as a cold session does)."""
    import threading

    clips = Clips(VoiceSettings("en-us"), tmp_path, SAMPLE_RATE)
    made = threading.Thread(target=lambda: [clips.get(f"Phrase number {n}.") for n in range(12)])
    made.start()
    printed = 0
    while made.is_alive() or printed < 100:
        print(f"line {printed}")
        printed += 1
    made.join()
    out = capsys.readouterr().out
    assert out.splitlines() == [f"line {n}" for n in range(printed)]  # every line, and nothing of the driver's


def test_a_phrase_at_another_rate_is_resampled_band_limited():
    """Issue 29, item 3: soxr, not linear interpolation. A 1 kHz tone keeps its pitch and length;
    a 7 kHz partial, above what 8 kHz can hold, is filtered out rather than folded back as 1 kHz."""
    import numpy as np

    from coach.audio.speech import resample

    t = np.arange(16000) / 16000
    tone = resample(np.sin(2 * np.pi * 1000 * t).astype(np.float32), 16000, 22050)
    assert abs(len(tone) - 22050) <= 1 and tone.dtype == np.float32
    assert abs(np.argmax(np.abs(np.fft.rfft(tone))) * 22050 / len(tone) - 1000) < 5
    high = resample(np.sin(2 * np.pi * 7000 * t).astype(np.float32), 16000, 8000)
    assert np.sqrt(np.mean(high[400:-400] ** 2)) < 0.01  # folded, it would be a 1 kHz tone at 0.7
