"""Spoken words for the microphone tests: by the project's own speech engine (pyttsx3 and
espeak, as the coach speaks) and by a second voice at another rate (espeak-ng's female variant),
so the grammar is not tuned to one voice. 16 kHz int16, the microphone's rate."""

from __future__ import annotations

import io
import subprocess
import wave
from functools import cache
from pathlib import Path

import numpy as np

from tests.audio_server import MIC_RATE


@cache
def project(text: str, cache_dir: Path, rate: int = 150) -> np.ndarray:
    """`text` as the coach itself says it (its speech cache is shared across the run)."""
    from coach.audio.speech import Clips, VoiceSettings

    clips = Clips(VoiceSettings(rate=rate), cache_dir, 22050)
    return _to_mic(np.frombuffer(clips.get(text), dtype=np.int16), 22050)


@cache
def second(text: str, voice: str = "en-us+f3", rate: int = 130) -> np.ndarray:
    """`text` in a second voice, straight from espeak-ng."""
    out = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", text],
                         capture_output=True, check=True, timeout=30).stdout
    with wave.open(io.BytesIO(out)) as w:
        sr = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return _to_mic(samples, sr)


def _to_mic(samples: np.ndarray, rate: int) -> np.ndarray:
    import soxr

    return np.asarray(soxr.resample(samples, rate, MIC_RATE), dtype=np.int16)
