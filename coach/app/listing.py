"""What `coach routines` and `coach exercises` list, and `coach routines new`: read from the data and
the person's files, never by synthesizing speech."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.app import session as sessions
from coach.core import data
from coach.core.errors import CoachError, InputError
from coach.core.exercise import catalog
from coach.core.routine import NAME
from coach.core.rules import routines
from coach.core.script import SAMPLE_RATE, Guess, build
from coach.core.text import clock
from coach.core.words import Words
from coach.storage.atomic import atomic_path, create
from coach.storage.routines import user_dir, user_routines


@dataclass(frozen=True)
class RoutineRow:
    name: str
    title: str
    length: str  # "15:42", "~15:40" when some phrase was never spoken with this voice, or "-"
    source: str  # "built-in" or the file
    problems: int = 0  # a routine file that cannot be played: how many problems it has (then no title)


class _Lengths:
    """Each phrase's length in the request's voice, from the speech cache, or guessed from the
    speaking rate when it was never spoken (`guessed` says so). Nothing is synthesized."""

    def __init__(self, request: sessions.Request):
        from coach.audio.speech import Clips
        from coach.storage import paths

        self.clips = Clips(request.voice, paths.cache_dir(), SAMPLE_RATE)
        self.guessed = False

    def __call__(self, text: str) -> int:
        n = self.clips.guess(text)
        self.guessed = self.guessed or isinstance(n, Guess)
        return n


def seconds(request: sessions.Request) -> float:
    """How long the request's routine lasts in its voice (estimated where a phrase was never spoken)."""
    routine, doses = sessions.check(request)
    return build(routine, doses, request.words, _Lengths(request), SAMPLE_RATE).seconds


def routine_rows(request: sessions.Request) -> list[RoutineRow]:
    """Every built-in routine and the person's own, with its length in the request's voice (each
    phrase's length estimated from the speaking rate when it was never spoken: marked ~).
    Routines with problems are listed with how many."""
    length = _Lengths(request)
    rows = []
    found = [*((n, None) for n in routines(request.words)), *user_routines().items()]
    for name, path in found:
        spec = str(path) if path else name
        try:
            routine, doses = sessions.check(sessions.Request(routine=spec, voice=request.voice, words=request.words))
        except InputError as e:
            n = len(getattr(e, "problems", [])) or 1
            rows.append(RoutineRow(name, "", "-", str(path), n))
            continue
        length.guessed = False
        script = build(routine, doses, request.words, length, SAMPLE_RATE)
        rows.append(RoutineRow(name, routine.name, ("~" if length.guessed else "") + clock(script.seconds),
                               str(path) if path else "built-in"))
    return rows


def exercise_rows(words: Words) -> list[dict[str, Any]]:
    """Each exercise with its dose and the built-in routines it is in."""
    rows = []
    for ex in catalog(words).values():
        row: dict[str, Any] = {
            "id": ex.id,
            "name": ex.name,
            "position": ex.position,
            "per_side": ex.per_side,
            "routines": [r.id for r in routines(words).values() if ex.id in r.exercises],
        }
        if ex.hold is not None and ex.sets is not None:
            row["hold_seconds"] = {"default": ex.hold.default, "min": ex.hold.min, "max": ex.hold.max}
            row["holds"] = {"default": ex.sets.default, "min": ex.sets.min, "max": ex.sets.max}
        elif ex.reps is not None:
            row["reps"] = {"default": ex.reps.default, "min": ex.reps.min, "max": ex.reps.max}
            row["seconds_per_rep"] = ex.seconds_per_rep
        rows.append(row)
    return rows


def new_routine(name: str) -> Path:
    """Write a commented routine file to start from, in the routines folder."""
    if not NAME.match(name):
        raise InputError(f"'{name}' cannot be a routine name: use lowercase letters, digits and hyphens "
                         "(like my-morning), at most 40.")
    path = user_dir() / f"{name}.toml"
    if path.exists():
        raise InputError(f"{path} already exists: edit it, or choose another name.")
    text = data.text("routine-template.toml").replace("{id}", name).replace("{name}", name.replace("-", " ").capitalize())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, create(tmp) as f:
            f.write(text.encode("utf-8"))
    except OSError as e:
        raise CoachError(f"cannot write {path}: {e.strerror or e}.") from e
    return path


def write_pictures(folder: Path, words: Words) -> list[Path]:
    """Each exercise's picture as an SVG file in `folder` (made if missing): ID.svg for a held
    position, ID-END.svg for each end of a movement. Each written whole (atomically)."""
    from coach.core.figure import drawings

    if folder.exists() and not folder.is_dir():
        raise InputError(f"cannot write the pictures into {folder}: it is a file, not a folder.", ways=("other-folder",))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for ex in catalog(words).values():
            pictures = drawings(ex.id, ex.name)
            for step, svg in pictures:
                path = folder / (f"{ex.id}.svg" if len(pictures) == 1 else f"{ex.id}-{step}.svg")
                with atomic_path(path) as tmp, create(tmp) as f:
                    f.write(svg.encode())
                written.append(path)
    except OSError as e:
        raise CoachError(f"cannot write the pictures into {folder}: {e.strerror or e}.") from e
    return written
