"""Commands about the machine: voices, doctor."""

from __future__ import annotations

import click

from coach.cli.base import SOUND, Number, cli, echo, setting_options, sound
from coach.core.errors import CoachError


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the voices as JSON.")
def voices(as_json: bool) -> None:
    """List the voices: the natural English voice first (when installed), then espeak's."""
    from coach.audio import natural
    from coach.audio.espeak import Engine

    found = [(natural.VOICE, natural.NAME, list(natural.LANGUAGES))] if natural.installed() else []
    engine = Engine()
    try:
        found += [(v.id, v.name, list(v.languages)) for v in engine.voices()]
    finally:
        engine.close()
    if as_json:
        import json

        echo(json.dumps([{"id": i, "name": n, "languages": langs} for i, n, langs in found], indent=1))
        return
    for i, n, langs in found:
        echo(f"{i:<28} {n}" + (f" ({', '.join(langs)})" if langs else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(as_json: bool) -> None:
    """Check the speech engine, the audio output, the microphone and speech recognition, and
    say what to fix."""
    from coach.app.doctor import checks

    failed = 0
    found = []
    for check in checks():
        if as_json:
            found.append({"check": check.what, "ok": check.ok, "detail": check.detail})
        else:
            echo(f"{ {True: 'ok ', False: 'FAIL', None: '-- '}[check.ok]}  {check.what}: {check.detail}")
        failed += check.ok is False
    if as_json:
        import json

        echo(json.dumps(found, indent=1))
    if failed:
        raise CoachError(f"{failed} check{'s' if failed > 1 else ''} failed; see {'the JSON' if as_json else 'above'} "
                         "for the fix.")
    if not as_json:
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
