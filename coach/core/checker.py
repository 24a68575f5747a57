"""One checker for the files a person writes (routines, the config file): every problem at once,
each with the file, the line, the key, what was expected and what was found.

tomllib gives values, not lines, so `key_lines` finds where each key is in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.core.data import describe
from coach.core.errors import InputError
from coach.core.text import control, fold, speakable

TEXT = 300  # characters in one spoken instruction

_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*("?)([A-Za-z0-9_-]+)\1\s*=""")

Where = tuple[int | None, str | None]  # (index of an array-of-tables entry from 1, or None; key)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file. `what` names the kind of problem when it is more than a wrong
    value ("missing", "unknown setting"); `found` is None when nothing was there."""

    file: str
    line: int | None
    key: str | None
    expected: str
    found: str | None = None
    what: str | None = None

    def __str__(self) -> str:
        at = f"{self.file}:{self.line}" if self.line else self.file
        said = f"{self.what}: " if self.what else ""
        said += f"expected {self.expected}" + (f", found {self.found}" if self.found is not None else "")
        return f"{at}: {self.key}: {said}" if self.key else f"{at}: {said}"


class FileProblems(InputError):
    """A file with problems: every one of them, a line each, under a head saying what to do."""

    SHOWN = 20  # problems listed; the rest counted (a file of 256 problems is not 256 lines)

    def __init__(self, head: str, problems: list[Problem] | list[str]):
        self.problems = [str(p) for p in problems]
        n = len(problems)
        shown = [f"  {p}" for p in self.problems[: self.SHOWN]]
        if n > self.SHOWN:
            shown.append(f"  ... and {n - self.SHOWN} more: fix these first, then check again.")
        super().__init__("\n".join([head.format(n=n, s="s" if n > 1 else ""), *shown]))


def key_lines(text: str, array: str | None = None) -> dict[Where, int]:
    """Line numbers of top-level keys (None, key); with `array`, of its [[array]] headers
    (i, None) and of their keys (i, key), i counting from 1."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]\s*(#.*)?$") if array else None
    found: dict[Where, int] = {}
    table: int | None = None
    count = 0
    for n, line in enumerate(text.splitlines(), 1):
        if header is not None and header.match(line):
            count += 1
            table = count
            found.setdefault((table, None), n)
        elif _TABLE.match(line):
            table = -1  # some other table: not ours to place
        else:
            m = _KEY.match(line)
            if m and table != -1:
                found.setdefault((table, m.group(2)), n)
    return found


class Checker:
    """Collects the problems of one file; `array` names its array of tables ("exercise")."""

    def __init__(self, where: str, text: str, array: str | None = None):
        self.where = where
        self.array = array
        self.lines = key_lines(text, array)
        self.problems: list[Problem] = []

    def problem(self, index: int | None, key: str | None, expected: str, found: str | None = None,
                what: str | None = None) -> None:
        line = self.lines.get((index, key)) or self.lines.get((index, None))
        name = key if index is None else f"{self.array}[{index}]" + (f".{key}" if key else "")
        self.problems.append(Problem(self.where, line, name, expected, found, what))

    def text(self, raw: dict, index: int | None, key: str, required: bool) -> str | None:
        """A piece of text to say: plain, with a letter or digit, and not too long."""
        if key not in raw:
            if required and index is None:
                self.problem(None, key, "text", what="missing")
            elif required:
                self.problem(index, None, "text", what=f"missing {key}")
            return None
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(index, key, "text", describe(value) if value != "" else "empty text")
            return None
        if len(value) > TEXT:
            self.problem(index, key, f"at most {TEXT} characters", str(len(value)))
            return None
        bad = control(value)
        if bad is not None:
            self.problem(index, key, "plain text", f"the control character {bad}")
            return None
        if not speakable(value):
            self.problem(index, key, "words to say", f"{describe(value)}, which has no letter or digit")
            return None
        return fold(value)

    def whole(self, raw: dict, index: int, key: str, lo: int, hi: int, what: str) -> int | None:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(index, key, f"a whole number of {what} from {lo} to {hi}", describe(value))
            return None
        return value

    def unknown(self, raw: dict, index: int | None, allowed: tuple[str, ...], what: str) -> None:
        for key in raw:
            if key not in allowed:
                self.problem(index, key, f"one of {', '.join(allowed)}", key, f"unknown key for {what}")
