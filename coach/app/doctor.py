"""`coach doctor`: each part a session needs, checked for real, with the fix when it fails."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from coach.core.errors import CoachError
from coach.storage import paths


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool | None  # None: not needed for a session, said for information
    detail: str


def _speech() -> Check:
    from coach.audio.espeak import Engine

    engine = None
    try:
        engine = Engine()
        with tempfile.TemporaryDirectory(prefix="coach-doctor-") as tmp:
            engine.synthesize("Testing.", Path(tmp) / "test.wav")
        return Check("speech engine", True, f"pyttsx3 with {len(engine.voices())} voices")
    except CoachError as e:
        return Check("speech engine", False, str(e))
    finally:
        if engine is not None:
            engine.close()


def _natural() -> Check:
    from coach.audio import natural

    if not natural.installed():
        return Check("natural voice", None, "not installed (scripts/setup installs it): espeak speaks English")
    try:
        path = natural.model_path()
        if natural.digest(path) != natural.MODEL_SHA256:
            return Check("natural voice", False, f"{path} is not the model coach was tested with: reinstall coach")
        samples, _ = natural.NaturalEngine(150).synthesize("Testing.")
        if not any(samples):
            return Check("natural voice", False, "piper said nothing: reinstall coach")
        return Check("natural voice", True, f"piper, {natural.MODEL}: the English voice")
    except CoachError as e:
        return Check("natural voice", False, f"{e}: espeak speaks instead")


def _audio() -> list[Check]:
    from coach.audio import devices

    try:
        devices.sounddevice()
    except CoachError as e:
        return [Check("PortAudio", False, str(e))]
    out = [Check("PortAudio", True, "loaded")]
    try:
        device = devices.default_output()
        out.append(Check("audio output", True, str(device["name"])))
    except CoachError as e:
        out.append(Check("audio output", False, f"{e} Connect speakers or headphones, or start the "
                         "sound server; 'coach start --output FILE.wav' works without one."))
    return out


def _cache() -> Check:
    where = paths.cache_dir()
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where):
            pass
        return Check("speech cache", True, str(where))
    except OSError as e:
        return Check("speech cache", False, f"{where} is not writable ({e.strerror}): "
                     "set COACH_HOME to a writable folder.")


def _listening() -> list[Check]:
    """The microphone and the recognition model: neither is needed (answers work by key)."""
    from importlib.metadata import version

    from coach.audio.hearing import load
    from coach.audio.microphone import Microphone
    from coach.audio.recognizer import RATE, NoModel
    from coach.core.grammar import grammars
    from coach.core.words import catalog
    from coach.live.listener import BLOCK

    out = []
    try:
        mic = Microphone(RATE, BLOCK)
        mic.open()  # opened for real, then closed: a device listed is not always one that opens
        mic.close()
        out.append(Check("microphone", True, "opens ('coach listen' checks what it hears)"))
    except CoachError as e:
        out.append(Check("microphone", None, f"{e} Answers and commands are by key."))
    listen = catalog().listen
    assert listen is not None
    spoken = grammars(listen)
    try:
        load(spoken)
        out.append(Check("speech recognition", True,
                         f"Whisper tiny.en (checked) by ctranslate2 {version('ctranslate2')}, Silero VAD, "
                         f"English, {len(spoken)} grammars"))
    except NoModel as e:
        out.append(Check("speech recognition", False, f"{str(e).rstrip('.')}. Reinstall coach ('./scripts/setup')."))
    return out


def checks() -> list[Check]:
    return [_speech(), _natural(), *_audio(), *_listening(), _cache()]
