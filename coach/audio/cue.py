"""Beep cues, synthesized with numpy from their definitions in coach/core/cue.py.

Each tone is a sine with a soft second harmonic, shaped by a raised-cosine attack and release so
it never clicks.
"""

from __future__ import annotations

from coach.core.cue import ATTACK, CUES, RELEASE, Tone, length  # noqa: F401  (length: one place to ask)


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

    from coach.audio import wav

    ident = repr((CUES[name], ATTACK, RELEASE, sample_rate) + ((tone,) if tone != Tone() else ())).encode()
    path = cache_dir / "cues" / f"{name}-{hashlib.sha256(ident).hexdigest()[:16]}.wav"
    return wav.cached(path, lambda: wav.from_float(render(name, sample_rate, tone)), sample_rate)
