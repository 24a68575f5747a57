"""Spoken phrases: made offline by a voice (a synthesizer: coach/audio/synthesizer.py), trimmed,
resampled to the session's rate, and cached on disk. An engine starts only when a phrase is
missing from the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from coach.audio import synthesizer, wav
from coach.audio.synthesizer import Synthesizer, Unavailable
from coach.core.script import Guess

CACHE_FORMAT = 1  # bump when trimming or the stored format changes
TRIM_THRESHOLD = 0.003  # of full scale: below this, the engine's lead-in and end pause
TRIM_KEEP_BEFORE = 0.005  # seconds kept before the first sound
TRIM_KEEP_AFTER = 0.02  # seconds kept after the last sound
FADE = 0.004  # seconds of fade at each trimmed edge
AFTER_AT_MOST = 5.0  # seconds making phrases ahead waits for the first sound
AHEAD_NICE = 10  # the thread that makes phrases ahead runs at this niceness (Linux: per thread)


@dataclass(frozen=True)
class VoiceSettings:
    voice: str | None = None  # an engine voice id; None for the engine's default
    rate: int = 150  # words per minute: calmer than espeak's 175


def trim(samples, sample_rate: int):
    """Cut the engine's leading and trailing silence, with a short fade at each edge."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > TRIM_THRESHOLD)
    if loud.size == 0:
        return samples[:0]
    a = max(0, loud[0] - round(TRIM_KEEP_BEFORE * sample_rate))
    b = min(len(samples), loud[-1] + 1 + round(TRIM_KEEP_AFTER * sample_rate))
    out = samples[a:b].astype(np.float32, copy=True)
    f = min(len(out) // 2, round(FADE * sample_rate))
    if f:
        ramp = np.linspace(0.0, 1.0, f, endpoint=False, dtype=np.float32)
        out[:f] *= ramp
        out[-f:] *= ramp[::-1]
    return out


def resample(samples, src_rate: int, dst_rate: int):
    """A phrase made at another rate than the session's, resampled by soxr (band-limited, where
    linear interpolation folded the voice's high partials back as noise)."""
    import numpy as np

    if src_rate == dst_rate:
        return samples
    import soxr

    return soxr.resample(np.asarray(samples, dtype=np.float32), src_rate, dst_rate, quality="HQ").astype(np.float32)


class Clips:
    """Trimmed speech clips (int16 PCM) by text, at the session's sample rate, from a disk cache.

    A warm cache is read without numpy or the speech engine."""

    def __init__(self, settings: VoiceSettings, cache_dir: Path, sample_rate: int,
                 notice: Callable[[str], None] | None = None, made: Path | None = None):
        self.settings = settings
        self.made = None if made is None else made / "speech"  # phrases made at set-up, read only
        self.notice = notice or _to_stderr  # says, once, that the natural voice fell back to espeak
        self.dir = cache_dir / "speech"
        self.sample_rate = sample_rate
        self._clips: dict[str, array] = {}
        self.voice: Synthesizer = synthesizer.chosen(settings.voice, settings.rate)
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.synthesized = 0  # phrases this run had to synthesize (0 with a warm cache)
        self._lock = threading.Lock()  # one phrase at a time through the engine and the cache
        self._asked = threading.Condition()  # phrases asked for now: the thread ahead waits for them
        self._waiting = 0
        self._ahead: threading.Thread | None = None
        self._stop = threading.Event()

    def key(self, text: str) -> str:
        ident = [CACHE_FORMAT, *self.voice.ident(), self.sample_rate, text]
        return hashlib.sha256(json.dumps(ident).encode()).hexdigest()

    def path(self, text: str, folder: Path | None = None) -> Path:
        """Where the phrase's clip is kept in the cache (or in `folder`, laid out the same)."""
        k = self.key(text)
        return (folder or self.dir) / k[:2] / f"{k}.wav"

    def get(self, text: str) -> array:
        clip = self._clips.get(text)
        if clip is None:
            with self._asked:
                self._waiting += 1
            try:
                clip = self._made(text)
            finally:
                with self._asked:
                    self._waiting -= 1
                    self._asked.notify_all()
        return clip

    def _made(self, text: str) -> array:
        with self._lock:
            clip = self._clips.get(text)  # made by the thread ahead while this one waited
            if clip is None:
                try:
                    clip = wav.cached(self.path(text), lambda: self._premade(text) or self._synthesize(text),
                                      self.sample_rate)
                except Unavailable as e:  # espeak speaks instead, from here on: its clips, by its key
                    self.notice(FALLBACK.format(why=e))
                    self.settings = VoiceSettings(None, self.settings.rate)
                    self.voice = synthesizer.chosen(None, self.settings.rate)
                    clip = wav.cached(self.path(text), lambda: self._synthesize(text), self.sample_rate)
                self._clips[text] = clip
        return clip

    def _premade(self, text: str) -> array | None:
        """The phrase as set-up made it (the same voice, rate and text: the same key), if it did."""
        if self.made is None:
            return None
        try:
            samples, rate = wav.read(self.path(text, self.made))
        except (OSError, wav.WavError):
            return None
        return samples if rate == self.sample_rate and len(samples) else None

    def ahead(self, texts: Iterable[str], after: threading.Event | None = None) -> None:
        """Synthesize `texts`, in order, in a thread, while the coach speaks and asks: a phrase
        asked for meanwhile goes first, after at most the one phrase under way. Errors are left
        for the phrase's own turn, where they are reported. With `after`, the thread starts once
        it is set (the first sound is out: loading a voice beside the start delayed the first
        sound from 0.3 s to 1.6 s), or after AFTER_AT_MOST seconds."""
        texts = list(dict.fromkeys(texts))

        def run() -> None:
            below_playback()
            if after is not None:
                after.wait(AFTER_AT_MOST)
            for text in texts:
                with self._asked:
                    self._asked.wait_for(lambda: self._waiting == 0 or self._stop.is_set())
                if self._stop.is_set():
                    return
                try:
                    self._made(text)
                except Exception:  # noqa: BLE001 - said when the phrase itself is needed
                    return

        self._ahead = threading.Thread(target=run, name="coach-speech-ahead", daemon=True)
        self._ahead.start()

    def close(self) -> None:
        """Stop synthesizing ahead (the phrase under way ends first), and let go of the engine."""
        with self._asked:
            self._stop.set()
            self._asked.notify_all()
        if self._ahead is not None:
            self._ahead.join()
            self._ahead = None
        self.voice.close()

    def length(self, text: str) -> int:
        return len(self.get(text))

    def guess(self, text: str) -> int:
        """The phrase's length if it was ever synthesized, else a Guess from the speaking rate:
        nothing is synthesized."""
        known = self.known_length(text)
        if known is not None:
            return known
        return Guess(max(1, round(len(text.split()) * 60.0 / self.settings.rate * self.sample_rate)))

    def known_length(self, text: str) -> int | None:
        """The phrase's length if it was ever synthesized (in memory or in the cache), without
        making it: None when only the engine could say."""
        clip = self._clips.get(text)
        return len(clip) if clip is not None else wav.frames(self.path(text), self.sample_rate)

    def _synthesize(self, text: str) -> array:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="coach-tts-")
        where = Path(self._tmp.name) / "phrase.wav"
        samples, rate = self.voice.synthesize(text, where)
        self.synthesized += 1
        clip = trim(resample(wav.to_float(samples), rate, self.sample_rate), self.sample_rate)
        if len(clip) == 0:
            raise self.voice.silent(text, where)
        return wav.from_float(clip)


def below_playback() -> None:
    """The calling thread (one that makes phrases ahead) runs below the output stream and the
    questions: at AHEAD_NICE (Linux sets niceness per thread)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), AHEAD_NICE)


FALLBACK = "The natural voice is not available ({why}); the espeak voice speaks instead."


def _to_stderr(line: str) -> None:
    import sys

    print(line, file=sys.stderr)
