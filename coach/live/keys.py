"""Commands during a live session: single keys (no Enter) read in a thread while the session
plays, and the same commands spoken, when the coach listens (coach/live/listener.py).

Pause and worse silence at once, from the thread that read the key or heard the word (the output
goes silent within a block); every other command is handed to the session's loop, which moves
the cursor (coach/control.py)."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
from typing import Iterator

from coach.audio.recognizer import Heard
from coach.core.grammar import PAUSED, PLAYING
from coach.live.remote import ready, tap

COMMANDS = {" ": "pause", "n": "next", "p": "previous", "r": "repeat", "q": "quit",
            "+": "louder", "=": "louder", "-": "softer",
            "w": "worse"}  # the standing stop rule: the pain is spreading
STEP = 1.25  # volume factor per + or -
SPOKEN_KEYS = {"resume": " ", "quit": "q", "worse": "W", "yes": "q", "no": "n"}  # a word heard while
# paused or asked "Stop the session?", as the key that does the same; "W": "worse" said, not typed
# (a typed key is lower case), which is confirmed before it stops the session


class Keys:
    """The session's commands from the terminal (`fd`, None when stdin is not one), from the
    listener (None when the coach does not listen) and from the remote's taps (`remote`, the
    descriptor its keys arrive on; None without a phone)."""

    def __init__(self, fd: int | None, player, listener=None, remote: int | None = None):
        self.fd = fd
        self.remote = remote
        self.player = player
        self.listener = listener
        self.pressed = threading.Event()  # a command is waiting
        self.command: str | None = None
        self.at = 0  # the sample at the speaker when pause or worse silenced it
        self.spoken = False  # the command was said, not typed: "stop" and "worse" are confirmed
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def listen(self) -> threading.Event:
        """Start reading keys (and words); the returned event is set when a command needs the
        session's loop."""
        self.stop()
        self.pressed.clear()
        self.command = None
        self.spoken = False
        self._stop.clear()
        if self.listener is not None:
            self.listener.handler = self._heard
            self.listener.expect(PLAYING)
        if self.fd is not None or self.remote is not None:
            self._thread = threading.Thread(target=self._run, name="coach-keys", daemon=True)
            self._thread.start()
        return self.pressed

    def _run(self) -> None:
        while not self._stop.is_set() and (self.fd is not None or self.remote is not None):
            if not ready((self.fd, self.remote), 0.05):
                continue
            try:
                key = self._read_key()
            except OSError:
                return
            if key is None:  # the terminal's input has ended
                return
            command = COMMANDS.get(key)
            if command is not None and self._act(command):
                return

    def _heard(self, heard) -> bool:
        """A word heard while the session plays (in the listener's thread): taken, always."""
        if heard.token is not None:
            self._act(heard.token, spoken=True)
        return True

    def _act(self, command: str, spoken: bool = False) -> bool:
        """Carry out a command; True once one is handed to the session's loop."""
        if command in ("louder", "softer"):
            self.player.gain = self.player.gain * (STEP if command == "louder" else 1 / STEP)
            return False
        with self._lock:
            if self.pressed.is_set():  # one command at a time: the loop has not taken the last yet
                return True
            if command in ("pause", "worse"):
                self.at = self.player.pause()  # here, not in the loop: silence at once
            self.command, self.spoken = command, spoken
            self.pressed.set()
        return True

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.handler = None
            self.listener.expect(None)
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def next_key(self, timeout: float | None = None, grammar: str = PAUSED) -> str | None:
        """One key, read here (not in the thread), or a word heard for `grammar` as the key that
        does the same: a resume or a confirmation. None on timeout."""
        listener = self.listener if self.listener is not None and not self.listener.lost else None
        if listener is not None:
            listener.expect(grammar)
        deadline = None if timeout is None else time.monotonic() + timeout
        fds = [f for f in (self.fd, self.remote) if f is not None]
        while listener is not None:
            got = listener.wait(fds, deadline)
            if isinstance(got, Heard):
                if got.token in SPOKEN_KEYS:
                    listener.expect(None)
                    return SPOKEN_KEYS[got.token]
            elif got:
                return self._read_key()
            elif listener.lost:
                listener = None
            else:
                return None
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not ready(fds, left):
            return None
        return self._read_key()

    def _read_key(self) -> str | None:
        """The key waiting, in lower case: a tap first, else the terminal's ("" for several at
        once, as an arrow's sequence); None when the terminal's input has ended."""
        if self.remote is not None and ready([self.remote], 0):
            key = tap(self.remote)
            if key is not None:
                return key.lower()
            self.remote = None  # the phone has gone: the terminal's keys go on
            return ""
        if self.fd is None:
            return ""
        data = os.read(self.fd, 32)
        if not data:
            return None
        return data.decode("utf-8", "replace").lower() if len(data) == 1 else ""


@contextlib.contextmanager
def pressed(*fds: int) -> Iterator[threading.Event]:
    """An event set as soon as a key (or a tap) is waiting on one of `fds` (it is left there to
    be read): to cut off a prompt the person has already answered."""
    event = threading.Event()
    wake_r, wake_w = os.pipe()  # written when the prompt ends, so the watcher stops at once

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            if set(fds) & set(select.select([*fds, wake_r], [], [])[0]):
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
