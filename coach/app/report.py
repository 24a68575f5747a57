"""`coach report FILE.pdf`: one or two pages a physiotherapist can read in a minute. The direction
tests and what they found, the sessions and their doses, leg pain and how far it reaches by day,
check-ins and stops, the safety answers with their dates, and the disclaimer. Drawn with
matplotlib (already the trend chart's library), in black and white, on A4 or Letter."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from coach.clinical import evidence
from coach.clinical import trend as trends
from coach.core.errors import CoachError, InputError
from coach.core.words import Words
from coach.storage.history import OUTCOMES, History

PAPER = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}  # inches
ROWS = 14  # the newest rows of a table shown; the rest are counted
DISCLAIMER = ("General information, not medical advice. Made by coach, an exercise guide following a published "
              "article on lumbar radiculopathy; it gives no diagnosis. The ratings are the person's own.")


@dataclass(frozen=True)
class Table:
    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    left_out: int  # older rows not shown


def _day(stamp: str | None) -> str:
    return stamp[:10] if stamp else ""


def _pain(r: dict[str, Any] | None) -> str:
    if not r or (r["leg"] is None and r["reach"] is None):
        return "-"
    return f"{'?' if r['leg'] is None else r['leg']} ({r['reach'] or '?'})"


def _newest(title: str, head: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> Table:
    cells = [tuple(str(c) for c in r) for r in rows]
    return Table(title, head, cells[-ROWS:], max(0, len(cells) - ROWS))


def _dose(options: dict[str, Any]) -> str:
    parts = []
    if options.get("only"):
        parts.append(", ".join(options["only"]))
    if options.get("hold"):
        parts.append(f"hold {options['hold']} s")
    if options.get("reps"):
        parts.append(f"{options['reps']} holds/reps")
    if options.get("side") not in (None, "both"):
        parts.append(f"{options['side']} side")
    for ex_id, (hold, count) in (options.get("levels") or {}).items():  # moved by the response
        parts.append(f"{ex_id} {hold} s x {count}" if hold is not None else f"{ex_id} {count} reps")
    return "; ".join(parts) or "routine's own"


def tables(h: History) -> list[Table]:
    ratings = h.table("ratings")
    tests = []
    for t in h.table("trials"):
        mine = [r for r in ratings if r["trial_id"] == t["id"]]
        base = next((r for r in mine if r["moment"] == "baseline"), None)
        last = next((r for r in reversed(mine) if r["moment"] == "after"), None)
        found = t["result"] if t["outcome"] == "completed" else OUTCOMES.get(t["outcome"], t["outcome"])
        reasons = "; ".join(json.loads(t["reasons"] or "[]"))
        tests.append((_day(t["started"]), found or "-", _pain(base), _pain(last), reasons))
    sessions, stops = [], []
    for s in h.table("sessions"):
        mine = [r for r in ratings if r["session_id"] == s["id"]]
        before = next((r for r in mine if r["moment"] == "before"), None)
        after = next((r for r in mine if r["moment"] == "after"), None)
        options = json.loads(s["options"] or "{}")
        ended = OUTCOMES.get(s["outcome"], s["outcome"])
        sessions.append((_day(s["started"]), s["routine"], _dose(options), ended, _pain(before), _pain(after),
                         s["response"] or "-"))
        for r in mine:
            if r["moment"] == "check-in":
                stops.append((_day(r["at"]), f"check-in after {r['exercise']}", r["compared"] or "skipped"))
        if s["outcome"] not in ("completed", "running"):
            where = f" at {s['step']}" if s["step"] else ""
            stops.append((_day(s["started"]), f"{s['routine']} session", f"{ended}{where}"))
    answers = h.table("screening_answers")
    safety = []
    for sc in h.table("screenings"):
        yes = [a["question"] for a in answers if a["screening_id"] == sc["id"] and a["answer"] == "yes"]
        asked = sum(a["screening_id"] == sc["id"] for a in answers)
        safety.append((sc["day"], sc["purpose"], f"{asked} asked", "yes: " + ", ".join(yes) if yes else "all no",
                       sc["outcome"]))
    stops.sort()
    return [
        _newest("Direction tests", ("date", "found", "leg pain before", "after", "why"), tests),
        _newest("Sessions and doses", ("date", "routine", "dose", "how it ended", "before", "after", "response"), sessions),
        _newest("Check-ins and stops", ("date", "what", "answer or how it ended"), stops),
        _newest("Safety answers", ("date", "when", "questions", "answers", "outcome"), safety),
    ]


def _draw_table(ax: Any, table: Table) -> None:
    ax.axis("off")
    title = table.title + (f" (the newest {len(table.rows)}; {table.left_out} older in 'coach history')"
                           if table.left_out else "")
    ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    if not table.rows:
        ax.text(0, 0.5, "None recorded.", fontsize=8, transform=ax.transAxes)
        return
    cells = [[textwrap.shorten(c, 70, placeholder="...") for c in row] for row in table.rows]
    t = ax.table(cellText=cells, colLabels=table.head, loc="upper left", cellLoc="left", colLoc="left")
    t.auto_set_font_size(False)
    t.set_fontsize(7)
    t.auto_set_column_width(list(range(len(table.head))))
    for (row, _), cell in t.get_celld().items():
        cell.set_edgecolor("#999999")
        if row == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#e6e6e6")


def write(h: History, path: Path, words: Words, paper: str = "a4", today: dt.date | None = None) -> None:
    """The report as a PDF, written atomically."""
    if path.suffix.lower() != ".pdf":
        raise InputError(f"cannot write {path}: a report's name ends in .pdf.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from coach.storage.atomic import atomic_path

    made = today or dt.date.today()
    tests, sessions, stops, safety = tables(h)
    rec = evidence.recommendation(h, words)
    notices = [n.text(words) for n in evidence.notices(h)]
    t = trends.trend(h.leg_ratings())
    size = PAPER[paper]
    try:
        with atomic_path(path) as tmp, PdfPages(tmp, metadata={"Title": "coach: exercise report",
                                                               "Creator": "coach"}) as pdf:
            fig = plt.figure(figsize=size)
            fig.text(0.06, 0.965, "Sciatica exercise report", fontsize=16, fontweight="bold", va="top")
            fig.text(0.06, 0.935, textwrap.fill(f"Made {made.isoformat()} by coach. {DISCLAIMER}", 120), fontsize=7.5,
                     va="top")
            summary = [f"Direction: {rec.summary(words)}.", *(f"Avoid: {b.text(words)}" for b in rec.barred),
                       *(f"When to get seen: {n}" for n in notices)]
            fig.text(0.06, 0.895, "\n".join(textwrap.fill(line, 110) for line in summary), fontsize=8.5, va="top")
            for table, box in ((tests, (0.06, 0.60, 0.88, 0.22)), (sessions, (0.06, 0.06, 0.88, 0.48))):
                _draw_table(fig.add_axes(box), table)
            pdf.savefig(fig)
            plt.close(fig)

            fig = plt.figure(figsize=size)
            pain = fig.add_axes((0.15, 0.72, 0.79, 0.22))
            reach = fig.add_axes((0.15, 0.56, 0.79, 0.13), sharex=pain)
            if t.empty:
                pain.text(0.5, 0.5, "No pain ratings recorded.", ha="center", transform=pain.transAxes)
            trends.draw(t, pain, reach, mono=True)
            pain.tick_params(labelbottom=False)
            for label in reach.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
            for table, box in ((stops, (0.06, 0.26, 0.88, 0.18)), (safety, (0.06, 0.07, 0.88, 0.15))):
                _draw_table(fig.add_axes(box), table)
            fig.text(0.06, 0.02, textwrap.fill(DISCLAIMER, 130), fontsize=6.5, va="bottom")
            pdf.savefig(fig)
            plt.close(fig)
    except OSError as e:
        raise CoachError(f"cannot write {path}: {e.strerror or e}.") from e
    finally:
        plt.close("all")
