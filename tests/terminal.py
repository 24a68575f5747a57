"""A coach command running in a pseudo-terminal: the test or bench reads its screen and types keys."""

from __future__ import annotations

import copy
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

import pyte

ALTERNATE = 1049  # xterm's alternate screen (what terminfo's smcup and rmcup switch)


class Display(pyte.Screen):
    """pyte's screen, plus xterm's alternate screen, so a test sees what the terminal shows after
    a full-screen program gives it back."""

    saved: tuple | None = None

    def set_mode(self, *modes, **kwargs):
        if kwargs.get("private") and ALTERNATE in modes:
            self.saved = (copy.deepcopy(self.buffer), copy.copy(self.cursor))
            self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes, **kwargs):
        if kwargs.get("private") and ALTERNATE in modes and self.saved is not None:
            buffer, cursor = self.saved
            self.buffer.clear()
            self.buffer.update(buffer)
            self.cursor = cursor
            self.saved = None
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    @property
    def alternate(self) -> bool:
        return self.saved is not None


class Terminal:
    """`coach start` running in a pty; the test reads its screen and types keys.

    With a `size` (columns, lines) the pty has that size, as a terminal window does, and
    `screen` is what a terminal of that size shows (pyte, a VT100 emulator, reads the output).
    Without one the pty has no size, and the coach prints plain lines."""

    def __init__(self, env: dict, *args: str, size: tuple[int, int] | None = None, code: str | None = None):
        env = {**env, "TERM": "xterm-256color"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # `code`: Python run instead of the coach (a bench's naive way), given `args`
            os.execve(sys.executable, [sys.executable, *(["-c", code] if code else ["-m", "coach"]), *args], env)
        if size is not None:
            self.resize(*size)
        self.screen = Display(*(size or (80, 24)))
        self.stream = pyte.ByteStream(self.screen)
        self.out = b""

    def resize(self, columns: int, lines: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        if hasattr(self, "screen"):
            self.screen.resize(lines, columns)

    def shows(self, text: str) -> bool:
        return any(text in row for row in self.screen.display)

    def wait_gone(self, text: str, timeout: float = 120) -> float:
        """Until `text` is no longer on the screen."""
        deadline = time.monotonic() + timeout
        while self.shows(text):
            assert time.monotonic() < deadline, f"{text!r} stayed:\n" + "\n".join(self.screen.display)
            if not self.read(0.02):
                break
        return time.monotonic()

    def wait_shown(self, text: str, timeout: float = 120) -> float:
        """Until `text` is on the screen (not merely in the output): the time it appeared."""
        deadline = time.monotonic() + timeout
        while not self.shows(text):
            assert time.monotonic() < deadline, f"never showed {text!r}:\n" + "\n".join(self.screen.display)
            assert self.read(0.02), f"ended before showing {text!r}:\n" + "\n".join(self.screen.display)
        return time.monotonic()

    def wait_until(self, event, timeout: float = 120) -> float:
        """Until `event()` is true, reading the terminal meanwhile (a coach whose output is not read
        would block): the time it came true."""
        deadline = time.monotonic() + timeout
        while not event():
            assert time.monotonic() < deadline, "never happened:\n" + "\n".join(self.screen.display)
            if not self.read(0.02):
                assert event(), "the coach ended first:\n" + "\n".join(self.screen.display)
        return time.monotonic()

    def read(self, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([self.fd], [], [], 0.02)[0]:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    return False
                if not data:
                    return False
                self.out += data
                self.stream.feed(data)
        return True

    def wait_for(self, text: str, count: int = 1, timeout: float = 120) -> float:
        deadline = time.monotonic() + timeout
        while self.out.decode(errors="replace").count(text) < count:
            assert time.monotonic() < deadline, f"never saw {text!r}: {self.out.decode(errors='replace')[-600:]}"
            if not self.read(0.02):
                break
        return time.monotonic()

    def press(self, key: str) -> float:
        t = time.monotonic()
        os.write(self.fd, key.encode())
        return t

    def quit(self) -> int:
        """Quit the session with q, q (the second once it asks), and wait for the exit code."""
        self.press("q")
        self.wait_shown("Press q again to quit")
        self.press("q")
        return self.finish()

    def finish(self) -> int:
        while self.read(0.2):
            pass
        _, status = os.waitpid(self.pid, 0)
        self.modes = termios.tcgetattr(self.fd)[3]  # the terminal as the coach left it
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)
