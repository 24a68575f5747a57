"""Listening without a sound server: the grammars from the catalog, the real recognizer on the
coach's own spoken words, and the guide's rules for spoken answers (said back, never guessed,
a safety no overridden by a yes), with a listener fed by hand where the rule is the point."""

from __future__ import annotations

import dataclasses
import io
import os
import queue
import threading

import pytest

from coach.audio.hearing import load
from coach.audio.recognizer import Heard
from coach.core.grammar import PAUSED, PLAYING, grammars, problems
from coach.core.question import Question, questions
from coach.core.words import catalog, languages
from coach.live.answers import LineAnswers
from coach.live.listener import Listener
from tests.test_answers import guide_with
from tests.voices import project, recognize, second


def test_every_catalog_with_a_model_has_sound_grammars():
    for lang in languages():
        w = catalog(lang)
        if w.listen is not None:
            assert problems(w) == [], lang
    assert catalog("es").listen is None  # no Spanish model: answers are by key


def test_the_moment_decides_what_is_listened_for():
    g = grammars(catalog().listen)
    assert "go on" not in g[PLAYING].phrases and g[PAUSED].token("go on") == "resume"
    assert g[PLAYING].token("stop") == "quit" and g[PLAYING].token("worse") == "worse"
    assert g["pain+skip"].token("skip") == "skip" and "skip" not in g["pain"].phrases
    assert g["pain"].token("seven") == "7" and g["reach"].token("low back") == "low back"


def test_a_yes_or_no_question_holds_the_commands_as_decoys():
    g = grammars(catalog().listen)
    assert "go on" in g["yes-no"].decoys and g["yes-no"].token("go on") is None and "go on" in g["yes-no"].jsgf()
    assert "stop" in g["confirm"].decoys and "pause" in g["yes-no+skip"].decoys
    assert not g["pain"].decoys and not g[PLAYING].decoys and not g[PAUSED].decoys  # "four" was heard as "pause"
    assert all(not set(x.phrases) & x.decoys for x in g.values())


@pytest.mark.parametrize("voice", ["project", "second"])
def test_a_command_said_to_a_safety_question_is_no_answer(voice, shared_cache):
    """"go on", said to a safety question, was once heard as "no" (94 %): a yes/no grammar with
    nothing else in it hears every sound as yes or no."""
    r = load(grammars(catalog().listen))
    for phrase in ("go on", "stop", "pause", "next", "continue", "repeat"):
        samples = project(phrase, shared_cache) if voice == "project" else second(phrase)
        heard = recognize(r, samples, "yes-no")
        assert heard is None or heard.token is None, (phrase, heard)


class HandListener:
    """A listener whose words are given by the test (the real one needs a microphone)."""

    def __init__(self):
        self.words: queue.Queue[Heard] = queue.Queue()
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self.lost = False
        self.last = None
        self.expected: list[str | None] = []

    @property
    def fd(self) -> int:
        return self._r

    wait = Listener.wait  # the real waiting, on this listener's pipe and words

    def expect(self, grammar):
        self.expected.append(grammar)

    def hear(self, token, said=None, confidence=0.9):
        self.words.put(Heard(token, said or token or "", confidence, -20.0))
        os.write(self._w, b"w")

    def take(self):
        try:
            os.read(self._r, 1)
        except BlockingIOError:
            pass
        try:
            return self.words.get_nowait()
        except queue.Empty:
            return None


def voiced(*heard, lines: str = "") -> tuple:
    listener = HandListener()
    for h in heard:
        listener.hear(*h) if isinstance(h, tuple) else listener.hear(h)
    r, w = os.pipe()
    os.write(w, lines.encode())
    answers = LineAnswers(os.fdopen(r))
    g, printed, spoken = guide_with(answers)
    g.listener = listener  # type: ignore[assignment]
    return g, printed, spoken, listener, w


