"""Where sound comes in: one input stream, 16 kHz mono, each block stamped with when it was heard.

The callback only copies the block and its time into a queue; the recognizer reads them in its
own thread (coach/live/listener.py). Nothing is written anywhere: a block is dropped once read.
"""

from __future__ import annotations

import queue
import time
from typing import Any

from coach.audio.devices import DEVICES, close_stream, sounddevice
from coach.audio.sources import Watch
from coach.core.errors import CoachError


class NoMicrophone(CoachError):
    pass


def default_input() -> dict:
    """The default input device, or NoMicrophone."""
    sd = sounddevice()
    try:
        with DEVICES:
            device = sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError) as e:
        raise NoMicrophone(f"no microphone was found ({e}).") from e
    if not device or device.get("max_input_channels", 0) < 1:
        raise NoMicrophone("no microphone was found.")
    return device


class Microphone:
    """`frames` gets (the time the block's first sample was heard, on time.monotonic; the block's
    bytes) for every block of `block` samples."""

    def __init__(self, rate: int, block: int):
        self.rate, self.block = rate, block
        self.frames: queue.Queue[tuple[float, bytes]] = queue.Queue(maxsize=15 * rate // block)  # 15 s
        self._stream: Any = None
        self.ended = False  # the stream stopped on its own: the device went away
        self._watch: Watch | None = None  # its source, where PulseAudio can be asked (coach/audio/sources.py)

    def _callback(self, indata, frames, time_info, status) -> None:
        # when the block's first sample reached the microphone: now, less the input latency
        heard = time.monotonic() - max(0.0, time_info.currentTime - time_info.inputBufferAdcTime)
        try:
            self.frames.put_nowait((heard, bytes(indata)))
        except queue.Full:  # the reader has stopped: drop, never block the audio thread
            pass

    def _finished(self) -> None:
        self.ended = True

    def open(self) -> None:
        sd = sounddevice()
        default_input()
        try:
            with DEVICES:
                self._stream = sd.RawInputStream(samplerate=self.rate, channels=1, dtype="int16",
                                                 blocksize=self.block, latency="low",
                                                 callback=self._callback, finished_callback=self._finished)
                self._stream.start()
        except sd.PortAudioError as e:
            raise NoMicrophone(f"the microphone could not be opened ({e}).") from e
        self._watch = Watch.start()

    def gone(self) -> str | None:
        """Why the microphone is gone though its stream goes on (moved to another source), or None."""
        return None if self._watch is None else self._watch.gone()

    def close(self) -> None:
        stream, self._stream = self._stream, None
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.close()
        if stream is not None:
            close_stream(stream)
