"""A session from the user's options: plan → script → samples. The CLI calls only this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from coach.audio.drafts import Drafts
from coach.audio.render import Session
from coach.audio.speech import Clips, VoiceSettings
from coach.clinical import loading
from coach.clinical.preference import Bar
from coach.core import cue
from coach.core.dose import in_place, plan
from coach.core.errors import InputError
from coach.core.exercise import Level
from coach.core.routine import Dose, Routine
from coach.core.script import SAMPLE_RATE, SPEECH, LengthOf, Script, build
from coach.core.text import clock
from coach.core.words import Words, catalog
from coach.storage import paths
from coach.storage.routines import find


@dataclass(frozen=True)
class Request:
    routine: str  # a routine's name (built-in or the user's own) or a routine file
    only: tuple[str, ...] = ()
    hold: int | None = None
    reps: int | None = None
    side: str = "both"
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    volume: float = 1.0
    first: str | None = None  # the leg that hurts: per-side exercises start on it
    tone: cue.Tone = field(default_factory=cue.Tone)
    words: Words = field(default_factory=catalog)  # the language it is said in
    levels: Mapping[str, Level] = field(default_factory=dict)  # each exercise's dose as the response moved it
    positions: Mapping[str, str] = field(default_factory=dict)  # an exercise → its next position's, when taken
    bars: tuple[Bar, ...] = ()  # the directions barred by the history: their exercises are left out


LONGEST = 3 * 3600  # seconds: a routine longer than this is not a session a person can follow


def outline(routine: Routine, doses: tuple[Dose, ...], words: Words, preamble: tuple[str, ...] = ()) -> Script:
    """The script as if every phrase took one sample: its parts and the least it can last, known
    before any speech is synthesized."""
    return build(routine, doses, words, lambda text: 1, SAMPLE_RATE, preamble)


def phrases(routine: Routine, doses: tuple[Dose, ...], words: Words, preamble: tuple[str, ...] = ()) -> list[str]:
    """Every phrase the session may say, in order, each once (from its outline, where every
    phrase fits: a countdown number a slow voice leaves out is among them)."""
    spoken = outline(routine, doses, words, preamble).events
    return list(dict.fromkeys(e.text for e in spoken if e.kind == SPEECH and e.text))


def _placed(request: Request) -> tuple[Routine, tuple[str, ...]]:
    """The request's routine with each exercise in the position it has moved to, and the
    exercises --only names, by those positions."""
    routine = in_place(find(request.routine, request.words), request.positions, request.words)
    return routine, tuple(request.positions.get(ex_id, ex_id) for ex_id in request.only)  # --only names the one before


def check(request: Request) -> tuple[Routine, tuple[Dose, ...]]:
    """The routine and its dose plan, or one InputError: fast, so bad options fail before anything
    is asked or synthesized."""
    routine, only = _placed(request)
    routine = loading.kept(routine, request.bars, only)  # a barred direction's exercises, unless asked for
    doses = plan(routine, only, request.hold, request.reps, request.side, request.first, words=request.words,
                 levels=request.levels)
    least = outline(routine, doses, request.words).seconds
    if least > LONGEST:
        raise InputError(f"the {routine.name} routine lasts at least {clock(least)} before any words are said; "
                         f"the longest session the coach plays is {clock(LONGEST)}.", ways=("fewer", "shorter"))
    return routine, doses


def left_out(request: Request) -> tuple[Bar, ...]:
    """What is said once because a barred direction left exercises out of the routine. With
    --only, nothing is left out: what was not named is not played anyway, and what was named is
    confirmed or warned of instead (`asked_barred`)."""
    if request.only:
        return ()
    return loading.left_out(_placed(request)[0], request.bars)


def asked_barred(request: Request) -> list[tuple[str, Bar]]:
    """The exercises named with --only that load a barred direction other than the routine's:
    each exercise's name, with its bar."""
    routine, only = _placed(request)
    return [(routine.names[ex_id], bar) for ex_id, bar in loading.asked_barred(routine, request.bars, only)]


def compose(request: Request, preamble: tuple[str, ...] = (), clips: Clips | None = None,
            checked: tuple[Routine, tuple[Dose, ...]] | None = None, drafted: bool = False) -> Session:
    """Check the options (unless `checked` is what `check` gave), then build the script with each
    phrase's real spoken length. `drafted` (a live session): at once, as a first draft while
    phrases are still being made (coach/audio/drafts.py); the session's `drafts` make the rest."""
    routine, doses = checked or check(request)
    clips = clips or Clips(request.voice, paths.cache_dir(), SAMPLE_RATE)

    def made(length_of: LengthOf) -> Script:
        return build(routine, doses, request.words, length_of, clips.sample_rate, preamble)

    if drafted:
        drafts = Drafts(made, clips)
        try:
            first = drafts.latest()
        except BaseException:
            drafts.close()
            raise
        return Session(first, clips, request.volume, routine, request.tone, drafts)
    return Session(made(clips.length), clips, request.volume, routine, request.tone)


def fallback_path(routine: str, now: dt.datetime | None = None) -> Path:
    """Where a session goes when there is no output device: a WAV in the current folder."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path.cwd() / f"coach-{routine}-{stamp}.wav"
