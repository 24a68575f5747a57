"""The voice figures of issue 16, for scripts/bench: each voice's synthesis speed over the whole
flexion session's phrases, and how much of the session an independent listener understands
(pocketsphinx's free dictation, word error rate against the script's text)."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import numpy as np

VOICES = [("natural (piper, joe)", "joe"), ("espeak (pyttsx3, en-us)", "en-us")]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _errors(said: list[str], heard: list[str]) -> int:
    """Word-level edit distance: substitutions, insertions and deletions."""
    row = list(range(len(heard) + 1))
    for i, w in enumerate(said, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(heard, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (w != h))
    return row[-1]


def _session_phrases() -> list[str]:
    from coach.app.session import phrases
    from coach.core.dose import plan
    from coach.core.rules import routines
    from coach.core.words import catalog

    words = catalog()
    flexion = routines(words)["flexion"]
    return phrases(flexion, plan(flexion, words=words), words)


def figures(row) -> None:
    from pocketsphinx import Decoder

    from coach.audio.speech import Clips, VoiceSettings
    from coach.core.script import SAMPLE_RATE
    from tests.voices import _to_mic

    texts = _session_phrases()
    dictation = Decoder(logfn="/dev/null")  # the packaged English language model: free dictation
    rates = {}
    wer = {}
    for label, voice in VOICES:
        with tempfile.TemporaryDirectory() as cold:
            clips = Clips(VoiceSettings(voice), Path(cold), SAMPLE_RATE)
            t = time.perf_counter()
            audio = sum(clips.length(text) for text in texts) / SAMPLE_RATE
            took = time.perf_counter() - t
            rates[label] = (audio, took)
            errors = total = 0
            for text in texts:
                samples = _to_mic(np.frombuffer(clips.get(text), dtype=np.int16), SAMPLE_RATE)
                dictation.start_utt()
                dictation.process_raw(np.concatenate([np.zeros(4000, np.int16), samples, np.zeros(4000, np.int16)]).tobytes(),
                                      full_utt=True)
                dictation.end_utt()
                hyp = dictation.hyp()
                said = _words(text)
                errors += _errors(said, _words(hyp.hypstr if hyp else ""))
                total += len(said)
            wer[label] = 100 * errors / total
    nl, el = VOICES[0][0], VOICES[1][0]
    na, nt = rates[nl]
    ea, et = rates[el]
    row(f"synthesis, the flexion session's {len(texts)} phrases, cold (model load included)",
        f"natural {na:.0f} s of speech in {nt:.1f} s ({na / nt:.0f}x real time)",
        f"espeak {ea:.0f} s in {et:.1f} s ({ea / et:.0f}x)", "cold file render >= 10x real time (see render speed)")
    row("intelligibility: pocketsphinx dictation of the session's phrases, word error rate",
        f"natural {wer[nl]:.1f} %", f"espeak {wer[el]:.1f} %", "natural clearly lower than espeak")
