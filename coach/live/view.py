"""What a live session shows while it plays.

- In a terminal: a full-screen board for someone lying a couple of metres away. `Board` decides
  what is shown at a position of the script (pure: tested exactly); `Screen` draws it, rewriting
  only the rows that changed, and gives the terminal back as it found it.
- Anywhere else (a pipe, a log, CI) or with --plain: one timestamped line per event (`Lines`).

Both take the same calls from the session: show(position), jump(position), pause(flag) and
echo(text) for what the coach prints while it plays (a prompt, a question).
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import textwrap
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

from coach.core.control import spans
from coach.core.script import CUE, SPEECH, Script
from coach.core.steps import Part, label, parts
from coach.core.text import (
    clock,  # 12:05, as the session's length is printed
    printable,
)
from coach.core.words import Screen as ScreenWords
from coach.core.words import Words


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


# --- the board: what the full-terminal view shows -------------------------------------------


@dataclass(frozen=True)
class State:
    """Everything on the board at one moment; equal states draw equal frames."""

    title: str
    step: str  # "exercise 2 of 4"
    name: str  # the exercise, "Introduction" or "Closing"
    side: str  # "left side", or ""
    big: str  # the hold's seconds left or the rep number, or ""
    label: str  # what the big digits are
    now: str  # the sentence said last
    next: str
    elapsed: int  # whole seconds played
    left: int  # seconds still to play, rounded up
    paused: bool = False
    message: str = ""
    volume: int = 100  # percent
    hearing: str = ""  # "listening", or "heard: pause", when the coach listens


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    counted: bool
    of: int  # how many holds (still) or reps (counted)
    hold: int | None  # which hold, for a still one


class Board:
    """What to show at any position of a script: pure, from the script and the exercise names."""

    def __init__(self, script: Script, names: Mapping[str, str], title: str, words: Words, keys: bool = True):
        self.words = words
        self.script, self.names, self.title, self.keys = script, names, title, keys
        sr = script.sample_rate
        self.sr = sr
        self.steps = parts(script)
        self.step_starts = [p.start for p in self.steps]
        order: list[str] = []
        for p in self.steps:
            if p.exercise is not None and p.exercise not in order:
                order.append(p.exercise)
        self.order = order
        self.spoken = [e for e in script.events if e.kind == SPEECH]
        self.spoken_starts = [e.start for e in self.spoken]
        self.spans = self._spans()
        self.span_starts = [s.start for s in self.spans]

    def _spans(self) -> list[_Span]:
        """The script's holds and rep sets, each with which hold it is and how many there are."""
        events, starts = self.script.events, [e.start for e in self.script.events]
        out: list[_Span] = []
        for span in spans(self.script):
            first = bisect_right(starts, span.start) - 1  # the hold-start cue
            inside = events[first:bisect_right(starts, span.end - 1)]
            reps = [e.rep for e in inside if e.kind == SPEECH and e.rep is not None]
            out.append(_Span(span.start, span.end, span.counted, max(reps, default=0), events[first].rep))
        holds: dict[tuple, int] = {}  # a still hold's count: the holds of its exercise and side
        for s in out:
            if not s.counted:
                holds[self._where(s.start)] = max(holds.get(self._where(s.start), 0), s.hold or 1)
        return [s if s.counted else _Span(s.start, s.end, False, holds[self._where(s.start)], s.hold)
                for s in out]

    def _step(self, position: int) -> int:
        return max(0, bisect_right(self.step_starts, position) - 1)

    def _where(self, position: int) -> tuple[str | None, str | None]:
        p = self.steps[self._step(position)]
        return p.exercise, p.side

    def state(self, position: int, paused: bool = False, message: str = "", volume: int = 100,
              hearing: str = "") -> State:
        w = self.words.screen
        position = max(0, min(position, self.script.total))
        i = self._step(position)
        here = self.steps[i] if self.steps else Part(0, 0, None, None)
        exercise, side = here.exercise, here.side
        if exercise is None:
            name, step = w.introduction if i == 0 else w.closing, ""
        else:
            name = self.names.get(exercise, exercise)
            step = w.exercise_of.format(n=self.order.index(exercise) + 1, total=len(self.order))
        big, label = "", ""
        k = bisect_right(self.span_starts, position) - 1
        if k >= 0 and position < self.spans[k].end:
            span = self.spans[k]
            if span.counted:
                j = bisect_right(self.spoken_starts, position) - 1
                rep = self.spoken[j].rep if j >= 0 and self.spoken[j].start >= span.start else None
                if rep is not None:
                    big, label = str(rep), w.rep_of.format(n=rep, total=span.of)
            else:
                big = str(math.ceil((span.end - position) / self.sr))
                label = w.seconds_left
                if span.of > 1 and span.hold:
                    label += " · " + w.hold_of.format(n=span.hold, total=span.of)
        j = bisect_right(self.spoken_starts, position - 1) - 1
        now = (self.spoken[j].text or "") if j >= 0 else ""
        return State(
            title=self.title, step=step, name=name,
            side=w.side.format(side=self.words.side(side)) if side else "",
            big=big, label=label, now=now, next=self._next(i),
            elapsed=position // self.sr, left=math.ceil((self.script.total - position) / self.sr),
            paused=paused, message=message, volume=volume, hearing=hearing,
        )

    def _next(self, i: int) -> str:
        w = self.words.screen
        here = self.steps[i] if self.steps else Part(0, 0, None, None)
        for part in self.steps[i + 1:]:
            if part.exercise is None:
                return w.next.format(what=w.next_closing) if here.exercise is not None else ""
            if (part.exercise, part.side) != (here.exercise, here.side):
                return w.next.format(what=label(part, self.names, self.words))
        return w.next.format(what=w.next_end) if here.exercise is not None else ""

    def frame(self, s: State, width: int, height: int) -> list[str]:
        """The rows of the screen, each at most `width` characters, exactly `height` of them."""
        width, height = max(1, width), max(1, height)
        for tier in TIERS:
            blocks = self._blocks(s, width, tier)
            if sum(len(rows) for _, rows in blocks) <= height:
                break
        while sum(len(rows) for _, rows in blocks) > height:
            droppable = [k for k in DROP if any(key == k for key, _ in blocks)]
            if not droppable:
                break
            blocks = _without_first(blocks, droppable[0])
        top = [row for key, rows in blocks if key not in BOTTOM for row in rows]
        bottom = [row for key, rows in blocks if key in BOTTOM for row in rows]
        rows = top + [""] * max(0, height - len(top) - len(bottom)) + bottom
        return [printable(r)[:width].rstrip() for r in rows[:height]]

    def _blocks(self, s: State, width: int, tier: tuple) -> list[tuple[str, list[str]]]:
        w = self.words.screen
        name_fonts, side_fonts, (digit_font, scale) = tier
        right = w.paused if s.paused else (w.volume.format(percent=s.volume) if s.volume != 100 else "")
        right = " · ".join(x for x in (s.hearing, right) if x)
        left = " · ".join(x for x in (s.title, s.step) if x)
        if len(left) + len(right) + 1 > width:  # narrow: the step matters more than the title
            left = s.step or s.title
        header = left[: max(0, width - len(right) - 1)].ljust(width - len(right)) + right
        blocks: list[tuple[str, list[str]]] = [("header", [header]), ("gap", [""])]
        blocks.append(("name", big_text(s.name, name_fonts, width)))
        if s.side:
            blocks.append(("side", big_text(s.side, side_fonts, width)))
        blocks.append(("gap", [""]))
        digits = big_text(s.big or "0", (digit_font,), width, scale)
        blocks.append(("digits", digits if s.big else [""] * len(digits)))
        label = (w.paused_hint_listening if s.hearing else w.paused_hint) if s.paused else s.label
        blocks.append(("label", [label.center(width).rstrip()]))
        blocks.append(("now", _wrap(s.now, width)))
        blocks.append(("next", [" " + s.next]))
        if s.message:
            blocks.append(("message", _wrap(s.message, width)))
        blocks.append(("gapb", [""]))
        blocks.append(("bar", [bar(s.elapsed, s.left, width, w)]))
        if self.keys:
            keys = w.keys if len(w.keys) + 2 <= width else w.keys_short
            blocks.append(("keys", [(" " + keys)[:width]]))
        return blocks


