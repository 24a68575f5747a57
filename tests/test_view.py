"""The live view: the board's contents at exact positions of the script, its fit to any terminal
size, the screen's redraws read back by a terminal emulator, and when each view is chosen."""

from __future__ import annotations

import fcntl
import io
import math
import os
import select
import struct
import termios

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.core.control import spans
from coach.core.exercise import catalog
from coach.core.script import SAMPLE_RATE, SPEECH
from coach.core.steps import parts
from coach.core.words import catalog as words
from coach.live import board, view
from coach.live.board import Board, figlet
from coach.live.view import Lines, Screen
from tests.terminal import Display
from tests.test_script import make

SR = SAMPLE_RATE
FLEXION = make()
NAMES = {k: v.name for k, v in catalog(words()).items()}
BOARD = Board(FLEXION, NAMES, "coach · flexion routine", words())


def test_a_hold_counts_down_its_seconds_exactly():
    still = [s for s in spans(FLEXION) if not s.counted]
    assert still
    for span in still:
        seconds = (span.end - span.start) // SR
        assert BOARD.state(span.start).big == str(seconds)
        assert BOARD.state(span.end - 1).big == "1"
        for k in range(seconds):  # each second shows what is left, rounded up
            assert BOARD.state(span.start + k * SR + 1).big == str(seconds - k)
        assert BOARD.state(span.end).big == ""  # the end cue: the hold is over
        assert BOARD.state(span.start).label.startswith("seconds left")


def test_holds_are_numbered_within_their_exercise_and_side():
    labels = [BOARD.state(s.start).label for s in spans(FLEXION) if not s.counted]
    # knees to chest 3 holds, then two stretches, 3 holds a side
    assert labels[:3] == [f"seconds left · hold {n} of 3" for n in (1, 2, 3)]
    assert labels[3:6] == labels[:3]


def test_a_rep_set_shows_the_rep_counted_last():
    glide = [s for s in spans(FLEXION) if s.counted]
    assert len(glide) == 2  # one set a side
    for span in glide:
        counts = [e for e in FLEXION.events if span.start <= e.start < span.end and e.kind == SPEECH
                  and e.rep is not None]
        reps = max(e.rep for e in counts)
        assert BOARD.state(span.start).big == ""  # the lead-in before the first count
        for e in counts:
            state = BOARD.state(e.start)
            assert (state.big, state.label) == (str(e.rep), f"rep {e.rep} of {reps}")


def test_name_side_step_and_what_comes_next():
    seen = []
    for part in parts(FLEXION):
        s = BOARD.state(part.start)
        seen.append((s.name, s.side, s.step, s.next))
    assert seen[0] == ("Introduction", "", "", "Next: Knees to chest")
    assert ("Knees to chest", "", "exercise 1 of 4", "Next: Knee to opposite shoulder") in seen
    assert ("Figure four stretch", "left side", "exercise 3 of 4", "Next: Figure four stretch, right side") in seen
    assert ("Sciatic nerve glide", "right side", "exercise 4 of 4", "Next: the closing words") in seen
    assert seen[-1][:3] == ("Closing", "", "")


def test_elapsed_and_remaining_add_up_and_the_bar_fills():
    total = math.ceil(FLEXION.total / SR)
    for position in (0, FLEXION.total // 3, FLEXION.total):
        s = BOARD.state(position)
        assert s.elapsed == position // SR and s.left == math.ceil((FLEXION.total - position) / SR)
        assert s.elapsed + s.left in (total - 1, total)
    start = BOARD.frame(BOARD.state(0), 80, 24)[-2]
    end = BOARD.frame(BOARD.state(FLEXION.total), 80, 24)[-2]
    assert "█" not in start and "░" in start and start.endswith(f"{board.clock(total)} left")
    assert "░" not in end and "█" in end and end.endswith("0:00 left")


def test_the_sentence_said_last_is_shown():
    said = [e for e in FLEXION.events if e.kind == SPEECH]
    for e in said[:40]:
        assert BOARD.state(e.start + 1).now == e.text


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 220), height=st.integers(1, 70), at=st.floats(0, 1),
       paused=st.booleans(), message=st.text(max_size=120))
def test_every_frame_fits_its_terminal(width, height, at, paused, message):
    state = BOARD.state(int(at * FLEXION.total), paused, message)
    rows = BOARD.frame(state, width, height)
    assert len(rows) == height
    assert all(len(r) <= width for r in rows)


def _hold_state(seconds_left: int = 24):
    span = next(s for s in spans(FLEXION) if not s.counted)
    return BOARD.state(span.end - seconds_left * SR)


@pytest.mark.parametrize("size, digit_rows", [((120, 40), 14), ((80, 24), 7), ((40, 12), 1)])
def test_the_larger_the_terminal_the_larger_the_digits(size, digit_rows):
    state = _hold_state(24)
    rows = BOARD.frame(state, *size)
    font = figlet("24", "banner3", 200)
    if digit_rows == 1:
        assert any(r.strip() == "24" for r in rows)
        return
    scale = digit_rows // len(font)
    expected = ["".join(c * scale for c in r) for r in font for _ in range(scale)]
    text = "\n".join(r.strip() for r in rows)
    assert "\n".join(r.strip() for r in expected) in text  # the digits, drawn in solid blocks
    assert "█" in expected[0]


