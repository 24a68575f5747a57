"""The command line: parse, call the library, turn domain errors into one line and an exit code.

Imports here stay light (click and the standard library) so `coach --help` starts fast; numpy,
sounddevice and pyttsx3 are imported by the commands that use them.
"""

from __future__ import annotations

import contextlib
import json
import sys
import traceback
from pathlib import Path

import click

from coach import __version__
from coach.config import SETTINGS
from coach.errors import CoachError, Declined, InputError, Interrupted, NoOutputDevice, interruptible
from coach.preference import DIRECTIONS  # pure and light: no numpy, no engine
from coach.text import printable

class CoachFailure(click.ClickException):
    """A domain error shown as one line ("Error: ...") with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(printable(message))
        self.exit_code = exit_code


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
            raise CoachFailure(str(e), e.exit_code) from None
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


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coach")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """A voice-guided coach for sciatica exercises, for use lying on the floor.

    General information, not medical advice. Settings a person sets once (voice, rate, volume,
    the leg that hurts, language...) go in a config file: see 'coach config'.
    """
    ctx.obj = {"debug": debug}
    if ctx.invoked_subcommand is not None:
        from coach import paths

        paths.check_home()
    if ctx.invoked_subcommand in SETTING_COMMANDS:  # the file's values become the command's defaults
        from coach import config

        ctx.default_map = {ctx.invoked_subcommand: config.load()}


SETTING_COMMANDS = ("start", "export", "script", "test")


def setting_options(*keys: str):
    """Flags for settings of the config file (coach/config.py): each also read from COACH_<KEY>."""

    def decorate(f):
        for key in reversed(keys):
            s = SETTINGS[key]
            if s.type is bool:
                f = click.option(s.option, s.key, default=s.default, envvar=s.env, show_envvar=True, help=s.help)(f)
            else:
                f = click.option(s.option, s.key, type=s.type, default=s.default, envvar=s.env, show_envvar=True,
                                 show_default=s.default is not None, help=s.help,
                                 metavar=None if isinstance(s.type, click.Choice) else s.key.split("_")[-1].upper())(f)
        return f

    return decorate


SOUND = ("voice", "rate", "volume", "cue_volume", "cue_pitch", "lang")


def session_options(f):
    options = [
        click.option("--flexion", is_flag=True, help="The flexion routine: for leg pain that eases with knees to chest."),
        click.option("--extension", is_flag=True, help="The extension routine: for leg pain that eases lying on the stomach."),
        click.option("--routine", "routine_spec", metavar="NAME|FILE", help="A routine by name (see 'coach routines') or a routine file (.toml)."),
        click.option("--only", multiple=True, metavar="EXERCISE_ID", help="Only this exercise of the routine (repeatable). See 'coach exercises'."),
        click.option("--hold", type=int, metavar="SECONDS", help="Seconds per hold, within each chosen exercise's range."),
        click.option("--reps", type=int, metavar="N", help="Holds per side for a held exercise, reps per side for a moving one."),
        click.option("--side", type=click.Choice(["left", "right", "both"]), default="both", show_default=True, help="Which leg, for exercises done per side (this session only; see --leg)."),
    ]
    f = setting_options(*SOUND, "leg", "leg_only")(f)
    for option in reversed(options):
        f = option(f)
    return f


def _routine(flexion: bool, extension: bool, spec: str | None) -> tuple[str, str | None]:
    """The routine a flag chose, or the one the recorded tests point to, and why."""
    if flexion + extension + (spec is not None) > 1:
        raise click.UsageError("choose one routine: --flexion, --extension or --routine.")
    if spec is not None:
        return spec, None
    if flexion or extension:
        return ("flexion" if flexion else "extension"), None
    from coach.history import History
    from coach.words import words

    with History.open(write=False) as history:
        rec = _recommendation(history)
    if rec.direction in DIRECTIONS:
        return rec.direction, "; ".join(rec.reasons)
    bars = "".join(f" {b.text(words())}" for b in rec.barred)
    raise InputError(
        f"no direction to follow yet ({rec.reasons[0]}).{bars} Run 'coach test' first to find the direction "
        "that eases your leg pain, or choose --flexion or --extension."
    )


def _voice(voice, rate, lang):
    """The voice settings, in the language chosen (which every phrase comes from from now on)."""
    from coach.speech import VoiceSettings
    from coach.words import use, words

    use(lang)
    return VoiceSettings(voice=voice or words().raw.get("voice"), rate=rate)


def _request(flexion, extension, routine_spec, only, hold, reps, side, voice, rate, volume, cue_volume,
             cue_pitch, leg, leg_only, lang, **_):
    from coach.cue import Tone
    from coach.session import Request

    voice_settings = _voice(voice, rate, lang)
    if leg_only and side == "both":
        if leg is None:
            raise InputError("--leg-only needs the leg that hurts: set it with --leg left or right "
                             "(or 'coach config set leg left').")
        side = leg
    routine, why = _routine(flexion, extension, routine_spec)
    if why:
        from coach.words import words

        echo(words().printed["using"].format(direction=words().directions[routine], why=why), err=True)
    return Request(
        routine=routine,
        only=tuple(only),
        hold=hold,
        reps=reps,
        side=side,
        voice=voice_settings,
        volume=volume,
        first=leg,
        tone=Tone(cue_volume, cue_pitch),
    )


@cli.command()
@session_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Write the session to a file instead of playing it (.wav, .mp3, .ogg, .opus, .flac; see 'coach export').")
@setting_options("check_ins")
@click.option("--no-ratings", is_flag=True, help="Skip the pain questions before and after the session.")
@click.option("--plain", is_flag=True, help="Print one line per spoken phrase and tone instead of the full-screen view (for screen readers and logs).")
def start(output: Path | None, check_ins: bool, no_ratings: bool, plain: bool, **options) -> None:
    """Start a guided session: speaks, beeps and counts, hands-free.

    With no --flexion or --extension, the direction your tests found ('coach test') is used.
    Before the first session of each day the coach asks the safety questions: answer each
    with one key (y or n), or one line each when the answers are piped in.

    A direction that made your pain worse in the last 14 days is never chosen for you; with
    its flag, the coach says why it is barred and asks you to confirm. During the session,
    w means "the pain is spreading": the coach stops at once.

    \b
    Exit codes: 0 done (or a barred direction declined); 1 the machine failed;
    2 bad input, or no answer; 3 a safety question was answered yes (or an
    emergency answer not yet cleared); 4 stopped because the pain got worse,
    or the pain was worse after the session than before;
    130 Ctrl-C, 143 stopped (SIGTERM), 129 the terminal closed.
    """
    from coach import evidence, live, paths, screening
    from coach import session as sessions
    from coach import sink
    from coach.answers import from_stdin
    from coach.history import History
    from coach.script import SAMPLE_RATE
    from coach.speech import Clips
    from coach.words import words

    request = _request(**options)
    checked = sessions.check(request)  # bad options fail before anything is opened or asked
    routine = checked[0]
    player = None
    if output is None:
        player = sink.Player(SAMPLE_RATE)
        player.open_in_background()  # the device opens while the rest starts up
    history = History.open()
    try:
        if history.notice:
            echo(history.notice, err=True)
        screening.refuse_if_stopped(history, _print)
        rec = _recommendation(history)  # once: the bar below, and what to avoid
        bar = _bar(rec, routine.id)
        if player is None:
            assert output is not None
            _export(request, output, checked=checked, bar=bar)
            return
        try:
            player.ready()
        except NoOutputDevice:
            output = sessions.fallback_path(routine.id)
            echo(f"No audio output device: saving the session to a file instead: {output}", err=True)
            _export(request, output, checked=checked, bar=bar)
            return
        answers = from_stdin()
        clips = Clips(request.voice, paths.cache_dir(), SAMPLE_RATE)
        guide = _guide(player, clips, answers, request.volume, request.tone)

        def prepare():
            """The session, built after the first questions: they need none of it."""
            session = sessions.compose(request, clips=clips, checked=checked)
            printed = words().printed
            echo(printed["start"].format(routine=routine.name, length=sessions.clock(session.script.seconds)))
            echo(printed["disclaimer"])
            if not (options["flexion"] or options["extension"] or options["routine_spec"]):
                guide.speak(words().preferred.format(direction=words().directions[request.routine]))
                for other in rec.barred:
                    guide.say(other.text(words()))
            return session

        def show(session, keys: bool):
            from coach import view

            return view.choose(session.script, echo, plain=plain, keys=keys, volume=lambda: player.gain,
                               title=f"coach · {routine.name}", names=session.routine.names)

        with answers.session():
            screening.daily(guide, history)
            for notice in evidence.notices(history):  # when to get seen, before anything else
                guide.say(notice.text(words()))
            confirmation = _confirm(guide, history, bar) if bar is not None else None
            live.run(guide, history, routine.id, prepare, _options(request, check_ins, no_ratings),
                     check_ins, not no_ratings, show, direction=routine.id if routine.id in DIRECTIONS else None,
                     confirmation=confirmation)
        echo(words().printed["complete"])
    finally:
        if player is not None:
            player.close()
        history.close()


def _print(*lines: str) -> None:
    for line in lines:
        echo(line)


def _bar(rec, routine: str):
    """Why the routine's direction is barred by the recommendation `rec`, or None."""
    return rec.bar(routine) if routine in DIRECTIONS else None


