"""One page to keep by the mat: the routine a session would play today, each exercise with its
picture (coach/core/figure.py), its dose as the response has moved it, and how to do it.
Laid out by fpdf2, as the report is; written atomically, the owner's alone (its doses come from
the history)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from coach.app import chart
from coach.app import session as sessions
from coach.app.report import DISCLAIMER, FONT, document, save
from coach.core.errors import InputError
from coach.core.figure import HEIGHT, WIDTH, drawings
from coach.core.routine import Dose
from coach.core.words import Words

PICTURE = 58.0  # mm: the width of a held position's picture; a movement's two ends share it


def dose_line(dose: Dose, words: Words) -> str:
    """"3 × 30 s, each side" or "10 reps, each side"."""
    if len(dose.sides) > 1:
        each = ", each side"
    elif dose.sides[0] is not None:
        each = f", {words.side(dose.sides[0])} side"
    else:
        each = ""
    amount = f"{dose.count} × {dose.hold_seconds} s" if dose.hold_seconds is not None else f"{dose.count} reps"
    return amount + each


def write(request: sessions.Request, path: Path, paper: str = "a4", today: dt.date | None = None) -> int:
    """The sheet of the request's routine as a PDF at `path`; the number of exercises on it."""
    if path.suffix.lower() != ".pdf":
        raise InputError(f"cannot write {path}: an exercise sheet's name ends in .pdf.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    routine, doses = sessions.check(request)
    with chart.quiet():  # fpdf2's notice of the SVG tags it does not draw (a picture's <title>)
        _write(routine.name, doses, request.words, path, paper, today or dt.date.today())
    return len(doses)


def _write(name: str, doses: tuple[Dose, ...], words: Words, path: Path, paper: str, made: dt.date) -> None:
    from fpdf import FPDF

    pdf = document(FPDF(format="A4" if paper == "a4" else "Letter"), f"coach: {name}", 12, name,
                   f"Your doses on {made.isoformat()}, as the coach plays them. {DISCLAIMER}")
    pdf.ln(2)
    row = (pdf.eph - 30) / max(1, len(doses))  # every exercise on the one page
    for dose in doses:
        _exercise(pdf, dose, words, min(row, 52.0))
    save(pdf, path)


def _exercise(pdf: Any, dose: Dose, words: Words, height: float) -> None:
    ex = dose.exercise
    top = pdf.get_y()
    pictures = drawings(ex.id, ex.name)
    tall = PICTURE * HEIGHT / WIDTH
    scale = min(1.0, (height - 2) / (tall * max(1, len(pictures))))  # a movement's two ends, one above the other
    for k, (_, svg) in enumerate(pictures):
        pdf.image(io.BytesIO(svg.encode()), x=pdf.l_margin, y=top + k * tall * scale, w=PICTURE * scale)
    left = pdf.l_margin + PICTURE + 4
    pdf.set_xy(left, top)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 5.5, ex.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(left)
    pdf.set_font(FONT, "B", 9.5)
    pdf.multi_cell(0, 5, dose_line(dose, words), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    side = dose.sides[0] if dose.sides[0] else None
    for line in (ex.say.setup, ex.say.movement, ex.say.caution):
        if line:
            pdf.set_x(left)
            pdf.multi_cell(0, 4.2, words.sided(line, side), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + height))
    pdf.set_draw_color(220, 214, 200)
    pdf.line(pdf.l_margin, pdf.get_y() - 1.5, pdf.w - pdf.r_margin, pdf.get_y() - 1.5)
