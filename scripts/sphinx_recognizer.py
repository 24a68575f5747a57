"""The coach's recognizer until issue 26, kept for scripts/bench to measure beside today's
(coach/audio/hearing.py) in the same run: pocketsphinx, its packaged English model, small grammars.
It took 62 % of real people's digits right and 23 % wrong, and 13 of 17 everyday words as commands.

`Recognizer.feed` takes 16 kHz mono frames, finds where speech starts and ends (pocketsphinx's
voice activity endpointer), decodes each stretch of speech against the grammar of the moment,
and returns what was heard when a stretch ends. Nothing is kept: each frame is dropped once read.

Two searches hear each stretch. The words come from the grammar's Viterbi search; the confidence
comes from a second decoder that also builds a lattice and takes its best path and posterior.
The lattice's best path alone is often wrong with a grammar: its end node can stop inside a
phrase ("low" of "low back") or on another word (pocketsphinx issue #318, "FSG recognition with
-bestpath is often harmful"). Measured over every grammar word in three voices, the Viterbi words
were right 90-98 % of the time where the lattice's were 82-95 %. When the two searches name two
different phrases, nothing is taken (asked again); when the lattice names none, the Viterbi
words are taken with confidence 0 (so a safety "no" is asked again).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Mapping

from coach.audio.recognizer import SILENT, Heard, NoModel, level
from coach.core.grammar import Grammar, words_of

RATE = 16000  # the model's sample rate
FRAME = 0.02  # seconds per endpointer frame: the voice detector's hangover after a word is a few
# frames, so shorter frames end a command sooner; 10 ms frames cut words in noise (measured below)
WINDOW = 0.16  # seconds the endpointer decides over, and RATIO the share of it that must be
RATIO = 0.8  # speech to start an utterance (or not speech, to end one)
# Measured offline over 18 spoken commands and the 252 grammar words of the bench (two espeak
# voices, three rates, clean and at 10 dB SNR). 0.21 s of 30 ms frames at 0.9 ended a command a
# median 379 ms after its last sound (max 468), for 89.7 / 95.2 % right clean and 77.8 / 83.3 %
# in noise. This one: 276 ms (max 305), for 88.9 / 92.1 % clean and 78.6 / 81.7 % in noise, with
# fewer wrong in noise (11.9 / 10.3 % against 15.1 / 13.5 %). 10 ms frames and 0.12 s: 252 ms,
# but 70.6 / 60.3 % right in noise.


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
            small = Path(tmp) / "words.dict"  # read by the decoders as they load, then gone
            small.write_text("".join(entries))
            # topn 8: fewer slips on a synthetic voice
            self.decoders = tuple(Decoder(logfn="/dev/null", lm=None, topn=8, dict=str(small), bestpath=lattice)
                                  for lattice in (False, True))
        self.decoder, self.lattice = self.decoders  # the Viterbi words; the lattice's posterior
        for name, grammar in grammars.items():
            for decoder in self.decoders:
                decoder.add_jsgf_string(name, grammar.jsgf())
        self.grammars = dict(grammars)
        self.grammar: str | None = None  # the search of the utterance under way
        self.reset()

    @property
    def frame_bytes(self) -> int:
        return self.endpointer.frame_bytes

    def reset(self) -> None:
        """Drop any utterance under way (the coach began to speak, or the moment changed)."""
        if self.grammar is not None:
            for decoder in self.decoders:
                decoder.end_utt()
        self.grammar = None
        self.endpointer = self._endpointer(window=WINDOW, ratio=RATIO, sample_rate=RATE, frame_length=FRAME)
        self._level = SILENT  # the loudest frame of the utterance so far

    def cut(self, grammar: str) -> Heard | None:
        """The utterance under way is dropped (as the listener did before issue 26)."""
        self.reset()
        return None

    def feed(self, frame: bytes, grammar: str) -> Heard | None:
        """One frame (`frame_bytes` long) heard while `grammar` is the moment's; what was said,
        once a stretch of speech has ended."""
        if self.grammar is not None and self.grammar != grammar:
            self.reset()
        speech = self.endpointer.process(frame)
        if speech is None:
            return None
        if self.grammar is None:
            for decoder in self.decoders:
                decoder.activate_search(grammar)
                decoder.start_utt()
        self.grammar = grammar
        self._level = max(self._level, level(speech))
        for decoder in self.decoders:
            decoder.process_raw(speech)
        if self.endpointer.in_speech:
            return None
        for decoder in self.decoders:
            decoder.end_utt()
        heard = judged(self.grammars[grammar], _said(self.decoder), _said(self.lattice),
                       float(self.lattice.get_prob()), self._level)
        self.grammar, self._level = None, SILENT
        return heard


def _said(decoder) -> str:
    hyp = decoder.hyp()
    return " ".join(hyp.hypstr.split()) if hyp is not None else ""


def judged(grammar: Grammar, said: str, lattice_said: str, posterior: float, loudest: float) -> Heard:
    """What a stretch of speech stands for, from the two searches (see the module's note): the
    Viterbi words `said`, the lattice's best path `lattice_said` and its posterior probability."""
    token, other = grammar.token(said), grammar.token(lattice_said)
    if other is not None and other != token:  # two phrases named: not understood
        return Heard(None, said, 0.0, loudest)
    return Heard(token, said, posterior if other == token else 0.0, loudest)


def _entries(words: set[str], dictionary: Path) -> list[str]:
    """The model dictionary's lines for `words`, alternative pronunciations ("word(2)") too.

    The decoder is given these alone: loading all 134,000 words of the dictionary holds Python's
    lock for about 0.1 s (the output's callback then misses its 50 ms), these few for under 0.02 s;
    reading the file here, in Python, lets the other threads run."""
    with dictionary.open(encoding="utf-8") as f:
        return [line for line in f if line.split(" ", 1)[0].split("(")[0] in words]
