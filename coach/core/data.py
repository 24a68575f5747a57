"""Read the TOML files shipped inside the package (never the repository's top level)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.core.text import printable

if TYPE_CHECKING:
    import tomllib

HERE = Path(__file__).resolve().parent.parent / "data"  # the package's own folder, when it is one


def _root():
    """The data folder: a plain folder in every install the coach makes; importlib.resources (a
    few ms on the way to `coach --help`) only for a package that is not one, such as a zip."""
    if HERE.is_dir():
        return HERE
    from importlib import resources

    return resources.files("coach") / "data"


def text(name: str) -> str:
    """One file's text, by its path inside coach/data."""
    return (_root() / name).read_text(encoding="utf-8")


def read(name: str) -> dict[str, Any]:
    """One TOML file, by its path inside coach/data."""
    import tomllib

    return tomllib.loads(text(name))


def names(folder: str) -> list[str]:
    """The TOML files' names in a folder inside coach/data, sorted (none is read)."""
    return sorted(f.name for f in (_root() / folder).iterdir() if f.name.endswith(".toml"))


def read_all(folder: str) -> list[tuple[str, dict[str, Any]]]:
    """Every TOML file in a folder inside coach/data, sorted by name."""
    import tomllib

    files = sorted(
        (f for f in (_root() / folder).iterdir() if f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    return [(f.name, tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]


def toml_problem(where: str, e: tomllib.TOMLDecodeError) -> str:
    """tomllib's error as one line that names the file and the line: "f.toml:3: not valid TOML: ..."."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
    what = re.sub(r"\s*\(at line.*\)$", "", str(e))
    return f"{where}:{m.group(1)}: not valid TOML: {what} (column {m.group(2)})" if m else f"{where}: not valid TOML: {what}"


def too_deep(where: str) -> str:
    return f"{where}: nested too deeply to read: tables or lists inside one another, hundreds of levels down"


def describe(value: Any) -> str:
    """A value from a TOML file as an error message shows what was found."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        value = printable(value)
        return f'"{value}" (text)' if len(value) < 60 else f'"{value[:57]}..." (text)'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
