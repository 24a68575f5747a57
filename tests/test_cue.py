"""Cues: their pitch, their envelopes, and the checked-in WAVs in audio_cues/."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from coach.audio import cue, wav
from coach.core.script import SAMPLE_RATE

ROOT = Path(__file__).resolve().parent.parent


def peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), 1 << 16))
    return float(np.argmax(spectrum) * rate / (1 << 16))


@pytest.mark.parametrize("name", list(cue.CUES))
def test_cue_length_pitch_and_no_clicks(name):
    x = cue.render(name, SAMPLE_RATE)
    assert x.dtype == np.float32
    assert len(x) == cue.length(name, SAMPLE_RATE)
    assert np.abs(x).max() <= cue.CUES[name].level + 1e-6
    # soft edges: the first and last samples are near silence, and no sample jumps
    assert abs(x[0]) < 0.01 and abs(x[-1]) < 0.01
    assert np.abs(np.diff(x)).max() < 0.2
    first = cue.CUES[name].notes[0]
    n = round(first.seconds * SAMPLE_RATE)
    assert peak_hz(x[:n], SAMPLE_RATE) == pytest.approx(first.hz, abs=3)


def test_start_rises_and_end_falls():
    start = [n.hz for n in cue.CUES["hold-start"].notes]
    end = [n.hz for n in cue.CUES["hold-end"].notes]
    assert start == sorted(start) and end == sorted(end, reverse=True)


@pytest.mark.parametrize("name", list(cue.CUES))
def test_checked_in_wav_equals_what_the_code_renders(name):
    path = ROOT / "audio_cues" / f"{name}.wav"
    assert path.exists(), f"{path} is missing: run scripts/render-cues"
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SAMPLE_RATE)
        stored = w.readframes(w.getnframes())
    assert stored == wav.to_bytes(wav.from_float(cue.render(name, SAMPLE_RATE))), f"{path} is stale: run scripts/render-cues"


def test_the_cached_cue_is_the_rendered_cue(tmp_path):
    for name in cue.CUES:
        made = cue.pcm(name, SAMPLE_RATE, tmp_path)
        again = cue.pcm(name, SAMPLE_RATE, tmp_path)  # read back from the cache
        assert made == again == wav.from_float(cue.render(name, SAMPLE_RATE))


def test_every_cue_is_described_in_the_readme():
    readme = (ROOT / "audio_cues" / "README.md").read_text()
    for name in cue.CUES:
        assert f"`{name}.wav`" in readme
