"""The history in real SQLite files: migrations, damage, abandoned sessions, two writers at once."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from coach.storage import history as hist
from coach.storage.history import MIGRATIONS, History

COLUMNS = {
    "sessions": {"id", "routine", "options", "started", "ended", "outcome", "step", "at_seconds", "reason", "pid",
                 "direction", "response", "response_reasons", "underflows"},
    "ratings": {"id", "at", "session_id", "trial_id", "moment", "exercise", "leg", "back", "reach", "compared", "verdict", "given",
                "numbness", "reasons"},
    "trials": {"id", "started", "ended", "outcome", "step", "reason", "result", "worse", "reasons", "pid",
               "better", "caution", "flares"},
    "confirmations": {"id", "at", "direction", "reason", "answer", "session_id"},
    "clearances": {"id", "at", "day", "kind", "note"},
}


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def test_migrations_from_an_empty_database(tmp_path):
    path = tmp_path / "h.sqlite3"
    with History.open(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table, expected in COLUMNS.items():
        assert columns(db, table) == expected


def test_an_older_database_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sessions (routine, started, outcome) VALUES ('flexion', '2026-01-02T08:00:00+00:00', 'completed')")
    db.execute("INSERT INTO ratings (at, session_id, moment, leg, reach) VALUES ('2026-01-02T08:00:00+00:00', 1, 'before', 6, 'calf')")
    db.commit()
    db.close()
    with History.open(path) as h:
        assert h.notice is None
        assert h.table("sessions")[0]["outcome"] == "completed"
        rating = h.table("ratings")[0]
        assert (rating["leg"], rating["reach"], rating["trial_id"], rating["verdict"]) == (6, "calf", None, None)
        h.add_rating("baseline", leg=3, trial_id=h.start_trial())
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_damaged_file_is_kept_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    with History.open(path) as h:
        assert "could not be read" in h.notice and "kept as" in h.notice
        h.start_session("flexion", {})
    kept = list(tmp_path.glob("h.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    with History.open(path) as h:
        assert h.notice is None and len(h.table("sessions")) == 1


def test_a_truncated_database_is_kept_aside(tmp_path):
    path = tmp_path / "h.sqlite3"
    with History.open(path) as h:
        for _ in range(200):
            h.add_rating("before", leg=5, reach="knee")
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + bytes(len(data) - 100))  # header kept, pages zeroed
    with History.open(path) as h:
        assert h.notice and "kept as" in h.notice
        assert h.table("ratings") == []


def test_a_newer_schema_is_refused_not_damaged(tmp_path):
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.commit()
    db.close()
    import pytest

    from coach.core.errors import CoachError

    with pytest.raises(CoachError, match="newer coach"):
        History.open(path)
    assert path.exists() and not list(tmp_path.glob("*.damaged-*"))


def test_a_session_whose_process_died_is_recorded_as_interrupted(tmp_path):
    path = tmp_path / "h.sqlite3"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with History.open(path) as h:
        sid = h.start_session("flexion", {"check_in": True})
        h.progress("sessions", sid, "figure-four, left side", 123.4)
        h.db.execute("UPDATE sessions SET pid = ? WHERE id = ?", (int(dead.stdout), sid))
        h.db.commit()
        mine = h.start_session("extension", {})
    with History.open(path) as h:
        assert "1 earlier session ended without finishing" in h.notice
        rows = {r["id"]: r for r in h.table("sessions")}
        assert rows[sid]["outcome"] == "interrupted" and rows[sid]["step"] == "figure-four, left side"
        assert rows[sid]["at_seconds"] == 123.4 and rows[sid]["ended"]
        assert rows[mine]["outcome"] == "running"  # this process is alive


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from coach.storage.history import History
    h = History.open(Path(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        sid = h.start_session("flexion", {"writer": sys.argv[3], "i": i})
        h.add_rating("before", leg=i % 11, reach="knee", session_id=sid)
        h.progress("sessions", sid, f"step {i}", float(i))
        h.end("sessions", sid, "completed")
    h.close()
""")


