"""The group every command hangs on, the one way errors become a line and an exit code, and the
options the session commands share.

Imports here stay light (click and the standard library) so `coach --help` starts fast; numpy,
sounddevice and pyttsx3 are imported by the commands that use them."""

from __future__ import annotations

import contextlib
import math
import sys
import traceback
from typing import Any

import click

from coach.core.errors import CoachError, DoseError, InputError, Interrupted, interruptible
from coach.core.text import printable
from coach.storage import config
from coach.storage.config import SETTINGS, Setting


class CoachFailure(click.ClickException):
    """A domain error shown as one line ("Error: ...") with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(printable(message))
        self.exit_code = exit_code  # type: ignore[misc]  # Click's is a class default, meant to be set per error


class CoachGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            with interruptible():  # every command: a file render stops and cleans up as a session does
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except CoachError as e:
            if _debug(ctx):
                traceback.print_exc()
            if getattr(e, "plain", False):  # a stop for safety: its advice is said; no "Error:"
                _echo_quietly(str(e))
                ctx.exit(e.exit_code)
            raise CoachFailure(worded(e), e.exit_code) from None
        except KeyboardInterrupt:
            _echo_quietly("\nStopped.")
            ctx.exit(130)
        except Interrupted as e:  # SIGTERM, or SIGHUP: the terminal may be gone
            _echo_quietly("\nStopped.")
            ctx.exit(128 + e.signum)
        except Exception as e:  # a bug: one line, and the details behind --debug
            if _debug(ctx):
                raise
            raise CoachFailure(
                f"unexpected {type(e).__name__}: {e}. Run again with --debug for details.", 1
            ) from None


WAYS = {  # what the person can do about an error (coach/core/errors.py WAYS), in flags and commands
    "voices": "see 'coach voices' for the voices installed",
    "doctor": "see 'coach doctor'",
    "split": "write it in parts with --split FOLDER",
    "fewer": "choose fewer exercises with --only",
    "shorter": "make the routine shorter",
    "other-folder": "choose another folder",
    "force": "add --force to replace them",
    "test-first": "run 'coach test' first to find the direction that eases your leg pain",
    "test-again": "repeat 'coach test' on another day",
    "rest": "rest today, and repeat 'coach test' on another day",
    "flexion": "choose --flexion",
    "extension": "choose --extension",
    "faster": "choose a faster --rate",
    "routines": "see 'coach routines' for the routines",
    "toml": "give a file ending in .toml",
}


def worded(e: CoachError) -> str:
    """An error's line for the person at the command line: a dose error names the flag to change,
    and what can be done about any error is said in flags and commands."""
    line = _dose(e) if isinstance(e, DoseError) else str(e)
    ways = [WAYS[w] for w in e.ways]
    if ways[1:] and ways[-1].startswith("choose --") and ways[-2].startswith("choose --"):  # one choice of two flags
        ways[-2:] = [f"{ways[-2]} or {ways[-1].removeprefix('choose ')}"]
    if not ways:
        return line
    said = ", or ".join(ways)
    return f"{line} {said[:1].upper()}{said[1:]}."


def _dose(e: DoseError) -> str:
    v, ex, allowed = e.value, e.exercise, e.allowed
    if e.asked == "short":
        return f"--short goes with --flexion, --extension, or the direction your tests found, not with the routine {v}."
    if e.asked == "only":
        if e.why == "unknown":
            return f"unknown exercise '{v}'. Known: {allowed} (see 'coach exercises')."
        return f"'{v}' is not part of the {ex} routine, whose exercises are: {allowed}."
    if e.asked == "hold" and e.why == "not-held":
        return f"--hold applies to held exercises, and none is chosen ({allowed} go by reps): use --reps instead."
    if e.asked == "hold" and not ex:
        return f"--hold {v} is outside the test's range of {allowed} seconds (the article's)."
    if e.asked == "hold":
        return f"--hold {v} is outside {ex}'s range of {allowed} seconds: choose a hold in range, or pick exercises with --only."
    if e.asked == "reps":
        return f"--reps {v} is outside {ex}'s range of {allowed}: choose a number in range, or pick exercises with --only."
    if e.asked == "side":
        return f"--side must be {allowed}, not '{v}'."
    return f"the leg to start with must be {allowed}, not '{v}'."


def echo(message: str = "", err: bool = False) -> None:
    """Every line the CLI prints: text that came from a file cannot steer the terminal."""
    click.echo(printable(message), err=err)


def _echo_quietly(message: str) -> None:
    try:
        echo(message, err=True)
    except OSError:  # the terminal closed
        pass


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("debug"))


SETTING_COMMANDS = ("start", "export", "script", "test", "routines", "plan")


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coach", prog_name="coach")  # read only when asked
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """A voice-guided coach for sciatica exercises, for use lying on the floor.

    General information, not medical advice. Settings a person sets once (voice, rate, volume,
    the leg that hurts, language...) go in a config file: see 'coach config'.
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is not None:
        from coach.storage import paths

        paths.check_home()
    if ctx.invoked_subcommand in SETTING_COMMANDS:  # the file's values become the command's defaults
        from coach.storage import config

        ctx.default_map = {ctx.invoked_subcommand: config.load()}


