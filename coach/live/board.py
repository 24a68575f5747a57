"""The full-terminal board: what is shown at a position of the script, for someone lying a
couple of metres away, and how it is laid out in a given size (large type where it fits). Pure:
`Board.state` and `Board.frame` are tested exactly; coach/live/view.py draws the frames."""

from __future__ import annotations

import math
import textwrap
from bisect import bisect_right
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Mapping

from coach.core.control import spans
from coach.core.script import SPEECH, Script
from coach.core.steps import Part, label, parts
from coach.core.text import clock, printable
from coach.core.words import Screen as ScreenWords
from coach.core.words import Words


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
    code: tuple[str, ...] = ()  # a QR code's rows to scan (the phone's page), shown where no digits are


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

    def exercise_at(self, position: int) -> str | None:
        """The exercise playing at `position` (its id), None in the introduction or the closing."""
        return self._where(max(0, min(position, self.script.total)))[0] if self.steps else None

    def payload(self, position: int, paused: bool = False, volume: int = 100) -> dict:
        """The state at `position` as plain values, with the exercise's id: what the phone's
        page is sent (coach/phone/)."""
        out = asdict(self.state(position, paused, volume=volume))
        out["exercise"] = self.exercise_at(position)
        return out

    def state(self, position: int, paused: bool = False, message: str = "", volume: int = 100,
              hearing: str = "", code: tuple[str, ...] = ()) -> State:
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
            paused=paused, message=message, volume=volume, hearing=hearing, code=code,
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
        if s.code and (s.big or max(len(r) for r in s.code) > width or len(s.code) + 4 > height):
            s = replace(s, code=())  # digits first; a code that does not fit whole is not shown
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
        if s.code:
            pad = " " * ((width - max(len(r) for r in s.code)) // 2)
            blocks.append(("digits", [pad + r for r in s.code]))
        else:
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