def _recommendation(history):
    from coach import evidence
    from coach.words import words

    return evidence.recommendation(history, words())


def _confirm(guide, history, bar) -> int:
    """A barred direction chosen by its flag: say why, ask to confirm, record the answer; a no
    ends the command here (exit 0: the person's choice)."""
    from coach.answers import Question
    from coach.words import words

    w = words()
    direction = w.directions[bar.direction]
    why = bar.text(w)
    guide.say(why)
    answer = guide.ask(Question("barred", w.barred_confirm.format(direction=direction), "yes-no"))
    cid = history.record_confirmation(bar.direction, why, answer)
    if answer != "yes":
        guide.say(w.barred_declined)
        raise Declined(w.printed["declined"].format(direction=direction))
    return cid


def _export(request, output: Path | None, split: Path | None = None, fmt: str = "mp3", checked=None,
            bar=None) -> None:
    """The session as a file (its format from its name), or one file per part into `split`.

    A file cannot ask the safety questions, so it opens with them spoken, and with the day it was
    made. A barred direction (`bar`) is warned of, printed and at the file's start."""
    from coach import export
    from coach import session as sessions
    from coach.words import words

    chosen = export.named(fmt) if split is not None else export.check_writable(output)  # type: ignore[arg-type]
    if split is not None:
        export.check_folder(split.parent, split)
    preamble = _file_preamble(bar)
    checked = checked or sessions.check(request)
    if split is None:  # what the file can hold is known before any speech is made or encoded
        export.check_chapters(chosen, export.chapters(sessions.outline(*checked, preamble), checked[0].names, words()))
    if bar is not None:
        echo(" ".join(preamble[:2]), err=True)
    session = sessions.compose(request, preamble, checked=checked)
    script, w = session.script, words()
    names, name = session.routine.names, session.routine.name
    album = w.file["album"].format(routine=name)
    with _progress(script.total) as progress:
        if split is None:
            assert output is not None
            tags = export.Tags(title=w.file["title"].format(routine=name, length=sessions.clock(script.seconds)),
                               album=album, comment=w.file["comment"])
            export.write(session.renderer(), output, tags, export.chapters(script, names, w), progress)
            written = [output]
        else:
            parts = export.chapters(script, names, w, by_side=False)
            written = export.write_split(session.renderer(), split, chosen, album, parts,
                                         export.chapters(script, names, w), name, progress)
    for path in written:
        echo(str(path))


