"""`coach report FILE.pdf`: one or two pages a physiotherapist can read in a minute. The direction
tests and what they found, the sessions and their doses, leg pain and how far it reaches by day,
check-ins and stops, the safety answers with their dates, and the disclaimer; red flags, bars and
worse days first. Laid out by fpdf2, whose tables wrap their cells and flow across pages; the
chart drawn once by matplotlib and placed in it. Black and white, on A4 or Letter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from coach.app import chart
from coach.app.records import ended, pain
from coach.clinical import evidence
from coach.clinical import trend as trends
from coach.core import records
from coach.core.errors import CoachError, InputError
from coach.core.words import Words
from coach.storage.history import OUTCOMES

ROWS = 14  # the newest rows of a table shown; the rest are counted
DISCLAIMER = ("General information, not medical advice. Made by coach, an exercise guide following a published "
              "article on lumbar radiculopathy; it gives no diagnosis. The ratings are the person's own.")


@dataclass(frozen=True)
class Table:
    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    left_out: int  # older rows not shown


def _newest(title: str, head: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> Table:
    cells = [tuple(str(c) for c in r) for r in rows]
    return Table(title, head, cells[-ROWS:], max(0, len(cells) - ROWS))


def _dose(routine: str, options: Mapping[str, Any], words: Words) -> str:
    """The dose a session played: "3 × 30 s" (holds × seconds, each side), or each exercise's
    where they differ; what the options said, where the routine can no longer be read."""
    from coach.app import session as sessions
    from coach.core.errors import CoachError as Unreadable
    from coach.core.exercise import Level

    levels = {ex: Level(hold, count) for ex, (hold, count) in (options.get("levels") or {}).items()}
    try:
        _, doses = sessions.check(sessions.Request(routine, only=tuple(options.get("only") or ()),
                                                   hold=options.get("hold"), reps=options.get("reps"),
                                                   side=options.get("side") or "both", words=words, levels=levels))
    except (Unreadable, ValueError, KeyError, TypeError):
        return _options(options)
    each = [f"{d.count} × {d.hold_seconds} s" if d.hold_seconds is not None else f"{d.count} reps" for d in doses]
    usual = max(each, key=each.count)  # the dose most exercises had, then each one that differed
    return "; ".join([usual, *(f"{d.exercise.name.lower()} {e}" for d, e in zip(doses, each) if e != usual)])


def _options(options: Mapping[str, Any]) -> str:
    parts = []
    if options.get("only"):
        parts.append(", ".join(options["only"]))
    if options.get("hold"):
        parts.append(f"hold {options['hold']} s")
    if options.get("reps"):
        parts.append(f"{options['reps']} holds/reps")
    if options.get("side") not in (None, "both"):
        parts.append(f"{options['side']} side")
    return "; ".join(parts) or "the routine's own"


def tables(record: records.Record, words: Words) -> list[Table]:
    """The report's four tables, each its newest rows. Linear in the history: the ratings joined
    once, and a session's dose worked out only for the rows shown (20,000 sessions took 130 s when
    every session scanned every rating and had its dose planned)."""
    sessions, trials = records.joined(record)
    tests = []
    for t in trials:
        found = t.trial.result if t.trial.outcome == "completed" else OUTCOMES.get(t.trial.outcome, t.trial.outcome)
        tests.append((t.trial.day, found or "-", pain(t.baseline), pain(t.last), "; ".join(t.trial.reasons)))
    stops = []
    for line in sessions:
        s = line.session
        stops += [(r.day, f"check-in after {r.exercise}", r.compared or "skipped") for r in line.check_ins]
        if s.outcome not in ("completed", "running"):
            stops.append((s.day, f"{s.routine} session", ended(s.outcome, s.step)))
    shown = [(line.session.day, line.session.routine, _dose(line.session.routine, line.session.options, words),
              OUTCOMES.get(line.session.outcome, line.session.outcome), pain(line.before), pain(line.after),
              line.session.response or "-") for line in sessions[-ROWS:]]
    of_screening = records.grouped(record.answers, lambda a: a.screening_id)
    safety = []
    for sc in record.screenings:
        answers = of_screening.get(sc.id, [])
        yes = [a.question for a in answers if a.answer == "yes"]
        safety.append((sc.day, sc.purpose, f"{len(answers)} asked", "yes: " + ", ".join(yes) if yes else "all no",
                       sc.outcome))
    stops.sort()
    dose = _newest("Sessions and doses", ("date", "routine", "dose", "how it ended", "before", "after", "response"),
                   shown)
    return [
        _newest("Direction tests", ("date", "found", "leg pain before", "after", "why"), tests),
        Table(dose.title, dose.head, dose.rows, max(0, len(sessions) - ROWS)),
        _newest("Check-ins and stops", ("date", "what", "answer or how it ended"), stops),
        _newest("Safety answers", ("date", "when", "questions", "answers", "outcome"), safety),
    ]


FONT = "DejaVu"  # matplotlib ships it: every character the record may hold ("×", "é", "ñ")


def fonts(pdf: Any) -> None:
    from pathlib import Path as P

    import matplotlib

    folder = P(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))


def document(pdf: Any, title: str, bottom: float, heading: str, subtitle: str) -> Any:
    """A new PDF (an FPDF of the paper size, or of a class of it) set up as the coach's documents
    are: its title, margins and fonts, and the first page begun with `heading` over `subtitle`."""
    pdf.set_title(title)
    pdf.set_creator("coach")
    pdf.set_auto_page_break(True, margin=bottom)
    pdf.set_margins(14, 12, 14)
    fonts(pdf)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 7.5)
    pdf.multi_cell(0, 3.6, subtitle, new_x="LMARGIN", new_y="NEXT")
    return pdf


def save(pdf: Any, path: Path) -> None:
    """The PDF written atomically, the owner's alone (it holds health data)."""
    from coach.storage.atomic import atomic_path, create
    from coach.storage.paths import PRIVATE_FILE

    try:
        with atomic_path(path) as tmp, create(tmp, PRIVATE_FILE) as f:
            f.write(bytes(pdf.output()))
    except OSError as e:
        raise CoachError(f"cannot write {path}: {e.strerror or e}.") from e


