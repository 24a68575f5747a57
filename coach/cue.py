"""Beep cues, synthesized with numpy.

The lengths are plain numbers so the session script can place cues without importing numpy;
`render` makes the samples. Each tone is a sine with a soft second harmonic, shaped by a
raised-cosine attack and release so it never clicks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    hz: float
    seconds: float


@dataclass(frozen=True)
class Cue:
    name: str
    meaning: str
    notes: tuple[Note, ...]
    level: float  # peak amplitude, 0-1, set against the speech's loudness
    decay: float = 0.0  # exponential decay per second within each note (a chime rings out)

    @property
    def seconds(self) -> float:
        return sum(n.seconds for n in self.notes)


CUES: dict[str, Cue] = {
    c.name: c
    for c in (
        Cue(
            "hold-start",
            "a rising two-note tone: start the hold now",
            (Note(523.25, 0.16), Note(783.99, 0.20)),
            level=0.25,
        ),
        Cue(
            "hold-end",
            "a falling two-note tone: the hold is over, relax",
            (Note(783.99, 0.16), Note(523.25, 0.26)),
            level=0.25,
        ),
        Cue(
            "tick",
            "a short soft tick: a count of the final seconds, where a spoken number would not fit",
            (Note(1318.5, 0.05),),
            level=0.12,
        ),
        Cue(
            "session-end",
            "a ringing three-note chime: the session is over",
            (Note(523.25, 0.35), Note(659.25, 0.35), Note(1046.5, 1.1)),
            level=0.3,
            decay=2.5,
        ),
    )
}

@dataclass(frozen=True)
class Tone:
    """The person's settings for every cue: its volume beside the voice, and its pitch."""

    volume: float = 1.0  # times the cue's own level
    pitch: float = 1.0  # times every note's frequency


ATTACK = 0.008  # seconds
RELEASE = 0.04  # seconds


def length(name: str, sample_rate: int) -> int:
    """A cue's length in samples, exactly as `render` makes it."""
    return sum(round(n.seconds * sample_rate) for n in CUES[name].notes)


def render(name: str, sample_rate: int, tone: Tone = Tone()):
    """The cue's samples: a float32 numpy array in -1..1. The tone changes pitch and level, never
    length, so the script places a cue the same whatever the settings."""
    import numpy as np

    cue = CUES[name]
    parts = []
    for note in cue.notes:
        n = round(note.seconds * sample_rate)
        t = np.arange(n) / sample_rate
        hz = note.hz * tone.pitch
        wave = np.sin(2 * np.pi * hz * t) + 0.25 * np.sin(4 * np.pi * hz * t)
        wave /= 1.25
        env = np.ones(n)
        a = min(n // 2, round(ATTACK * sample_rate))
        r = min(n // 2, round(RELEASE * sample_rate))
        env[:a] = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / a)
        env[n - r :] = 0.5 + 0.5 * np.cos(np.pi * np.arange(r) / r)
        if cue.decay:
            env *= np.exp(-cue.decay * t)
        parts.append(wave * env)
    return (cue.level * tone.volume * np.concatenate(parts)).astype(np.float32)


def pcm(name: str, sample_rate: int, cache_dir, tone: Tone = Tone()):
    """The cue as int16 PCM (`array('h')`), rendered once and then read from the cache.

    The cache key is the cue's whole definition, so changing a cue renders it anew."""
    import hashlib

    from coach import wav

    ident = repr((CUES[name], ATTACK, RELEASE, sample_rate) + ((tone,) if tone != Tone() else ())).encode()
    path = cache_dir / "cues" / f"{name}-{hashlib.sha256(ident).hexdigest()[:16]}.wav"
    return wav.cached(path, lambda: wav.from_float(render(name, sample_rate, tone)), sample_rate)