def test_the_name_is_in_large_type_where_it_fits_and_plain_where_it_does_not():
    state = _hold_state()
    wide = BOARD.frame(state, 120, 40)
    assert not any("Knees to chest" in r for r in wide)
    assert "\n".join(figlet("Knees to chest", "ansi_shadow", 120)) in "\n".join(r.strip() for r in wide)
    narrow = BOARD.frame(state, 40, 12)
    assert any(r.strip() == "Knees to chest" for r in narrow)


def test_paused_and_a_message_are_shown():
    rows = BOARD.frame(BOARD.state(FLEXION.total // 2, True, "Press q again to quit."), 80, 24)
    assert rows[0].endswith("PAUSED")
    assert any("PAUSED: press space to go on" in r for r in rows)
    assert any(r.strip() == "Press q again to quit." for r in rows)
    assert BOARD.frame(BOARD.state(0, volume=125), 80, 24)[0].endswith("volume 125%")
    listening = BOARD.frame(BOARD.state(FLEXION.total // 2, True, hearing="listening"), 80, 24)
    assert any('PAUSED: say "go on" or press space' in r for r in listening)  # the spoken way back, when it listens


def test_accented_names_are_drawn_without_accents():
    assert board.big_text("Extensión", ("future",), 80) == board.big_text("Extension", ("future",), 80)


# --- the screen on a real pseudo-terminal, read back by a terminal emulator ------------------


class Pty:
    def __init__(self, columns=80, lines=24):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.display = Display(columns, lines)
        self.stream = __import__("pyte").ByteStream(self.display)

    def drain(self) -> bytes:
        data = b""
        while select.select([self.master], [], [], 0.05)[0]:
            data += os.read(self.master, 65536)
        self.stream.feed(data)
        return data

    def close(self):
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def tty(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    p = Pty()
    yield p
    p.close()


def test_the_screen_shows_the_board_and_redraws_only_what_changed(tty):
    caps = view.capabilities(tty.slave)
    assert caps is not None
    span = [s for s in spans(FLEXION) if not s.counted][1]  # a hold with nothing said in its first seconds
    screen = Screen(BOARD, tty.slave, caps, lambda: 1.0)
    with screen:
        screen.show(span.start + SR // 2)
        tty.drain()
        assert tty.display.alternate and tty.display.cursor.hidden
        frame = BOARD.frame(BOARD.state(span.start + SR // 2), 79, 24)
        assert [r.rstrip() for r in tty.display.display] == frame

        draws, changes, last = screen.draws, 0, BOARD.state(span.start + SR // 2)
        for k in range(1, 101):  # two seconds, shown 50 times a second as a session does
            position = span.start + SR // 2 + k * SR // 50
            state = BOARD.state(position)
            screen.show(position)
            written = tty.drain()
            if state == last:  # nothing changed: nothing drawn, nothing written
                assert written == b""
                continue
            changes += 1
            old, new = BOARD.frame(last, 79, 24), BOARD.frame(state, 79, 24)
            changed = sum(a != b for a, b in zip(old, new))
            assert 0 < changed < 12
            assert written.count(b"\x1b[") <= 2 * changed  # a cursor move and a clear per changed row
            assert [r.rstrip() for r in tty.display.display] == new
            last = state
        assert screen.draws - draws == changes and 2 <= changes <= 6
    tty.drain()
    assert not tty.display.alternate and not tty.display.cursor.hidden


def test_the_screen_redraws_all_when_the_terminal_is_resized(tty):
    caps = view.capabilities(tty.slave)
    screen = Screen(BOARD, tty.slave, caps, lambda: 1.0)
    position = next(s for s in spans(FLEXION) if not s.counted).start
    with screen:
        screen.show(position)
        tty.drain()
        fcntl.ioctl(tty.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        tty.display.resize(40, 120)
        screen.show(position)
        tty.drain()
        assert [r.rstrip() for r in tty.display.display] == BOARD.frame(BOARD.state(position), 119, 40)


def test_which_view(tty, monkeypatch):
    def choose(out, plain=False):
        return view.choose(FLEXION, print, words(), plain=plain, keys=True, title="t", volume=lambda: 1.0, out=out)

    with open(os.ttyname(tty.slave), "w") as out:
        assert isinstance(choose(out), Screen)
        assert isinstance(choose(out, plain=True), Lines)
        monkeypatch.setenv("TERM", "dumb")
        assert isinstance(choose(out), Lines)
        monkeypatch.setenv("TERM", "xterm-256color")
        fcntl.ioctl(tty.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 6, 80, 0, 0))
        assert isinstance(choose(out), Lines)  # too small to say enough
    assert isinstance(choose(io.StringIO()), Lines)  # not a terminal
    r, w = os.pipe()
    with os.fdopen(w, "w") as pipe:
        assert isinstance(choose(pipe), Lines)
    os.close(r)