def _heading(pdf: Any, text: str) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.ln(2)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)


def _lines(pdf: Any, lines: Sequence[str], empty: str = "None recorded.") -> None:
    pdf.set_font(FONT, "", 8.5)
    for line in lines or [empty]:
        pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: Any, table: Table, widths: Sequence[int]) -> None:
    """A table that wraps its cells and flows onto the next page, its head repeated there."""
    title = table.title + (f" (the newest {len(table.rows)}; {table.left_out} older in 'coach history')"
                           if table.left_out else "")
    _heading(pdf, title)
    if not table.rows:
        _lines(pdf, [], "None recorded.")
        return
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=3.8, padding=0.8,
                   headings_style=_style(), borders_layout="HORIZONTAL_LINES") as t:
        t.row(table.head)
        for cells in table.rows:
            t.row(cells)


def _style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(230, 230, 230))


def _chart(t: trends.Trend, size: tuple[float, float]) -> Any:
    """The trend chart, drawn once by matplotlib, as PNG bytes to place on the page."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (pain, reach) = plt.subplots(2, 1, figsize=size, sharex=True, height_ratios=(3, 2))
    try:
        chart.draw(t, pain, reach, mono=True)
        fig.autofmt_xdate()
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150)
        return out
    finally:
        plt.close(fig)


def _positions(pdf: Any, direction: str, words: Words) -> None:
    """The pictures of the recommended direction's routine (coach/core/figure.py), four to a row,
    each named: what the sessions ask the body to do, at a glance."""
    import io

    from coach.core.figure import HEIGHT, WIDTH, drawings
    from coach.storage.routines import find

    routine = find(direction, words)
    pictures = []  # (its name, under it; the picture)
    for step in routine.steps:
        ends = drawings(step.exercise.id, step.exercise.name)
        pictures += [(step.exercise.name + (f" ({end})" if len(ends) > 1 else ""), svg) for end, svg in ends]
    if not pictures:
        return
    _heading(pdf, f"The positions of the {routine.name.lower()}")
    w = (pdf.epw - 9) / 4
    h = w * HEIGHT / WIDTH
    for i in range(0, len(pictures), 4):
        if pdf.get_y() + h + 8 > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        for k, (name, svg) in enumerate(pictures[i:i + 4]):
            x = pdf.l_margin + k * (w + 3)
            pdf.image(io.BytesIO(svg.encode()), x=x, y=top, w=w)
            pdf.set_xy(x, top + h)
            pdf.set_font(FONT, "", 7.5)
            pdf.multi_cell(w, 3.5, name, align="C")
        pdf.set_y(top + h + 8)


def write(record: records.Record, path: Path, words: Words, paper: str = "a4", today: dt.date | None = None) -> None:
    """The report as a PDF, written atomically: what to read first and the direction on page 1,
    with the tests and the sessions; the chart, the check-ins and the safety answers after.
    No library's warning reaches the terminal (a report is one line of output)."""
    if path.suffix.lower() != ".pdf":
        raise InputError(f"cannot write {path}: a report's name ends in .pdf.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    with chart.quiet():  # the font cache's notice, subsetting's chatter, a legend's warning
        _write(record, path, words, paper, today or dt.date.today())


def _write(record: records.Record, path: Path, words: Words, paper: str, made: dt.date) -> None:
    from fpdf import FPDF

    from coach.app import attention

    tests, sessions, stops, safety = tables(record, words)
    rec = evidence.recommendation(record, words)
    notices = [n.text(words) for n in evidence.notices(record)]
    trend = trends.trend(record.leg_ratings)
    chart = None if trend.empty else _chart(trend, (7.2, 4.2))

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 6.5)
            self.multi_cell(0, 3, f"{DISCLAIMER} Page {self.page_no()}.", align="C")

    pdf = document(Report(format="A4" if paper == "a4" else "Letter"), "coach: exercise report", 16,
                   "Sciatica exercise report", f"Made {made.isoformat()} by coach. {DISCLAIMER}")
    _heading(pdf, attention.TITLE)
    _lines(pdf, attention.first(record, words))
    _heading(pdf, "Direction")
    _lines(pdf, [f"{rec.summary(words)}."])
    if notices:
        _heading(pdf, "When to get seen")
        _lines(pdf, notices)
    _table(pdf, tests, (18, 16, 20, 16, 112))
    _table(pdf, sessions, (18, 22, 48, 30, 18, 18, 28))
    pdf.add_page()
    _heading(pdf, "Leg pain and how far down it reaches")
    if chart is None:
        _lines(pdf, ["No pain ratings recorded."])
    else:
        pdf.image(chart, w=pdf.epw)
    _table(pdf, stops, (22, 80, 80))
    _table(pdf, safety, (22, 26, 22, 84, 28))
    if rec.direction in ("flexion", "extension"):
        _positions(pdf, rec.direction, words)
    save(pdf, path)
