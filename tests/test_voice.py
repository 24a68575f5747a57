"""Listening without a sound server: the grammars from the catalog, the real recognizer on the
coach's own spoken words, and the guide's rules for spoken answers (said back, never guessed,
a safety no overridden by a yes), with a listener fed by hand where the rule is the point."""

from __future__ import annotations

import io
import os
import queue
import threading

import numpy as np
import pytest

from coach.audio.recognizer import Heard, Recognizer, judged
from coach.core.grammar import PAUSED, PLAYING, grammars, problems, words_of
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


def test_every_word_is_in_the_recognizers_dictionary():
    listen = catalog().listen
    r = Recognizer(grammars(listen))  # raises NoModel naming a missing word
    assert all(r.decoder.lookup_word(w) for w in words_of(grammars(listen).values()))


def test_the_real_recognizer_takes_words_and_never_guesses():
    r = Recognizer(grammars(catalog().listen))
    assert recognize(r, second("pause"), PLAYING).token == "pause"
    assert recognize(r, second("go on"), PAUSED).token == "resume"
    assert recognize(r, second("no"), "yes-no").token == "no"
    heard = recognize(r, second("Lie on your back and bring both knees up."), "yes-no")
    assert heard is None or heard.token is None or heard.said in ("yes", "no")  # a sentence: no command grammar
    noise = (np.random.default_rng(1).normal(0, 300, 16000)).astype(np.int16)
    heard = recognize(r, noise, PLAYING)
    assert heard is None or heard.token is None  # noise is no command


def test_two_searches_that_disagree_take_nothing():
    reach = grammars(catalog().listen)["reach"]
    assert judged(reach, "thigh", "calf", 0.9, -20.0).token is None  # two phrases named: asked again
    assert judged(reach, "thigh", "thigh", 0.4, -20.0) == Heard("thigh", "thigh", 0.4, -20.0)
    # the lattice ended inside a phrase (pocketsphinx #318): the Viterbi words, with no confidence
    assert judged(reach, "low back", "low", 0.98, -20.0) == Heard("low back", "low back", 0.0, -20.0)
    assert judged(reach, "", "", 0.0, -20.0).token is None
    yes_no = grammars(catalog().listen)["yes-no"]
    assert judged(yes_no, "yeah", "yes", 0.7, -20.0).confidence == 0.7  # two words, one answer


def test_what_is_heard_is_a_whole_phrase_or_nothing(shared_cache):
    """The lattice's best path alone said "low" for "none" and "go" for "go back" (the coach's
    own voice, measured): a piece of a phrase is never what was heard."""
    r = Recognizer(grammars(catalog().listen))
    for phrase, grammar in (("low back", "reach"), ("go back", PLAYING), ("none", "reach"), ("calf", "reach")):
        for rate in (130, 200):
            heard = recognize(r, project(phrase, shared_cache, rate), grammar)
            assert heard is not None
            g = grammars(catalog().listen)[grammar]
            assert heard.said == "" or heard.said in g.phrases or (heard.said in g.decoys and heard.token is None)


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
    r = Recognizer(grammars(catalog().listen))
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


def test_a_safety_no_needs_confidence_and_a_yes_after_it_wins():
    q = Question("weakness", "New weakness in your leg?", "yes-no", catalog())
    g, printed, spoken, _, _ = voiced(("no", "no", 0.1), ("no", "no", 0.9))
    assert g.ask(q, safety=True) == "no"  # the unsure no was asked again; the sure one taken
    assert spoken.count(q.text) == 2 and spoken[-1] == "No."
    g, printed, spoken, listener, _ = voiced(("no", "no", 0.9))
    threading.Timer(0.5, lambda: listener.hear("yes")).start()
    assert g.ask(q, safety=True) == "yes"  # a yes within seconds of "No." overrides it


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
