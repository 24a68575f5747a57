"""Commands on the record: history, cleared."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coach.cli.base import cli, echo


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print everything recorded, as JSON.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write everything recorded as CSV files, one per table, into DIR.")
@click.option("--trend", is_flag=True, help="Chart leg pain and how far down it reaches, by day.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.png",
              help="Write the trend chart as a PNG image.")
@click.option("--all", "every", is_flag=True, help="Every session and test, not only the newest 30.")
def history(as_json: bool, csv_dir: Path | None, trend: bool, png: Path | None, every: bool) -> None:
    """Show your sessions, tests and pain ratings, newest first."""
    from coach.app.records import opened

    with opened(echo, write=False) as h:
        if as_json:
            echo(json.dumps(h.export(), indent=1))
        elif csv_dir is not None:
            from coach.storage import report

            for path in report.write_csv(h, csv_dir):
                echo(str(path))
        elif png is not None:
            from coach.app import records

            echo(str(records.trend_png(h, png)))
        elif trend:
            import shutil

            from coach.clinical import trend as trends

            echo(trends.text(trends.trend(h.leg_ratings()), shutil.get_terminal_size().columns))
        else:
            from coach.app import attention, records
            from coach.core.words import catalog

            record = h.record()
            table, older = records.table(record, every)
            if older:
                table = f"{table}\n... and {older} older: 'coach history --all' shows every row."
            echo(attention.overview(record, catalog(), table))


@cli.command()
@click.argument("kind", type=click.Choice(["emergency", "cancer", "fracture", "infection"]))
def cleared(kind: str) -> None:
    """Record that a clinician has seen you, so the coach guides exercise again.

    \b
    emergency  a clinician has seen you since a safety answer that needed
               emergency care (saddle numbness, bladder or bowel, both legs)
    cancer     a doctor has checked this back pain, given a history of cancer:
               that safety question is not asked again
    fracture   ... given long-term steroid tablets or thin bones (osteoporosis)
    infection  ... given a weakened immune system or injecting drugs

    Recorded with today's date. The other safety questions are still asked.
    """
    from coach.app import records

    with records.opened(echo) as h:
        echo(records.clear(h, kind))


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.pdf")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="The page size.")
def report(path: Path, paper: str) -> None:
    """Write a one- or two-page PDF to take to a physiotherapist.

    The direction tests and what they found, the sessions and their doses, leg pain and how
    far down it reaches by day, check-ins and stops, the safety answers with their dates, and
    the disclaimer; in black and white.
    """
    from coach.app import report as reports
    from coach.app.records import opened
    from coach.core.words import catalog

    with opened(echo, write=False) as h:
        reports.write(h.record(), path, catalog(), paper)
    echo(str(path))
