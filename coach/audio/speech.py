"""Spoken phrases: offline synthesis with pyttsx3, trimmed, cached on disk.

pyttsx3's espeak driver has measured pitfalls (see the engineering notes): `say()` plays through
`aplay` with no control of timing, `runAndWait()` may return before synthesis ends, and several
requests queued before one `runAndWait()` produce only the last. So each phrase is synthesized
alone with `save_to_file`, we wait for the `finished-utterance` callback, check the file, and
read its PCM. The engine starts only when a phrase is missing from the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
import types
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from coach.audio import natural, wav
from coach.core.errors import CoachError, InputError
from coach.core.script import Guess

CACHE_FORMAT = 1  # bump when trimming or the stored format changes
TRIM_THRESHOLD = 0.003  # of full scale: below this, the engine's lead-in and end pause
TRIM_KEEP_BEFORE = 0.005  # seconds kept before the first sound
TRIM_KEEP_AFTER = 0.02  # seconds kept after the last sound
FADE = 0.004  # seconds of fade at each trimmed edge
SYNTH_TIMEOUT = 15.0  # seconds to wait for one phrase
AHEAD_NICE = 10  # the thread that makes phrases ahead runs at this niceness (Linux: per thread)

INSTALL_HINT = "install it with: sudo apt-get install espeak-ng libespeak-ng1"
PROBE = "Ready."  # a phrase every voice says: tells a silent phrase from a silent engine


@dataclass(frozen=True)
class VoiceSettings:
    voice: str | None = None  # an engine voice id; None for the engine's default
    rate: int = 150  # words per minute: calmer than espeak's 175


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


DATA_HINT = "install it with: sudo apt-get install espeak-ng-data"


def espeak_data() -> Path | None:
    """The folder of espeak-ng's voice data (phontab and the rest), as libespeak-ng looks for it,
    or None. Without it the library prints one line and ends the whole process, so it is looked
    for before the engine starts."""
    import glob
    import os

    env = os.environ.get("ESPEAK_DATA_PATH")
    if env:
        inner = Path(env) / "espeak-ng-data"
        candidates = [inner if inner.is_dir() else Path(env)]
    else:
        candidates = [Path(p) for pattern in ("/usr/lib/*/espeak-ng-data", "/usr/lib/*/espeak/espeak-ng-data",
                                              "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data",
                                              "/usr/lib/espeak-ng-data")
                      for p in sorted(glob.glob(pattern))]
    return next((c for c in candidates if (c / "phontab").is_file()), None)


def check_espeak_data() -> None:
    """CoachError (exit 1) with what to install when espeak-ng's data is missing."""
    import os

    if espeak_data() is None:
        where = os.environ.get("ESPEAK_DATA_PATH")
        at = f" at ESPEAK_DATA_PATH={where}" if where else ""
        raise CoachError(f"the espeak-ng voice data is missing (no phontab{at}): {DATA_HINT}"
                         + (", or unset ESPEAK_DATA_PATH." if where else "."))


