"""Read the TOML files shipped inside the package (never the repository's top level)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def _root():
    return resources.files("coach") / "data"


def text(name: str) -> str:
    """One file's text, by its path inside coach/data."""
    return (_root() / name).read_text(encoding="utf-8")


def read(name: str) -> dict[str, Any]:
    """One TOML file, by its path inside coach/data."""
    return tomllib.loads(text(name))


def names(folder: str) -> list[str]:
    """The TOML files' names in a folder inside coach/data, sorted (none is read)."""
    return sorted(f.name for f in (_root() / folder).iterdir() if f.name.endswith(".toml"))


def read_all(folder: str) -> list[tuple[str, dict[str, Any]]]:
    """Every TOML file in a folder inside coach/data, sorted by name."""
    files = sorted(
        (f for f in (_root() / folder).iterdir() if f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    return [(f.name, tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]
