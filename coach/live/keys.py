"""Keys during a live session: single presses, no Enter, read in a thread while the session plays.

Space pauses at once from the reading thread (the output goes silent within a block); every
other command is handed to the session's loop, which moves the cursor (coach/control.py)."""

from __future__ import annotations

import contextlib
import os
import select
import threading
from typing import Iterator

COMMANDS = {" ": "pause", "n": "next", "p": "previous", "r": "repeat", "q": "quit",
            "+": "louder", "=": "louder", "-": "softer",
            "w": "worse"}  # the standing stop rule: the pain is spreading
STEP = 1.25  # volume factor per + or -


class Keys:
    def __init__(self, fd: int, player):
        self.fd = fd
        self.player = player
        self.pressed = threading.Event()  # a command is waiting
        self.command: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def listen(self) -> threading.Event:
        """Start reading keys; the returned event is set when a command needs the session's loop."""
        self.stop()
        self.pressed.clear()
        self.command = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="coach-keys", daemon=True)
        self._thread.start()
        return self.pressed

    def _run(self) -> None:
        while not self._stop.is_set():
            if not select.select([self.fd], [], [], 0.05)[0]:
                continue
            try:
                data = os.read(self.fd, 32)
            except OSError:
                return
            if not data:
                return
            command = COMMANDS.get(data.decode("utf-8", "replace").lower()) if len(data) == 1 else None
            if command in ("louder", "softer"):
                self.player.gain = self.player.gain * (STEP if command == "louder" else 1 / STEP)
                continue
            if command is None:
                continue
            if command in ("pause", "worse"):
                self.player.pause()  # here, not in the loop: silence at once
            self.command = command
            self.pressed.set()
            return

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def next_key(self, timeout: float | None = None) -> str | None:
        """One key, read here (not in the thread): a resume or a confirmation. None on timeout."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return None
        data = os.read(self.fd, 32)
        if not data:
            return None
        return data.decode("utf-8", "replace").lower() if len(data) == 1 else ""


@contextlib.contextmanager
def pressed(fd: int) -> Iterator[threading.Event]:
    """An event set as soon as a key is waiting on `fd` (the key is left there to be read): to cut
    off a prompt the person has already answered."""
    event = threading.Event()
    wake_r, wake_w = os.pipe()  # written when the prompt ends, so the watcher stops at once

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            if fd in select.select([fd, wake_r], [], [])[0]:
                event.set()

    thread = threading.Thread(target=watch, name="coach-key-watch", daemon=True)
    thread.start()
    try:
        yield event
    finally:
        os.write(wake_w, b"x")
        thread.join()
        os.close(wake_r)
        os.close(wake_w)
