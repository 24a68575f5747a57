"""Questions and where their answers come from, behind one small interface.

A question is answered by a single keypress in a terminal, or by one line per answer when stdin
is not a terminal (`printf 'n\\nn\\n' | coach test`). Nothing is ever guessed: silence repeats
the question, a wrong key or line repeats it, and the end of input stops cleanly. A voice
answer source can plug in later as one more `Answers`.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Iterator, Protocol

from coach import data
from coach.errors import InputError
from coach.words import language, words

REPEAT_AFTER = 20.0  # seconds of silence before a question is asked again
SKIP = "x"

KINDS = ("pain", "reach", "compared", "yes-no")


def _keys(kind: str) -> dict[str, tuple[str, str]]:
    """key → (the answer recorded, the word for it), in the session's language. The answers
    recorded are the same in every language; the keys and words are the catalog's."""
    keys = {k: (v[0], v[1]) for k, v in words().answers[kind].items()}
    if kind == "pain":
        keys = {**{str(n): (str(n), str(n)) for n in range(10)}, **keys}
    return keys


class NoMoreAnswers(InputError):
    """The input ended before a question was answered."""

    def __init__(self) -> None:
        super().__init__("no answer: the input ended before the question was answered. Stopped.")


@dataclass(frozen=True)
class Question:
    id: str
    text: str  # spoken and printed
    kind: str  # a key of KINDS
    skippable: bool = False

    @property
    def keys(self) -> dict[str, str]:
        keys = {k: answer for k, (answer, _) in _keys(self.kind).items()}
        if self.skippable:
            keys[SKIP] = ""
        return keys

    def hint(self) -> str:
        """The keys, printed after the question: [y yes, n no]."""
        shown = [(k, word) for k, (_, word) in _keys(self.kind).items() if not k.isdigit()]
        parts = (["0-9"] if self.kind == "pain" else []) + [f"{k} {word}" for k, word in shown]
        if self.skippable:
            parts.append(f"{SKIP} {words().answers['skip']}")
        return "[" + ", ".join(parts) + "]"

    def word(self, answer: str) -> str:
        """An answer as the session's language says it ("" is a skip)."""
        if not answer:
            return words().answers["skipped"]
        if self.kind == "pain":
            return answer  # a number, as digits
        return next((w for a, w in _keys(self.kind).values() if a == answer), answer)

    def parse(self, raw: str) -> str | None:
        """The answer a key or a line stands for, "" for skip, or None if it answers nothing."""
        said = " ".join(raw.strip().lower().split())
        if not said:
            return None
        keys = self.keys
        if said in keys:
            return keys[said]
        typed = {v: v for v in keys.values() if v}  # the recorded answers, as words
        typed.update({word.lower(): answer for answer, word in _keys(self.kind).values()})
        typed.update({"skip": "", words().answers["skip"]: ""} if self.skippable else {})
        if self.kind == "compared":
            typed.update({"the same": "same"})
        return typed.get(said)

    def with_text(self, text: str) -> "Question":
        return Question(self.id, text, self.kind, self.skippable)


def questions() -> dict[str, Question]:
    """The questions about pain, with their words in the session's language."""
    return _questions(language())


@cache
def _questions(lang: str) -> dict[str, Question]:
    texts = words().questions
    return {qid: Question(qid, texts[qid], raw["kind"]) for qid, raw in data.read("questions.toml").items()}


class Answers(Protocol):
    def read(self, question: Question, timeout: float) -> str | None:
        """The next raw answer (a key or a line), None after `timeout` seconds of nothing;
        raises NoMoreAnswers when the input has ended."""

    def session(self) -> contextlib.AbstractContextManager: ...


class LineAnswers:
    """One answer per line, from a pipe or a file."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def read(self, question: Question, timeout: float) -> str | None:
        line = self.stream.readline()
        if not line:
            raise NoMoreAnswers()
        return line

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        yield


@dataclass
class KeyAnswers:
    """Single keypresses in a terminal, no Enter needed. Keys pressed before a question is asked
    are thrown away: a key knocked during an exercise must not answer the next question."""

    fd: int = field(default_factory=lambda: sys.stdin.fileno())

    def read(self, question: Question, timeout: float) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 32)  # a key, or all of an escape sequence (arrows): one answer
        if not data:
            raise NoMoreAnswers()
        text = data.decode("utf-8", "replace")
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
