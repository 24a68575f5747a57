"""The command line: parse, call the library, turn domain errors into one line and an exit code.

Imports here stay light (click and the standard library) so `coach --help` starts fast; numpy,
sounddevice and pyttsx3 are imported by the commands that use them.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from coach import __version__
from coach.errors import CoachError, NoOutputDevice

DISCLAIMER = (
    "General information, not medical advice. Go gently; stop if pain spreads down your leg "
    "or gets worse and stays worse."
)


class CoachFailure(click.ClickException):
    """A domain error shown as one line ("Error: ...") with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class CoachGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except CoachError as e:
            if _debug(ctx):
                traceback.print_exc()
            raise CoachFailure(str(e), e.exit_code) from None
        except KeyboardInterrupt:
            click.echo("\nStopped.", err=True)
            ctx.exit(130)
        except Exception as e:  # a bug: one line, and the details behind --debug
            if _debug(ctx):
                raise
            raise CoachFailure(
                f"unexpected {type(e).__name__}: {e}. Run again with --debug for details.", 1
            ) from None


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("debug"))


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coach")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """A voice-guided coach for sciatica exercises, for use lying on the floor.

    General information, not medical advice.
    """
    ctx.obj = {"debug": debug}


def session_options(f):
    options = [
        click.option("--flexion", is_flag=True, help="The flexion routine: for leg pain that eases with knees to chest."),
        click.option("--extension", is_flag=True, help="The extension routine: for leg pain that eases lying on the stomach."),
        click.option("--only", multiple=True, metavar="EXERCISE_ID", help="Only this exercise of the routine (repeatable). See 'coach exercises'."),
        click.option("--hold", type=int, metavar="SECONDS", help="Seconds per hold, within each chosen exercise's range."),
        click.option("--reps", type=int, metavar="N", help="Holds per side for a held exercise, reps per side for a moving one."),
        click.option("--side", type=click.Choice(["left", "right", "both"]), default="both", show_default=True, help="Which leg, for exercises done per side."),
        click.option("--voice", metavar="VOICE", help="A voice id or name from 'coach voices'."),
        click.option("--rate", type=click.IntRange(80, 400), default=150, show_default=True, metavar="WPM", help="Speaking rate, words per minute (80-400)."),
        click.option("--volume", type=click.FloatRange(0.0, 1.0), default=1.0, show_default=True, metavar="0-1", help="Output volume, 0 to 1."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _request(flexion, extension, only, hold, reps, side, voice, rate, volume, **_):
    from coach.session import Request
    from coach.speech import VoiceSettings

    if flexion == extension:
        raise click.UsageError("choose one routine: --flexion or --extension.")
    return Request(
        routine="flexion" if flexion else "extension",
        only=tuple(only),
        hold=hold,
        reps=reps,
        side=side,
        voice=VoiceSettings(voice=voice, rate=rate),
        volume=volume,
    )


@cli.command()
@session_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.wav", help="Write the session to a WAV file instead of playing it.")
def start(output: Path | None, **options) -> None:
    """Start a guided session: speaks, beeps and counts, hands-free."""
    from coach import session as sessions
    from coach import sink
    from coach.script import SAMPLE_RATE

    request = _request(**options)
    player = None
    if output is not None:
        sink.check_writable(output)
    else:
        player = sink.Player(SAMPLE_RATE)
        player.open_in_background()  # the device opens while the session is prepared
    try:
        session = sessions.compose(request)
        renderer = session.renderer()
        if player is not None:
            try:
                player.ready()
            except NoOutputDevice:
                output = sessions.fallback_path(request.routine)
                click.echo(f"No audio output device: saving the session to a file instead: {output}", err=True)
            else:
                click.echo(f"{request.routine.capitalize()} routine, {sessions.clock(session.script.seconds)}. "
                           "Lie down and follow the voice; Ctrl-C stops.")
                click.echo(DISCLAIMER)
                player.play(renderer)
                click.echo("Session complete.")
                return
    finally:
        if player is not None:
            player.close()
    sink.write_wav(renderer, output)
    click.echo(str(output))


@cli.command()
@session_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
def script(as_json: bool, **options) -> None:
    """Print the session script with timestamps; no audio is played."""
    from coach import session as sessions

    s = sessions.compose(_request(**options)).script
    if as_json:
        click.echo(json.dumps(s.to_dict(), indent=1))
        return
    sr = s.sample_rate
    click.echo(f"# {s.routine} routine, {sessions.clock(s.seconds)} ({s.total} samples at {sr} Hz)")
    for e in s.events:
        what = e.text if e.kind == "speech" else e.cue if e.kind == "cue" else f"({e.length / sr:.1f} s)"
        where = " ".join(str(x) for x in (e.exercise, e.side, f"#{e.rep}" if e.rep else None) if x)
        click.echo(f"{e.start / sr:9.3f}  {e.kind:<7}  {what}" + (f"   [{where}]" if where else ""))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the exercises as JSON.")
def exercises(as_json: bool) -> None:
    """List the exercises and their doses."""
    from coach.exercise import catalog
    from coach.routine import routines

    rows = []
    for ex in catalog().values():
        row = {
            "id": ex.id,
            "name": ex.name,
            "position": ex.position,
            "per_side": ex.per_side,
            "routines": [r.id for r in routines().values() if ex.id in r.exercises],
        }
        if ex.held:
            row["hold_seconds"] = {"default": ex.hold.default, "min": ex.hold.min, "max": ex.hold.max}
            row["holds"] = {"default": ex.sets.default, "min": ex.sets.min, "max": ex.sets.max}
        else:
            row["reps"] = {"default": ex.reps.default, "min": ex.reps.min, "max": ex.reps.max}
            row["seconds_per_rep"] = ex.seconds_per_rep
        rows.append(row)
    if as_json:
        click.echo(json.dumps(rows, indent=1))
        return
    for ex, row in zip(catalog().values(), rows):
        side = " each side" if ex.per_side else ""
        if ex.held:
            dose = f"{ex.sets.default} x {ex.hold.default} s{side} (hold {ex.hold} s, {ex.sets} holds)"
        else:
            dose = f"{ex.reps.default} reps{side}, {ex.seconds_per_rep:g} s each ({ex.reps} reps)"
        click.echo(f"{ex.id:<27} {ex.name:<26} on the {ex.position:<8} {dose}  [{', '.join(row['routines'])}]")


@cli.command()
def voices() -> None:
    """List the speech engine's voices."""
    from coach.speech import Engine

    for v in Engine().voices():
        langs = ", ".join(v.languages)
        click.echo(f"{v.id:<28} {v.name}" + (f" ({langs})" if langs else ""))


@cli.command()
def doctor() -> None:
    """Check the speech engine and the audio output, and say what to fix."""
    from coach.doctor import checks

    failed = 0
    for check in checks():
        click.echo(f"{'ok ' if check.ok else 'FAIL'}  {check.what}: {check.detail}")
        failed += not check.ok
    if failed:
        raise CoachError(f"{failed} check{'s' if failed > 1 else ''} failed; see above for the fix.")
    click.echo("All checks passed.")


def main() -> None:
    try:
        cli(prog_name="coach")
    except BrokenPipeError:  # `coach script | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    sys.exit(main())
