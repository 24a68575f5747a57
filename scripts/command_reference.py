"""Writes docs/commands.md: every command's --help, as `coach` prints it, one section each.

    .venv/bin/python scripts/command_reference.py          # rewrite docs/commands.md
    .venv/bin/python scripts/command_reference.py --check  # exit 1 when it is stale

tests/test_docs.py fails when the file is not what this writes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "commands.md"
WIDTH = 100  # columns the help is wrapped to, whatever the terminal


def _sections(command: click.Command, path: list[str], parent: click.Context | None = None):
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
    yield " ".join(path), command.get_help(ctx)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _sections(sub, [*path, name], ctx)


def reference() -> str:
    from coach.cli import cli

    lines = ["# Command reference", "",
             "Every command's `--help`, as `coach` prints it. Made by `scripts/command_reference.py`;",
             "a test fails when this page is stale.", ""]
    for name, text in _sections(cli, ["coach"]):
        lines += [f"## `{name}`", "", "```", text.rstrip(), "```", ""]
    return "\n".join(lines)


def main() -> int:
    text = reference()
    if sys.argv[1:] == ["--check"]:
        return 0 if PAGE.exists() and PAGE.read_text(encoding="utf-8") == text else 1
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
