"""A coach command running in a pseudo-terminal: the test or bench reads its screen and types keys."""

from __future__ import annotations

import os
import pty
import select
import sys
import termios
import time


class Terminal:
    """`coach start` running in a pty; the test reads its screen and types keys."""

    def __init__(self, env: dict, *args: str):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "coach", *args], env)
        self.out = b""

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

    def finish(self) -> int:
        while self.read(0.2):
            pass
        _, status = os.waitpid(self.pid, 0)
        self.modes = termios.tcgetattr(self.fd)[3]  # the terminal as the coach left it
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)
