"""The history for people and spreadsheets: a table of sessions and tests, and CSV files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from coach.atomic import atomic_write
from coach.errors import InputError
from coach.history import OUTCOMES, TABLES, History


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


def _pain(rating: dict[str, Any] | None) -> str:
    if not rating or (rating["leg"] is None and rating["reach"] is None):
        return "-"
    leg = "?" if rating["leg"] is None else str(rating["leg"])
    return f"{leg} ({rating['reach'] or '?'})"


def table(h: History) -> str:
    """Sessions and tests, oldest first: when, what, how it ended and where, leg pain before → after."""
    ratings = h.table("ratings")
    rows: list[tuple[str, str, str, str, str]] = []
    for s in h.table("sessions"):
        mine = [r for r in ratings if r["session_id"] == s["id"]]
        before = next((r for r in mine if r["moment"] == "before"), None)
        after = next((r for r in mine if r["moment"] == "after"), None)
        options = json.loads(s["options"] or "{}")
        what = f"{s['routine']} session" + (" with check-ins" if options.get("check_in") else "")
        ended = OUTCOMES.get(s["outcome"], s["outcome"])
        if s["outcome"] not in ("completed", "running") and s["step"]:
            ended += f" at {s['step']}"
        rows.append((_when(s["started"]), what, ended, _pain(before), _pain(after)))
    for t in h.table("trials"):
        mine = [r for r in ratings if r["trial_id"] == t["id"]]
        base = next((r for r in mine if r["moment"] == "baseline"), None)
        last = next((r for r in reversed(mine) if r["moment"] == "after"), None)
        ended = f"result: {t['result']}" if t["outcome"] == "completed" else OUTCOMES.get(t["outcome"], t["outcome"])
        if t["outcome"] not in ("completed", "running") and t["step"]:
            ended += f" at {t['step']}"
        rows.append((_when(t["started"]), "test", ended, _pain(base), _pain(last)))
    if not rows:
        return "Nothing recorded yet. 'coach test' finds your direction; 'coach start' runs a session."
    rows.sort(key=lambda r: r[0])
    head = ("when", "what", "how it ended", "leg pain before", "after")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_csv(h: History, folder: Path) -> list[Path]:
    """One CSV file per table (header row, then every row), each written atomically."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot write CSV files into {folder}: {e.strerror or e}.") from e
    written = []
    for name in TABLES:
        rows = h.table(name)
        text = io.StringIO()
        writer = csv.writer(text)
        columns = h.columns(name)
        writer.writerow(columns)
        writer.writerows([r[c] for c in columns] for r in rows)
        path = folder / f"{name}.csv"
        try:
            with atomic_write(path) as f:
                f.write(text.getvalue().encode("utf-8"))
        except OSError as e:
            raise InputError(f"cannot write {path}: {e.strerror or e}.") from e
        written.append(path)
    return written
