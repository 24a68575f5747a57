"""Offline speech recognition with pocketsphinx: its packaged English model, small grammars.

`Recognizer.feed` takes 16 kHz mono frames, finds where speech starts and ends (pocketsphinx's
voice activity endpointer), decodes each stretch of speech against the grammar of the moment,
and returns what was heard when a stretch ends. Nothing is kept: each frame is dropped once read.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from coach.core.errors import CoachError
from coach.core.grammar import Grammar, words_of

RATE = 16000  # the model's sample rate
WINDOW = 0.21  # seconds of non-speech that end an utterance: the endpointer's decision window.
# pocketsphinx's default is 0.3 s; a shorter one ends a command sooner (the 0.5 s budget) and
# still keeps a word like "go on" in one piece (measured in scripts/bench: latency and accuracy).
RATIO = 0.9


class NoModel(CoachError):
    """pocketsphinx or its model is missing, or a grammar word is not in its dictionary."""


@dataclass(frozen=True)
class Heard:
    """One stretch of speech as recognized: `token` is what it stands for in its grammar (an
    answer, a command), None when nothing in the grammar matched."""

    token: str | None
    said: str  # the words recognized, "" for none
    confidence: float  # pocketsphinx's posterior probability of `said`, 0 to 1
    level: float  # the loudest frame of the stretch, dBFS


def available() -> str | None:
    """Why recognition cannot run here, or None when it can."""
    try:
        import pocketsphinx  # noqa: F401
    except ImportError as e:
        return f"pocketsphinx is missing ({e}): reinstall coach"
    return None


class Recognizer:
    """A decoder with one search per grammar, and an endpointer in front of it."""

    def __init__(self, grammars: Mapping[str, Grammar]):
        try:
            from pocketsphinx import Config, Decoder, Endpointer
        except ImportError as e:
            raise NoModel(f"pocketsphinx is missing ({e}): reinstall coach.") from e
        self._endpointer = Endpointer
        words = words_of(grammars.values())
        entries = _entries(words, Path(Config()["dict"]))
        missing = sorted(words - {e.split(" ", 1)[0].split("(")[0] for e in entries})
        if missing:
            raise NoModel(f"words not in the recognizer's dictionary: {', '.join(missing)}.")
        with tempfile.TemporaryDirectory(prefix="coach-dict-") as tmp:
            small = Path(tmp) / "words.dict"  # read by the decoder as it loads, then gone
            small.write_text("".join(entries))
            # topn 8: fewer slips on a synthetic voice
            self.decoder = Decoder(logfn="/dev/null", lm=None, topn=8, dict=str(small))
        for name, grammar in grammars.items():
            self.decoder.add_jsgf_string(name, grammar.jsgf())
        self.grammars = dict(grammars)
        self.grammar: str | None = None  # the search of the utterance under way
        self.reset()

    @property
    def frame_bytes(self) -> int:
        return self.endpointer.frame_bytes

    def reset(self) -> None:
        """Drop any utterance under way (the coach began to speak, or the moment changed)."""
        if self.grammar is not None:
            self.decoder.end_utt()
        self.grammar = None
        self.endpointer = self._endpointer(window=WINDOW, ratio=RATIO, sample_rate=RATE)
        self._level = SILENT  # the loudest frame of the utterance so far

    def feed(self, frame: bytes, grammar: str) -> Heard | None:
        """One frame (`frame_bytes` long) heard while `grammar` is the moment's; what was said,
        once a stretch of speech has ended."""
        if self.grammar is not None and self.grammar != grammar:
            self.reset()
        speech = self.endpointer.process(frame)
        if speech is None:
            return None
        if self.grammar is None:
            self.decoder.activate_search(grammar)
            self.decoder.start_utt()
        self.grammar = grammar
        self._level = max(self._level, level(speech))
        self.decoder.process_raw(speech)
        if self.endpointer.in_speech:
            return None
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        said = hyp.hypstr.strip() if hyp is not None else ""
        heard = Heard(self.grammars[grammar].token(said) if said else None, said,
                      float(hyp.prob) if hyp is not None else 0.0, self._level)
        self.grammar, self._level = None, SILENT
        return heard


def _entries(words: set[str], dictionary: Path) -> list[str]:
    """The model dictionary's lines for `words`, alternative pronunciations ("word(2)") too.

    The decoder is given these alone: loading all 134,000 words of the dictionary holds Python's
    lock for about 0.1 s (the output's callback then misses its 50 ms), these few for under 0.02 s;
    reading the file here, in Python, lets the other threads run."""
    with dictionary.open(encoding="utf-8") as f:
        return [line for line in f if line.split(" ", 1)[0].split("(")[0] in words]


SILENT = -120.0  # dBFS: the level of nothing


def level(frame: bytes) -> float:
    """A block's peak level, dBFS (int16 samples)."""
    import array
    import math

    samples = array.array("h", frame)
    peak = max(max(samples), -min(samples)) if samples else 0
    return round(max(SILENT, 20 * math.log10(max(peak, 1) / 32768)), 1)