class Engine:
    """One pyttsx3 engine, used one phrase at a time."""

    def __init__(self) -> None:
        check_espeak_data()
        try:
            import pyttsx3

            _quiet_driver()  # before init: the driver loads with it
            self._engine = pyttsx3.init()
        except ImportError as e:
            raise CoachError(f"the speech engine pyttsx3 is not installed ({e}).") from e
        except (OSError, RuntimeError, AttributeError) as e:
            raise CoachError(f"the speech engine could not start ({e}): {INSTALL_HINT}.") from e
        self._done = threading.Event()
        self._engine.connect("finished-utterance", self._finished)
        global _DEFAULT_VOICE
        if _DEFAULT_VOICE is None:  # the engine is one per process: remember its own default once
            _DEFAULT_VOICE = self._engine.getProperty("voice") or ""
        self._default_voice = _DEFAULT_VOICE
        self._properties: tuple = (("voice", self._default_voice),)
        _quicken_driver_loop()

    def _finished(self, name=None, completed=True) -> None:
        # The driver also reports stray unfinished utterances (completed=False); only a
        # completed one means the file is written.
        if completed:
            self._done.set()

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(v.id, v.name, tuple(v.languages or ()))
            for v in self._engine.getProperty("voices")
        ]

    def resolve_voice(self, wanted: str) -> str:
        """The id of a voice given by id, by the last part of its id, or by name."""
        w = wanted.strip().lower()
        for v in self.voices():
            if w in (v.id.lower(), v.id.lower().rsplit("/", 1)[-1], v.name.lower()):
                return v.id
        raise InputError(f"unknown voice '{wanted}': see 'coach voices' for the voices installed.")

    def configure(self, settings: VoiceSettings) -> None:
        """Choose the voice and rate for the phrases that follow (an unknown voice: InputError)."""
        voice = self.resolve_voice(settings.voice) if settings.voice else self._default_voice
        self._properties = (("voice", voice), ("rate", settings.rate))

    def _apply(self) -> None:
        # Straight on the espeak driver, and waited for, whenever they change: pyttsx3 queues a
        # property change behind its run loop, and the loop's stop-and-cancel was seen to drop a
        # change made between two phrases (the next phrase came out at the old rate).
        global _APPLIED
        if _APPLIED == self._properties:  # kept per process, as pyttsx3 keeps one engine
            return
        driver = getattr(getattr(self._engine, "proxy", None), "_driver", None)
        set_now = getattr(driver, "setProperty", None) or self._engine.setProperty
        for name, value in self._properties:
            if value:
                set_now(name, value)
        with contextlib.suppress(ImportError, AttributeError, OSError):
            from pyttsx3.drivers import _espeak

            _espeak.Synchronize()
        _APPLIED = self._properties

    def synthesize(self, text: str, path: Path, attempts: int = 3) -> tuple[array, int]:
        """Write `text` as a WAV file at `path` and return its samples and rate, or raise CoachError."""
        for _ in range(attempts):
            path.unlink(missing_ok=True)
            self._done.clear()
            self._apply()
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            finished = self._done.wait(SYNTH_TIMEOUT)
            if finished:
                with contextlib.suppress(OSError, wav.WavError):
                    samples, rate = wav.read(path)
                    if len(samples):
                        return samples, rate
        raise self.silent(text, path)

    def silent(self, text: str, path: Path) -> CoachError:
        """The error for a phrase that came out as no sound: the phrase's own problem (exit 2) when
        the engine speaks a plain phrase, else the engine's (exit 1)."""
        if text != PROBE:
            with contextlib.suppress(CoachError):
                samples, _ = self.synthesize(PROBE, path, attempts=1)
                if any(samples):
                    return InputError(f"the speech engine says nothing for the text {text!r}: "
                                      "give it words it can say (letters or digits).")
        return CoachError(f"the speech engine produced no audio for {text!r}: {INSTALL_HINT}.")


