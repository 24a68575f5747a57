"""Commands about the machine: voices, doctor."""

from __future__ import annotations

import click

from coach.cli.base import SOUND, cli, echo, setting_options, sound
from coach.core.errors import CoachError
from coach.storage.config import Number


@cli.command()
def voices() -> None:
    """List the voices: the natural English voice first (when installed), then espeak's."""
    from coach.audio import natural
    from coach.audio.speech import Engine

    if natural.installed():
        echo(f"{natural.VOICE:<28} {natural.NAME} ({', '.join(natural.LANGUAGES)})")
    for v in Engine().voices():
        langs = ", ".join(v.languages)
        echo(f"{v.id:<28} {v.name}" + (f" ({langs})" if langs else ""))


@cli.command()
def doctor() -> None:
    """Check the speech engine, the audio output, the microphone and speech recognition, and
    say what to fix."""
    from coach.app.doctor import checks

    failed = 0
    for check in checks():
        echo(f"{ {True: 'ok ', False: 'FAIL', None: '-- '}[check.ok]}  {check.what}: {check.detail}")
        failed += check.ok is False
    if failed:
        raise CoachError(f"{failed} check{'s' if failed > 1 else ''} failed; see above for the fix.")
    echo("All checks passed.")


@cli.command()
@click.option("--for", "kind", type=click.Choice(["pain", "yes-no", "reach", "compared", "commands"]),
              help="Check one kind of answer: what it takes, how surely, at what level, for each thing said.")
@click.option("--seconds", type=Number(1, 120), default=15, show_default=True,
              help="How long to listen.")
@click.option("--json", "as_json", is_flag=True, help="With --for: one JSON object per line.")
@setting_options(*SOUND)
def listen(kind: str | None, seconds: float, as_json: bool, voice: str | None, rate: int, volume: float,
           cue_volume: float, cue_pitch: float, lang: str) -> None:
    """Check the microphone: says "Say yes", then prints what it heard, its confidence and the
    input level, so you can set the distance and the input volume. With --for, listens for that
    kind of answer (commands: what it listens for while a session plays) and prints a line for
    each stretch of speech. Nothing is recorded."""
    from coach.app import listen as app
    from coach.app.start import speaker

    if as_json and kind is None:
        raise click.UsageError("--json needs --for.")
    words, voice_settings, _ = sound(voice, rate, lang, volume, cue_volume, cue_pitch)
    with speaker(voice_settings, words, volume, echo) as guide:
        if kind is None:
            app.check(words, echo, seconds, guide)
        else:
            app.listen_for(kind, words, echo, seconds, guide, as_json)