def test_a_spoken_answer_is_said_back_and_recorded_as_voice():
    g, printed, spoken, listener, _ = voiced("7")
    leg = questions(catalog())["leg"]
    assert g.ask(leg) == "7" and g.given == "voice"
    assert spoken == [leg.text, "Seven."]
    assert listener.expected == ["pain"]


def test_an_unclear_word_asks_again_and_a_key_still_answers():
    g, printed, spoken, _, w = voiced((None, "low"))
    leg = questions(catalog())["leg"]
    threading.Timer(0.3, lambda: os.write(w, b"4\n")).start()
    assert g.ask(leg) == "4" and g.given == "key"
    assert any("not understood" in p for p in printed)
    assert spoken == [leg.text, leg.text]


SIGN = "new leg weakness"


def test_a_safety_no_needs_confidence_and_a_yes_after_it_wins():
    q = Question("weakness", "New weakness in your leg?", "yes-no", catalog())
    g, printed, spoken, _, _ = voiced(("no", "no", 0.5), ("no", "no", 0.95))
    assert g.ask(q, safety=SIGN) == "no"  # the unsure no was asked again; the sure one taken
    assert spoken.count(q.text) == 2 and spoken[-1] == "No."
    g, printed, spoken, listener, _ = voiced(("no", "no", 0.95))
    threading.Timer(0.5, lambda: listener.hear("yes")).start()
    assert g.ask(q, safety=SIGN) == "yes"  # a yes within seconds of "No." overrides it


def test_a_spoken_safety_yes_is_said_back_and_taken_only_once_confirmed():
    q = Question("weakness", "New weakness in your leg?", "yes-no", catalog())
    g, printed, spoken, _, _ = voiced("yes", "yes")
    assert g.ask(q, safety=SIGN) == "yes" and g.given == "voice"
    assert spoken == [q.text, "You said yes: new leg weakness. Is that right?"]
    # another voice said yes, and nobody confirmed it: the question is asked again, and answered
    g, printed, spoken, _, _ = voiced("yes", "no", "no")
    assert g.ask(q, safety=SIGN) == "no"
    assert spoken == [q.text, "You said yes: new leg weakness. Is that right?", q.text, "No."]
    # not understood, then a key: n is "no, that is not right", and the question is asked again
    g, printed, spoken, _, _ = voiced("yes", (None, "bed"), lines="n\nn\n")
    assert g.ask(q, safety=SIGN) == "no" and g.given == "key"
    assert spoken[-1] == q.text and any("not understood" in p for p in printed)


def test_a_key_yes_to_a_safety_question_needs_no_confirmation():
    q = Question("weakness", "New weakness in your leg?", "yes-no", catalog())
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("y\n")))
    assert g.ask(q, safety=SIGN) == "yes" and spoken == [q.text]


def test_an_unsure_number_is_confirmed_and_a_sure_one_said_back():
    leg = questions(catalog())["leg"]
    g, printed, spoken, _, _ = voiced(("6", "six", 0.6), "yes")
    assert g.ask(leg) == "6" and spoken == [leg.text, "Six. Is that right?"]
    g, printed, spoken, _, _ = voiced(("6", "six", 0.6), "no", ("5", "five", 0.97))
    assert g.ask(leg) == "5" and spoken == [leg.text, "Six. Is that right?", leg.text, "Five."]


def test_every_token_of_every_grammar_said_to_every_question_never_crashes():
    """A spoken "skip" to a pain question once ended the coach with ValueError (int(""))."""
    w = catalog()
    gs = grammars(w.listen)
    tokens = {t for g in gs.values() for t in g.phrases.values()} | {"skip"}
    for q in questions(w).values():
        for skippable in (False, True):
            asked = q if not skippable else dataclasses.replace(q, skippable=True)
            for token in sorted(tokens):
                g, printed, spoken, _, _ = voiced((token, token, 0.99), "yes", lines="x\n1\nn\nsame\nnone\n")
                answer = g.ask(asked)
                assert answer is not None
    skip = dataclasses.replace(questions(w)["leg"], skippable=True)
    g, printed, spoken, _, _ = voiced(("skip", "skip", 0.99))
    assert g.ask(skip) == "" and spoken[-1] == "Skipped."