def _wrap(text: str, width: int) -> list[str]:
    """At most two rows, indented by one space."""
    if width < 8:
        return [text[:width]]
    return [" " + line for line in textwrap.wrap(text, width - 2, max_lines=2, placeholder=" …")] or [""]


def _without_first(blocks, key):
    i = next(n for n, (k, _) in enumerate(blocks) if k == key)
    return blocks[:i] + blocks[i + 1:]


# From the largest type to plain text: (name fonts, side fonts, (digit font, scale)). A block whose
# text is too wide for its font tries the next; None is plain text.
TIERS = (
    (("ansi_shadow", "future"), ("future", None), ("banner3", 2)),
    (("future", None), ("future", None), ("banner3", 2)),
    (("future", None), (None,), ("banner3", 1)),
    ((None,), (None,), ("banner3", 1)),
    ((None,), (None,), ("future", 1)),
    ((None,), (None,), (None, 1)),
)
BOTTOM = {"now", "next", "message", "gapb", "bar", "keys"}
# When even plain text does not fit: what goes first
DROP = ("gap", "gapb", "keys", "now", "next", "side", "header", "label", "message")
SOLID = {"banner3": {"#": "█"}}  # fonts drawn with '#' read better as solid blocks


@lru_cache(maxsize=512)
def figlet(text: str, font: str, width: int) -> tuple[str, ...] | None:
    """`text` in a FIGlet font, wrapped to `width`; None when a word does not fit."""
    import pyfiglet

    figure = pyfiglet.Figlet(font=font, width=width)
    widest = max(max(len(r) for r in c) for c in figure.Font.chars.values())
    if width <= 2 * widest:  # pyfiglet can loop for ever when a letter barely fits a line
        return None
    try:
        rendered = figure.renderText(text)
    except pyfiglet.CharNotPrinted:
        return None
    for a, b in SOLID.get(font, {}).items():
        rendered = rendered.replace(a, b)
    rows = [r.rstrip() for r in rendered.split("\n")]
    while rows and not rows[-1]:
        rows.pop()
    while rows and not rows[0]:
        rows.pop(0)
    if not rows or max(len(r) for r in rows) > width:
        return None
    return tuple(rows)


