"""What a clinician reads first, at the top of `coach history` and on the report's first page
(issue 27, item 8): red flags (each safety answer that was yes, and whether it has been cleared),
the directions barred and why, and the worse days (sessions that ended worse or were stopped for
symptoms, test positions that did not settle)."""

from __future__ import annotations

from typing import Sequence

from coach.clinical import evidence
from coach.clinical.response import Verdict, reasons_text
from coach.clinical.screening import CLEARABLE, EMERGENCY, screening
from coach.core import records
from coach.core.words import Words
from coach.storage.history import OUTCOMES

TITLE = "Red flags, bars and worse days, first"


def _cleared(screened: records.Screening, kind: str | None, clearances: Sequence[records.Clearance]) -> str:
    """Whether a safety yes has been lifted, as a clause."""
    if kind is None:
        return "; blocked that day"
    seen = next((c for c in clearances if c.kind == kind and c.at >= screened.at), None)
    who = "a clinician" if kind == EMERGENCY else "a doctor"
    if seen is not None:
        return f"; cleared: {who} has seen it ({seen.day})"
    return f"; not yet cleared: no exercise until {who} has seen it"


def red_flags(record: records.Record, words: Words) -> list[str]:
    """Each screening answered yes, oldest first."""
    signs = screening(words).signs
    answers = records.grouped(record.answers, lambda a: a.screening_id)
    lines = []
    for sc in record.screenings:
        if sc.outcome not in (EMERGENCY, "urgent"):
            continue
        yes = [a.question for a in answers.get(sc.id, []) if a.answer == "yes"]
        kind = EMERGENCY if sc.outcome == EMERGENCY else next((q for q in yes if q in CLEARABLE), None)
        said = ", ".join(signs.get(q, q) for q in yes) or "a safety question"
        level = "emergency care" if sc.outcome == EMERGENCY else "see a doctor first"
        lines.append(f"{sc.day}: safety answer yes: {said} ({level}){_cleared(sc, kind, record.clearances)}.")
    return lines


def worse_days(record: records.Record, words: Words) -> list[str]:
    """Sessions that ended worse or were stopped for symptoms, and test positions that did not
    settle, oldest first, each with what changed."""
    found: list[tuple[str, str]] = []
    for s in record.sessions:
        if s.outcome not in ("worse", "symptoms") and s.response != "worse":
            continue
        ended = OUTCOMES.get(s.outcome, s.outcome) + (f" at {s.step}" if s.step else "")
        why = ": " + reasons_text(Verdict.from_dict(s.response_reasons), words) if s.response_reasons else ""
        found.append((s.started, f"{s.day}: {s.routine} session, {ended}{why}."))
    for t in record.trials:
        for f in t.flares:
            position = evidence.position_name(f["exercise"], words)
            why = reasons_text(Verdict.from_dict(f["verdict"]), words)
            found.append((t.started, f"{t.day}: test, {position}: {why}; not settled after the rest."))
    return [line for _, line in sorted(found)]


def first(record: records.Record, words: Words) -> list[str]:
    """Red flags, then the bars standing today, then the worse days."""
    bars = [b.text(words) for b in evidence.recommendation(record, words).barred]
    return [*red_flags(record, words), *bars, *worse_days(record, words)]


def overview(record: records.Record, words: Words, table: str | None) -> str:
    """`coach history`: what comes first, then the table of sessions and tests (None: none yet),
    then when to get seen."""
    parts = []
    attention = first(record, words)
    if attention:
        parts.append("\n".join([TITLE + ":", *(f"  - {line}" for line in attention)]))
    if table is not None:
        parts.append(table)
    notices = evidence.notices(record)
    if notices:
        parts.append("\n".join(["When to get seen:", *(f"  - {n.text(words)}" for n in notices)]))
    if not parts:
        return "Nothing recorded yet. 'coach test' finds your direction; 'coach start' runs a session."
    return "\n\n".join(parts)
