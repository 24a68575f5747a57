"""The coach's recognizer: Silero VAD finds each stretch of speech, Whisper tiny.en says which
phrase of the moment's grammar it was, and nothing is taken that was not clearly said.

A closed grammar alone takes anything ("dog" was heard as "stop", a noise burst as "quit"):
every sound is nearest to some phrase. So the model hears each stretch twice (coach/audio/
whisper.py): it writes what it heard freely, and it scores every phrase of the grammar. A
phrase is taken only when all three agree:
- the free transcription names it ("Seven." is "seven", "And stop." is "stop": a filler word before
  a phrase is not part of it; "Bed." names nothing: not understood),
- it beats every phrase that stands for something else by MARGIN (log probability),
- and the model found speech in the window (its no-speech probability below NO_SPEECH).
Its confidence is its share of the probability among the grammar's phrases: the guide confirms
an unsure number, and takes a spoken "no" to a safety question only when sure. Measured on real
recordings of people (scripts/bench, README "Listening").
"""

from __future__ import annotations

import math
import re
from typing import Mapping

from coach.audio.recognizer import SILENT, Heard, Recognizer, level
from coach.audio.vad import CHUNK, Stretch, Stretches
from coach.audio.whisper import NUMBERS, Scores, Whisper
from coach.core.grammar import Grammar

# Chosen on real recordings (the Speech Commands words and the spoken digits of scripts/bench,
# clean and under pink noise): scoring alone, or the free transcription given a little way
# ("top phrase within 3 nats of the model's own words"), took 4-9 % of everyday words as an
# answer or a command; the free transcription as a gate, 1-3 %, most of them "tree" as "three".
# The grammar's phrases are the prompt of both: over 120 spoken digits the best-scored number was
# right 97.5 % of the time with them, 95.8 % without; over 45 synthetic words of the other
# grammars, 35 were taken with them, 34 without.
NO_SPEECH = 0.8  # the model's own no-speech probability at or above which nothing is taken
MARGIN = 1.0  # nats the taken phrase must beat any phrase standing for something else by
WRITTEN = re.compile(r"[^a-z0-9' ]+")
DIGITS = {v: k for k, v in NUMBERS.items()}


class PhraseRecognizer:
    """Frames of CHUNK samples in; a `Heard` for each stretch of speech."""

    def __init__(self, grammars: Mapping[str, Grammar], model: Whisper | None = None):
        self.grammars = dict(grammars)
        self.model = Whisper() if model is None else model
        self._stretches = Stretches()
        self._level = SILENT

    @property
    def frame_bytes(self) -> int:
        return CHUNK * 2

    def reset(self) -> None:
        self._stretches.reset()
        self._level = SILENT

    def feed(self, frame: bytes, grammar: str) -> Heard | None:
        stretch = self._stretches.feed(frame)
        if self._stretches.open or stretch is not None:
            self._level = max(self._level, level(frame))
        return None if stretch is None else self._heard(stretch, grammar)

    def cut(self, grammar: str) -> Heard | None:
        stretch = self._stretches.cut()
        return None if stretch is None else self._heard(stretch, grammar)

    def _heard(self, stretch: Stretch, grammar: str) -> Heard:
        loudest, self._level = self._level, SILENT
        if stretch.long:  # over 3 s of speech: talk, a radio, not an answer; the model is not run
            return Heard(None, "", 0.0, loudest)
        g = self.grammars[grammar]
        phrases = sorted({*g.phrases, *g.decoys})
        return decide(g, self.model.hear(stretch.pcm, phrases), loudest)


def written(text: str) -> str:
    """A transcription as a grammar phrase would be spelled: "Seven." → "seven", "7" → "seven"."""
    words = WRITTEN.sub(" ", text.lower().replace("-", " ")).split()
    return " ".join(DIGITS.get(w, w) for w in words)


def decide(grammar: Grammar, scores: Scores, loudest: float) -> Heard:
    """The phrase `scores` name clearly, as a `Heard`; a Heard with no token when none is."""
    ranked = sorted(scores.phrases.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    token = grammar.phrases.get(best)  # None for a decoy
    runner = max((s for p, s in ranked[1:] if grammar.phrases.get(p) != token or token is None), default=-math.inf)
    m = max(s for _, s in ranked)
    confidence = 1.0 / sum(math.exp(s - m) for _, s in ranked) if top == m else 0.0
    own = grammar.phrase(written(scores.said))  # what the model wrote, spelled as a phrase
    clear = (token is not None and grammar.phrases.get(own) == token and scores.no_speech < NO_SPEECH
             and top - runner >= MARGIN)
    said = own if clear else scores.said  # a phrase taken is shown as the grammar spells it ("pause")
    return Heard(token if clear else None, said, round(confidence, 3), loudest)


def load(grammars: Mapping[str, Grammar]) -> Recognizer:
    """The coach's recognizer for these grammars, loaded and checked; NoModel if it cannot be."""
    return PhraseRecognizer(grammars)
