"""The espeak voices, through pyttsx3: each phrase made by the engine's own process
(coach/audio/espeak_worker.py), through pyttsx3's public API only, as a WAV file read back.

pyttsx3's espeak driver has measured pitfalls (see the engineering notes): `say()` plays through
`aplay` with no control of timing, `runAndWait()` may return before synthesis ends, several
requests queued before one `runAndWait()` produce only the last, a property changed between two
phrases may be dropped, and the driver prints a line for every file it writes. So each phrase
is synthesized alone with `save_to_file`, waited for (`finished-utterance`) and checked, in a
process whose voice and rate are set once, before its first phrase; another voice or rate is
another process. What that costs against reaching into the driver: scripts/bench "voice engine".
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

from coach.audio import wav
from coach.core.errors import CoachError, InputError

INSTALL_HINT = "install it with: sudo apt-get install espeak-ng libespeak-ng1"
PROBE = "Ready."  # a phrase every voice says: tells a silent phrase from a silent engine
DEFAULT_RATE = 150  # words a minute, until configured
HOME = str(Path(__file__).resolve().parents[2])  # where the coach package is, for the engine's process


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
    """The espeak voice at one voice and rate, in its own process, started at the first need."""

    def __init__(self) -> None:
        check_espeak_data()
        self._wanted: tuple[str | None, int] = (None, DEFAULT_RATE)
        self._proc: subprocess.Popen | None = None
        self._ready: dict | None = None
        self._errors: tempfile._TemporaryFileWrapper | None = None
        self._lock = threading.RLock()

    def configure(self, voice: str | None, rate: int) -> None:
        """Choose the voice (None: the engine's default) and the rate, in words a minute, for the
        phrases that follow (an unknown voice: InputError, when the engine starts)."""
        if (voice, rate) != self._wanted:
            self.close()
            self._wanted = (voice, rate)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(i, n, tuple(langs)) for i, n, langs in self._started()["voices"]]

    def resolve_voice(self, wanted: str) -> str:
        """The id of a voice given by id, by the last part of its id, or by name."""
        from coach.audio.espeak_worker import pick

        found = pick(self.voices(), wanted)
        if found is None:
            raise InputError(f"unknown voice '{wanted}'.", ways=("voices",))
        return found.id

    def _spawn(self) -> None:
        voice, rate = self._wanted
        self._errors = tempfile.NamedTemporaryFile(prefix="coach-espeak-", suffix=".log")
        path = os.pathsep.join(filter(None, [HOME, os.environ.get("PYTHONPATH")]))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "coach.audio.espeak_worker", str(rate), *([voice] if voice else [])],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, text=True, encoding="utf-8",
                env={**os.environ, "PYTHONPATH": path},
                process_group=0)  # the terminal's Ctrl-C is the coach's: it ends this worker itself
        except OSError as e:
            raise CoachError(f"the speech engine could not start ({e}): {INSTALL_HINT}.") from e

    def _started(self) -> dict:
        """The engine's process, started, and its first answer: the voices and the one chosen."""
        with self._lock:
            if self._ready is not None and self._proc is not None and self._proc.poll() is None:
                return self._ready
            self.close()  # none yet, or one that has ended
            self._spawn()
            first = self._answer()
            if "failed" in first:
                self.close()
                raise CoachError(f"the speech engine could not start ({first['failed']}): {INSTALL_HINT}.")
            if "unknown" in first:
                self.close()
                raise InputError(f"unknown voice '{first['unknown']}'.", ways=("voices",))
            self._ready = first
            return first

    def _answer(self) -> dict:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            proc.wait()
            why = self._why(proc.returncode)
            self.close()
            raise CoachError(f"the speech engine stopped ({why}): {INSTALL_HINT}.")
        return json.loads(line)

    def _why(self, code: int | None) -> str:
        said: list[str] = []
        if self._errors is not None:
            self._errors.seek(0)
            said = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        return said[-1] if said else f"exit code {code}"

    def synthesize(self, text: str, path: Path) -> tuple[array, int]:
        """Write `text` as a WAV file at `path` and return its samples and rate, or raise CoachError."""
        with self._lock:
            self._started()
            proc = self._proc
            assert proc is not None and proc.stdin is not None
            with contextlib.suppress(OSError):  # it ended: its answer says why
                proc.stdin.write(json.dumps({"text": text, "path": str(path)}) + "\n")
                proc.stdin.flush()
            answer = self._answer()
        if answer.get("ok"):
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
                samples, _ = self.synthesize(PROBE, path)
                if any(samples):
                    return InputError(f"the speech engine says nothing for the text {text!r}: "
                                      "give it words it can say (letters or digits).")
        return CoachError(f"the speech engine produced no audio for {text!r}: {INSTALL_HINT}.")

    def close(self) -> None:
        """End the engine's process (it also ends by itself with the coach: its input closes)."""
        with self._lock:
            proc, self._proc, self._ready = self._proc, None, None
            if proc is not None:
                with contextlib.suppress(OSError):
                    if proc.stdin:
                        proc.stdin.close()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                if proc.stdout:
                    proc.stdout.close()
            if self._errors is not None:
                self._errors.close()
                self._errors = None