def big_text(text: str, fonts: tuple[str | None, ...], width: int, scale: int = 1) -> list[str]:
    """The text in the first font that fits the width, centred; else plain, centred."""
    for font in fonts:
        if font is None:
            break
        rows = figlet(_ascii(text), font, width // scale)
        if rows is not None:
            if scale > 1:
                rows = tuple("".join(c * scale for c in r) for r in rows for _ in range(scale))
            wide = max(len(r) for r in rows)
            pad = " " * ((width - wide) // 2)
            return [pad + r for r in rows]
    return [text[:width].center(width).rstrip()]


def _ascii(text: str) -> str:
    """FIGlet fonts draw ASCII; accented letters are drawn without their accents."""
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def bar(elapsed: int, remaining: int, width: int, w: ScreenWords) -> str:
    """ 4:12 elapsed ████████░░░░░░░░ 11:30 left"""
    left = f" {clock(elapsed)} {w.elapsed} "
    right = f" {clock(remaining)} {w.left}"
    room = width - len(left) - len(right)
    if room < 5:
        return (left + right)[:width].rstrip()
    filled = round(room * elapsed / (elapsed + remaining)) if elapsed + remaining else room
    return left + "█" * filled + "░" * (room - filled) + right


# --- the screen: draws the board in a terminal ----------------------------------------------


class Screen:
    """The board on the terminal's alternate screen, redrawn only where a row changed; the
    cursor hidden while it shows, and the terminal given back as it was whatever ends it."""

    def __init__(self, board: Board, fd: int, caps: dict[str, bytes], volume: Callable[[], float],
                 hearing: Callable[[], str] = str):
        self.board, self.fd, self.caps, self.volume, self.hearing = board, fd, caps, volume, hearing
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
                                     round(self.volume() * 100), self.hearing())
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
           hearing: Callable[[], str] = str):
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
    return Screen(Board(script, names, title, words, keys), fd, caps, volume, hearing)
