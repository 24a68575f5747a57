"""A gap in the output, made up (scripts/bench gap): the sound server frozen in the middle of a
silent span, as a loaded machine froze CI's, and how long the span then lasted on the null sink's
recording. Ours makes lateness up from the blocks' DAC times (coach/audio/sink.py); beside it the
same player with nothing made up; the rule before (only when PortAudio flags an underflow) fell
between the two: it made up the gaps that were flagged, and this freeze was flagged in some runs
and not in others."""

from __future__ import annotations

import os
import signal
import threading
import time
from array import array
from pathlib import Path

import numpy as np

from tests.audio_server import RATE, PulseServer

SPAN = 20.0  # seconds between the two tones
FREEZES = (0.2, 0.6, 1.5)  # seconds the sound server is stopped, 8 s into the span
TIMES = 2  # runs of each


def _span_heard(server: PulseServer, freeze: float, make_up: bool) -> tuple[float, int]:
    """Seconds between the span's two tones on the recording, the server frozen `freeze` s, and
    the underflows PortAudio flagged."""
    from coach.audio.render import Renderer
    from coach.audio.sink import Player
    from coach.core.script import Event, Script

    sr = 22050
    n = int(0.3 * sr)
    tone = array("h", (np.sin(2 * np.pi * 1000 * np.arange(n) / sr) * 8000).astype(np.int16).tobytes())
    events = (Event(0, n, "speech", text="a"), Event(n, int(SPAN * sr) - n, "silence"),
              Event(int(SPAN * sr), n, "speech", text="b"))
    renderer = Renderer(Script("gap", sr, events), lambda text: tone, lambda cue: array("h"))
    pid = int((Path(server.env["XDG_RUNTIME_DIR"]) / "pulse" / "pid").read_text().split()[0])

    def freeze_server() -> None:
        time.sleep(8.0)
        os.kill(pid, signal.SIGSTOP)
        time.sleep(freeze)
        os.kill(pid, signal.SIGCONT)

    recorder = server.recorder().start()
    player = Player(sr)
    if not make_up:
        player._keep_schedule = lambda renderer, time_info: None  # type: ignore[method-assign]
    player.open()
    time.sleep(0.5)
    threading.Thread(target=freeze_server, daemon=True).start()
    player.play(renderer)
    time.sleep(0.5)
    player.close()
    x = np.abs(recorder.stop().astype(np.float32).reshape(-1))
    loud = np.flatnonzero(x > 0.05 * x.max())
    first = loud[0]
    second = loud[loud > first + 2 * RATE][0]
    return (second - first) / RATE, player.underflows


def gap_figures(row) -> None:
    saved = dict(os.environ)
    for freeze in FREEZES:
        ours, naive = [], []
        for _ in range(TIMES):
            with PulseServer() as server:
                os.environ.update(server.overrides)
                ours.append(_span_heard(server, freeze, True))
            with PulseServer() as server:
                os.environ.update(server.overrides)
                naive.append(_span_heard(server, freeze, False))
        row(f"a {SPAN:.0f} s silent span, the sound server frozen {freeze} s in it ({TIMES} runs each)",
            ", ".join(f"{s:.3f} s" for s, _ in ours) + f" (off by at most {max(abs(s - SPAN) for s, _ in ours) * 1000:.0f} ms)",
            ", ".join(f"{s:.3f} s ({'flagged' if flags else 'not flagged'})" for s, flags in naive)
            + " with nothing made up; the rule before made up only flagged gaps",
            "within 150 ms of the span (the live tolerance)")
    os.environ.clear()
    os.environ.update(saved)
