"""Spoken words for the microphone tests: by the project's own speech engine (pyttsx3 and
espeak, as the coach speaks) and by a second voice at another rate (espeak-ng's female variant),
so the grammar is not tuned to one voice. 16 kHz int16, the microphone's rate."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
import wave
from functools import cache
from pathlib import Path

import numpy as np

from tests.audio_server import MIC_RATE


@cache
def project(text: str, cache_dir: Path, rate: int = 150, voice: str | None = None) -> np.ndarray:
    """`text` as the coach's engine says it (its speech cache is shared across the run): espeak,
    or the natural voice with `voice="joe"`."""
    from coach.audio.speech import Clips, VoiceSettings

    clips = Clips(VoiceSettings(voice, rate=rate), cache_dir, 22050)
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


SPEECH = Path(__file__).parent / "speech"


@cache
def real(name: str) -> np.ndarray:
    """A real person's recording in tests/speech ("commands/yes-....wav", "digits/4_theo_5.wav"),
    as the microphone gives it: 16 kHz int16."""
    with wave.open(str(SPEECH / name)) as w:
        rate, samples = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return samples if rate == MIC_RATE else _to_mic(samples, rate)


def recognize(recognizer, samples: np.ndarray, grammar: str):
    """What the recognizer heard of `samples` (16 kHz), fed a frame at a time with half a second
    of silence either side, as the microphone would feed it; None when no speech was found."""
    audio = np.concatenate([np.zeros(8000, np.int16), samples, np.zeros(8000, np.int16)]).tobytes()
    recognizer.reset()
    heard, size = None, recognizer.frame_bytes
    for i in range(0, len(audio) - size + 1, size):
        heard = recognizer.feed(audio[i:i + size], grammar) or heard
    return recognizer.cut(grammar) or heard


def _to_mic(samples: np.ndarray, rate: int) -> np.ndarray:
    import soxr

    return np.asarray(soxr.resample(samples, rate, MIC_RATE), dtype=np.int16)


class Spoken:
    """A coach process driven by voice: its printed lines read as they come, its sound recorded,
    and words said into the microphone once it has gone quiet. Its stdin is a pipe kept open and
    never written: no key is ever pressed."""

    def __init__(self, args: list[str], pulse, cache_dir: Path, env: dict | None = None):
        self.recorder = pulse.recorder().start()
        self.mouth = pulse.mouth()
        self.cache_dir = cache_dir
        self.lines: list[str] = []
        self.read = 0  # lines read: a question is looked for after them
        self._changed = threading.Condition()
        self.proc = subprocess.Popen([sys.executable, "-m", "coach", *args],
                                     env={**pulse.env, "PYTHONUNBUFFERED": "1", **(env or {})},
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout: float = 90) -> str:
        """The `count`th printed line containing `text`, once it is printed; what was printed up
        to it is read (`answer` looks after it)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [i for i, line in enumerate(self.lines) if text in line]
                if len(found) >= count:
                    self.read = max(self.read, found[count - 1] + 1)
                    return self.lines[found[count - 1]]
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"never printed {text!r} ({count}):\n" + "\n".join(self.lines[-30:]))
                self._changed.wait(min(left, 0.5))

    def next_line(self, *texts: str, timeout: float = 90, never: str = "") -> str:
        """The first line containing one of `texts` printed after what was read; read up to it.
        Not printed within `timeout`: AssertionError, `never` its first words."""
        def found() -> int | None:
            return next((i for i in range(self.read, len(self.lines)) if any(t in self.lines[i] for t in texts)), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout):
                raise AssertionError((never or f"never printed {texts!r}") + ":\n" + "\n".join(self.lines[-30:]))
            i = found()
            assert i is not None
            self.read = i + 1
            return self.lines[i]

    def say(self, word: str, voice: str = "project", after: float | None = None) -> float:
        """Say `word` once the coach has spoken (after `after`, a time.monotonic()) and gone
        quiet; when the word ended (time.monotonic)."""
        if after is not None:
            assert self.recorder.wait_for_sound(30, after=after), "the coach never spoke the question"
        assert self.recorder.wait_for_quiet(0.6), "the coach never went quiet"
        samples = {"project": lambda: project(word, self.cache_dir), "second": lambda: second(word),
                   "real": lambda: real(word)}[voice]()
        return self.mouth.say(samples)

    def answer(self, text: str, word: str, voice: str = "project") -> str:
        """Wait for the next question containing `text` (after what was read), then say `word`
        until it is taken, as a person would: again when the coach says it did not understand or
        asks the question again (at most three times); the line that says what was heard."""
        self.next_line(text)
        asked = time.monotonic()
        for _ in range(3):
            self.say(word, voice, after=asked)
            line = self.next_line("heard:", "not understood", "(again)", timeout=30, never=f"{word!r} was never taken")
            asked = time.monotonic()
            if "heard:" in line:
                return line
        raise AssertionError(f"{word!r} was not taken in three tries:\n" + "\n".join(self.lines[-20:]))

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        try:
            self.proc.wait(timeout=timeout)
        finally:
            self.recorder.stop()
            if self.proc.poll() is None:
                self.proc.kill()
        self._reader.join(5)
        assert self.proc.stderr is not None
        return self.proc.returncode, "\n".join(self.lines), self.proc.stderr.read()
