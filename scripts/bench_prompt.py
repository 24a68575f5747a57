"""How soon a question follows the answer before it (scripts/bench prompt).

The eleven safety questions of a first `coach test`, answered by piped lines (so each answer is
there the moment the coach looks), played into the test audio server's null sink. Each question
is printed as it begins to be said; the wait is the time from one question's line to the next
less the first question's clip (the script's pause after a question, 0.4 s, and the time for the
buffered sound to play out are in it, the same for both ways).

Nothing records the sink here: a monitor stream at low latency (the tests' recorder) changes how
the sound server schedules the sink, and with one attached a restart cost nothing, and the naive way
came 0.2 s a question sooner (the buffered silence it drops).

Ours plays what is buffered (silence, at most the 0.2 s output buffer) out before the question.
The naive way, the coach's until this change, restarted the stream to drop that silence first.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NAIVE = """
import sys, time
from coach.audio import sink
play = sink.Player.play
def restarting(self, *a, **k):  # only silence buffered: drop it by restarting the stream
    self.ready()
    if time.monotonic() >= self.sounding_until:
        self._flush()
    return play(self, *a, **k)
sink.Player.play = restarting
sys.argv[0] = "coach"
from coach.cli import main
main()
"""
ARGS = ["test", "--no-listen", "--rate", "400"]


def _waits(server, home: Path, env_of, way: str, run: str) -> list[float]:
    from coach.audio.speech import Clips
    from coach.clinical.screening import screening
    from coach.core.script import SAMPLE_RATE
    from coach.core.words import catalog as words
    from tests.conftest import coach_voice

    folder = home / f"prompt-{run}-{way}"
    folder.mkdir(parents=True)
    (folder / "cache").symlink_to(home / "cache")  # one warm cache: no phrase is made between questions
    argv = [sys.executable, "-m", "coach", *ARGS] if way == "ours" else [sys.executable, "-c", NAIVE, *ARGS]
    asking = screening(words())
    texts = [q.text for g in asking.groups for q in g.questions]
    lines = (*texts, asking.clear)  # the questions, then the line after the last one
    asked: list[float] = []  # when each question was printed: just before it is said
    proc = subprocess.Popen(argv, env=env_of(folder, server.overrides), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("n\n" * len(texts))
    proc.stdin.close()
    for line in proc.stdout:
        if line.startswith(lines):
            asked.append(time.monotonic())
            if len(asked) == len(lines):
                break
    proc.kill()
    proc.wait()
    clips = Clips(coach_voice(400), folder / "cache", SAMPLE_RATE)
    return [b - a - clips.length(t) / SAMPLE_RATE for a, b, t in zip(asked, asked[1:], texts)]


def figures(row, server, home: Path, env_of, times: int = 2) -> None:
    (home / "cache").mkdir(parents=True, exist_ok=True)
    _waits(server, home, env_of, "ours", "warm")  # makes every phrase once
    took: dict[str, list[float]] = {"ours": [], "naive": []}
    for k in range(times):
        ways = ("ours", "naive") if k % 2 == 0 else ("naive", "ours")  # each first half the time
        for way in ways:
            took[way] += _waits(server, home, env_of, way, str(k))

    def said(way: str) -> str:
        t = took[way]
        return f"median {statistics.median(t):.2f} s, worst {max(t):.2f} s ({len(t)} questions)"

    row("a question after the answer before it (the safety questions, answers piped, the null sink): from one "
        "question's line to the next, less its clip (the script's 0.4 s pause is in it)",
        said("ours"), said("naive") + ", the stream restarted before each", "no wait a person notices")
