"""Real people, for scripts/bench: recordings of human voices through the coach's recognizer
(Silero VAD + Whisper tiny.en, coach/audio/hearing.py) and, in the same run, through the
recognizer it replaced (pocketsphinx, scripts/sphinx_recognizer.py). Clean, and with pink noise
20 and 10 dB below the speech's active power (20 ms frames within 30 dB of the loudest).

The sets (tests/speech/README.md says whose they are and their licences):
- the Free Spoken Digit Dataset (8 kHz, 6 speakers), from `Jakobovski/free-spoken-digit-dataset`;
- Speech Commands v0.01 words (16 kHz, many speakers), from `vinsis/speech-commands-recognition`.
Where BENCH_SPEECH (a folder holding `fsdd/recordings/` and `sc/speech_commands_v0.01/`) is
present they are read from there: 10 takes of each digit by each FSDD speaker (600 clips; all
3,000 with BENCH_SPEECH_ALL=1), and every Speech Commands clip; otherwise the 63 clips in
tests/speech. Each clip is fed to the recognizer a chunk at a time, padded with 0.5 s.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import sys
import time
import wave
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIGITS = "zero one two three four five six seven eight nine".split()
CONDITIONS = (None, 20.0, 10.0)
OTHER = {"bed", "bird", "cat", "dog", "down", "go", "happy", "house", "marvin", "off", "on", "right", "left",
         "sheila", "tree", "up", "wow"}


def cases() -> tuple[list, str]:
    """(path, set, grammar, the token wanted or None) for every clip, and where they came from."""
    base = Path(os.environ.get("BENCH_SPEECH", "/work/data"))
    fsdd, sc = base / "fsdd" / "recordings", base / "sc" / "speech_commands_v0.01"
    out = []
    if fsdd.is_dir() and sc.is_dir():
        clips = sorted(fsdd.glob("*.wav"))
        if not os.environ.get("BENCH_SPEECH_ALL"):
            clips = [c for c in clips if int(c.stem.split("_")[2]) < 10]
        out += [(c, "digits 8 kHz", "pain", c.stem.split("_")[0]) for c in clips]
        words = {w.name: sorted(w.glob("*.wav")) for w in sc.iterdir() if w.is_dir()}
        where = f"{base} ({len(clips)} FSDD clips, {sum(map(len, words.values()))} Speech Commands clips)"
    else:
        speech = ROOT / "tests" / "speech"
        out += [(c, "digits 8 kHz", "pain", c.stem.split("_")[0]) for c in sorted((speech / "digits").glob("*.wav"))]
        words = {}
        for c in sorted((speech / "commands").glob("*.wav")):
            words.setdefault(c.name.split("-")[0], []).append(c)
        where = "tests/speech (63 clips: set BENCH_SPEECH for the whole sets)"
    for word, clips in sorted(words.items()):
        for c in clips:
            if word in DIGITS:
                out.append((c, "words 16 kHz", "pain", str(DIGITS.index(word))))
            elif word in ("yes", "no"):
                out.append((c, "words 16 kHz", "yes-no", word))
            elif word == "stop":
                out += [(c, "words 16 kHz", "playing", "quit"), (c, "other", "yes-no", None)]
            elif word in OTHER:
                out += [(c, "other", g, None) for g in ("yes-no", "playing", "pain", "compared")]
    return out, where


def pcm(path: Path, snr: float | None, seed: int) -> np.ndarray:
    import soxr

    with wave.open(str(path)) as w:
        rate, a = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    a = a.astype(np.float32) / 32768
    if rate != 16000:
        a = soxr.resample(a, rate, 16000)
    a = np.concatenate([np.zeros(8000, np.float32), a, np.zeros(8000, np.float32)])
    if snr is not None:
        rng = np.random.default_rng(seed)
        spectrum = np.fft.rfft(rng.standard_normal(len(a)))
        f = np.arange(len(spectrum), dtype=float)
        f[0] = 1
        noise = np.fft.irfft(spectrum / np.sqrt(f), len(a))
        frames = (a[: len(a) // 320 * 320].reshape(-1, 320) ** 2).mean(1)
        active = frames[frames > frames.max() * 1e-3].mean()
        a = a + noise / noise.std() * np.sqrt(active / 10 ** (snr / 10))
    return np.asarray(np.clip(a * 32767 / max(1.0, np.abs(a).max() / 0.99), -32768, 32767), dtype=np.int16)


_recognizers: dict = {}


def _judge(job) -> tuple:
    """One clip in one condition through both recognizers: (set, grammar, wanted, ours, theirs, CPU s)."""
    path, kind, grammar, want, snr, seed = job
    if not _recognizers:
        sys.path.insert(0, str(ROOT / "scripts"))
        from sphinx_recognizer import Recognizer as Sphinx

        from coach.audio.hearing import load
        from coach.core.grammar import grammars
        from coach.core.words import catalog

        gs = grammars(catalog().listen)
        _recognizers.update(ours=load(gs), theirs=Sphinx(gs))
    from tests.voices import recognize

    samples = pcm(path, snr, seed)
    start = time.process_time()
    ours = recognize(_recognizers["ours"], samples, grammar)
    cpu = time.process_time() - start
    theirs = recognize(_recognizers["theirs"], samples, grammar)
    return (kind, grammar, want, snr, getattr(ours, "token", None), getattr(theirs, "token", None), cpu)


def _rate(results, which: int) -> Counter:
    c: Counter = Counter()
    for r in results:
        want, got = r[2], r[which]
        c["n"] += 1
        c["right" if got == want else "nothing" if got is None else "wrong"] += 1
    return c


def figures(row) -> None:
    todo, where = cases()
    jobs = [(str(p), kind, g, want, snr, n) for n, (p, kind, g, want) in enumerate(todo) for snr in CONDITIONS]
    random.Random(26).shuffle(jobs)  # both workers get a share of every set
    start = time.monotonic()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_judge, jobs, chunksize=8)
    took = time.monotonic() - start
    print(f"real speech: {len(jobs)} clips x conditions from {where}, {took:.0f} s", file=sys.stderr)
    targets = {"digits 8 kHz": (">= 95 % right clean, >= 90 % at 10 dB", "<= 1 %"),
               "words 16 kHz": (">= 97 % right clean, >= 93 % at 10 dB", "<= 1 %")}
    for kind, (right_target, wrong_target) in targets.items():
        for snr in CONDITIONS:
            mine = [r for r in results if r[0] == kind and r[3] == snr]
            if not mine:
                continue
            o, t = _rate(mine, 4), _rate(mine, 5)
            where_said = "clean" if snr is None else f"pink noise {snr:.0f} dB"
            row(f"REAL speech, {kind} ({o['n']} clips), {where_said}: right / asked again / wrong",
                f"{100 * o['right'] / o['n']:.1f} / {100 * o['nothing'] / o['n']:.1f} / {100 * o['wrong'] / o['n']:.1f} %",
                f"pocketsphinx: {100 * t['right'] / t['n']:.1f} / {100 * t['nothing'] / t['n']:.1f} / "
                f"{100 * t['wrong'] / t['n']:.1f} %", f"{right_target}; wrong {wrong_target}")
    yes = [r for r in results if r[2] == "yes"]
    row(f"REAL speech: a spoken yes taken as no ({len(yes)} yes clips x 3 conditions)",
        str(sum(r[4] == "no" for r in yes)), f"pocketsphinx: {sum(r[5] == 'no' for r in yes)}", "0")
    for snr in CONDITIONS:
        other = [r for r in results if r[0] == "other" and r[3] == snr]
        o, t = sum(r[4] is not None for r in other), sum(r[5] is not None for r in other)
        taken = Counter(r[4] for r in other if r[4] is not None)
        row(f"REAL speech: everyday words (bed, dog, on, ...; and stop to a yes/no question) taken as an answer "
            f"or command, {'clean' if snr is None else f'{snr:.0f} dB'}",
            f"{o} of {len(other)} ({100 * o / max(1, len(other)):.1f} %; {dict(taken.most_common(3))})",
            f"pocketsphinx: {t} of {len(other)} ({100 * t / max(1, len(other)):.1f} %)", "<= 1 in 50 (2 %)")
    cpu = [r[6] for r in results if r[4] is not None]
    row("CPU per stretch of speech recognized (VAD + encoder + transcription + scoring)",
        f"median {statistics.median(cpu):.2f} s, p90 {np.percentile(cpu, 90):.2f} s", "", "")


def radio(row) -> None:
    """A minute of a radio (sentences of the protocol read by a second voice, with the real
    people's everyday words between them) and noise bursts, into the recognizer as the
    microphone would feed it, while a session plays and while a yes/no question waits."""
    from coach.audio.hearing import load
    from coach.core.grammar import grammars
    from coach.core.words import catalog
    from tests.voices import real, second

    text = (ROOT.parent / "shared" / "protocol" / "source-article.txt")
    sentences = [s.strip() for s in text.read_text().split(".") if 20 < len(s.strip()) < 160] if text.exists() else \
        ["Lie on your back and pull both knees to your chest", "Hold for thirty seconds and breathe slowly"]
    rng = np.random.default_rng(26)
    pieces, seconds = [], 0.0
    words = sorted((ROOT / "tests" / "speech" / "commands").glob("*.wav"))
    others = [w for w in words if w.name.split("-")[0] in OTHER]
    k = 0
    while seconds < 60:
        s = second(sentences[k % len(sentences)], rate=170)
        burst = rng.normal(0, 6000, int(0.3 * 16000)).clip(-32768, 32767).astype(np.int16)
        gap = np.zeros(int(rng.uniform(0.2, 0.8) * 16000), np.int16)
        pieces += [s, gap, burst, gap, real(f"commands/{others[k % len(others)].name}"), gap]
        seconds = sum(len(p) for p in pieces) / 16000
        k += 1
    audio = np.concatenate(pieces).astype(np.int16).tobytes()
    r = load(grammars(catalog().listen))
    taken = {}
    for grammar in ("playing", "yes-no"):
        r.reset()
        got = []
        for i in range(0, len(audio) - r.frame_bytes + 1, r.frame_bytes):
            h = r.feed(audio[i:i + r.frame_bytes], grammar)
            if h is not None and h.token is not None:
                got.append(h.token)
        taken[grammar] = got
    row(f"a minute of radio speech, everyday words and noise bursts ({seconds:.0f} s): commands taken / answers taken",
        f"{len(taken['playing'])} / {len(taken['yes-no'])} {taken['playing'] + taken['yes-no']}", "", "0 / 0")
