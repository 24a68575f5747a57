"""The history for people and spreadsheets: a table of sessions and tests, and CSV files."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from coach.core.errors import InputError
from coach.core.files import why
from coach.storage.atomic import check_name, clean_stale, new_part
from coach.storage.history import OUTCOMES, TABLES, History
from coach.storage.paths import PRIVATE_FILE


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


def _pain(rating: dict[str, Any] | None) -> str:
    if not rating or (rating["leg"] is None and rating["reach"] is None):
        return "-"
    leg = "?" if rating["leg"] is None else str(rating["leg"])
    return f"{leg} ({rating['reach'] or '?'})"


PAGE = 30  # rows `coach history` shows, the newest; --all shows every one


def by(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows grouped by one column, each group in the rows' order: one pass, so a history of 20,000
    sessions is read in linear time (a scan of every rating for every session took 73 s)."""
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for r in rows:
        if r[key] is not None:
            grouped.setdefault(r[key], []).append(r)
    return grouped


def table(h: History, every: bool = False) -> str | None:
    """Sessions, tests and dose changes, newest first: when, what, how it ended and where, leg pain
    before → after; the newest PAGE of them unless `every`, with a last line counting the rest.
    None when there are none."""
    ratings = h.table("ratings")
    of_session, of_trial = by(ratings, "session_id"), by(ratings, "trial_id")
    rows: list[tuple[str, str, str, str, str]] = []
    for s in h.table("sessions"):
        mine = of_session.get(s["id"], [])
        before = next((r for r in mine if r["moment"] == "before"), None)
        after = next((r for r in mine if r["moment"] == "after"), None)
        options = json.loads(s["options"] or "{}")
        what = f"{s['routine']} session" + (" with check-ins" if options.get("check_in") else "")
        ended = OUTCOMES.get(s["outcome"], s["outcome"])
        if s["outcome"] not in ("completed", "running") and s["step"]:
            ended += f" at {s['step']}"
        if s["underflows"]:
            ended += f" ({s['underflows']} audio gap{'s' if s['underflows'] > 1 else ''})"
        rows.append((_when(s["started"]), what, ended, _pain(before), _pain(after)))
    for t in h.table("trials"):
        mine = of_trial.get(t["id"], [])
        base = next((r for r in mine if r["moment"] == "baseline"), None)
        last = next((r for r in reversed(mine) if r["moment"] == "after"), None)
        ended = f"result: {t['result']}" if t["outcome"] == "completed" else OUTCOMES.get(t["outcome"], t["outcome"])
        if t["outcome"] not in ("completed", "running") and t["step"]:
            ended += f" at {t['step']}"
        rows.append((_when(t["started"]), "test", ended, _pain(base), _pain(last)))
    changes: dict[tuple[str, str, str, str], list[str]] = {}  # the dose over time: one row a change
    for d in h.table("doses"):
        dose = f"{d['hold']} s x {d['count']}" if d["hold"] is not None else f"{d['count']} reps"
        changes.setdefault((d["at"], d["routine"], d["change"], d["reason"]), []).append(f"{d['exercise']} {dose}")
    for (at, routine, change, reason), exercises in changes.items():
        verb = {"up": "stepped up", "down": "stepped back", "declined": "step up declined"}.get(change, change)
        rows.append((_when(at), f"{routine} dose", f"{verb} ({reason}): {', '.join(exercises)}", "", ""))
    if not rows:
        return None
    rows.sort(key=lambda r: r[0], reverse=True)
    older = 0 if every else max(0, len(rows) - PAGE)
    rows = rows if every else rows[:PAGE]
    head = ("when", "what", "how it ended", "leg pain before", "after")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if older:
        lines.append(f"... and {older} older: 'coach history --all' shows every row.")
    return "\n".join(lines)


def write_csv(h: History, folder: Path) -> list[Path]:
    """One CSV file per table (header row, then every row), owner-only (they hold health answers).
    All of them or none: they are written in a hidden folder beside `folder`, then moved in."""
    check_name(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"cannot write CSV files into {folder}: it is a file, not a folder.")
    parent = folder.parent
    if not parent.is_dir():
        raise InputError(f"cannot write CSV files into {folder}: the folder {parent} does not exist.")
    try:
        clean_stale(parent)
        with new_part(folder) as work:  # removed whatever happens
            work.mkdir(mode=0o700)  # private: they hold health answers
            for name in TABLES:
                rows = h.table(name)
                text = io.StringIO()
                writer = csv.writer(text)
                columns = h.columns(name)
                writer.writerow(columns)
                writer.writerows([r[c] for c in columns] for r in rows)
                fd = os.open(work / f"{name}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
                with os.fdopen(fd, "wb") as f:
                    f.write(text.getvalue().encode("utf-8"))
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(work / f"{name}.csv", PRIVATE_FILE)  # whatever the umask
            if not folder.exists():
                os.replace(work, folder)  # the folder appears whole
            else:
                for name in TABLES:  # the same file system: each file moves in whole
                    os.replace(work / f"{name}.csv", folder / f"{name}.csv")
    except OSError as e:
        raise InputError(f"cannot write CSV files into {folder}: {why(e)}. Nothing was written.") from e
    return [folder / f"{name}.csv" for name in TABLES]
