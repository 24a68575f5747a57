"""Samples from a session script: any block, from any position (a cursor on the timeline).

Samples are int16 PCM in `array('h')`: events never overlap, so a block is made of slice
copies, with no mixing and no numpy unless the volume is changed."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

from coach.core import cue
from coach.core.routine import Routine
from coach.core.script import CUE, SPEECH, Event, Script

if TYPE_CHECKING:
    from coach.audio.drafts import Drafts
    from coach.audio.speech import Clips

Samples = Callable[[str], array]


def _scaled(samples: array, volume: float) -> array:
    if volume == 1.0:
        return samples
    import numpy as np

    x = np.frombuffer(samples, dtype=np.int16).astype(np.float64) * volume
    return array("h", x.round().astype(np.int16).tobytes())


class Renderer:
    """Reads the session's samples in blocks. A draft's (see Script.settled) only up to its
    settled part, `limit`: its speech is fetched only there, and `follow` reads a later draft
    with the samples already made."""

    def __init__(self, script: Script, speech: Samples, cue: Samples, volume: float = 1.0,
                 made: dict[tuple[str, str], array] | None = None):
        self.script = script
        self.total = script.total
        self.limit = script.ready
        self._speech, self._cue, self._volume = speech, cue, volume
        self._made = {} if made is None else made
        self._starts = [e.start for e in script.events]
        self._sources = [self._source(e) if e.start < self.limit else None for e in script.events]
        self._silence = memoryview(array("h"))

    def _source(self, e: Event) -> memoryview | None:
        if e.kind not in (SPEECH, CUE):
            return None
        key = (e.kind, e.text if e.kind == SPEECH else e.cue or "")
        src = self._made.get(key)  # type: ignore[arg-type]
        if src is None:
            made = self._speech(e.text) if e.kind == SPEECH else self._cue(e.cue)  # type: ignore[arg-type]
            src = self._made[key] = _scaled(made, self._volume)  # type: ignore[index]
        if len(src) != e.length:
            raise ValueError(f"samples for {key[1]!r} are {len(src)} long, the script says {e.length}")
        return memoryview(src)

    def follow(self, script: Script) -> Renderer:
        """The renderer of a later draft of the same session (or its final script)."""
        return Renderer(script, self._speech, self._cue, self._volume, self._made)

    def _zeros(self, n: int) -> memoryview:
        if len(self._silence) < n:
            self._silence = memoryview(array("h", bytes(2 * n)))
        return self._silence[:n]

    def read_into(self, out: memoryview, pos: int) -> int:
        """Fill `out` (a memoryview of int16) with samples from `pos`; outside the session is silence.

        Returns how many samples were inside the session (a draft: its settled part)."""
        n = len(out)
        out[:] = self._zeros(n)
        start, end = pos, min(pos + n, self.limit)
        if start >= end:
            return 0
        i = max(0, bisect_right(self._starts, start) - 1)
        events = self.script.events
        while i < len(events) and events[i].start < end:
            src = self._sources[i]
            if src is not None:
                e = events[i]
                a, b = max(e.start, start), min(e.end, end)
                out[a - pos : b - pos] = src[a - e.start : b - e.start]
            i += 1
        return end - pos

    def quiet(self, pos: int, n: int) -> int:
        """How many of the `n` samples from `pos` are silence before the next sound (a phrase or a
        tone), within what can be read: what may be skipped to catch up after an output gap."""
        end = min(pos + n, self.limit, self.total)
        if pos >= end:
            return 0
        i = max(0, bisect_right(self._starts, pos) - 1)
        events = self.script.events
        while i < len(events) and events[i].start < end:
            e = events[i]
            if e.kind in (SPEECH, CUE) and e.end > pos:
                return max(0, e.start - pos)
            i += 1
        return end - pos

    def read(self, pos: int, n: int) -> array:
        out = array("h", bytes(2 * n))
        self.read_into(memoryview(out), pos)
        return out

    def blocks(self, block: int = 65536, start: int = 0, end: int | None = None) -> Iterator[array]:
        """Samples [start, end) of the session (all of it by default), block by block."""
        end = self.total if end is None else end
        for pos in range(start, end, block):
            yield self.read(pos, min(block, end - pos))


@dataclass
class Session:
    script: Script  # live, the first draft while its phrases are made (`drafts` has the newer)
    clips: Clips
    volume: float
    routine: Routine
    tone: cue.Tone = field(default_factory=cue.Tone)
    drafts: Drafts | None = None

    def renderer(self) -> Renderer:
        return renderer_for(self.script, self.clips, self.volume, self.tone)


def renderer_for(script: Script, clips: Clips, volume: float = 1.0, tone: cue.Tone = cue.Tone()) -> Renderer:
    """The script's samples: speech from `clips`, cues rendered (once, then cached) with `tone`."""
    from coach.audio.cue import pcm
    from coach.storage import paths

    sr, where = script.sample_rate, paths.cache_dir()
    return Renderer(script, clips.get, lambda name: pcm(name, sr, where, tone), volume)