def _file_preamble(bar) -> tuple[str, ...]:
    """What a file opens with: a barred direction's warning, then the safety opening with the day."""
    import datetime as dt

    from coach.screening import screening
    from coach.words import words

    warning = (bar.text(words()), words().barred_file) if bar is not None else ()
    return (*warning, *screening().recording_preamble(dt.date.today()))


@contextlib.contextmanager
def _progress(total: int):
    """A progress bar on a terminal (stderr), for a render that takes seconds; nothing elsewhere."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="Rendering", file=sys.stderr, show_percent=True,
                           show_eta=True, width=30) as bar:
        yield bar.update


def _guide(player, clips, answers, volume, tone):
    from coach.guide import Guide

    return Guide(player, clips, answers, echo, volume, tone)


def _options(request, check_in: bool, no_ratings: bool) -> dict:
    from coach.words import language

    return {
        "only": list(request.only), "hold": request.hold, "reps": request.reps, "side": request.side,
        "voice": request.voice.voice, "rate": request.voice.rate, "volume": request.volume,
        "check_in": check_in, "ratings": not no_ratings, "leg": request.first, "lang": language(),
        "cue_volume": request.tone.volume, "cue_pitch": request.tone.pitch,
    }


@cli.command()
@session_options
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE")
@click.option("--split", type=click.Path(file_okay=False, path_type=Path), metavar="DIR", help="Write one numbered file per part of the session into DIR, with an .m3u playlist.")
@click.option("--format", "fmt", type=click.Choice(["mp3", "ogg", "opus", "flac", "wav"]), metavar="FORMAT", help="With --split: the files' format, mp3 (default), ogg, opus, flac or wav.")
def export(output: Path | None, split: Path | None, fmt: str | None, **options) -> None:
    """Write the session to a file to play on a phone: FILE.mp3, .ogg, .opus, .flac or .wav.

    The format is chosen by FILE's extension. The file is tagged with the routine's name and has
    one chapter per exercise and side, which a podcast player shows and can skip to. The file
    opens with the safety questions, spoken, since a recording cannot ask them.
    """
    from coach import screening
    from coach.history import History

    if (output is None) == (split is None):
        raise click.UsageError("give a FILE to write, or --split DIR, but not both.")
    if fmt is not None and split is None:
        raise click.UsageError("--format goes with --split; a FILE's format comes from its extension.")
    request = _request(**options)
    with History.open(write=False) as history:
        if history.notice:
            echo(history.notice, err=True)
        screening.refuse_if_stopped(history, _print)
        bar = _bar(_recommendation(history), request.routine)
    _export(request, output, split, fmt or "mp3", bar=bar)


@cli.command("test")
@click.option("--hold", type=int, default=30, show_default=True, metavar="SECONDS", help="Seconds to hold each test position (30-60).")
@setting_options("settle", *SOUND)
def test_command(hold: int, settle: int, voice: str | None, rate: int, volume: float, cue_volume: float,
                 cue_pitch: float, lang: str) -> None:
    """Find the direction that eases your leg pain: the article's test, guided by voice.

    Knees to chest first; if that does not ease the leg pain, lying on the stomach, then
    propped on the elbows. You rate your pain before and after each position; after one that
    stirred it up, you rest (--settle minutes) and are asked again. The result (flexion,
    extension or unclear) is kept, and 'coach start' follows it. Several tests, on different
    days, give a surer answer. Exit codes as for 'coach start'.
    """
    from coach import paths, screening, trial
    from coach import sink
    from coach.answers import from_stdin
    from coach.history import History
    from coach.script import SAMPLE_RATE
    from coach.cue import Tone
    from coach.speech import Clips
    from coach.words import words

    settings = _voice(voice, rate, lang)
    trial.check_hold(hold)
    history = History.open()
    player = sink.Player(SAMPLE_RATE)
    player.open_in_background()
    try:
        if history.notice:
            echo(history.notice, err=True)
        clips = Clips(settings, paths.cache_dir(), SAMPLE_RATE)
        try:
            player.ready()
        except NoOutputDevice as e:
            raise CoachError(f"{e} The test is guided by voice and needs one: see 'coach doctor'.") from None
        answers = from_stdin()
        guide = _guide(player, clips, answers, volume, Tone(cue_volume, cue_pitch))
        with answers.session():
            echo(words().printed["disclaimer"])
            screening.refuse_if_stopped(history, guide.say)
            screening.screen(guide, history, "test")
            trial.run(guide, history, hold, settle)
    finally:
        player.close()
        history.close()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print everything recorded, as JSON.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR", help="Write everything recorded as CSV files, one per table, into DIR.")
@click.option("--trend", is_flag=True, help="Chart leg pain and how far down it reaches, by day.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.png", help="Write the trend chart as a PNG image.")
def history(as_json: bool, csv_dir: Path | None, trend: bool, png: Path | None) -> None:
    """Show your sessions, tests and pain ratings."""
    from coach.history import History

    with History.open(write=False) as h:
        if h.notice:
            echo(h.notice, err=True)
        if as_json:
            echo(json.dumps(h.export(), indent=1))
        elif csv_dir is not None:
            from coach import report

            for path in report.write_csv(h, csv_dir):
                echo(str(path))
        elif trend or png is not None:
            from coach import trend as trends

            t = trends.trend(h.leg_ratings())
            if png is not None:
                report_png(t, png)
            else:
                import shutil

                echo(trends.text(t, shutil.get_terminal_size().columns))
        else:
            from coach import evidence, report
            from coach.words import words

            echo(report.table(h))
            notices = evidence.notices(h)
            if notices:
                echo("\nWhen to get seen:")
                for notice in notices:
                    echo(f"  - {notice.text(words())}")


@cli.command()
@click.argument("kind", type=click.Choice(["emergency", "cancer"]))
def cleared(kind: str) -> None:
    """Record that a clinician has seen you, so the coach guides exercise again.

    \b
    emergency  a clinician has seen you since a safety answer that needed
               emergency care (saddle numbness, bladder or bowel, both legs)
    cancer     a doctor has checked this back pain, given a history of cancer:
               that safety question is not asked again

    Recorded with today's date. The other safety questions are still asked.
    """
    from coach.history import History, today

    with History.open() as h:
        if h.notice:
            echo(h.notice, err=True)
        if kind == "emergency" and h.emergency_block() is None:
            echo("No emergency-level safety answer is waiting to be cleared; nothing was recorded.")
            return
        h.record_clearance(kind)
    what = {"emergency": "a clinician has seen you since the emergency-level safety answer",
            "cancer": "a doctor has checked this back pain; the cancer question is not asked again"}[kind]
    echo(f"Recorded on {today()}: {what}. The other safety questions are still asked before sessions.")


def report_png(t, path: Path) -> None:
    from coach import trend as trends

    if path.suffix.lower() != ".png":
        raise InputError(f"cannot write {path}: give a file name ending in .png.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    if t.empty:
        raise InputError("no pain ratings yet, so there is no chart to draw.")
    try:
        trends.png(t, path)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}.") from e
    echo(str(path))


@cli.command()
@session_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
@click.option("--recording", is_flag=True, help="The script of a file written with --output, which opens with the safety questions.")
def script(as_json: bool, recording: bool, **options) -> None:
    """Print the session script with timestamps; no audio is played."""
    from coach import session as sessions
    from coach.history import History

    request = _request(**options)
    preamble: tuple[str, ...] = ()
    if recording:
        with History.open(write=False) as history:
            preamble = _file_preamble(_bar(_recommendation(history), request.routine))
    s = sessions.compose(request, preamble).script
    if as_json:
        echo(json.dumps(s.to_dict(), indent=1))
        return
    sr = s.sample_rate
    echo(f"# {s.routine} routine, {sessions.clock(s.seconds)} ({s.total} samples at {sr} Hz)")
    for e in s.events:
        what = e.text if e.kind == "speech" else e.cue if e.kind == "cue" else f"({e.length / sr:.1f} s)"
        where = " ".join(str(x) for x in (e.exercise, e.side, f"#{e.rep}" if e.rep else None) if x)
        echo(f"{e.start / sr:9.3f}  {e.kind:<7}  {what}" + (f"   [{where}]" if where else ""))


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
        echo(json.dumps(rows, indent=1))
        return
    for ex, row in zip(catalog().values(), rows):
        side = " each side" if ex.per_side else ""
        if ex.held:
            dose = f"{ex.sets.default} x {ex.hold.default} s{side} (hold {ex.hold} s, {ex.sets} holds)"
        else:
            dose = f"{ex.reps.default} reps{side}, {ex.seconds_per_rep:g} s each ({ex.reps} reps)"
        echo(f"{ex.id:<27} {ex.name:<26} on the {ex.position:<8} {dose}  [{', '.join(row['routines'])}]")


@cli.group(invoke_without_command=True)
@click.pass_context
def routines(ctx: click.Context) -> None:
    """List the built-in routines and your own, with their length.

    Your own routines are TOML files in your routines folder, found by name with
    'coach start --routine NAME'. 'coach routines new NAME' starts one.
    """
    if ctx.invoked_subcommand is not None:
        return
    from coach import routine as routine_files
    from coach import session as sessions

    rows = []
    for name, path in [*((n, None) for n in routine_files.routines()), *routine_files.user_routines().items()]:
        try:
            s = sessions.compose(sessions.Request(routine=str(path) if path else name))
            rows.append((name, s.routine.name, sessions.clock(s.script.seconds), str(path) if path else "built-in"))
        except InputError as e:
            problems = len(getattr(e, "problems", [])) or 1
            rows.append((name, f"({problems} problem{'s' if problems > 1 else ''}: see 'coach script --routine {name}')",
                         "-", str(path)))
    width = max(len(r[0]) for r in rows)
    title = max(len(r[1]) for r in rows)
    for r in rows:
        echo(f"{r[0]:<{width}}  {r[1]:<{title}}  {r[2]:>7}  {r[3]}")
    echo(f"\nYour routines folder: {routine_files.user_dir()}")


@routines.command("new")
@click.argument("name")
def routines_new(name: str) -> None:
    """Write a commented routine file to start from, in your routines folder."""
    from coach import data
    from coach.atomic import atomic_write
    from coach.routine import NAME, user_dir

    if not NAME.match(name):
        raise InputError(f"'{name}' cannot be a routine name: use lowercase letters, digits and hyphens "
                         "(like my-morning), at most 40.")
    path = user_dir() / f"{name}.toml"
    if path.exists():
        raise InputError(f"{path} already exists: edit it, or choose another name.")
    text = data.text("routine-template.toml").replace("{id}", name).replace("{name}", name.replace("-", " ").capitalize())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:
            f.write(text.encode("utf-8"))
    except OSError as e:
        raise CoachError(f"cannot write {path}: {e.strerror or e}.") from e
    echo(str(path))


@cli.group(name="config")
@click.pass_context
def config_group(ctx: click.Context) -> None:
    """Settings you set once: voice, rate, volume, tones, the leg that hurts, check-ins, language.

    They live in a TOML file in your config folder. A setting's environment variable
    (COACH_RATE, ...) wins over the file, and a flag (--rate) wins over both.
    """
    from coach import config

    if ctx.invoked_subcommand == "show":
        ctx.default_map = {"show": config.load()}


@config_group.command("show")
@setting_options(*SETTINGS)
@click.pass_context
def config_show(ctx: click.Context, **values) -> None:
    """Print the settings in effect, and where each comes from (default, file, environment, flag).

    Give flags as for 'coach start' to see what a command line would use."""
    from click.core import ParameterSource

    from coach import config

    where = {
        ParameterSource.DEFAULT: lambda s: "default",
        ParameterSource.DEFAULT_MAP: lambda s: f"file ({config.file()})",
        ParameterSource.ENVIRONMENT: lambda s: f"environment ({s.env})",
        ParameterSource.COMMANDLINE: lambda s: f"flag ({s.option.split('/')[0] if values[s.key] else '--' + s.option.split('/--')[-1]})",
    }
    width = max(map(len, config.SETTINGS))
    for key, s in config.SETTINGS.items():
        value = values[key]
        shown = "(not set)" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        source = ctx.get_parameter_source(key)
        echo(f"{key:<{width}}  {shown:<12}  {where.get(source, lambda s: 'default')(s)}")


@config_group.command("set", context_settings={"ignore_unknown_options": True})  # "-0.5" is a value
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Check VALUE for the setting KEY and write it to the config file."""
    from coach import config

    path = config.write(key, config.parse(key, value))
    echo(f"{key} = {value} in {path}")


