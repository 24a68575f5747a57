"""The pain history: sessions, ratings, screening answers and test trials, in SQLite.

Nothing is lost: every write is its own short transaction in WAL mode, so a crash leaves the
database consistent and two coach processes can write at once (the second waits its turn).
A session is recorded as "running" when it starts and updated as it goes, so one that dies
without a word (killed, power cut) is found on the next start and marked interrupted where it
got to. A damaged database file is set aside, never deleted, and a fresh one is started.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from coach.core import records
from coach.core.errors import CoachError
from coach.storage import database, paths
from coach.storage import rows as rows_of
from coach.storage.database import MIGRATIONS, WAIT  # noqa: F401  (the history's schema, for its readers)
from coach.storage.rows import usable

FILE = "history.sqlite3"

OUTCOMES = {  # how a session or test ended, as stored → as shown
    "running": "running",
    "completed": "completed",
    "quit": "quit",
    "symptoms": "stopped for symptoms",
    "screening": "stopped by the safety questions",
    "interrupted": "interrupted",
    "no-answer": "stopped: no answer",
    "worse": "ended worse",  # completed, and the pain was worse after than before
}

TABLES = ("sessions", "ratings", "screenings", "screening_answers", "trials", "confirmations", "clearances", "doses")


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def today() -> str:
    return dt.date.today().isoformat()


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class History:
    db: sqlite3.Connection
    path: Path
    notice: str | None = None  # said once to the user: a damaged file set aside, sessions found cut off
    read_only: bool = False  # opened only to read, where it cannot be written

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, write: bool = True) -> "History":
        """The history at `path` (the user's data folder by default). `write=False` is for commands
        that only read it: they work in a read-only folder, and with no history at all."""
        path = path or paths.data_dir() / FILE
        database.dangling(path)
        if not write and not database.usable_folder(path.parent):
            return cls._read_only(path)
        database.private_folder(path.parent)
        if database.read_only_folder(path.parent):
            raise database.cannot_write(path.parent)
        notice = None
        if database.misplaced(path):  # a folder, a symlink loop, a device where the file should be
            db, notice = cls._fresh(path, "it is not a file")
        else:
            try:
                db = database.connect(path)
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    raise CoachError(f"the history file {path} is busy: another program holds it ({e}).") from e
                if path.exists() and not os.access(path, os.W_OK):
                    raise database.cannot_write(path.parent) from e
                if not path.exists() or os.access(path, os.R_OK | os.W_OK):
                    raise CoachError(f"cannot open the history file {path}: {e}.") from e
                db, notice = cls._fresh(path, e)
            except sqlite3.DatabaseError as e:  # not a database, a damaged one, or another program's
                db, notice = cls._fresh(path, e)
        database.private_files(path)
        notice = " ".join(filter(None, [notice, rows_of.skipped(db)]))  # bad rows: named once, skipped
        history = cls(db, path, notice or None)
        cut = history._close_abandoned()
        if cut:
            more = f"{cut} earlier session{'s' if cut > 1 else ''} ended without finishing and"
            said = f"{more} {'were' if cut > 1 else 'was'} recorded as interrupted."
            history.notice = " ".join(filter(None, [history.notice, said]))
        return history

    @classmethod
    def _read_only(cls, path: Path) -> "History":
        """The history opened for reading only, where it cannot be written; empty if there is none."""
        if not path.is_file():
            db = database.connect(Path(":memory:"))
        else:
            try:  # immutable: in a read-only folder SQLite cannot make the WAL index it would want
                db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True, check_same_thread=False)
                db.row_factory = sqlite3.Row
                version = db.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.Error as e:
                raise CoachError(f"cannot read the history file {path}: {e}.") from e
            if version != len(MIGRATIONS):
                db.close()
                raise CoachError(f"the history file {path} needs an update that cannot be written: "
                                 f"{database.cannot_write(path.parent)}")
        return cls(db, path, None, read_only=True)

    @staticmethod
    def _fresh(path: Path, why: Exception | str) -> tuple[sqlite3.Connection, str]:
        kept = database.set_aside(path)
        try:
            db = database.connect(path)
        except sqlite3.Error as e:
            raise CoachError(f"cannot start a new history file {path}: {e}.") from e
        return db, f"Your history file could not be read ({why}); it was kept as {kept} and a new one was started."

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "History":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, sql: str, args: Iterable[Any] = ()) -> int:
        if self.read_only:
            raise database.cannot_write(self.path.parent)
        try:
            with self.db:
                return self.db.execute(sql, tuple(args)).lastrowid or 0
        except sqlite3.Error as e:
            raise CoachError(f"writing the history failed ({e}); {self.path}") from e

    def _rows(self, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            return [dict(r) for r in self.db.execute(sql, tuple(args))]
        except sqlite3.Error as e:
            raise CoachError(f"reading the history failed ({e}); {self.path}") from e

    def _close_abandoned(self) -> int:
        """Sessions and tests still 'running' whose process is gone were cut off: say so."""
        cut = 0
        for table in ("sessions", "trials"):
            for row in self._rows(f"SELECT id, pid FROM {table} WHERE outcome = 'running'"):
                if row["pid"] != os.getpid() and not _alive(row["pid"]):
                    self._write(
                        f"UPDATE {table} SET outcome = 'interrupted', reason = ?, "
                        "ended = COALESCE(ended, ?) WHERE id = ? AND outcome = 'running'",
                        ("the coach stopped without finishing (killed, crashed or a power cut)", now(), row["id"]),
                    )
                    cut += table == "sessions"
        return cut

    # -- sessions and tests ---------------------------------------------------------------------

    def start_session(self, routine: str, options: dict[str, Any], direction: str | None = None) -> int:
        return self._write(
            "INSERT INTO sessions (routine, options, started, pid, direction) VALUES (?, ?, ?, ?, ?)",
            (routine, json.dumps(options, sort_keys=True), now(), os.getpid(), direction),
        )

    def update(self, table: str, row_id: int, **fields: Any) -> None:
        """Set columns of a session or trial as it goes (a flare is kept even if the test is cut off)."""
        assert table in ("sessions", "trials") and fields
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._write(f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row_id))

    def start_trial(self) -> int:
        return self._write("INSERT INTO trials (started, pid) VALUES (?, ?)", (now(), os.getpid()))

    def progress(self, table: str, row_id: int, step: str, seconds: float | None = None) -> None:
        """Where a running session or test has got to, so an interruption says where it happened."""
        assert table in ("sessions", "trials")
        if table == "sessions":
            self._write("UPDATE sessions SET step = ?, at_seconds = ? WHERE id = ?", (step, seconds, row_id))
        else:
            self._write("UPDATE trials SET step = ? WHERE id = ?", (step, row_id))

    def end(self, table: str, row_id: int, outcome: str, reason: str | None = None, **fields: Any) -> None:
        assert table in ("sessions", "trials") and outcome in OUTCOMES
        sets = ", ".join(f"{k} = ?" for k in fields)
        self._write(
            f"UPDATE {table} SET outcome = ?, reason = ?, ended = ?{', ' + sets if sets else ''} WHERE id = ?",
            (outcome, reason, now(), *fields.values(), row_id),
        )

    # -- ratings --------------------------------------------------------------------------------

    def add_rating(self, moment: str, *, leg: int | None = None, back: int | None = None,
                   reach: str | None = None, compared: str | None = None, exercise: str | None = None,
                   session_id: int | None = None, trial_id: int | None = None,
                   verdict: str | None = None, at: str | None = None, numbness: str | None = None,
                   reasons: str | None = None, given: str | None = None) -> int:
        return self._write(
            "INSERT INTO ratings (at, session_id, trial_id, moment, exercise, leg, back, reach, compared, verdict, "
            "numbness, reasons, given) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (at or now(), session_id, trial_id, moment, exercise, leg, back, reach, compared, verdict,
             numbness or None, reasons, given),
        )

    # -- screening ------------------------------------------------------------------------------

    def record_screening(self, purpose: str, answers: Sequence[tuple[str, ...]], outcome: str,
                         advice: str | None = None) -> int:
        """One screening and its answers, in one transaction: (question id, text, yes|no), and how
        it was given (key, voice) when known."""
        try:
            with self.db:
                sid = self.db.execute(
                    "INSERT INTO screenings (at, day, purpose, outcome, advice) VALUES (?, ?, ?, ?, ?)",
                    (now(), today(), purpose, outcome, advice),
                ).lastrowid
                self.db.executemany(
                    "INSERT INTO screening_answers (screening_id, question, text, answer, given) VALUES (?, ?, ?, ?, ?)",
                    [(sid, q, text, a, given[0] if given else None) for q, text, a, *given in answers],
                )
        except sqlite3.Error as e:
            raise CoachError(f"writing the history failed ({e}); {self.path}") from e
        return sid or 0

    def emergency_block(self) -> records.Screening | None:
        """The newest emergency-level screening no clearance has come after: it blocks every
        session, whatever the day, until the person records that a clinician has seen them."""
        rows = self._rows("SELECT * FROM screenings WHERE outcome = 'emergency' ORDER BY id DESC LIMIT 1")
        if not rows:
            return None
        seen = self.cleared("emergency")
        return None if seen is not None and seen.at >= rows[0]["at"] else rows_of.screening(rows[0])

    def record_clearance(self, kind: str, note: str | None = None) -> int:
        """A clinician has seen the person (after an emergency-level answer), or a doctor has
        checked this back pain (given a history of cancer): recorded with the date."""
        return self._write("INSERT INTO clearances (at, day, kind, note) VALUES (?, ?, ?, ?)",
                           (now(), today(), kind, note))

    def cleared(self, kind: str) -> records.Clearance | None:
        found = self._rows(f"SELECT * FROM clearances WHERE kind = ? AND {usable('clearances')} "
                           "ORDER BY id DESC LIMIT 1", (kind,))
        return rows_of.clearance(found[0]) if found else None

    def record_confirmation(self, direction: str, reason: str, answer: str) -> int:
        """A person chose a barred direction with its flag, and was asked to confirm."""
        return self._write("INSERT INTO confirmations (at, direction, reason, answer) VALUES (?, ?, ?, ?)",
                           (now(), direction, reason, answer))

    def link_confirmation(self, confirmation_id: int, session_id: int) -> None:
        self._write("UPDATE confirmations SET session_id = ? WHERE id = ?", (session_id, confirmation_id))

    def yes_answer(self, screening_id: int) -> str | None:
        """The question a screening stopped on."""
        rows = self._rows("SELECT question FROM screening_answers WHERE screening_id = ? AND answer = 'yes' "
                          "ORDER BY id LIMIT 1", (screening_id,))
        return rows[0]["question"] if rows else None

    def last_no(self, question: str) -> dt.date | None:
        """The newest day a safety question was answered no."""
        rows = self._rows("SELECT s.day FROM screening_answers a JOIN screenings s ON s.id = a.screening_id "
                          "WHERE a.question = ? AND a.answer = 'no' ORDER BY s.day DESC LIMIT 1", (question,))
        return dt.date.fromisoformat(rows[0]["day"]) if rows else None

    def screening_today(self) -> records.Screening | None:
        """Today's screening that reached an outcome: a stop outranks a clear one."""
        rows = self._rows(
            "SELECT * FROM screenings WHERE day = ? AND outcome IN ('clear', 'emergency', 'urgent') "
            "ORDER BY outcome = 'clear', id DESC LIMIT 1",
            (today(),),
        )
        return rows_of.screening(rows[0]) if rows else None

    def safety(self) -> records.Safety:
        """Where the safety questions stand today."""
        now_ = self.screening_today()
        return records.Safety(self.emergency_block(), now_, self.yes_answer(now_.id) if now_ else None,
                              self.cleared("emergency"))

    # -- reading --------------------------------------------------------------------------------

    def trials(self) -> list[records.Trial]:
        """Every test trial, newest first (cut-off ones too: a flare they recorded still counts)."""
        return [rows_of.trial(r) for r in
                self._rows(f"SELECT * FROM trials WHERE {usable('trials')} ORDER BY started DESC, id DESC")]

    def record(self) -> records.Record:
        """The whole history as values, each table oldest first, a bad row skipped."""
        return records.Record(
            sessions=tuple(map(rows_of.session, self.table("sessions"))),
            trials=tuple(map(rows_of.trial, self.table("trials"))),
            ratings=tuple(map(rows_of.rating, self.table("ratings"))),
            doses=tuple(map(rows_of.dose, self.table("doses"))),
            screenings=tuple(map(rows_of.screening, self.table("screenings"))),
            answers=tuple(map(rows_of.answer, self.table("screening_answers"))),
            clearances=tuple(map(rows_of.clearance, self.table("clearances"))),
        )

    def table(self, name: str) -> list[dict[str, Any]]:
        """A table's usable rows as stored, oldest first: for the CSV files and `history --json`."""
        assert name in TABLES
        return self._rows(f"SELECT * FROM {name} WHERE {usable(name)} ORDER BY id")  # a bad row skipped

    def columns(self, name: str) -> list[str]:
        assert name in TABLES
        return [r["name"] for r in self._rows(f"PRAGMA table_info({name})")]

    def export(self) -> dict[str, list[dict[str, Any]]]:
        return {name: self.table(name) for name in TABLES}

    def record_dose(self, routine: str, change: str, reason: str, levels: Sequence[tuple[str, int | None, int]]) -> None:
        """A dose change of a routine (or a step up declined): (exercise, hold, count) each, in one
        transaction."""
        at = now()
        with self.db:
            self.db.executemany(
                "INSERT INTO doses (at, routine, exercise, hold, count, change, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(at, routine, ex, hold, count, change, reason) for ex, hold, count in levels])

    def record_position(self, routine: str, change: str, reason: str, exercise: str, replaces: str) -> None:
        """A move to a next position (`exercise` in place of `replaces`), back from it, or declined."""
        self._write("INSERT INTO doses (at, routine, exercise, hold, count, change, reason, replaces) "
                    "VALUES (?, ?, ?, NULL, 0, ?, ?, ?)", (now(), routine, exercise, change, reason, replaces))

    def doses(self, routine: str) -> list[records.Dose]:
        """A routine's dose changes and declined steps, oldest first."""
        return [rows_of.dose(r) for r in
                self._rows(f"SELECT * FROM doses WHERE routine = ? AND {usable('doses')} ORDER BY at, id", (routine,))]

    def sessions_of(self, routine: str) -> list[records.Session]:
        """A routine's sessions, oldest first."""
        return [rows_of.session(r) for r in self._rows(
            f"SELECT * FROM sessions WHERE routine = ? AND {usable('sessions')} ORDER BY started, id", (routine,))]

    def leg_ratings(self) -> list[records.Rating]:
        """Every rating with a leg pain or reach, oldest first."""
        return [rows_of.rating(r) for r in self._rows(
            f"SELECT * FROM ratings WHERE (leg IS NOT NULL OR reach IS NOT NULL) AND {usable('ratings')} ORDER BY at, id")]


