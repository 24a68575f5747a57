"""Files written whole or not at all, even when a signal lands at the worst moment.

CPython runs a signal's handler where the interpreter checks for pending work: on entering a
function, and just after a call returns (and at a loop's jump back). There the coach's handler
raises Interrupted (SIGTERM, SIGHUP; Ctrl-C raises KeyboardInterrupt the same way). These tests put
that raise, through a profile hook, at the k-th such point after the part file appears, for every k
until the write completes: wherever the signal lands, nothing of the coach's is left in the folder
and the target is whole or absent."""

from __future__ import annotations

import dis
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.core.errors import Interrupted
from coach.storage.atomic import atomic_path, create, new_part

pytestmark = pytest.mark.timeout(120)


def _parts(folder: Path) -> list[str]:
    return [e.name for e in os.scandir(folder) if e.name.endswith(".part")]


def _returns_into_a_call(frame) -> bool:
    """Whether `frame` returns to a call instruction (which checks for signals after it), rather
    than to a `with` statement's entry or error exit (which do not)."""
    caller = frame.f_back
    if caller is None:
        return False
    op = next((i.opname for i in dis.get_instructions(caller.f_code) if i.offset == caller.f_lasti), "")
    return op.startswith(("CALL", "PRECALL"))


def _interrupted_at(step: int, folder: Path, write: Callable[[], None]) -> bool:
    """Run `write`, raising Interrupted at the `step`-th point where a signal's handler could run
    after a part first exists in `folder`. True if it was interrupted, False if it finished first."""
    seen = 0
    fired = False

    def hook(frame, event, arg):
        nonlocal seen, fired
        if fired or not _parts(folder):
            return
        if event == "call" or event == "c_return" or (event == "return" and _returns_into_a_call(frame)):
            if seen == step:
                fired = True
                sys.setprofile(None)
                raise Interrupted(signal.SIGTERM)
            seen += 1

    sys.setprofile(hook)
    try:
        write()
    except Interrupted:
        assert fired
    finally:
        sys.setprofile(None)
    return fired


def _every_step(folder: Path, write: Callable[[], None], whole: Callable[[], bool]) -> int:
    """Interrupt `write` at each step in turn; after each, no part is left and the target is either
    whole or absent. Returns how many steps were tried."""
    for step in range(100_000):
        fired = _interrupted_at(step, folder, write)
        assert _parts(folder) == [], f"a part was left when interrupted at step {step}"
        assert whole(), f"the target is not whole after step {step}"
        if not fired:
            return step
    raise AssertionError("the write never finished")


def test_a_file_written_whole_leaves_no_part_wherever_a_signal_lands(tmp_path):
    target = tmp_path / "session.wav"
    body = b"RIFF" + bytes(1000)

    def write():
        with atomic_path(target) as tmp, create(tmp) as f:
            f.write(body)

    steps = _every_step(tmp_path, write, lambda: not target.exists() or target.read_bytes() == body)
    assert steps > 5 and target.read_bytes() == body
    assert sorted(os.listdir(tmp_path)) == ["session.wav"]


def test_atomic_path_with_a_mode_leaves_no_part_wherever_a_signal_lands(tmp_path):
    target = tmp_path / "config.toml"

    def write():
        with atomic_path(target, durable=False, mode=0o600) as tmp, create(tmp, 0o600) as f:
            f.write(b"a = 1\n")

    _every_step(tmp_path, write, lambda: not target.exists() or target.read_text(encoding="utf-8") == "a = 1\n")
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_part_folder_is_removed_wherever_a_signal_lands(tmp_path):
    def write():
        with new_part(tmp_path / "split") as work:
            work.mkdir(mode=0o700)
            (work / "01-safety.mp3").write_bytes(b"x")

    assert _every_step(tmp_path, write, lambda: True) > 5
    assert os.listdir(tmp_path) == []


def test_a_failed_write_leaves_what_was_there(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(ValueError), atomic_path(target) as tmp, create(tmp) as f:
        f.write(b"half")
        raise ValueError("the encoder failed")
    assert target.read_text(encoding="utf-8") == "before" and os.listdir(tmp_path) == ["notes.txt"]


def test_a_written_file_has_the_umasks_mode_or_the_one_asked(tmp_path):
    mask = os.umask(0o027)
    try:
        with atomic_path(tmp_path / "a.png") as tmp, create(tmp) as f:
            f.write(b"x")
        with atomic_path(tmp_path / "b.toml", mode=0o600) as tmp, create(tmp, 0o600) as f:
            f.write(b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "a.png").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b.toml").stat().st_mode & 0o777 == 0o600
