"""PortAudio and alsa-lib, entered one thread at a time: loading them, finding the output, closing
a stream. Used by the output (coach/audio/sink.py) and the microphone (coach/audio/microphone.py)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from coach.core.errors import CoachError, NoOutputDevice

PORTAUDIO_HINT = "install PortAudio with: sudo apt-get install libportaudio2"


_alsa_handler: Any = None  # the C callback, kept alive while ALSA holds it; False: no ALSA

# One thread at a time in PortAudio's set-up calls (import, device queries, opening, starting,
# stopping and closing streams): the output and the microphone open in threads of their own, and
# neither alsa-lib's configuration nor PortAudio's device list may be used by two threads at once.
DEVICES = threading.RLock()


def quiet_alsa() -> None:
    """Route ALSA's C error messages ("cannot find card '0'") to a no-op inside this process.
    Installed once, under DEVICES, and never replaced: when two threads each made one, the one
    dropped was freed while ALSA still called it (a segmentation fault, seen on a start with no
    microphone: the output and the microphone open in threads of their own)."""
    global _alsa_handler
    with DEVICES:
        if _alsa_handler is not None:
            return
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("asound")
        if not name:
            _alsa_handler = False
            return
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(lambda *args: None)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.cdll.LoadLibrary(name).snd_lib_error_set_handler(handler)
        _alsa_handler = handler


def sounddevice():
    """The sounddevice module, or one clear error if PortAudio is missing."""
    with DEVICES:  # importing it initializes PortAudio, which lists every device through ALSA
        quiet_alsa()
        try:
            import sounddevice as sd
        except OSError as e:  # raised at import when libportaudio2 is missing
            raise CoachError(f"PortAudio is missing ({e}): {PORTAUDIO_HINT}.") from e
        except ImportError as e:
            raise CoachError(f"the sounddevice package is missing ({e}): reinstall coach.") from e
    return sd


def default_output() -> dict:
    """The default output device, or NoOutputDevice."""
    sd = sounddevice()
    try:
        with DEVICES:
            return sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError) as e:
        raise NoOutputDevice(f"no audio output device was found ({e}).") from e


def close_stream(stream, abort: bool = True) -> None:
    """Close a stream under DEVICES, aborting it first with `abort`. A device that fails as it
    closes has nothing left to lose: the error is dropped."""
    sd = sounddevice()
    try:
        with DEVICES:
            if abort:
                stream.abort()
            stream.close()
    except sd.PortAudioError:
        pass
