"""The docs say what the code does: the command reference is the commands' own help, and every
link between the pages leads somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_command_reference_is_what_help_prints():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import command_reference
    finally:
        sys.path.pop(0)
    written = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert written == command_reference.reference(), (
        "docs/commands.md is stale: run .venv/bin/python scripts/command_reference.py")
    for name in ("coach start", "coach config set", "coach cleared", "coach listen"):
        assert f"## `{name}`" in written


def test_every_link_in_the_readme_and_the_docs_leads_to_a_file():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"


def test_the_readme_is_short_and_starts_with_the_two_commands():
    """A new user reads it in two minutes; test catalogues and figures live in docs/."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[2:6] == ["```sh", "./scripts/coach start --flexion   # run a session (the first run installs everything it needs)",
                          "./scripts/test                    # run the tests (the same, plus what the tests need)", "```"]
    assert len(lines) < 120
    assert "not medical advice" in text


def test_the_completion_line_in_the_readme_works():
    """Click's completion script for bash, as the README says to make it."""
    done = subprocess.run([sys.executable, "-m", "coach"], env={"_COACH_COMPLETE": "bash_source", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60)
    assert "complete -o nosort -F" in done.stdout or "_coach_completion" in done.stdout, done.stdout + done.stderr
