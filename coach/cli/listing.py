"""Commands that list what there is to do: exercises, routines, routines new."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from coach.cli.base import cli, echo, setting_options, sound

WHERE = {"back": "on your back", "stomach": "on your stomach", "sitting": "sitting"}  # an exercise's position

@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the exercises as JSON.")
@click.option("--pictures", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Also write each exercise's picture into DIR, as SVG files (ID.svg; ID-END.svg for each end of a movement).")
def exercises(as_json: bool, pictures: Path | None) -> None:
    """List the exercises and their doses."""
    from coach.app.listing import exercise_rows, write_pictures
    from coach.core.words import catalog

    rows = exercise_rows(catalog())
    if pictures is not None:
        written = write_pictures(pictures, catalog())
        echo(f"Wrote {len(written)} pictures into {pictures}.", err=as_json)
    if as_json:
        echo(json.dumps(rows, indent=1))
        return
    for row in rows:
        side = " each side" if row["per_side"] else ""
        if "hold_seconds" in row:
            hold, holds = row["hold_seconds"], row["holds"]
            dose = (f"{holds['default']} x {hold['default']} s{side} (hold {hold['min']}-{hold['max']} s, "
                    f"{holds['min']}-{holds['max']} holds)")
        else:
            reps = row["reps"]
            dose = f"{reps['default']} reps{side}, {row['seconds_per_rep']:g} s each ({reps['min']}-{reps['max']} reps)"
        where = WHERE.get(row["position"], row["position"])
        echo(f"{row['id']:<27} {row['name']:<26} {where:<16} {dose}  [{', '.join(row['routines'])}]")


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the routines as JSON.")
@setting_options("voice", "rate", "lang")
@click.pass_context
def routines(ctx: click.Context, as_json: bool, **settings) -> None:
    """List the built-in routines and your own, with their length.

    Your own routines are TOML files in your routines folder, found by name with
    'coach start --routine NAME'. 'coach routines new NAME' starts one.
    """
    if ctx.invoked_subcommand is not None:
        return
    from coach.app.listing import routine_rows
    from coach.app.session import Request
    from coach.storage.routines import user_dir

    words, voice_settings, _ = sound(**settings)
    rows = routine_rows(Request(routine="", voice=voice_settings, words=words))
    if as_json:
        echo(json.dumps({"routines": [{**asdict(r), "estimated": r.length.startswith("~")} for r in rows],
                         "folder": str(user_dir())}, indent=1))
        return
    titles = [r.title if not r.problems else
              f"({r.problems} problem{'s' if r.problems > 1 else ''}: see 'coach script --routine {r.name}')"
              for r in rows]
    width, title = max(len(r.name) for r in rows), max(map(len, titles))
    for r, shown in zip(rows, titles):
        echo(f"{r.name:<{width}}  {shown:<{title}}  {r.length:>7}  {r.source}")
    if any(r.length.startswith("~") for r in rows):
        echo("~ estimated from the speaking rate: some of its phrases have not been spoken in this voice yet.", err=True)
    echo(f"\nYour routines folder: {user_dir()}")


@routines.command("new")
@click.argument("name")
def routines_new(name: str) -> None:
    """Write a commented routine file to start from, in your routines folder."""
    from coach.app.listing import new_routine

    echo(str(new_routine(name)))