def test_two_processes_at_once_lose_nothing(tmp_path):
    path, n = tmp_path / "h.sqlite3", 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n), name], stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM sessions WHERE outcome = 'completed'").fetchone()[0] == 2 * n
    assert db.execute("SELECT count(*) FROM ratings").fetchone()[0] == 2 * n
    writers = [json.loads(o)["writer"] for (o,) in db.execute("SELECT options FROM sessions")]
    assert writers.count("a") == writers.count("b") == n


def test_screening_today_a_stop_outranks_a_clear(tmp_path):
    with History.open(tmp_path / "h.sqlite3") as h:
        assert h.screening_today() is None
        h.record_screening("session", [("saddle", "Numbness?", "no")], "clear")
        assert h.screening_today().outcome == "clear"
        h.record_screening("test", [("saddle", "Numbness?", "yes")], "emergency", "Get help.")
        assert h.screening_today().outcome == "emergency"
        h.record_screening("session", [("saddle", "Numbness?", "no")], "incomplete")
        assert h.screening_today().outcome == "emergency"
        answers = h.table("screening_answers")
        assert [a["answer"] for a in answers] == ["no", "yes", "no"]


def test_trials_newest_first(tmp_path):
    with History.open(tmp_path / "h.sqlite3") as h:
        for result, worse in (("flexion", []), ("unclear", ["extension"]), ("extension", [])):
            tid = h.start_trial()
            h.end("trials", tid, "completed", result=result, worse=json.dumps(worse))
        cut = h.start_trial()
        h.end("trials", cut, "interrupted")
        assert [(t.result, t.worse) for t in h.trials()] == [
            (None, frozenset()), ("extension", frozenset()), ("unclear", {"extension"}), ("flexion", frozenset())]
        from coach.clinical import evidence

        assert [(t.result, t.worse) for t in evidence.trials(h.record())] == [  # the completed ones
            ("extension", frozenset()), ("unclear", frozenset({"extension"})), ("flexion", frozenset())]


def test_the_default_place_is_under_coach_home(fresh_home):
    with History.open() as h:
        assert h.path == fresh_home / "data" / hist.FILE


def test_one_join_gives_each_session_and_test_its_own_ratings():
    """Issue 29, item 1: the text history and the PDF report read the same join (pure values)."""
    from coach.core import records as r

    s1, s2 = r.Session(1, "flexion", "2026-01-01T09:00", "completed"), r.Session(2, "flexion", "2026-01-02T09:00", "quit")
    t = r.Trial(1, "2026-01-03T09:00", "completed", result="flexion")
    ratings = (r.Rating(1, "a", "before", session_id=1, leg=5), r.Rating(2, "b", "check-in", session_id=1),
               r.Rating(3, "c", "after", session_id=1, leg=3), r.Rating(4, "d", "baseline", trial_id=1, leg=6),
               r.Rating(5, "e", "after", trial_id=1, leg=5), r.Rating(6, "f", "after", trial_id=1, leg=4))
    sessions, trials = r.joined(r.Record(sessions=(s1, s2), trials=(t,), ratings=ratings))
    assert [(x.session.id, x.before and x.before.id, x.after and x.after.id, [c.id for c in x.check_ins])
            for x in sessions] == [(1, 1, 3, [2]), (2, None, None, [])]
    assert [(x.baseline.id, x.last.id) for x in trials if x.baseline and x.last] == [(4, 6)]  # the last after


def test_the_history_hands_out_values_decoded_once(tmp_path):
    with History.open(tmp_path / "h.sqlite3") as h:
        sid = h.start_session("flexion", {"check_in": True, "only": ["knees-to-chest"]}, direction="flexion")
        h.end("sessions", sid, "completed", response="worse",
              response_reasons=json.dumps({"change": "worse", "reasons": [{"key": "spread"}]}))
        h.add_rating("before", leg=4, reach="calf", session_id=sid)
        record = h.record()
    s = record.sessions[0]
    assert s.options == {"check_in": True, "only": ["knees-to-chest"]} and s.response_reasons["change"] == "worse"
    assert (record.ratings[0].leg, record.ratings[0].reach, record.ratings[0].session_id) == (4, "calf", sid)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.routine = "extension"  # type: ignore[misc]
