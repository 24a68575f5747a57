"""A person's own text files (routines, the config), read safely: regular files only, never more
than a size limit, never blocking on a pipe, decoded as UTF-8."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from coach.core.errors import InputError

LIMIT = 1024 * 1024  # bytes: a routine or a config file is a few kilobytes
BOM = "\ufeff"


def size_words(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 and n % (1024 * 1024) == 0 else f"{n:,} bytes"


def read_text(path: Path, what: str, limit: int = LIMIT) -> str | None:
    """The text of the file at `path`, or None when there is none; InputError (exit 2) for anything
    that is not a regular UTF-8 file of at most `limit` bytes. A UTF-8 byte-order mark is accepted."""
    try:  # O_NONBLOCK: a FIFO opens without waiting for a writer; it is then refused as not a file
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as e:
        if e.errno == errno.ENOTDIR:
            return None
        raise InputError(f"cannot read the {what} {path}: {e.strerror or e}.") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"cannot read the {what} {path}: it is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"cannot read the {what} {path}: it is not a regular file (a device or a pipe).")
        if info.st_size > limit:
            raise InputError(f"cannot read the {what} {path}: it is {size_words(info.st_size)}; "
                             f"the limit is {size_words(limit)}.")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except OSError as e:
        raise InputError(f"cannot read the {what} {path}: {e.strerror or e}.") from None
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while we read
        raise InputError(f"cannot read the {what} {path}: it is over the limit of {size_words(limit)}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"cannot read the {what} {path}: it is not UTF-8 text (byte {e.start + 1}).") from None
    return text.removeprefix(BOM)


def why(e: OSError) -> str:
    """An OS error in words a person acts on: "the disk is full" rather than "No space left on device"."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if e.errno == errno.EROFS:
        return "the disk is read-only"
    return e.strerror or str(e)
