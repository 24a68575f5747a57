"""Text from files, made safe: control characters found, text with nothing to say found, and any
text made harmless to print on a terminal (pure; no I/O)."""

from __future__ import annotations

import re

# What steers a terminal or reorders what it shows: the C0 and C1 controls (Unicode's Cc), the line
# and paragraph separators, and the bidirectional overrides and isolates.
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_IN_FILE_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_BEYOND_C0}]")  # tab, \n and \r are folded instead
_ON_SCREEN = re.compile(f"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")  # all but the line break


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def control(text: str) -> str | None:
    """The first character of `text` that would steer a terminal (as \\x1b, \\u202e...), or None.
    Tabs and line breaks are not counted: they are folded (see `fold`)."""
    m = _IN_FILE_TEXT.search(text)
    return _escape(m.group()) if m else None


def fold(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space; no space at either end."""
    return " ".join(text.split())


def speakable(text: str) -> bool:
    """Whether the text has something a voice can say: a letter or a digit."""
    return any(ch.isalnum() for ch in text)


def printable(text: str) -> str:
    """The text with every character that could steer a terminal shown as its escape (\\x1b), so
    that no escape sequence from a file reaches the screen. Line breaks are kept."""
    return _ON_SCREEN.sub(lambda m: _escape(m.group()), text)


def clock(seconds: float) -> str:
    """12:05 for 725 seconds; 1:02:05 past the hour."""
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
