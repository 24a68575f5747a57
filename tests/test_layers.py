"""The layers are folders, and imports run one way: cli → app → phone → live → clinical → audio → storage → core.

Read from the source with the standard library's parser, so a new import that crosses a layer
fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import coach

pytestmark = pytest.mark.timeout(60)

PACKAGE = Path(coach.__file__).parent
ORDER = ("core", "storage", "audio", "clinical", "live", "phone", "app", "cli")  # each may import those before it
HEAVY = {"numpy", "sounddevice", "pyttsx3", "sqlite3", "soundfile", "soxr", "mutagen", "matplotlib", "icalendar"}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def imports(tree: ast.Module, name: str) -> list[tuple[str, list[str], int]]:
    """(module, names, line) for every import in the module, at any depth (lazy ones too)."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names], node.lineno))
    return out


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "coach" and parts[1] in ORDER else None


def test_every_module_lives_in_a_layer_folder_with_a_docstring():
    for name in modules():
        if name in ("coach", "coach.__main__"):
            continue
        assert layer(name), f"{name} is not inside a layer folder {ORDER}"
    for folder in ORDER:
        doc = ast.get_docstring(modules()[f"coach.{folder}"])
        assert doc and doc.strip(), f"coach/{folder}/__init__.py has no docstring saying what the layer is"


def test_imports_run_one_way():
    problems = []
    for name, tree in modules().items():
        here = layer(name)
        if here is None:
            continue
        for target, names, line in imports(tree, name):
            targets = [target] + [f"{target}.{n}" for n in names]
            for t in targets:
                there = layer(t)
                if there is not None and ORDER.index(there) > ORDER.index(here):
                    problems.append(f"{name}:{line} ({here}) imports {t} ({there})")
    assert not problems, "imports that point up a layer:\n" + "\n".join(problems)


def test_the_core_imports_no_device_engine_numpy_or_database():
    for name, tree in modules().items():
        if layer(name) != "core":
            continue
        for target, _, line in imports(tree, name):
            assert target.split(".")[0] not in HEAVY, f"{name}:{line} imports {target}"


def test_nothing_imports_the_cli():
    for name, tree in modules().items():
        if layer(name) == "cli" or name == "coach.__main__":
            continue
        for target, names, line in imports(tree, name):
            assert layer(target) != "cli" and not (target == "coach" and "cli" in names), f"{name}:{line}"


def test_only_the_cli_speaks_in_flags():
    """Issue 29, item 4: Click is the command line's; below it, errors and settings are values."""
    problems = [f"{name}:{line} imports {target}" for name, tree in modules().items()
                if layer(name) not in ("cli", None) for target, _, line in imports(tree, name)
                if target.split(".")[0] == "click"]
    assert not problems, "\n".join(problems)


def test_no_error_below_the_cli_names_a_flag_or_a_command():
    """Issue 29, item 4: an error raised below cli/ says what went wrong; what the person can do
    about it is a key (`ways`), worded by the command line in flags and commands."""
    import re

    from coach.cli.base import WAYS as WORDED
    from coach.core.errors import WAYS

    named = re.compile(r"(^|\s)--[a-z]|'coach [a-z]")
    problems = []
    for name, tree in modules().items():
        if layer(name) in ("cli", None):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for c in ast.walk(node.exc):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and named.search(c.value):
                        problems.append(f"{name}:{node.lineno}: {c.value!r}")
    assert not problems, "errors below cli/ that name a flag or a command:\n" + "\n".join(problems)
    assert set(WAYS) == set(WORDED), "every way out is worded by the command line, and only those"


def test_the_clinical_rules_draw_nothing():
    """Issue 29, item 2: the chart is drawn where files are written (coach/app/chart.py); the
    clinical layer decides, and imports no plotting library and no file writer."""
    problems = [f"{name}:{line} imports {target}" for name, tree in modules().items()
                if layer(name) == "clinical" for target, _, line in imports(tree, name)
                if target.split(".")[0] == "matplotlib" or target.startswith("coach.storage.atomic")]
    assert not problems, "\n".join(problems)


def test_the_clinical_rules_read_records_not_the_database():
    """Issue 29, items 1 and 2: the rules take records (coach/core/records.py) and return
    decisions; the history is read by the layers that hold it open. And a JSON column is decoded
    in one place, where a row is read (coach/storage/rows.py)."""
    problems = [f"{name}:{line} imports {target}" for name, tree in modules().items()
                if layer(name) == "clinical" for target, _, line in imports(tree, name)
                if target.startswith("coach.storage") or target.split(".")[0] == "sqlite3"]
    assert not problems, "\n".join(problems)
    decoding = [name for name, tree in modules().items() if layer(name) in ("clinical", "live", "app")
                and any(isinstance(n, ast.Attribute) and n.attr == "loads" and isinstance(n.value, ast.Name)
                        and n.value.id == "json" for n in ast.walk(tree))]
    assert not decoding, f"JSON decoded outside storage (the history's columns are decoded once): {decoding}"


def test_no_module_imports_another_modules_private_name():
    problems = []
    for name, tree in modules().items():
        aliases: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coach"):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        problems.append(f"{name}:{node.lineno} imports {node.module}.{a.name}")
                    aliases.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                aliases.update(a.asname or a.name for a in node.names if a.name.startswith("coach"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases and node.attr.startswith("_") and not node.attr.startswith("__"):
                problems.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not problems, "\n".join(problems)


def test_each_command_is_thin():
    """A command parses, calls one application function and maps errors: about 40 lines at most,
    docstring and decorators aside."""
    long, seen = [], 0
    for name, tree in modules().items():
        if layer(name) != "cli":
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ("command", "group")
                    for d in node.decorator_list):
                seen += 1
                body = node.body[1:] if ast.get_docstring(node) else node.body
                lines = node.end_lineno - body[0].lineno + 1  # type: ignore[operator]
                if lines > 40:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert seen >= 15 and not long, (seen, long)
