"""Questions and where their answers come from, behind one small interface.

A question is answered by a single keypress in a terminal, or by one line per answer when stdin
is not a terminal (`printf 'n\\nn\\n' | coach test`). Nothing is ever guessed: silence repeats
the question, a wrong key or line repeats it, and the end of input stops cleanly. Spoken
answers come from the listener beside these (coach/live/guide.py waits on both, by `fd`).
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from dataclasses import dataclass, field
from typing import IO, Iterator, Protocol

from coach.core.errors import InputError
from coach.core.question import Question

REPEAT_AFTER = 20.0  # seconds of silence before a question is asked again


class NoMoreAnswers(InputError):
    """The input ended before a question was answered."""

    def __init__(self) -> None:
        super().__init__("no answer: the input ended before the question was answered. Stopped.")


class Answers(Protocol):
    @property
    def fd(self) -> int | None:
        """Readable when an answer is waiting; None: read() never blocks (a string)."""

    def pending(self) -> bool:
        """An answer is already read in and waiting (select would not say so)."""

    def read(self, question: Question, timeout: float) -> str | None:
        """The next raw answer (a key or a line), None after `timeout` seconds of nothing;
        raises NoMoreAnswers when the input has ended."""

    def session(self) -> contextlib.AbstractContextManager: ...


class LineAnswers:
    """One answer per line, from a pipe or a file. Read from the descriptor, not through Python's
    buffered stream, so that select on `fd` tells the truth while the coach also listens."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        try:
            self.fd: int | None = stream.fileno()
        except (OSError, AttributeError, ValueError):  # io.UnsupportedOperation is an OSError
            self.fd = None
        self._buffer = b""

    def pending(self) -> bool:
        return b"\n" in self._buffer

    def read(self, question: Question, timeout: float) -> str | None:
        if self.fd is None:
            line = self.stream.readline()
            if not line:
                raise NoMoreAnswers()
            return line
        while b"\n" not in self._buffer:
            if not select.select([self.fd], [], [], timeout)[0]:
                return None
            data = os.read(self.fd, 4096)
            if not data:
                if self._buffer:  # a last line with no newline
                    last, self._buffer = self._buffer, b""
                    return last.decode("utf-8", "replace")
                raise NoMoreAnswers()
            self._buffer += data
        first, _, self._buffer = self._buffer.partition(b"\n")
        return first.decode("utf-8", "replace") + "\n"

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        yield


@dataclass
class KeyAnswers:
    """Single keypresses in a terminal, no Enter needed. Keys pressed before a question is asked
    are thrown away: a key knocked during an exercise must not answer the next question."""

    fd: int = field(default_factory=lambda: sys.stdin.fileno())

    def pending(self) -> bool:
        return False

    def read(self, question: Question, timeout: float) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 32)  # a key, or all of an escape sequence (arrows): one answer
        if not data:
            raise NoMoreAnswers()
        text = data.decode("utf-8", "replace")
        if len(text) == 2 and text[1] in "\r\n" and text[0] not in "\x1b\r\n":
            return text[0]  # a key and Enter close together arrive as one read: the key
        return text if len(text) == 1 else ""

    def flush(self) -> None:
        import termios

        with contextlib.suppress(termios.error):
            termios.tcflush(self.fd, termios.TCIFLUSH)

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """cbreak mode for the conversation (keys arrive at once, unechoed; Ctrl-C still works),
        and the terminal as it was afterwards, whatever happens."""
        import termios
        import tty

        saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            yield
        finally:
            with contextlib.suppress(termios.error, OSError):  # the terminal may be gone (SIGHUP)
                termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)


def from_stdin() -> Answers:
    if sys.stdin.isatty():
        return KeyAnswers(sys.stdin.fileno())
    return LineAnswers(sys.stdin)
