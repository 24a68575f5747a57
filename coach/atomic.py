"""Write a file so that it is either whole or not there at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path, durable: bool = True):
    """Yield a temporary path in `path`'s folder to write; on success it replaces `path`, on any
    failure it is removed. For writers that want a file name (an encoder, a tagger).

    `durable` also waits for the disk (fsync): for the user's files, not for a cache that can be
    made again (a damaged cache file is detected and remade)."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a finished file gets the usual mode
        os.close(fd)
        yield tmp
        if durable:
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path: Path, durable: bool = True):
    """Yield a binary file that becomes `path` when the block ends without error (see atomic_path)."""
    with atomic_path(path, durable) as tmp, open(tmp, "wb") as f:
        yield f
