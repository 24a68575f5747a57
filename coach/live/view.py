"""What a live session shows while it plays.

- In a terminal: a full-screen board for someone lying a couple of metres away. `Board`
  (coach/live/board.py) decides what is shown at a position of the script (pure: tested exactly);
  `Screen` draws it, rewriting only the rows that changed, and gives the terminal back as it found it.
- Anywhere else (a pipe, a log, CI) or with --plain: one timestamped line per event (`Lines`).

Both take the same calls from the session: show(position), jump(position), pause(flag) and
echo(text) for what the coach prints while it plays (a prompt, a question).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Any, Callable, Mapping

from coach.core.script import CUE, SPEECH, Script
from coach.core.words import Words
from coach.live.board import Board


def stamp(position: int, sample_rate: int) -> str:
    s = position // sample_rate
    return f"{s // 60:02d}:{s % 60:02d}"


class Lines:
    """Prints each speech and cue event once, when the cursor reaches it."""

    def __init__(self, script: Script, echo: Callable[[str], None], words: Words):
        self.script = script
        self.echo = echo
        self.words = words
        self.events = [e for e in script.events if e.kind in (SPEECH, CUE)]
        self.next = 0

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def show(self, position: int) -> None:
        sr = self.script.sample_rate
        while self.next < len(self.events) and self.events[self.next].start < position:
            e = self.events[self.next]
            what = e.text if e.kind == SPEECH else self.words.printed.tones.get(e.cue or "", f"({e.cue})")
            self.echo(f"[{stamp(e.start, sr)}] {what}")
            self.next += 1

    def update(self, script: Script) -> None:
        """A later draft of the script: the same events up to the cursor (coach/drafts.py)."""
        self.script = script
        self.events = [e for e in script.events if e.kind in (SPEECH, CUE)]

    def jump(self, position: int) -> None:
        """The cursor moved (skip, repeat, resume): show events from there on."""
        self.echo(f"[{stamp(position, self.script.sample_rate)}] {self.words.printed.continuing}")
        self.next = next((i for i, e in enumerate(self.events) if e.start >= position), len(self.events))

    def pause(self, paused: bool) -> None:
        pass  # the session prints its own "Paused." line


# --- the screen: draws the board in a terminal ----------------------------------------------


class Screen:
    """The board on the terminal's alternate screen, redrawn only where a row changed; the
    cursor hidden while it shows, and the terminal given back as it was whatever ends it."""

    def __init__(self, board: Board, fd: int, caps: dict[str, bytes], volume: Callable[[], float],
                 hearing: Callable[[], str] = str, code: Callable[[], tuple[str, ...]] = tuple):
        self.board, self.fd, self.caps, self.volume, self.hearing = board, fd, caps, volume, hearing
        self.code = code  # a QR code to show where no digits are (the phone's page, until it connects)
        self.position = 0
        self.paused = False
        self.message, self.message_at = "", 0
        self.shown: list[str] = []
        self.drawn: tuple | None = None  # (state, size) last drawn
        self.draws = 0  # frames composed (for the bench)
        self._drawing = False
        self._saved_winch: Any = None  # the resize handler before ours
        self.dead = False

    def __enter__(self) -> Screen:
        self._write(self.caps.get("smcup", b"") + self.caps.get("civis", b"") + self.caps["clear"])
        with contextlib.suppress(ValueError):  # not the main thread: no resize signal, still polled
            self._saved_winch = signal.signal(signal.SIGWINCH, self._resized)
        self._draw()
        return self

    def __exit__(self, *exc) -> None:
        if self._saved_winch is not None:
            signal.signal(signal.SIGWINCH, self._saved_winch)
        restore = self.caps.get("cnorm", b"")
        restore += self.caps["rmcup"] if self.caps.get("rmcup") else self.caps["clear"]
        self.dead = False
        self._write(restore)

    def _resized(self, signum, frame) -> None:
        if not self._drawing:
            self._draw()

    def show(self, position: int) -> None:
        self.position = position
        self._draw()

    def update(self, script: Script) -> None:
        """A later draft of the script: the board is made again from it."""
        b = self.board
        self.board = Board(script, b.names, b.title, b.words, b.keys)
        self._draw()

    def jump(self, position: int) -> None:
        self.position, self.message = position, ""
        self._draw()

    def pause(self, paused: bool) -> None:
        self.paused = paused
        if not paused:
            self.message = ""
        self._draw()

    def echo(self, text: str) -> None:
        self.message, self.message_at = text.strip(), self.position
        self._draw()

    def _draw(self) -> None:
        if self.dead:
            return
        self._drawing = True
        try:
            try:
                size = os.get_terminal_size(self.fd)
            except OSError:
                return
            if self.message and self.position - self.message_at > MESSAGE_FOR * self.board.sr:
                self.message = ""
            state = self.board.state(self.position, self.paused, self.message,
                                     round(self.volume() * 100), self.hearing(), self.code())
            if (state, size) == self.drawn:
                return
            self.draws += 1
            rows = self.board.frame(state, size.columns - 1, size.lines)  # never the last column:
            out = b""  # writing there can scroll some terminals
            if self.drawn is None or self.drawn[1] != size:
                out += self.caps["clear"]
                self.shown = [""] * size.lines
            for i, row in enumerate(rows):
                if self.shown[i] != row:
                    out += _tparm(self.caps["cup"], i, 0) + row.encode() + self.caps.get("el", b"")
            self.shown = rows
            self.drawn = (state, size)
            self._write(out)
        finally:
            self._drawing = False

    def _write(self, data: bytes) -> None:
        try:
            while data and not self.dead:
                data = data[os.write(self.fd, data):]
        except OSError:  # the terminal is gone (it closed: SIGHUP follows)
            self.dead = True


MESSAGE_FOR = 8  # seconds of session a printed message stays on the board


def _tparm(cap: bytes, row: int, col: int) -> bytes:
    import curses

    return curses.tparm(cap, row, col)


def capabilities(fd: int) -> dict[str, bytes] | None:
    """What this terminal can do, from terminfo; None when it cannot place the cursor."""
    term = os.environ.get("TERM", "")
    if not term or term == "dumb":
        return None
    try:
        import curses

        curses.setupterm(term, fd)
        caps = {name: curses.tigetstr(name) or b"" for name in
                ("clear", "cup", "el", "civis", "cnorm", "smcup", "rmcup")}
    except Exception:  # no curses, or no terminfo entry for this TERM
        return None
    return caps if caps["clear"] and caps["cup"] else None


MIN_SIZE = (30, 8)  # columns, lines: below this the board cannot say enough


def choose(script: Script, echo: Callable[[str], None], words: Words, *, plain: bool, keys: bool, title: str,
           volume: Callable[[], float], names: Mapping[str, str] | None = None, out=None,
           hearing: Callable[[], str] = str, code: Callable[[], tuple[str, ...]] = tuple):
    """The full-terminal board when the output is a capable terminal of a useful size, else lines."""
    out = out or sys.stdout
    if plain:
        return Lines(script, echo, words)
    try:
        fd = out.fileno()
        tty = os.isatty(fd)
        size = os.get_terminal_size(fd) if tty else None
    except (OSError, ValueError, AttributeError):
        return Lines(script, echo, words)
    if not tty or size is None or size.columns < MIN_SIZE[0] or size.lines < MIN_SIZE[1]:
        return Lines(script, echo, words)
    caps = capabilities(fd)
    if caps is None:
        return Lines(script, echo, words)
    if names is None:
        from coach.core.exercise import catalog

        names = {k: v.name for k, v in catalog(words).items()}
    out.flush()
    return Screen(Board(script, names, title, words, keys), fd, caps, volume, hearing, code)
