"""Samples from a session script: any block, from any position (a cursor on the timeline)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from coach import cue as cues
from coach.script import CUE, SPEECH, Script


class Renderer:
    """Reads the session's samples in blocks. Events never overlap, so a block is copies, not a mix."""

    def __init__(self, script: Script, clip: Callable[[str], object], volume: float = 1.0):
        import numpy as np

        self.script = script
        self.total = script.total
        self._starts = [e.start for e in script.events]
        sources: dict = {}
        cue_samples = {}
        for e in script.events:
            if e.kind == SPEECH and e.text not in sources:
                sources[e.text] = np.asarray(clip(e.text), dtype=np.float32) * volume
            elif e.kind == CUE and e.cue not in cue_samples:
                cue_samples[e.cue] = cues.render(e.cue, script.sample_rate) * volume
        self._sources = []
        for e in script.events:
            src = sources.get(e.text) if e.kind == SPEECH else cue_samples.get(e.cue) if e.kind == CUE else None
            if src is not None and len(src) != e.length:
                raise ValueError(f"clip for {e.text or e.cue!r} is {len(src)} samples, the script says {e.length}")
            self._sources.append(src)

    def read_into(self, out, pos: int) -> int:
        """Fill `out` (a 1-D float32 array) with samples from `pos`; past the end is silence.

        Returns how many samples were inside the session."""
        n = len(out)
        out[:] = 0.0
        end = min(pos + n, self.total)
        if pos >= end:
            return 0
        i = max(0, bisect_right(self._starts, pos) - 1)
        events = self.script.events
        while i < len(events) and events[i].start < end:
            src = self._sources[i]
            if src is not None:
                e = events[i]
                a, b = max(e.start, pos), min(e.end, end)
                out[a - pos : b - pos] = src[a - e.start : b - e.start]
            i += 1
        return end - pos

    def read(self, pos: int, n: int):
        import numpy as np

        out = np.zeros(n, dtype=np.float32)
        self.read_into(out, pos)
        return out

    def blocks(self, block: int = 65536):
        """The whole session, block by block."""
        for pos in range(0, self.total, block):
            yield self.read(pos, min(block, self.total - pos))
