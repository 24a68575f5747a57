"""A person's own routines: TOML files in their routines folder, found by name."""

from __future__ import annotations

from pathlib import Path

from coach.core.errors import InputError
from coach.core.routine import Routine
from coach.core.rules import read, routines
from coach.core.words import Words
from coach.storage import paths


def user_dir() -> Path:
    """Where a person's own routines are found by name."""
    return paths.config_dir() / "routines"


def user_routines() -> dict[str, Path]:
    folder = user_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def find(spec: str, words: Words) -> Routine:
    """A routine by file name (anything ending in .toml, or with a /), or by name: the user's
    routines first, then the built-in ones."""
    if spec.endswith(".toml") or "/" in spec:
        return read(Path(spec).expanduser(), words)
    mine = user_routines()
    if spec in mine:
        return read(mine[spec], words)
    built_in = routines(words)
    if spec in built_in:
        return built_in[spec]
    known = sorted({*built_in, *mine})
    raise InputError(f"no routine named '{spec}'. Known: {', '.join(known)}.", ways=("routines", "toml"))
