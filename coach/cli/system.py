"""Commands about the machine: voices, doctor."""

from __future__ import annotations

from coach.cli.base import cli, echo
from coach.core.errors import CoachError


@cli.command()
def voices() -> None:
    """List the speech engine's voices."""
    from coach.audio.speech import Engine

    for v in Engine().voices():
        langs = ", ".join(v.languages)
        echo(f"{v.id:<28} {v.name}" + (f" ({langs})" if langs else ""))


@cli.command()
def doctor() -> None:
    """Check the speech engine and the audio output, and say what to fix."""
    from coach.app.doctor import checks

    failed = 0
    for check in checks():
        echo(f"{'ok ' if check.ok else 'FAIL'}  {check.what}: {check.detail}")
        failed += not check.ok
    if failed:
        raise CoachError(f"{failed} check{'s' if failed > 1 else ''} failed; see above for the fix.")
    echo("All checks passed.")
