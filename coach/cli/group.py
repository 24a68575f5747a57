"""The group every command hangs on, and the one way errors become a line and an exit code.

`coach --help` imports this module and click alone: each command's module is imported when the
command runs or its own help is asked for (Click's lazily loaded subcommands), and the list of
commands is read from COMMANDS (a test holds each line to the command's own help)."""

from __future__ import annotations

import importlib
from typing import NoReturn

import click

from coach.core.errors import CoachError, DoseError, Interrupted, interruptible
from coach.core.text import printable


class CoachFailure(click.ClickException):
    """A domain error shown as one line ("Error: ...") with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(printable(message))
        self.exit_code = exit_code  # type: ignore[misc]  # Click's is a class default, meant to be set per error


# name → (its module in coach/cli, the first paragraph of its help, as `coach --help` lists it)
COMMANDS: dict[str, tuple[str, str]] = {
    "cleared": ("records", "Record that a clinician has seen you, so the coach guides exercise again."),
    "config": ("settings", "Settings you set once: voice, rate, volume, tones, the leg that hurts, check-ins, "
                           "language."),
    "doctor": ("system", "Check the speech engine, the audio output, the microphone and speech recognition, "
                         "and say what to fix."),
    "exercises": ("listing", "List the exercises and their doses."),
    "export": ("session", "Write the session to a file to play on a phone: FILE.mp3, .ogg, .opus, .flac or .wav."),
    "history": ("records", "Show your sessions, tests and pain ratings, newest first."),
    "listen": ("system", 'Check the microphone: says "Say yes", then prints what it heard, its confidence and '
                         "the input level, so you can set the distance and the input volume. With --for, listens for that "
                         "kind of answer (commands: what it listens for while a session plays) and prints a line for "
                         "each stretch of speech. Nothing is recorded."),
    "plan": ("session", "Print a day's plan, little and often: the full session once or twice, short ones between."),
    "report": ("records", "Write a one- or two-page PDF to take to a physiotherapist."),
    "routines": ("listing", "List the built-in routines and your own, with their length."),
    "script": ("session", "Print the session script with timestamps; no audio is played."),
    "sheet": ("session", "Write a one-page PDF of today's routine to keep by the mat: each exercise's picture, "
                         "dose and how to do it."),
    "start": ("session", "Start a guided session: speaks, beeps and counts, hands-free."),
    "test": ("session", "Find the direction that eases your leg pain: the article's test, guided by voice."),
    "voices": ("system", "List the voices: the natural English voice first (when installed), then espeak's."),
}


class CoachGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            importlib.import_module(f"coach.cli.{COMMANDS[name][0]}")  # registers its commands here
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one line, as Click lists them, without importing them."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows: list[tuple[str, str]] = []
        for n in names:
            command = self.commands.get(n) or click.Command(n, help=COMMANDS[n][1])  # its line, shortened as Click does
            rows.append((n, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            with interruptible():  # every command: a file render stops and cleans up as a session does
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except BaseException as e:
            stop = _asked_to_stop(e)
            if stop is not None:  # Ctrl-C, SIGTERM or SIGHUP, even when cleaning up after it failed
                if stop is not e:
                    _trace(ctx, e)
                _echo_quietly("\nStopped.")
                ctx.exit(130 if isinstance(stop, KeyboardInterrupt) else 128 + stop.signum)
            if not isinstance(e, Exception):
                raise
            _fail(ctx, e)


def _fail(ctx: click.Context, e: Exception) -> NoReturn:
    """A domain error as its one line and exit code; anything else as a bug, its details behind
    --debug."""
    if isinstance(e, CoachError):
        _trace(ctx, e)
        if getattr(e, "plain", False):  # a stop for safety: its advice is said; no "Error:"
            _echo_quietly(str(e))
            ctx.exit(e.exit_code)
        raise CoachFailure(worded(e), e.exit_code) from None
    if _debug(ctx):
        raise e
    raise CoachFailure(f"unexpected {type(e).__name__}: {e}. Run again with --debug for details.", 1) from None


def _trace(ctx: click.Context, e: BaseException) -> None:
    """With --debug, the traceback behind the one line."""
    if _debug(ctx):
        import traceback

        traceback.print_exception(e)


def _asked_to_stop(e: BaseException) -> KeyboardInterrupt | Interrupted | None:
    """The Ctrl-C, SIGTERM or SIGHUP (the terminal may be gone) behind `e`: `e` itself, or the stop
    an error was raised while handling (a child that had the same Ctrl-C, a device that failed as
    it closed). The person asked the coach to stop; that is what the exit code says."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, (KeyboardInterrupt, Interrupted)):
            return e
        seen.add(id(e))
        e = e.__context__  # type: ignore[assignment]
    return None


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
    "phone_address": "choose another with --phone-address (127.0.0.1 for this computer alone)",
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


SETTING_COMMANDS = ("start", "export", "script", "sheet", "test", "routines", "plan")


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


