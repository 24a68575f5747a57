"""A session written to a file (or one file per part), to play on a phone.

A file cannot ask the safety questions, so it opens with them spoken, and with the day it was
made; a barred direction is warned of, printed and at the file's start."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Callable, ContextManager

from coach.app import choice
from coach.app import progress as doses
from coach.app import session as sessions
from coach.app.records import opened, printer
from coach.audio import export as files
from coach.audio.speech import Clips
from coach.audio.tags import Tags, chapters
from coach.clinical import evidence, loading, screening
from coach.clinical.preference import Bar
from coach.core.routine import Dose, Routine
from coach.core.script import SAMPLE_RATE
from coach.core.text import clock
from coach.storage import paths

Echo = Callable[..., None]
Progress = Callable[[int, str], ContextManager[Callable[[int], None] | None]]  # total, label → update(n)


def _no_progress(total: int, label: str) -> ContextManager[None]:
    return contextlib.nullcontext()


def _voiced(request: sessions.Request, phrases: list[str], progress: Progress) -> Clips:
    """The session's phrases, those never made in its voice made now, counted on a bar (a
    cold cache: seconds of synthesis before the render can be timed)."""
    clips = Clips(request.voice, paths.cache_dir(), SAMPLE_RATE)
    missing = [text for text in phrases if clips.known_length(text) is None]
    if missing:
        with progress(len(missing), request.words.printed.making_voice) as update:
            for text in missing:
                clips.get(text)
                if update is not None:
                    update(1)
    return clips


def warnings(bar: Bar | None, request: sessions.Request) -> tuple[str, ...]:
    """What a file warns of before anything else: a barred direction's bar (its routine, or its
    exercises named with --only, played all the same), and what a bar left out, and why."""
    w = request.words
    said: list[str] = []
    for b in ([bar] if bar is not None else []) + [b for _, b in sessions.asked_barred(request)]:
        if b.text(w) not in said:
            said += [b.text(w), w.barred_file]
    return (*said, *(loading.sentence(b, w) for b in sessions.left_out(request)))


def preamble(bar: Bar | None, request: sessions.Request, made: dt.date) -> tuple[str, ...]:
    """What a file opens with, its safety chapter: its `warnings`, then the safety opening with
    the day `made`."""
    return (*warnings(bar, request), *screening.screening(request.words).recording_preamble(made, request.words))


def opening(request: sessions.Request, made: dt.date, echo: Echo = print) -> tuple[str, ...]:
    """A file's safety opening for `request` (`coach script --recording` prints it), with its
    direction's bar from the history."""
    with opened(echo, write=False) as history:
        bar = choice.bar(evidence.recommendation(history.record(), request.words), sessions.check(request)[0].direction)
    return preamble(bar, request, made)


def export(request: sessions.Request, output: Path | None, split: Path | None, fmt: str, echo: Echo,
           progress: Progress | None = None, force: bool = False) -> list[Path]:
    """`coach export`: refuses while the safety answers stop the day, as a session does."""
    with opened(echo, write=False) as history:
        rec = evidence.recommendation(history.record(), request.words)
        request = doses.today(history, request, rec)  # each dose as the response has moved it
        checked = sessions.check(request)
        screening.refuse_if_stopped(history.safety(), printer(echo), request.words)
        bar = choice.bar(rec, checked[0].direction)
    return write(request, output, split, fmt, echo, progress, checked=checked, bar=bar, force=force)


def write(request: sessions.Request, output: Path | None, split: Path | None = None, fmt: str = "mp3",
          echo: Echo = print, progress: Progress | None = None,
          checked: tuple[Routine, tuple[Dose, ...]] | None = None, bar: Bar | None = None,
          force: bool = False) -> list[Path]:
    """The session as a file (its format from its name), or one file per part into `split`; the
    paths written, each also echoed. `force`: replace files in `split` that are not a previous
    export's."""
    chosen = files.named(fmt) if split is not None else files.check_writable(output)  # type: ignore[arg-type]
    if split is not None:
        files.check_folder(split.parent, split)
    made = dt.date.today()
    opening, date = preamble(bar, request, made), made.isoformat()
    checked = checked or sessions.check(request)
    w = request.words
    outline = sessions.outline(*checked, w, opening)  # its parts and chapters, before any speech is made
    if split is None:  # what the file can hold is known before any speech is made or encoded
        files.check_chapters(chosen, chapters(outline, checked[0].names, w))
    elif not force:  # a person's own files are never replaced: refused before any work
        parts = chapters(outline, checked[0].names, w, by_side=False)
        files.refuse_clash(split, files.split_names(parts, chosen, checked[0].name))
    warned = warnings(bar, request)
    if warned:
        echo(" ".join(warned), err=True)
    clips = _voiced(request, sessions.phrases(*checked, w, opening), progress or _no_progress)
    session = sessions.compose(request, opening, clips=clips, checked=checked)
    script, names, name = session.script, session.routine.names, session.routine.name
    album = w.file.album.format(routine=name)
    with (progress or _no_progress)(script.total, w.printed.rendering) as update:
        if split is None:
            assert output is not None
            tags = Tags(title=w.file.title.format(routine=name, length=clock(script.seconds)),
                              album=album, comment=w.file.comment, date=date)
            files.write(session.renderer(), output, tags, chapters(script, names, w), update)
            written = [output]
        else:
            parts = chapters(script, names, w, by_side=False)
            written = files.write_split(session.renderer(), split, chosen, album, parts,
                                        chapters(script, names, w), name, update, date, force=force)
    for path in written:
        echo(str(path))
    return written