def test_a_microphone_that_stops_leaves_one_line_and_the_keys():
    """The listening thread on a microphone whose blocks stop coming (a device pulled out, as
    PortAudio reports it: no more callbacks)."""
    w = catalog()
    listener = Listener(w)
    listener._mic.open = lambda: None  # type: ignore[method-assign]  # opened, as far as it knows
    listener._mic.ended = True  # no block will come: the stream ended
    listener._thread = threading.Thread(target=listener._run, daemon=True)
    listener._thread.start()
    listener._thread.join(10)
    assert listener.lost
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("n\n")))
    g.listener = listener
    q = questions(w)["numbness"]
    assert g.ask(q) == "no" and g.given == "key"
    assert printed.count(w.printed.mic_lost) == 1
    assert g.listener is None
    listener.close()


@pytest.mark.parametrize("lang", ["en"])
def test_the_listening_lines_are_in_the_catalog(lang):
    w = catalog(lang)
    assert "say worse" in w.listen_stop and w.quit_confirm_voice.startswith("Stop the session?")


def test_a_model_that_cannot_load_leaves_one_line_and_the_keys(monkeypatch):
    """A damaged model file (tests/test_hearing.py checks that it is refused): the listener
    reports it, the guide says so once, and the keys answer."""
    from coach.audio import hearing
    from coach.audio.recognizer import NoModel

    def damaged(grammars):
        raise NoModel("the speech model's model.bin is damaged (its SHA-256 is not the published one)")

    monkeypatch.setattr(hearing, "load", damaged)  # the listener's thread imports it as it loads
    w = catalog()
    listener = Listener(w)
    listener._mic.open = lambda: None  # type: ignore[method-assign]
    listener.start()
    assert listener.ready.wait(10)
    listener._thread.join(10)
    assert listener.lost and isinstance(listener.error, NoModel)
    g, printed, spoken = guide_with(LineAnswers(io.StringIO("n\n")))
    g.listener = listener
    assert g.ask(questions(w)["numbness"]) == "no" and g.given == "key"
    assert printed.count("Speech recognition could not start: the speech model's model.bin is damaged "
                         "(its SHA-256 is not the published one). Answers are by key from here.") == 1
    listener.close()


def test_a_spoken_worse_pauses_at_once_and_is_marked_to_be_confirmed():
    """"bird" was once heard as worse and stopped a session for symptoms: a spoken worse now
    silences the output at once, like w, but the session asks before it stops."""
    from coach.live.conversation import _spreading
    from coach.live.keys import SPOKEN_KEYS, Keys

    class Player:
        paused = False

        def pause(self):
            self.paused = True
            return 1234

        def resume(self):
            self.paused = False

    keys = Keys(None, Player())
    keys._heard(Heard("worse", "worse", 0.99, -20.0))
    assert keys.command == "worse" and keys.spoken and keys.at == 1234 and keys.player.paused
    keys = Keys(None, Player())
    keys._act("worse")  # the w key
    assert keys.command == "worse" and not keys.spoken
    assert SPOKEN_KEYS["worse"] == "W"  # said while paused: confirmed first, unlike a typed w

    class Guide:
        words = catalog()
        player = Player()
        said: list[str] = []

        def echo(self, line):
            pass

        def speak(self, line):
            self.said.append(line)

    for answer, stops in (("q", True), ("w", True), ("n", False), (None, False)):
        keys.next_key = lambda timeout, grammar, a=answer: a  # type: ignore[method-assign]
        assert _spreading(Guide(), keys) is stops
    assert Guide.said[-1] == "Is the pain spreading down your leg? Say yes to stop, or no to carry on."
