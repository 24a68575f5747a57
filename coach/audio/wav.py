"""16-bit mono PCM in WAV files: read, written atomically, and converted from float samples.

The render path works on int16 PCM (`array('h')`) so that a cached session plays and renders
without importing numpy; numpy is used only where samples are made (speech trimming, cues,
volume).
"""

from __future__ import annotations

import os
import stat
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


def _regular(path: Path) -> None:
    """WavError unless `path` is a regular file: a FIFO would block the read for ever, a folder or
    a device is no clip."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise WavError(f"{path}: {e.strerror or e}") from e
    if not stat.S_ISREG(mode):
        raise WavError(f"{path}: not a file")


def read(path: Path) -> tuple[array, int]:
    """A mono 16-bit WAV file's samples and sample rate (WavError if it is not one, or if it holds
    fewer samples than its header says: a file cut short)."""
    _regular(path)
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1:
                raise WavError(f"{path}: expected 16-bit mono audio")
            n = w.getnframes()
            data = w.readframes(n)
            if len(data) != 2 * n:
                raise WavError(f"{path}: cut short ({len(data) // 2} of {n} samples)")
            return pcm(data), w.getframerate()
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
    try:
        _regular(path)
        size = path.stat().st_size
        with wave.open(str(path), "rb") as f:
            n = f.getnframes()
            if f.getframerate() == sample_rate and n and size >= 44 + 2 * n:  # the header, and all it counts
                return n
    except (OSError, EOFError, wave.Error, WavError):
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
        _clear(path)
        write(path, samples, sample_rate, durable=False)
    except OSError:
        pass  # a read-only or full disk: the cache only saves time, so the session goes on without it
    return samples


def _clear(path: Path) -> None:
    """Whatever is at a cache file's place that is not a regular file (a FIFO, a device, an
    empty folder) is removed, so the clip written next takes its place."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        os.rmdir(path)  # only an empty one: a folder with files in it is not the cache's to remove
    elif not stat.S_ISREG(mode):
        os.unlink(path)
