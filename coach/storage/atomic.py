"""Write a file so that it is either whole or not there at all."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import weakref
from pathlib import Path
from typing import BinaryIO

from coach.core.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A file (or folder) being written is named ".NAME.coach-PID-XXXX.part": hidden, and owned by the
# process PID. SIGKILL, a power cut or a crash can leave one behind; the next render into that
# folder (clean_stale) removes those that no running process can own.
_PART = re.compile(r"^\..*\.coach-(\d+)-[^/]*\.part$")


PART_ROOM = 40  # bytes a part's name adds to the file's: ".", ".coach-PID-XXXXXXXX.part"


def check_name(path: Path) -> None:
    """InputError (exit 2) before any work when `path`'s name is longer than its disk allows once
    written as a part (most take 255 bytes), rather than "File name too long" after the work."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        most = os.pathconf(folder, "PC_NAME_MAX") if folder.is_dir() else 255
    except (OSError, ValueError):
        most = 255
    size = len(os.fsencode(path.name))
    if size > most - PART_ROOM:
        raise InputError(f"cannot write {path.name[:40]}...: the name is {size} bytes long, and the most this "
                         f"folder takes here is {most - PART_ROOM}. Choose a shorter name.")


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


def _remove(part: Path) -> None:
    with contextlib.suppress(OSError):
        if part.is_dir() and not part.is_symlink():
            shutil.rmtree(part)
        else:
            os.unlink(part)


def path_of_part(path: Path) -> Path:
    """A new name for a part of `path`, in its folder: ".NAME.coach-PID-RANDOM.part". The process
    id and 64 random bits make it this process's own: nothing else is ever called that."""
    return path.parent / f"{part_prefix(path.name)}{secrets.token_hex(8)}.part"


class new_part:
    """`with new_part(path) as tmp:` names a part beside `path` for the block to make (a file, or a
    folder: `tmp.mkdir(mode=0o700)`), and removes it when the block ends, however it ends.

    A signal's handler (SIGTERM, SIGHUP, Ctrl-C) runs where Python checks for pending work: on
    entering a function and after a call returns, so also just after the part appears, or as
    `__exit__` begins. So entering makes nothing (the block makes the part, and leaving the block
    removes it), and the removal is also a finalizer: it runs again when this object is dropped, or
    at exit, in case `__exit__` was cut off. (tempfile.mkstemp and TemporaryDirectory make
    the file before anything is set to remove it: a signal at that moment left a part behind.)"""

    def __init__(self, path: Path):
        check_name(path)
        self.path = path
        self.part = path_of_part(path)
        weakref.finalize(self, _remove, self.part)  # a no-op if it is gone already

    def __enter__(self) -> Path:
        return self.part

    def __exit__(self, kind, value, tb) -> None:
        _remove(self.part)


class atomic_path(new_part):
    """`with atomic_path(path) as tmp:` names a temporary path in `path`'s folder for the block to
    write (an encoder, a tagger, or `create(tmp)`); when the block ends without error it replaces
    `path`, and on any failure (a signal too) it is removed.

    `durable` also waits for the disk (fsync): for the user's files, not for a cache that can be
    made again (a damaged cache file is detected and remade). `mode` is the finished file's
    permissions (0600 for private files); by default the umask's."""

    def __init__(self, path: Path, durable: bool = True, mode: int | None = None):
        super().__init__(path)
        self.durable, self.mode = durable, mode

    def __exit__(self, kind, value, tb) -> None:
        try:
            if kind is None:
                if self.mode is not None:
                    os.chmod(self.part, self.mode)  # whatever the umask
                if self.durable:
                    with open(self.part, "rb+") as f:
                        os.fsync(f.fileno())
                os.replace(self.part, self.path)
        finally:
            super().__exit__(kind, value, tb)  # nothing left to remove once it is in place


def create(tmp: Path, mode: int = 0o666) -> BinaryIO:
    """Open the new file `tmp` to write, made with `mode` (less the umask); never an existing one.
    `with atomic_path(path) as tmp, create(tmp) as f:` writes `path` whole or not at all."""
    return open(tmp, "xb", opener=lambda name, flags: os.open(name, flags, mode))
