"""Answers: keys and lines map to answers, nothing is guessed, bad answers repeat the question."""

from __future__ import annotations

import io
import os
import select
import termios
import threading

import pytest

from coach.clinical.screening import screening
from coach.core.question import Question, questions
from coach.core.words import catalog as words
from coach.live.answers import KeyAnswers, LineAnswers, NoMoreAnswers
from coach.live.guide import Guide


@pytest.mark.parametrize(
    "qid, raw, answer",
    [
        ("leg", "0", "0"), ("leg", "7", "7"), ("leg", "t", "10"), ("leg", "10", "10"), ("leg", " 3 \n", "3"),
        ("leg", "ten", "10"), ("leg", "11", None), ("leg", "-1", None), ("leg", "a", None), ("leg", "", None),
        ("leg", "\n", None), ("leg", "x", None),  # skipping is offered only where it is allowed
        ("reach", "k", "knee"), ("reach", "Low back", "low back"), ("reach", "low  back", "low back"),
        ("reach", "ankle", None), ("reach", "F", "foot"),
        ("compared", "b", "better"), ("compared", "the same", "same"), ("compared", "W", "worse"),
        ("compared", "fine", None),
    ],
)
def test_parse(qid, raw, answer):
    assert questions(words())[qid].parse(raw) == answer


def test_skippable_questions_take_x():
    q = Question("leg", "Leg?", "pain", words(), skippable=True)
    assert q.parse("x") == "" and q.parse("skip") == ""
    assert q.hint() == "[0-9, t ten, x skip]"


def test_every_safety_question_is_yes_or_no_and_asked_plainly():
    qs = [q for g in screening(words()).groups for q in g.questions]
    assert [g.id for g in screening(words()).groups] == ["emergency", "urgent"]
    assert len(qs) == 11 and all(q.kind == "yes-no" for q in qs)
    assert all(q.text.endswith("?") and len(q.text) < 120 for q in qs)
    assert "genitals" in qs[0].text  # saddle numbness is asked directly (NICE CKS)


class FakePlayer:
    sample_rate = 22050
    underflows = 0

    def play(self, *args, **kwargs):
        return True


class FakeClips:
    def length(self, text):
        return 100

    def get(self, text):
        from array import array

        return array("h", [0] * 100)


def guide_with(answers) -> tuple[Guide, list[str], list[str]]:
    printed: list[str] = []
    spoken: list[str] = []
    g = Guide(FakePlayer(), FakeClips(), answers, printed.append, words())  # type: ignore[arg-type]
    g.speak = lambda *lines, until_key=False: spoken.extend(lines)  # type: ignore[method-assign]
    return g, printed, spoken


def test_bad_lines_repeat_the_question_and_the_end_of_input_stops():
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("maybe\n\n12\n4\n")))
    leg = questions(words())["leg"]
    assert g.ask(leg) == "4"
    assert spoken == [leg.text] * 4  # asked, then again after each of the three bad answers
    assert sum("Please answer with one of these keys" in p for p in printed) == 3
    with pytest.raises(NoMoreAnswers):
        g.ask(leg)


def test_keys_in_a_real_terminal():
    """A pseudo-terminal: one key answers at once, no Enter; keys typed early are thrown away."""
    master, slave = os.openpty()
    try:
        keys = KeyAnswers(slave)
        g, printed, spoken = guide_with(keys)
        with keys.session():
            assert not termios.tcgetattr(slave)[3] & termios.ICANON  # cbreak: no Enter needed
            os.write(master, b"y")  # pressed before the question: must not answer it
            assert select.select([slave], [], [], 5)[0]  # it has reached the terminal
            threading.Timer(0.3, os.write, (master, b"q")).start()  # a wrong key: asks again
            threading.Timer(0.6, os.write, (master, b"\x1b[A")).start()  # an arrow key: asks again
            threading.Timer(0.9, os.write, (master, b"n")).start()
            assert g.ask(Question("saddle", "Numbness?", "yes-no", words())) == "no"
        assert termios.tcgetattr(slave)[3] & termios.ICANON  # the terminal is as it was
        assert spoken == ["Numbness?"] * 3
    finally:
        os.close(master)
        os.close(slave)


def test_a_key_and_enter_read_together_are_the_key():
    """Typed quickly, "n" and Enter reach the coach in one read: the answer is "n", not refused."""
    master, slave = os.openpty()
    try:
        keys = KeyAnswers(slave)
        g, printed, spoken = guide_with(keys)
        with keys.session():
            threading.Timer(0.3, os.write, (master, b"n\r")).start()
            assert g.ask(Question("saddle", "Numbness?", "yes-no", words())) == "no"
        assert spoken == ["Numbness?"]
        assert not any("Please answer" in p for p in printed)
    finally:
        os.close(master)
        os.close(slave)


def test_silence_repeats_the_question(monkeypatch):
    master, slave = os.openpty()
    try:
        monkeypatch.setattr("coach.live.guide.REPEAT_AFTER", 0.2)
        keys = KeyAnswers(slave)
        g, printed, spoken = guide_with(keys)
        with keys.session():
            threading.Timer(0.5, os.write, (master, b"s")).start()
            assert g.ask(questions(words())["compared"]) == "same"
        assert len(spoken) >= 2 and any(p.startswith("(again)") for p in printed)
    finally:
        os.close(master)
        os.close(slave)


class Silent:
    """Answers that give nothing `quiet` times (each a question's whole wait), then `answer`."""

    fd = None

    def __init__(self, quiet: int, answer: str):
        self.quiet, self.answer, self.waits = quiet, answer, []

    def pending(self) -> bool:
        return False

    def read(self, question, timeout):
        self.waits.append(timeout)
        if len(self.waits) <= self.quiet:
            return None
        return self.answer


def test_a_question_nobody_answers_is_asked_three_times_more_then_waits_quietly():
    """Issue 27, item 10: no endless repeats every 20 s."""
    answers = Silent(quiet=8, answer="5")
    g, printed, spoken = guide_with(answers)
    leg = questions(words())["leg"]
    assert g.ask(leg) == "5"
    assert spoken.count(leg.text) == 1 + 3  # asked, then again three times
    assert spoken[-1] == "I will wait for your answer. Press a key when you are ready."  # once, calmly
    assert spoken.count(spoken[-1]) == 1
    assert answers.waits[:4] == [20.0] * 4 and min(answers.waits[4:]) >= 3600  # then it waits, quietly