class Number(click.FloatRange):
    """A number in a closed range, and finite: nan and inf compare false with every bound, so
    Click's own range lets them through."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number from {self.min:g} to {self.max:g}.", param, ctx)
        return number


class Checked(click.ParamType):
    """A setting whose values only its own type checks (times of day, a span of the day)."""

    def __init__(self, setting: Setting):
        self.setting = setting
        self.name = setting.key.split("_")[-1]

    def convert(self, value, param, ctx):
        try:
            return self.setting.type.check(value)
        except ValueError:
            self.fail(f"{value!r} is not {self.setting.expected}.", param, ctx)


def click_type(s: Setting) -> click.ParamType:
    """The flag's type for a setting's value type (coach/storage/config.py knows no Click)."""
    t = s.type
    if isinstance(t, config.Range) and t.python is int:
        return click.IntRange(int(t.min), int(t.max))
    if isinstance(t, config.Range):
        return Number(t.min, t.max)
    if isinstance(t, config.OneOf):
        return click.Choice(list(t.choices))
    if isinstance(t, config.Text):
        return click.STRING
    return Checked(s)


def setting_options(*keys: str):
    """Flags for settings of the config file (coach/storage/config.py): each also read from COACH_<KEY>."""

    def decorate(f):
        for key in reversed(keys):
            s = SETTINGS[key]
            if s.kind is bool:
                f = click.option(s.option, s.key, default=s.default, envvar=s.env, show_envvar=True, help=s.help)(f)
            else:
                f = click.option(s.option, s.key, type=click_type(s), default=s.default, envvar=s.env, show_envvar=True,
                                 show_default=s.default is not None, help=s.help,
                                 metavar=None if isinstance(s.type, config.OneOf) else s.key.split("_")[-1].upper())(f)
        return f

    return decorate


SOUND = ("voice", "rate", "volume", "cue_volume", "cue_pitch", "lang")


def session_options(f):
    options = [
        click.option("--flexion", is_flag=True, help="The flexion routine: for leg pain that eases with knees to chest."),
        click.option("--extension", is_flag=True, help="The extension routine: for leg pain that eases lying on the stomach."),
        click.option("--routine", "routine_spec", metavar="NAME|FILE",
                     help="A routine by name (see 'coach routines') or a routine file (.toml)."),
        click.option("--short", is_flag=True,
                     help="The short routine of the direction: its direction exercise alone, a few minutes, "
                          "for between full sessions (see 'coach plan')."),
        click.option("--only", multiple=True, metavar="EXERCISE_ID",
                     help="Only this exercise of the routine (repeatable). See 'coach exercises'."),
        click.option("--hold", type=int, metavar="SECONDS", help="Seconds per hold, within each chosen exercise's range."),
        click.option("--reps", type=int, metavar="N", help="Holds per side for a held exercise, reps per side for a moving one."),
        click.option("--side", type=click.Choice(["left", "right", "both"]), default="both", show_default=True,
                     help="Which leg, for exercises done per side (this session only; see --leg)."),
    ]
    f = setting_options(*SOUND, "leg", "leg_only")(f)
    for option in reversed(options):
        f = option(f)
    return f


def sound(voice: str | None, rate: int, lang: str, volume: float = 1.0, cue_volume: float = 1.0,
          cue_pitch: float = 1.0, **_: Any):
    """The catalog of the language chosen, the voice settings in it, and the tone of the cues.
    English is spoken by the natural voice when it is installed, any other language by espeak."""
    from coach.audio import natural
    from coach.audio.speech import VoiceSettings
    from coach.core.cue import Tone
    from coach.core.words import catalog

    words = catalog(lang)
    voice = voice or words.voice or (natural.VOICE if words.lang == natural.LANG and natural.installed() else None)
    return words, VoiceSettings(voice=voice, rate=rate), Tone(cue_volume, cue_pitch)


def request(flexion: bool, extension: bool, routine_spec: str | None, only: tuple[str, ...], hold: int | None,
            reps: int | None, side: str, volume: float, leg: str | None, leg_only: bool, short: bool = False,
            **settings: Any):
    """The session the options ask for; the routine from a flag or from the recorded tests."""
    from coach.app import choice
    from coach.app.session import Request

    words, voice, tone = sound(**settings)
    if flexion + extension + (routine_spec is not None) > 1:
        raise click.UsageError("choose one routine: --flexion, --extension or --routine.")
    if short and routine_spec is not None:
        raise click.UsageError("--short goes with --flexion or --extension (or the direction your tests found), "
                               "not with --routine.")
    if leg_only and side == "both":
        if leg is None:
            raise InputError("--leg-only needs the leg that hurts: set it with --leg left or right "
                             "(or 'coach config set leg left').")
        side = leg
    routine, why = choice.routine(flexion, extension, routine_spec, words)
    if why:
        echo(words.printed.using.format(direction=words.directions[routine], why=why), err=True)
    if short:
        routine = choice.short(routine, words)
    return Request(routine=routine, only=tuple(only), hold=hold, reps=reps, side=side, voice=voice,
                   volume=volume, first=leg, tone=tone, words=words)


@contextlib.contextmanager
def progress(total: int, label: str):
    """A progress bar on a terminal (stderr), for work that takes seconds; nothing elsewhere."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_percent=True,
                           show_eta=True, width=30) as bar:
        yield bar.update
