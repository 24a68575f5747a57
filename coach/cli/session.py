"""Commands that run or write a session: start, test, export, script."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coach.cli.base import SOUND, cli, echo, progress, request, session_options, setting_options, sound


@cli.command()
@session_options
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the session to a file instead of playing it (.wav, .mp3, .ogg, .opus, .flac; see 'coach export').")
@setting_options("check_ins", "listen", "settle", "phone", "phone_address")
@click.option("--no-ratings", is_flag=True, help="Skip the pain questions before and after the session.")
@click.option("--plain", is_flag=True,
              help="Print one line per spoken phrase and tone instead of the full-screen view (for screen readers and logs).")
def start(output: Path | None, check_ins: bool, listen: bool, settle: int, phone: bool, phone_address: str | None,
          no_ratings: bool, plain: bool, **options) -> None:
    """Start a guided session: speaks, beeps and counts, hands-free.

    With no --flexion or --extension, the direction your tests found ('coach test') is used.
    Before the first session of each day the coach asks the safety questions: answer each
    aloud, or with one key (y or n), or one line each when the answers are piped in. With a
    microphone the coach listens (offline, nothing stored): say the answers, and pause, go on,
    next, back, repeat, louder, quieter, worse or stop during the session ('coach listen' checks it).

    A direction that made your pain worse in the last 14 days is never chosen for you; with
    its flag, the coach says why it is barred and asks you to confirm. During the session,
    w means "the pain is spreading": the coach stops at once.

    \b
    Exit codes: 0 done (or a barred direction declined); 1 the machine failed;
    2 bad input, or no answer; 3 a safety question was answered yes (or an
    emergency answer not yet cleared); 4 stopped because the pain got worse,
    or the pain was still worse after the session and a rest (--settle);
    130 Ctrl-C, 143 stopped (SIGTERM), 129 the terminal closed.
    """
    from coach.app import start as app
    from coach.core.errors import NoDirection

    if phone and output is not None:
        raise click.UsageError("--phone goes with a live session, not with --output.")
    live = app.Live(check_ins, not no_ratings, plain,
                    chosen=bool(options["flexion"] or options["extension"] or options["routine_spec"]), listen=listen,
                    settle=settle, phone=phone, phone_address=phone_address)
    try:
        chosen = request(**options)
    except NoDirection as e:  # what to do next, said too: the person may already be lying down
        if output is None:
            words, voice, _ = sound(**options)
            app.tell(voice, words, options["volume"], e.spoken, echo)
        raise
    app.session(chosen, live, echo, output, progress)


@cli.command()
@session_options
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE")
@click.option("--split", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write one numbered file per part of the session into DIR, with an .m3u playlist.")
@click.option("--format", "fmt", type=click.Choice(["mp3", "ogg", "opus", "flac", "wav"]), metavar="FORMAT",
              help="With --split: the files' format, mp3 (default), ogg, opus, flac or wav.")
@click.option("--force", is_flag=True,
              help="With --split: replace files of the same names in DIR even when they are not an earlier export's.")
def export(output: Path | None, split: Path | None, fmt: str | None, force: bool, **options) -> None:
    """Write the session to a file to play on a phone: FILE.mp3, .ogg, .opus, .flac or .wav.

    The format is chosen by FILE's extension. The file is tagged with the routine's name and has
    one chapter per exercise and side, which a podcast player shows and can skip to. The file
    opens with the safety questions, spoken, since a recording cannot ask them.
    """
    from coach.app import export as app

    if (output is None) == (split is None):
        raise click.UsageError("give a FILE to write, or --split DIR, but not both.")
    if fmt is not None and split is None:
        raise click.UsageError("--format goes with --split; a FILE's format comes from its extension.")
    if force and split is None:
        raise click.UsageError("--force goes with --split DIR.")
    app.export(request(**options), output, split, fmt or "mp3", echo, progress, force)


@cli.command("test")
@click.option("--hold", type=int, default=30, show_default=True, metavar="SECONDS",
              help="Seconds to hold each test position (30-60).")
@setting_options("settle", "listen", "phone", "phone_address", *SOUND)
def test_command(hold: int, settle: int, listen: bool, phone: bool, phone_address: str | None, voice: str | None,
                 rate: int, volume: float, cue_volume: float, cue_pitch: float, lang: str) -> None:
    """Find the direction that eases your leg pain: the article's test, guided by voice.

    Knees to chest first; if that does not ease the leg pain, lying on the stomach, then
    propped on the elbows. You rate your pain before and after each position; after one that
    stirred it up, you rest (--settle minutes) and are asked again. The result (flexion,
    extension or unclear) is kept, and 'coach start' follows it. Several tests, on different
    days, give a surer answer. Exit codes as for 'coach start'.
    """
    from coach.app import start as app

    words, voice_settings, tone = sound(voice, rate, lang, volume, cue_volume, cue_pitch)
    app.test(voice_settings, words, hold, settle, volume, tone, echo, listen,
             app.Live(phone=phone, phone_address=phone_address))


@cli.command()
@session_options
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.pdf")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="The paper size.")
def sheet(output: Path, paper: str, **options) -> None:
    """Write a one-page PDF of today's routine to keep by the mat: each exercise's picture, dose and how to do it.

    The routine and its doses are those 'coach start' would play with the same flags, as your
    responses have moved them. The file holds health data and is yours alone (mode 0600).
    """
    from coach.app import progress
    from coach.app import sheet as sheets

    n = sheets.write(progress.read(request(**options)), output, paper)
    echo(f"Wrote {output}: {n} exercise{'s' if n != 1 else ''}, with their pictures and doses.")


@cli.command()
@session_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
@click.option("--recording", is_flag=True,
              help="The script of a file written with --output, which opens with the safety questions.")
def script(as_json: bool, recording: bool, **options) -> None:
    """Print the session script with timestamps; no audio is played."""
    from coach.app import export, progress
    from coach.app import session as sessions
    from coach.core.text import clock

    r = progress.read(request(**options))  # each dose as the response has moved it
    preamble: tuple[str, ...] = ()
    if recording:
        import datetime as dt

        preamble = export.opening(r, dt.date.today(), echo)
    s = sessions.compose(r, preamble).script
    notes = export.warnings(None, r)  # a barred direction's exercises: left out, or named and warned of
    if as_json:
        for note in notes:
            echo(note, err=True)
        echo(json.dumps(s.to_dict(), indent=1))
        return
    sr = s.sample_rate
    echo(f"# {s.routine} routine, {clock(s.seconds)} ({s.total} samples at {sr} Hz)")
    for note in notes:
        echo(f"# {note}")
    for e in s.events:
        what = e.text if e.kind == "speech" else e.cue if e.kind == "cue" else f"({e.length / sr:.1f} s)"
        where = " ".join(str(x) for x in (e.exercise, e.side, f"#{e.rep}" if e.rep else None) if x)
        echo(f"{e.start / sr:9.3f}  {e.kind:<7}  {what}" + (f"   [{where}]" if where else ""))


@cli.command()
@click.option("--flexion", is_flag=True, help="Plan the flexion routine's sessions.")
@click.option("--extension", is_flag=True, help="Plan the extension routine's sessions.")
@click.option("--ics", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.ics",
              help="Also write the plan as a calendar file with an alarm for each session, repeating daily.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
@setting_options("plan_full", "plan_every", "plan_day", *SOUND)
def plan(flexion: bool, extension: bool, ics: Path | None, as_json: bool, plan_full: str, plan_every: float,
         plan_day: str, **settings) -> None:
    """Print a day's plan, little and often: the full session once or twice, short ones between.

    The direction exercise done briefly every 2-3 hours, and the full routine once or twice a
    day (the times are settings: 'coach config set plan_full "07:30, 19:00"'). With --ics, a
    calendar file a phone imports. Without a flag, the direction your tests found.
    """
    from coach.app import choice
    from coach.app import plan as app
    from coach.app.session import Request

    if flexion and extension:
        raise click.UsageError("choose one routine: --flexion or --extension.")
    words, voice, _ = sound(**settings)
    direction, _why = choice.routine(flexion, extension, None, words)
    flag = " --flexion" if flexion else " --extension" if extension else ""
    request = Request(routine=direction, voice=voice, words=words)
    if as_json:
        if ics is not None:
            raise click.UsageError("--json prints the plan; write the calendar without it.")
        echo(json.dumps(app.make(request, plan_full, plan_every, plan_day, echo, flag).to_dict(), indent=1))
        return
    app.plan(request, plan_full, plan_every, plan_day, ics, echo, flag)
