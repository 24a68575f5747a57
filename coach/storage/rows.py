"""One bad row never hides the whole history (issue 28): the rules a row must keep to be used,
as SQL, so a row that breaks one (a rating of 99 put in by hand, options that are not JSON, a
dose of a million holds) is skipped where it is read and named once, and the rest is used. Only
a file SQLite cannot read at all is set aside (coach/storage/history.py)."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any, Mapping

from coach.core import records

REACHES = "'none', 'low back', 'buttock', 'thigh', 'knee', 'calf', 'foot'"  # coach/clinical/response.py REACH
RULES = {  # table → what a usable row holds
    "ratings": "(leg IS NULL OR leg BETWEEN 0 AND 10) AND (back IS NULL OR back BETWEEN 0 AND 10) "
               f"AND (reach IS NULL OR reach IN ({REACHES})) AND (numbness IS NULL OR numbness IN ('yes', 'no')) "
               "AND (compared IS NULL OR compared IN ('better', 'same', 'worse')) "
               "AND (reasons IS NULL OR json_valid(reasons))",
    "sessions": "json_valid(options) AND (response_reasons IS NULL OR json_valid(response_reasons))",
    "trials": "json_valid(worse) AND json_valid(reasons) AND json_valid(better) AND json_valid(caution) "
              "AND json_valid(flares)",
    "screening_answers": "answer IN ('yes', 'no')",
    "confirmations": "answer IN ('yes', 'no')",
    "clearances": "kind IN ('emergency', 'cancer', 'fracture', 'infection')",
    # a dose a session could play: an exercise's ranges are far inside these
    "doses": "change IN ('up', 'down', 'declined', 'forward', 'back', 'stayed') AND count BETWEEN 0 AND 100 "
             "AND (hold IS NULL OR hold BETWEEN 1 AND 3600)",
}
NOUNS = {"ratings": "pain rating", "sessions": "session", "trials": "test", "screening_answers": "safety answer",
         "confirmations": "confirmation", "clearances": "clearance", "doses": "dose change", "screenings": "screening"}
ROW_RULES = re.compile(r"^(CHECK constraint failed in|NULL value in) \w+")  # quick_check on a row, not the file


def usable(table: str) -> str:
    """The SQL condition a row of `table` must meet to be read ("1" where there is no rule)."""
    rule = RULES.get(table)
    return "1" if rule is None else f"({rule})"


def rows_only(problems: list[str]) -> bool:
    """Whether what quick_check found is only rows breaking a column's rule: the file is sound."""
    return all(ROW_RULES.match(p) for p in problems)


def skipped(db: sqlite3.Connection) -> str | None:
    """One line naming the rows that break a rule, which every reader skips; None when none do."""
    said = []
    for table, rule in RULES.items():
        try:
            n = db.execute(f"SELECT count(*) FROM {table} WHERE NOT ({rule}) OR ({rule}) IS NULL").fetchone()[0]
        except sqlite3.Error:  # a column a newer coach has not made yet, or a damaged table
            continue
        if n:
            noun = NOUNS[table] + ("s" if n > 1 else "")
            said.append(f"{n} {noun}")
    if not said:
        return None
    verb = "is" if len(said) == 1 and said[0].startswith("1 ") else "are"
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
    return (f"{listed} in your history {verb} damaged or out of range, and "
            f"{'was' if verb == 'is' else 'were'} skipped; the rest is used.")


# -- a usable row as a value (coach/core/records.py): its JSON columns decoded here, once ---------

def _json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty


def session(r: Mapping[str, Any]) -> records.Session:
    return records.Session(r["id"], r["routine"], r["started"], r["outcome"], _json(r["options"], {}), r["ended"],
                           r["step"], r["reason"], r["direction"], r["response"],
                           _json(r["response_reasons"], None), r["underflows"])


def trial(r: Mapping[str, Any]) -> records.Trial:
    return records.Trial(r["id"], r["started"], r["outcome"], r["ended"], r["step"], r["reason"], r["result"],
                         frozenset(_json(r["worse"], [])), frozenset(_json(r["better"], [])),
                         frozenset(_json(r["caution"], [])), tuple(_json(r["flares"], [])),
                         tuple(_json(r["reasons"], [])))


def rating(r: Mapping[str, Any]) -> records.Rating:
    return records.Rating(r["id"], r["at"], r["moment"], r["session_id"], r["trial_id"], r["exercise"], r["leg"],
                          r["back"], r["reach"], r["numbness"], r["compared"], _json(r["reasons"], None), r["given"])


def dose(r: Mapping[str, Any]) -> records.Dose:
    return records.Dose(r["id"], r["at"], r["routine"], r["exercise"], r["count"], r["change"], r["reason"],
                        r["hold"], r["replaces"])


def screening(r: Mapping[str, Any]) -> records.Screening:
    return records.Screening(r["id"], r["at"], r["day"], r["purpose"], r["outcome"], r["advice"])


def answer(r: Mapping[str, Any]) -> records.Answer:
    return records.Answer(r["id"], r["screening_id"], r["question"], r["text"], r["answer"], r["given"])


def clearance(r: Mapping[str, Any]) -> records.Clearance:
    return records.Clearance(r["id"], r["at"], r["day"], r["kind"], r["note"])
