"""Speech through the real engine: synthesis, trimming, the disk cache, voices."""

from __future__ import annotations

import os

import numpy as np
import pytest

from coach.audio import wav
from coach.audio.espeak import Engine
from coach.audio.speech import TRIM_THRESHOLD, Clips, VoiceSettings, trim
from coach.core.errors import CoachError, InputError
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
    assert second.synthesized == 0 and second.voice._engine is None  # type: ignore[attr-defined]  # never started
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


def test_pyttsx3_is_used_through_its_public_api_only():
    """Issue 29, item 3: the engine's process calls pyttsx3.init and the engine's documented
    methods, nothing of its drivers; the coach's own process does not import pyttsx3 at all."""
    import ast
    import importlib.metadata
    from pathlib import Path

    import coach.audio.espeak as espeak
    import coach.audio.espeak_worker as worker

    public = {"init", "connect", "getProperty", "setProperty", "save_to_file", "runAndWait"}
    tree = ast.parse(Path(worker.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names} | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {m for m in imported if m and m.startswith("pyttsx3")} == {"pyttsx3"}, imported
    called = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and isinstance(n.func.value, ast.Name) and n.func.value.id in ("engine", "pyttsx3")}
    assert called <= public, called - public
    assert "pyttsx3" not in Path(espeak.__file__).read_text().split('"""', 2)[2].replace("pyttsx3's", "")
    version = importlib.metadata.version("pyttsx3")
    assert version.startswith("2."), f"pyttsx3 {version} is outside the tested range (pyproject: >=2.99,<3)"


def test_a_new_rate_between_phrases_is_never_dropped(engine, tmp_path):
    """pyttsx3 drops a property change queued between two phrases (measured: the ninth of twelve
    alternating phrases came out at the old rate); another rate is another engine process."""
    lengths = []
    for k in range(8):
        engine.configure(None, 100 if k % 2 == 0 else 250)
        samples, rate = engine.synthesize("Hold for thirty seconds, and breathe slowly.", tmp_path / f"{k}.wav")
        lengths.append(round(len(samples) / rate, 1))
    engine.configure(None, 150)
    assert len(set(lengths[0::2])) == 1 and len(set(lengths[1::2])) == 1 and lengths[0] > 2 * lengths[1], lengths


def test_an_engine_process_that_dies_is_one_line(tmp_path, monkeypatch):
    """libespeak-ng ends its process when its data goes missing: only the engine's, said in one line."""
    engine = Engine()
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))  # read by the engine's process as it starts
    with pytest.raises(CoachError) as e:
        engine.synthesize("Hello.", tmp_path / "x.wav")
    assert str(e.value).startswith("the speech engine stopped (") and "\n" not in str(e.value)
    monkeypatch.delenv("ESPEAK_DATA_PATH")
    samples, _ = engine.synthesize("Hello.", tmp_path / "y.wav")  # it starts again
    engine.close()
    assert len(samples)


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


def test_phrases_made_at_setup_are_read_not_made_again(tmp_path):
    """Issue 29, item 11: set-up makes a first session's opening phrases (coach/app/opening.py);
    a fresh home reads them, the same clip, and the engine never starts for them."""
    from coach.app.opening import phrases
    from coach.core.words import catalog

    made = tmp_path / "made"
    texts = phrases(catalog("en"))[:3]
    setup = Clips(VoiceSettings("en-us"), made, SAMPLE_RATE)
    first = [setup.get(t) for t in texts]
    setup.close()
    fresh = Clips(VoiceSettings("en-us"), tmp_path / "home" / "cache", SAMPLE_RATE, made=made)
    assert [fresh.get(t) for t in texts] == first
    assert fresh.synthesized == 0 and fresh.voice._engine is None  # type: ignore[attr-defined]
    other = Clips(VoiceSettings("en-us", rate=190), tmp_path / "other", SAMPLE_RATE, made=made)
    assert len(other.get(texts[0])) < len(first[0]) and other.synthesized == 1  # another rate: made as before
    other.close()


def test_the_opening_phrases_are_what_a_first_session_says_first():
    from coach.app.opening import phrases
    from coach.core.words import catalog
    from coach.live import conversation, safety

    w = catalog("en")
    said = phrases(w)
    assert said[:2] == [w.listening, w.keys_only] and set(safety.said(w)) <= set(said)
    assert set(conversation.said_first(w)) <= set(said)


def test_a_ctrl_c_at_the_terminal_is_the_coachs_not_the_engines(engine, tmp_path):
    """The terminal sends Ctrl-C to its foreground process group. The engine's process is in a
    group of its own, so that Ctrl-C stops the coach, which ends the engine; the engine does not
    die under a phrase and turn the person's stop into a failure (exit 1)."""
    engine.synthesize("Hello.", tmp_path / "x.wav")
    proc = engine._proc
    assert proc is not None and proc.poll() is None
    assert os.getpgid(proc.pid) != os.getpgid(0)
