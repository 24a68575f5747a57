"""Write a file so that it is either whole or not there at all."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A file (or folder) being written is named ".NAME.coach-PID-XXXX.part": hidden, and owned by the
# process PID. SIGKILL, a power cut or a crash can leave one behind; the next render into that
# folder (clean_stale) removes those that no running process can own.
_PART = re.compile(r"^\..*\.coach-(\d+)-[^/]*\.part$")


def part_prefix(name: str) -> str:
    return f".{name}.coach-{os.getpid()}-"


def _started(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), from /proc; None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as f:
            boot = next(int(line.split()[1]) for line in f if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _owned(pid: int, modified: float) -> bool:
    """Whether a running process could own a part file last written at `modified`."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it runs, as another user
    started = _started(pid)
    return started is None or started <= modified + 1.0  # a process started later is another one


def clean_stale(folder: Path) -> list[Path]:
    """Remove the coach's own part files and folders in `folder` that no running process owns."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _PART.match(entry.name)
        if not m:
            continue
        try:
            if _owned(int(m.group(1)), entry.stat(follow_symlinks=False).st_mtime):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass  # gone already, or not ours to remove
    return removed


@contextlib.contextmanager
def atomic_path(path: Path, durable: bool = True, mode: int | None = None):
    """Yield a temporary path in `path`'s folder to write; on success it replaces `path`, on any
    failure it is removed. For writers that want a file name (an encoder, a tagger).

    `durable` also waits for the disk (fsync): for the user's files, not for a cache that can be
    made again (a damaged cache file is detected and remade). `mode` is the finished file's
    permissions (0600 for private files); by default the umask's."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=part_prefix(path.name), suffix=".part")
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o666 & ~_umask() if mode is None else mode)  # mkstemp makes 0600; `mode`, or the usual one
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
def atomic_write(path: Path, durable: bool = True, mode: int | None = None):
    """Yield a binary file that becomes `path` when the block ends without error (see atomic_path)."""
    with atomic_path(path, durable, mode) as tmp, open(tmp, "wb") as f:
        yield f
