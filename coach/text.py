"""Text from files, made safe: control characters found, text with nothing to say found, and any
text made harmless to print on a terminal (pure; no I/O)."""

from __future__ import annotations

import unicodedata

# Characters that steer a terminal or reorder what it shows, beside the C0/C1 controls: the line and
# paragraph separators and the bidirectional overrides and isolates.
_STEERING = {"\u2028", "\u2029", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
WHITESPACE = "\t\n\r"  # allowed inside text read from a file: folded into single spaces


def _unsafe(ch: str) -> bool:
    return ch in _STEERING or unicodedata.category(ch) == "Cc"


def control(text: str) -> str | None:
    """The first character of `text` that would steer a terminal (as \\x1b, \\u202e...), or None.
    Tabs and line breaks are not counted: they are folded (see `fold`)."""
    for ch in text:
        if ch not in WHITESPACE and _unsafe(ch):
            return _escape(ch)
    return None


def fold(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space; no space at either end."""
    return " ".join(text.split())


def speakable(text: str) -> bool:
    """Whether the text has something a voice can say: a letter or a digit."""
    return any(ch.isalnum() for ch in text)


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def printable(text: str) -> str:
    """The text with every character that could steer a terminal shown as its escape (\\x1b), so
    that no escape sequence from a file reaches the screen. Line breaks are kept."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if ch != "\n" and _unsafe(ch) else ch for ch in text)
