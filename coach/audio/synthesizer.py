"""What speaking needs of a voice, and nothing more: text in, samples out, and a name for them.

coach/audio/speech.py caches phrases and knows this interface only. Two voices implement it:
espeak through pyttsx3 (coach/audio/espeak.py, in a process of its own) and the natural piper
voice (coach/audio/natural.py). A new voice engine is one class here and its own module.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any, Protocol

from coach.core.errors import CoachError


class Unavailable(CoachError):
    """The voice cannot speak on this machine (its package or model is missing or will not load):
    another voice speaks instead."""


class Synthesizer(Protocol):
    slow: bool  # a phrase takes long enough (about 0.2 s) that a session's phrases are made ahead

    def ident(self) -> list[Any]:
        """What names this voice's clips in the cache: its engine and version, its model or voice,
        its rate. Cheap: nothing is loaded."""

    def synthesize(self, text: str, scratch: Path) -> tuple[array, int]:
        """`text` spoken: int16 samples and their rate. `scratch` is a file the engine may write.
        Unavailable if the voice cannot load; CoachError if it fails."""

    def silent(self, text: str, scratch: Path) -> CoachError:
        """The error for a phrase that came out as no sound."""

    def close(self) -> None:
        """Let go of the engine."""


class Espeak:
    """espeak at a voice (None: the engine's default) and a rate, words a minute."""

    slow = False

    def __init__(self, voice: str | None, rate: int):
        self.voice, self.rate = voice, rate
        self._engine: Any = None

    def ident(self) -> list[Any]:
        return [f"pyttsx3-{version('pyttsx3')}", self.voice or "", self.rate]

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from coach.audio.espeak import Engine

            engine = Engine()
            engine.configure(self.voice, self.rate)
            self._engine = engine
        return self._engine

    def synthesize(self, text: str, scratch: Path) -> tuple[array, int]:
        return self.engine.synthesize(text, scratch)

    def silent(self, text: str, scratch: Path) -> CoachError:
        return self.engine.silent(text, scratch)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()


class Natural:
    """The natural piper voice at a rate, words a minute."""

    slow = True

    def __init__(self, rate: int):
        self.rate = rate
        self._engine: Any = None

    def ident(self) -> list[Any]:  # the engine, and the model by its hash (pinned, checked by a test)
        from coach.audio import natural

        return [f"piper-{version('piper', 'piper_tts')}", natural.MODEL_SHA256, natural.NOISE, self.rate]

    def synthesize(self, text: str, scratch: Path) -> tuple[array, int]:
        if self._engine is None:
            from coach.audio import natural

            try:
                self._engine = natural.NaturalEngine(self.rate)
            except CoachError as e:
                raise Unavailable(str(e)) from e
        return self._engine.synthesize(text, scratch)

    def silent(self, text: str, scratch: Path) -> CoachError:
        from coach.audio import natural

        return natural.silent(text)

    def close(self) -> None:
        pass


def default_voice(lang: str, own: str | None) -> str | None:
    """The voice a language is spoken in when none is chosen: its catalog's own, else the natural
    voice for English when it is installed, else espeak's default (None)."""
    from coach.audio import natural

    return own or (natural.VOICE if lang == natural.LANG and natural.installed() else None)


def chosen(voice: str | None, rate: int) -> Synthesizer:
    """The synthesizer for a voice setting: the natural voice by its id, else espeak."""
    from coach.audio import natural

    return Natural(rate) if voice == natural.VOICE else Espeak(voice, rate)


_VERSIONS: dict[str, str] = {}


def version(module: str, dist: str | None = None) -> str:
    """A speech engine's version, for the cache key, read from the dist-info folder's name of
    its distribution `dist` (named as the module when None).

    importlib.metadata scans every path entry (78 ms here, on the way to the first sound);
    this looks only beside the package."""
    dist = dist or module
    if dist not in _VERSIONS:
        import importlib.util

        found_version = "unknown"
        spec = importlib.util.find_spec(module)
        if spec and spec.origin:
            site = Path(spec.origin).parent.parent
            found = sorted(site.glob(f"{dist}-*.dist-info"))
            if found:
                found_version = found[-1].name[len(dist) + 1 : -len(".dist-info")]
        _VERSIONS[dist] = found_version
    return _VERSIONS[dist]