@config_group.command("unset")
@click.argument("key")
def config_unset(key: str) -> None:
    """Remove the setting KEY from the config file: its default applies again."""
    from coach import config

    if key not in config.SETTINGS:
        raise InputError(f"unknown setting '{key}': expected one of {', '.join(config.SETTINGS)}.")
    echo(f"{key} removed from {config.write(key, None)}")


@cli.command()
def voices() -> None:
    """List the speech engine's voices."""
    from coach.speech import Engine

    for v in Engine().voices():
        langs = ", ".join(v.languages)
        echo(f"{v.id:<28} {v.name}" + (f" ({langs})" if langs else ""))


@cli.command()
def doctor() -> None:
    """Check the speech engine and the audio output, and say what to fix."""
    from coach.doctor import checks

    failed = 0
    for check in checks():
        echo(f"{'ok ' if check.ok else 'FAIL'}  {check.what}: {check.detail}")
        failed += not check.ok
    if failed:
        raise CoachError(f"{failed} check{'s' if failed > 1 else ''} failed; see above for the fix.")
    echo("All checks passed.")


def _quiet_native_stderr() -> None:
    """Keep what C libraries print straight to file descriptor 2 (PortAudio's "Expression ...
    failed" when the sound server goes, ALSA's and espeak's own lines) off the person's screen:
    fd 2 goes to /dev/null for the life of the process, and Python's stderr, which carries the
    coach's one line, is moved to a copy of the real one. `--debug` keeps everything."""
    import io
    import os

    try:
        sys.stderr.flush()
        real = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):
        return
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    sys.stderr = io.TextIOWrapper(io.FileIO(real, "w"), encoding=encoding, errors="backslashreplace",
                                  line_buffering=True, write_through=True)
    os.dup2(null, 2)
    os.close(null)


def main() -> None:
    if "--debug" not in sys.argv[1:]:
        _quiet_native_stderr()
    try:
        cli(prog_name="coach")
    except BrokenPipeError:  # `coach script | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    sys.exit(main())