class _QuickTime:
    """The `time` module as pyttsx3's espeak driver sees it, with its loop's 10 ms poll cut to 1 ms.

    espeak synthesizes a short phrase in 1-2 ms, then the driver's run loop sleeps 10 ms before
    it notices: most of the cost of a cold speech cache (measured: 0.55 s of 1.7 s for a session)."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(min(seconds, 0.001))


def missing_internals(engine: Engine | None = None) -> list[str]:
    """What this module reaches for past pyttsx3's public API, and the installed pyttsx3 lacks
    (nothing, on the version pyproject pins). Each falls back quietly at run time, at a cost
    (a slower cold cache, or a rate change dropped between two phrases); tests/test_speech.py
    fails on any, so a new pyttsx3 is seen before it ships."""
    missing = []
    try:
        from pyttsx3.drivers import _espeak, espeak
    except ImportError as e:
        return [f"pyttsx3.drivers.espeak and _espeak ({e})"]
    if not isinstance(getattr(espeak, "time", None), (types.ModuleType, _QuickTime)):
        missing.append("pyttsx3.drivers.espeak.time, the clock of the driver's run loop")
    if not callable(getattr(_espeak, "Synchronize", None)):
        missing.append("pyttsx3.drivers._espeak.Synchronize, to wait for a property change")
    if not callable(getattr(getattr(espeak, "EspeakDriver", None), "setProperty", None)):
        missing.append("pyttsx3.drivers.espeak.EspeakDriver.setProperty")
    if engine is not None:
        driver = getattr(getattr(engine._engine, "proxy", None), "_driver", None)
        if not callable(getattr(driver, "setProperty", None)):
            missing.append("engine.proxy._driver.setProperty, to set the voice and rate at once")
    return missing


def _silent(*args, **kwargs) -> None:
    pass


def _quiet_driver() -> None:
    """The espeak driver prints "Audio saved to ..." for every phrase: its module's `print` is
    made silent. Not with contextlib.redirect_stdout, which swaps sys.stdout for every thread:
    phrases made in a thread (ahead, or a draft's) then swallowed the session's printed lines."""
    with contextlib.suppress(ImportError):
        from pyttsx3.drivers import espeak

        espeak.print = _silent  # found before the builtin


def _quicken_driver_loop() -> None:
    with contextlib.suppress(ImportError, AttributeError):
        from pyttsx3.drivers import espeak

        if isinstance(espeak.time, types.ModuleType):
            espeak.time = _QuickTime()


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
    import numpy as np

    if src_rate == dst_rate:
        return samples
    n = round(len(samples) * dst_rate / src_rate)
    x = np.arange(n) * (src_rate / dst_rate)
    return np.interp(x, np.arange(len(samples)), samples).astype(np.float32)


class Clips:
    """Trimmed speech clips (int16 PCM) by text, at the session's sample rate, from a disk cache.

    A warm cache is read without numpy or the speech engine."""

    def __init__(self, settings: VoiceSettings, cache_dir: Path, sample_rate: int,
                 notice: Callable[[str], None] | None = None):
        self.settings = settings
        self.notice = notice or _to_stderr  # says, once, that the natural voice fell back to espeak
        self.dir = cache_dir / "speech"
        self.sample_rate = sample_rate
        self._clips: dict[str, array] = {}
        self._engine: Engine | natural.NaturalEngine | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.synthesized = 0  # phrases this run had to synthesize (0 with a warm cache)
        self._lock = threading.Lock()  # one phrase at a time through the engine and the cache
        self._asked = threading.Condition()  # phrases asked for now: the thread ahead waits for them
        self._waiting = 0
        self._ahead: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def is_natural(self) -> bool:
        return self.settings.voice == natural.VOICE

    @property
    def engine(self) -> Engine | natural.NaturalEngine:
        if self._engine is None and self.is_natural:
            try:
                self._engine = natural.NaturalEngine(self.settings.rate)
            except CoachError as e:  # espeak speaks instead, from here on (the cache key follows)
                self.notice(FALLBACK.format(why=e))
                self.settings = VoiceSettings(None, self.settings.rate)
        if self._engine is None:
            engine = Engine()
            engine.configure(self.settings)
            self._engine = engine
        return self._engine

    def key(self, text: str) -> str:
        if self.is_natural:  # the engine, and the model by its hash (pinned, checked by a test)
            engine = [f"piper-{_engine_version('piper', 'piper_tts')}", natural.MODEL_SHA256, natural.NOISE]
        else:
            engine = [f"pyttsx3-{_engine_version()}", self.settings.voice or ""]
        ident = [CACHE_FORMAT, *engine, self.settings.rate, self.sample_rate, text]
        return hashlib.sha256(json.dumps(ident).encode()).hexdigest()

    def path(self, text: str) -> Path:
        k = self.key(text)
        return self.dir / k[:2] / f"{k}.wav"

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
                clip = wav.cached(self.path(text), lambda: self._synthesize(text), self.sample_rate)
                self._clips[text] = clip
        return clip

    def ahead(self, texts: Iterable[str]) -> None:
        """Synthesize `texts`, in order, in a thread, while the coach speaks and asks: a phrase
        asked for meanwhile goes first, after at most the one phrase under way. Errors are left
        for the phrase's own turn, where they are reported."""
        texts = list(dict.fromkeys(texts))

        def run() -> None:
            below_playback()
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
        """Stop synthesizing ahead (the phrase under way ends first)."""
        with self._asked:
            self._stop.set()
            self._asked.notify_all()
        if self._ahead is not None:
            self._ahead.join()
            self._ahead = None

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
        samples, rate = self.engine.synthesize(text, where)
        self.synthesized += 1
        clip = trim(resample(wav.to_float(samples), rate, self.sample_rate), self.sample_rate)
        if len(clip) == 0:
            raise self.engine.silent(text, where)
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


_ENGINE_VERSIONS: dict[str, str] = {}
_DEFAULT_VOICE: str | None = None
_APPLIED: tuple | None = None  # the voice and rate the process's engine has now


def _engine_version(module: str = "pyttsx3", dist: str | None = None) -> str:
    """A speech engine's version, for the cache key, read from the dist-info folder's name of
    its distribution `dist` (named as the module when None).

    importlib.metadata scans every path entry (78 ms here, on the way to the first sound);
    this looks only beside the package."""
    dist = dist or module
    if dist not in _ENGINE_VERSIONS:
        import importlib.util

        version = "unknown"
        spec = importlib.util.find_spec(module)
        if spec and spec.origin:
            site = Path(spec.origin).parent.parent
            found = sorted(site.glob(f"{dist}-*.dist-info"))
            if found:
                version = found[-1].name[len(dist) + 1 : -len(".dist-info")]
        _ENGINE_VERSIONS[dist] = version
    return _ENGINE_VERSIONS[dist]
