"""16-bit mono PCM in WAV files: read, written atomically, and converted from float samples.

The render path works on int16 PCM (`array('h')`) so that a cached session plays and renders
without importing numpy; numpy is used only where samples are made (speech trimming, cues,
volume).
"""

from __future__ import annotations

import sys
import wave
from array import array
from pathlib import Path
from typing import Iterable

from coach.storage.atomic import atomic_path, create


class WavError(Exception):
    pass


def pcm(data: bytes = b"") -> array:
    """int16 samples from little-endian bytes."""
    out = array("h")
    out.frombytes(data)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def to_bytes(samples: array) -> bytes:
    """Little-endian bytes of int16 samples, as WAV stores them."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def read(path: Path) -> tuple[array, int]:
    """A mono 16-bit WAV file's samples and sample rate (WavError if it is not one)."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise WavError(f"{path}: expected 16-bit mono audio")
            return pcm(w.readframes(w.getnframes())), w.getframerate()
    except (EOFError, wave.Error) as e:
        raise WavError(f"{path}: {e}") from e


def write(path: Path, samples: array, sample_rate: int, durable: bool = True) -> None:
    """Samples to a mono 16-bit WAV, atomically, making its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_blocks(path, [samples], sample_rate, durable)


def write_blocks(path: Path, blocks: Iterable[array], sample_rate: int, durable: bool = True) -> None:
    """Blocks of samples to a mono 16-bit WAV as they come, atomically (a temp file renamed
    into place when whole; on any failure, no file and no part of one)."""
    with atomic_path(path, durable) as tmp, create(tmp) as f, wave.open(f, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        for block in blocks:
            w.writeframes(to_bytes(block))


def from_float(samples) -> array:
    """float samples in -1..1 (a numpy array) to int16, clipped and rounded."""
    import numpy as np

    scaled = (np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0) * 32767.0).round()
    return pcm(scaled.astype("<i2").tobytes())


def to_float(samples: array):
    """int16 samples to a float32 numpy array in -1..1."""
    import numpy as np

    return np.frombuffer(to_bytes(samples), dtype="<i2").astype(np.float32) / 32768.0


def frames(path: Path, sample_rate: int) -> int | None:
    """How many samples a stored WAV holds, from its header alone; None if it is missing, damaged
    or at another rate."""
    import wave

    try:
        with wave.open(str(path), "rb") as f:
            if f.getframerate() == sample_rate and f.getnframes():
                return f.getnframes()
    except (OSError, EOFError, wave.Error):
        pass
    return None


def cached(path: Path, make, sample_rate: int) -> array:
    """The samples stored at `path`, or `make()` them and store them (a damaged file is remade).

    A cache file is written without waiting for the disk: if it is lost or torn, it is remade."""
    try:
        samples, rate = read(path)
        if rate == sample_rate and len(samples):
            return samples
    except (OSError, WavError):
        pass
    samples = make()
    try:
        write(path, samples, sample_rate, durable=False)
    except OSError:
        pass  # a read-only or full disk: the cache only saves time, so the session goes on without it
    return samples
