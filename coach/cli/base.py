"""The options the session commands share, and how a setting becomes an option; the group every
command hangs on and the wording of errors are in coach/cli/group.py, re-exported here.

Imports here stay light (click and the standard library) so a command starts fast; numpy,
sounddevice and pyttsx3 are imported by the commands that use them."""

from __future__ import annotations

import contextlib
import math
import sys
from typing import Any

import click

from coach.cli.group import COMMANDS, SETTING_COMMANDS, WAYS, CoachFailure, cli, echo, worded  # noqa: F401
from coach.core.errors import InputError
from coach.storage import config
from coach.storage.config import SETTINGS, Setting


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
    from coach.audio.speech import VoiceSettings
    from coach.audio.synthesizer import default_voice
    from coach.core.cue import Tone
    from coach.core.words import catalog

    words = catalog(lang)
    voice = voice or default_voice(words.lang, words.voice)
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
