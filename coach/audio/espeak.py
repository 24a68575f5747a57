"""The espeak voices, through pyttsx3: one engine per process, one phrase at a time, to a file.

pyttsx3's espeak driver has measured pitfalls (see the engineering notes): `say()` plays through
`aplay` with no control of timing, `runAndWait()` may return before synthesis ends, and several
requests queued before one `runAndWait()` produce only the last. So each phrase is synthesized
alone with `save_to_file`, we wait for the `finished-utterance` callback, check the file, and
read its PCM. Three things reach past pyttsx3's public API (`missing_internals` names them; each
falls back quietly), all here: coach/audio/speech.py, which caches the phrases, knows none.
"""

from __future__ import annotations

import contextlib
import threading
import time
import types
from array import array
from dataclasses import dataclass
from pathlib import Path

from coach.audio import wav
from coach.core.errors import CoachError, InputError

SYNTH_TIMEOUT = 15.0  # seconds to wait for one phrase
INSTALL_HINT = "install it with: sudo apt-get install espeak-ng libespeak-ng1"
PROBE = "Ready."  # a phrase every voice says: tells a silent phrase from a silent engine
_DEFAULT_VOICE: str | None = None
_APPLIED: tuple | None = None  # the voice and rate the process's engine has now


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
        raise InputError(f"unknown voice '{wanted}'.", ways=("voices",))

    def configure(self, voice: str | None, rate: int) -> None:
        """Choose the voice (None: the engine's default) and the rate, in words a minute, for the
        phrases that follow (an unknown voice: InputError)."""
        chosen = self.resolve_voice(voice) if voice else self._default_voice
        self._properties = (("voice", chosen), ("rate", rate))

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
                samples, _ = self.synthesize(PROBE, path, attempts=2)  # a late callback of the silent one: once more
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
