"""The listening figures of issue 15, for scripts/bench: recognition accuracy over every grammar
word, the latency from a command word's end to the command taken, false commands over a whole
session fed back into the microphone, and the CPU listening costs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tests.audio_server import PulseServer
from tests.voices import recognize

VOICES = [("the coach's natural voice (piper, joe)", "natural", (130, 150, 200)),
          ("the coach's espeak voice (pyttsx3)", "project", (130, 150, 200)),
          ("a second voice (espeak-ng en-us+f3)", "second", (110, 140, 180))]


def _samples(kind: str, phrase: str, rate: int, cache: Path) -> np.ndarray:
    from tests.voices import project, second

    if kind == "second":
        return second(phrase, rate=rate)
    return project(phrase, cache, rate, "joe" if kind == "natural" else None)


def _noisy(samples: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    power = float(np.mean(samples.astype(np.float64) ** 2))
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(samples) + 16000)
    out = noise.copy()
    out[8000:8000 + len(samples)] += samples
    return np.clip(out, -32768, 32767).astype(np.int16)


def accuracy(row, cache: Path) -> None:
    """The synthetic voices (kept: real people's rows come first, scripts/bench_real.py)."""
    from sphinx_recognizer import Recognizer as Sphinx

    from coach.audio.hearing import load
    from coach.core.grammar import grammars
    from coach.core.words import catalog
    from coach.live.listener import NO_CONFIDENCE

    gs = grammars(catalog().listen)
    names = ["yes-no", "pain", "reach", "compared", "playing", "paused"]
    ours, naive = load(gs), Sphinx(gs)  # the recognizer before issue 26, same grammars
    for label, kind, rates in VOICES:
        for noise in (None, 10.0):
            right = wrong = unclear = right_naive = yes_as_no = total = 0
            for n in names:
                for phrase, token in gs[n].phrases.items():
                    for rate in rates:
                        s = _samples(kind, phrase, rate, cache)
                        if noise is not None:
                            s = _noisy(s, noise, total)
                        h = recognize(ours, s, n)
                        total += 1
                        got = None if h is None else h.token
                        right += got == token
                        unclear += got is None
                        wrong += got is not None and got != token
                        # taken as no: what the coach acts on (a less sure "no" is asked again)
                        yes_as_no += (n == "yes-no" and token == "yes" and got == "no"
                                      and h is not None and h.confidence >= NO_CONFIDENCE)
                        hn = recognize(naive, s, n)
                        right_naive += hn is not None and hn.token == token
            where = "clean" if noise is None else "10 dB SNR white noise"
            row(f"recognition, {label}, 3 rates, {where}: right / asked again / wrong (of {total})",
                f"{100 * right / total:.1f} % / {100 * unclear / total:.1f} % / {100 * wrong / total:.1f} %, "
                f"safety yes taken as no: {yes_as_no}",
                f"pocketsphinx: {100 * right_naive / total:.1f} % right", "(synthetic: see the REAL rows)")


def latency(row, server: PulseServer, cache: Path) -> None:
    """A command word said into the microphone, to the command taken by the listener (the moment
    a pause silences the output: Keys calls Player.pause from the same thread, at once)."""
    from coach.core.grammar import PLAYING
    from coach.core.words import catalog
    from coach.live.listener import Listener

    env = dict(os.environ)
    os.environ.update(server.overrides)
    try:
        listener = Listener(catalog()).start()
        listener.ready.wait(10)
        mouth = server.mouth()
        taken: list[float] = []
        got: list[float] = []
        listener.handler = lambda h: (got.append(time.monotonic()), True)[1]
        listener.expect(PLAYING)
        for k in range(10):
            word = ("pause", "next", "repeat", "stop", "louder")[k % 5]
            before = len(got)
            ended = mouth.say(_samples("second", word, 140, cache))
            deadline = time.monotonic() + 3
            while len(got) == before and time.monotonic() < deadline:
                time.sleep(0.005)
            if len(got) > before:
                taken.append(got[-1] - ended)
        listener.close()
    finally:
        os.environ.clear()
        os.environ.update(env)
    ms = sorted(1000 * t for t in taken)
    row("word end -> command taken (10 spoken commands, from the word's last sound, +-20 ms)",
        f"median {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms ({len(ms)}/10 taken)",
        "key: see the stop key row (one select tick)", "median <= 300 ms; <= 500 ms")


def session_fed_back(row, server: PulseServer, home: Path, env_of, screened, tiny: list[str]) -> None:
    """The tests' whole short routine with its own output looped into the microphone: commands
    and answers taken from it, and the CPU the coach process used, listening and not."""
    figures = {}
    for listen in ("--listen", "--no-listen"):
        screened(home)
        with server.room():
            proc = subprocess.Popen([sys.executable, "-m", "coach", "start", *tiny, "--no-ratings", listen],
                                    env=env_of(home, server.overrides), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            start = time.monotonic()
            assert proc.stdin is not None
            proc.stdin.write("n\nn\nn\n")
            proc.stdin.close()
            proc.stdin = None
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - start
            out = proc.stdout.read() if proc.stdout else ""
            proc.returncode = os.waitstatus_to_exitcode(status)
        figures[listen] = (out.count("heard:") + out.count("PAUSED") + out.count("not understood"),
                           (usage.ru_utime + usage.ru_stime) / wall, proc.returncode, wall)
    heard, cpu, code, wall = figures["--listen"]
    row(f"false commands or answers, the tiny routine ({wall:.0f} s) looped back into the microphone",
        f"{heard} (exit {code})", "(no listening: none possible)", "0")
    row("CPU of the coach process over that session (one core = 100 %)",
        f"{100 * cpu:.1f} % listening", f"{100 * figures['--no-listen'][1]:.1f} % not listening",
        "listening adds <= 25 % of one core")


def listening_memory(row, server: PulseServer, home: Path, env_of) -> None:
    """Peak memory of a process that listens: `coach listen --for commands`, model loaded, 8 s
    of listening (the whole process: Python, numpy, the voice, the recognizer). Run twice: the
    first run of a new phrase loads the natural voice to make it (piper's model, about 430 MB,
    once per phrase); the second is what a session that has its phrases costs."""
    runs = []
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-m", "coach", "listen", "--for", "commands", "--seconds", "8", "--json"],
                                env=env_of(home, server.overrides), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        out = proc.stdout.read() if proc.stdout else ""
        runs.append((usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), '"listening"' in out))
    (cold, _, _), (warm, code, listening) = runs
    row("peak memory of a listening process (coach listen --for commands, 8 s, its phrase made)",
        f"{warm:.0f} MB (exit {code}, listened: {listening})",
        f"{cold:.0f} MB when its phrase is new (the natural voice loads to make it)", "<= 400 MB")
