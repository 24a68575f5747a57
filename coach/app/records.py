"""What `coach history` and `coach cleared` do with the record: the history as a table of sessions,
tests and dose changes, the trend chart, a clearance recorded."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterator

from coach.core import records
from coach.core.errors import InputError
from coach.storage.history import OUTCOMES, History, today

PAGE = 30  # rows `coach history` shows, the newest; the rest only when every row is asked for


def printer(echo: Callable[..., None]) -> Callable[..., None]:
    """`echo` for several lines at once, each printed on its own."""

    def print_lines(*lines: str) -> None:
        for line in lines:
            echo(line)

    return print_lines


@contextlib.contextmanager
def opened(echo: Callable[..., None], write: bool = True) -> Iterator[History]:
    """The history, open for the block; what it had to say on opening (a damaged file set aside,
    sessions found cut off) printed first, on stderr."""
    with History.open(write=write) as history:
        if history.notice:
            echo(history.notice, err=True)
        yield history


def trend_png(history: History, path: Path) -> Path:
    """The trend chart of leg pain and reach, by day, as a PNG image."""
    from coach.app import chart
    from coach.clinical import trend as trends

    if path.suffix.lower() != ".png":
        raise InputError(f"cannot write {path}: give a file name ending in .png.")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist.")
    t = trends.trend(history.leg_ratings())
    if t.empty:
        raise InputError("no pain ratings yet, so there is no chart to draw.")
    try:
        chart.png(t, path)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}.") from e
    return path


CLEARED = {"emergency": "a clinician has seen you since the emergency-level safety answer",
           "cancer": "a doctor has checked this back pain; the cancer question is not asked again",
           "fracture": "a doctor has checked this back pain; the steroids and thin bones question is not asked again",
           "infection": "a doctor has checked this back pain; the immune system question is not asked again"}


def clear(history: History, kind: str) -> str:
    """Record a clearance; what to print."""
    block = history.emergency_block()
    if kind == "emergency" and block is None:
        return "No emergency-level safety answer is waiting to be cleared; nothing was recorded."
    history.record_clearance(kind)
    again = " Sessions start again tomorrow." if kind == "emergency" and block and block.day == today() else ""
    return f"Recorded on {today()}: {CLEARED[kind]}.{again} The other safety questions are still asked before sessions."


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


def pain(rating: records.Rating | None) -> str:
    """A rating as "6 (calf)": leg pain and how far down it reaches; "-" for none."""
    if not rating or (rating.leg is None and rating.reach is None):
        return "-"
    return f"{'?' if rating.leg is None else rating.leg} ({rating.reach or '?'})"


def ended(outcome: str, step: str | None) -> str:
    """How a session or test ended, and where, if it did not complete."""
    said = OUTCOMES.get(outcome, outcome)
    return said + (f" at {step}" if outcome not in ("completed", "running") and step else "")


def table(record: records.Record, every: bool = False) -> tuple[str | None, int]:
    """Sessions, tests and dose changes, newest first: when, what, how it ended and where, leg pain
    before → after; the newest PAGE of them unless `every`. None when there are none; and how many
    older rows were left out."""
    sessions, trials = records.joined(record)
    rows: list[tuple[str, str, str, str, str]] = []
    for line in sessions:
        s = line.session
        what = f"{s.routine} session" + (" with check-ins" if s.options.get("check_in") else "")
        how = ended(s.outcome, s.step)
        if s.underflows:
            how += f" ({s.underflows} audio gap{'s' if s.underflows > 1 else ''})"
        rows.append((_when(s.started), what, how, pain(line.before), pain(line.after)))
    for t in trials:
        how = f"result: {t.trial.result}" if t.trial.outcome == "completed" else ended(t.trial.outcome, t.trial.step)
        rows.append((_when(t.trial.started), "test", how, pain(t.baseline), pain(t.last)))
    changes: dict[tuple[str, str, str, str], list[str]] = {}  # the dose over time: one row a change
    for d in record.doses:
        dose = f"{d.hold} s x {d.count}" if d.hold is not None else f"{d.count} reps"
        changes.setdefault((d.at, d.routine, d.change, d.reason), []).append(f"{d.exercise} {dose}")
    for (at, routine, change, reason), exercises in changes.items():
        verb = {"up": "stepped up", "down": "stepped back", "declined": "step up declined"}.get(change, change)
        rows.append((_when(at), f"{routine} dose", f"{verb} ({reason}): {', '.join(exercises)}", "", ""))
    if not rows:
        return None, 0
    rows.sort(key=lambda r: r[0], reverse=True)
    older = 0 if every else max(0, len(rows) - PAGE)
    rows = rows if every else rows[:PAGE]
    head = ("when", "what", "how it ended", "leg pain before", "after")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines), older
