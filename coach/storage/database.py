"""The history's file: where it may live, how it is opened (private, WAL, migrated), and what is
done when it is damaged or cannot be written (set aside, never deleted; one clear line).
coach/storage/history.py reads and writes the rows."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import time
from pathlib import Path

from coach.core.errors import CoachError, InputError
from coach.storage import paths
from coach.storage import rows as row_rules

WAIT = 30.0  # seconds to wait for another coach process's write

# Ordered migrations: the database's user_version is how many have been applied. Never edit
# one that has shipped; add the next.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: sessions, ratings and screening
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            started TEXT NOT NULL,
            ended TEXT,
            outcome TEXT NOT NULL DEFAULT 'running',
            step TEXT,
            at_seconds REAL,
            reason TEXT,
            pid INTEGER)""",
        """CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            session_id INTEGER REFERENCES sessions(id),
            moment TEXT NOT NULL,
            exercise TEXT,
            leg INTEGER CHECK (leg BETWEEN 0 AND 10),
            back INTEGER CHECK (back BETWEEN 0 AND 10),
            reach TEXT,
            compared TEXT)""",
        """CREATE TABLE screenings (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            day TEXT NOT NULL,
            purpose TEXT NOT NULL,
            outcome TEXT NOT NULL,
            advice TEXT)""",
        """CREATE TABLE screening_answers (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            question TEXT NOT NULL,
            text TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')))""",
    ),
    (  # 2: directional-preference test trials; ratings may belong to one
        """CREATE TABLE trials (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            ended TEXT,
            outcome TEXT NOT NULL DEFAULT 'running',
            step TEXT,
            reason TEXT,
            result TEXT,
            worse TEXT NOT NULL DEFAULT '[]',
            reasons TEXT NOT NULL DEFAULT '[]',
            pid INTEGER)""",
        "ALTER TABLE ratings ADD COLUMN trial_id INTEGER REFERENCES trials(id)",
        "ALTER TABLE ratings ADD COLUMN verdict TEXT",
        "CREATE INDEX ratings_at ON ratings (at)",
    ),
    (  # 3: the body's response (issue 12): numbness, reasons as data, settling, bars and clearances
        "ALTER TABLE ratings ADD COLUMN numbness TEXT CHECK (numbness IN ('yes', 'no'))",
        "ALTER TABLE ratings ADD COLUMN reasons TEXT",  # the verdict with its reasons, JSON
        "ALTER TABLE trials ADD COLUMN better TEXT NOT NULL DEFAULT '[]'",  # directions that helped
        "ALTER TABLE trials ADD COLUMN caution TEXT NOT NULL DEFAULT '[]'",  # flared, then settled
        "ALTER TABLE trials ADD COLUMN flares TEXT NOT NULL DEFAULT '[]'",  # [{direction, exercise, verdict}]
        "ALTER TABLE sessions ADD COLUMN direction TEXT",
        "ALTER TABLE sessions ADD COLUMN response TEXT",  # better | same | worse | mixed
        "ALTER TABLE sessions ADD COLUMN response_reasons TEXT",  # the verdict with its reasons, JSON
        """CREATE TABLE confirmations (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            direction TEXT NOT NULL,
            reason TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
            session_id INTEGER REFERENCES sessions(id))""",
        """CREATE TABLE clearances (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            day TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('emergency', 'cancer')),
            note TEXT)""",
    ),
    # 4: the audio's gaps (output underflows) in each live session, so a stutter is on record
    ("ALTER TABLE sessions ADD COLUMN underflows INTEGER",),
    (  # 5: how each answer was given (issue 15): "key" (a key or a typed line), "voice", or "key+voice"
        "ALTER TABLE ratings ADD COLUMN given TEXT",
        "ALTER TABLE screening_answers ADD COLUMN given TEXT",
    ),
    (  # 6: the dose follows the response (issue 17): each step up, step back, or step up declined;
        # and each move to a next position (forward), back from it, or a next position declined (stayed):
        # then exercise is the next position's exercise, in place of `replaces`, and count is 0
        """CREATE TABLE doses (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            routine TEXT NOT NULL,
            exercise TEXT NOT NULL,
            hold INTEGER,
            count INTEGER NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('up', 'down', 'declined', 'forward', 'back', 'stayed')),
            reason TEXT NOT NULL,
            replaces TEXT)""",
    ),
    (  # 7: fracture and infection risk (issue 27) are cleared by a doctor's check too; SQLite
        # cannot change a CHECK, so the table is made again with its rows
        """CREATE TABLE clearances_new (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            day TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('emergency', 'cancer', 'fracture', 'infection')),
            note TEXT)""",
        "INSERT INTO clearances_new (id, at, day, kind, note) SELECT id, at, day, kind, note FROM clearances",
        "DROP TABLE clearances",
        "ALTER TABLE clearances_new RENAME TO clearances",
    ),
)

def private_folder(folder: Path) -> None:
    try:
        paths.private_folder(folder)
    except OSError as e:
        raise fault(f"cannot create the history folder {folder}: {e.strerror or e}.", "cannot be used: ") from e


def private_files(path: Path) -> None:
    """The database and its WAL and shared-memory files: owner only, whatever the umask."""
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if (os.stat(p).st_mode & 0o777) != paths.PRIVATE_FILE:
                os.chmod(p, paths.PRIVATE_FILE)
        except OSError:
            pass  # not made yet (SQLite makes the WAL files on the first write, with the database's mode)


def fault(what: str, home_words: str = "") -> CoachError:
    """A folder the history cannot use: bad input (exit 2) when COACH_HOME chose it, else the
    machine's (exit 1)."""
    home = os.environ.get("COACH_HOME")
    if home:
        return InputError(f"COACH_HOME={home} {home_words}{what}" if home_words else what)
    return CoachError(what)


def read_only_folder(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def cannot_write(folder: Path) -> CoachError:
    return fault(f"the history folder {folder} is read-only, so nothing can be recorded: make it writable, "
                  "or set COACH_HOME to a folder that is.")


def usable_folder(folder: Path) -> bool:
    """Whether the history can be opened for writing: its folder is writable (or can be made)."""
    if not folder.exists():
        return not read_only_folder(next(p for p in folder.parents if p.exists()))
    return not read_only_folder(folder)


def misplaced(path: Path) -> bool:
    """Something that is not a regular file where the history file should be."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return False  # a dangling symlink: SQLite makes the file it points to
    except OSError:  # a symlink loop
        return True


def dangling(path: Path) -> None:
    """A link in the history's place whose target's folder is gone: say where it points and how
    to fix it (a link to a missing file in an existing folder is followed: SQLite makes the file)."""
    if not path.is_symlink():
        return
    target = Path(os.path.join(path.parent, os.readlink(path)))
    if not target.parent.is_dir():
        raise InputError(f"the history file {path} is a link to {target}, whose folder {target.parent} does not "
                         f"exist (a disk not mounted?). Mount or make that folder, or remove the link to start a "
                         f"new history: rm {path}")


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=WAIT, isolation_level=None, check_same_thread=False)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        wal(db)
        db.execute("PRAGMA synchronous = FULL")
        problems = [r[0] for r in db.execute("PRAGMA quick_check(100)")]
        if problems != ["ok"] and not row_rules.rows_only(problems):  # rows breaking a rule are skipped, not the file
            raise sqlite3.DatabaseError(f"damaged: {problems[0]}")
        if not db.execute("PRAGMA user_version").fetchone()[0]:
            other = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if other:  # a database, but another program's: never migrated into
                raise sqlite3.DatabaseError(f"it is another program's database, with the tables {', '.join(other[:5])}")
        try:
            migrate(db)
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e) or "readonly" in str(e):
                raise
            raise sqlite3.DatabaseError(f"its tables are not the coach's ({e})") from e
        db.isolation_level = "DEFERRED"  # `with db:` now opens and commits a transaction
    except BaseException:
        db.close()
        raise
    return db


def wal(db: sqlite3.Connection) -> None:
    """Switch to WAL mode. Changing the journal mode does not wait on SQLite's busy handler, so
    while another process creates the file, retry here (found by the two-writers test)."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations this file has not had yet, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise CoachError(f"the history was written by a newer coach (schema {version}); update coach.")
    while version < len(MIGRATIONS):
        db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then sees it done
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < len(MIGRATIONS):
                for statement in MIGRATIONS[version]:
                    db.execute(statement)
                version += 1
                db.execute(f"PRAGMA user_version = {version}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) to a dated name beside it; never delete it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(path, kept)
        if kept.is_file():
            os.chmod(kept, paths.PRIVATE_FILE)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    except OSError as e:
        raise CoachError(f"the history file {path} is damaged and could not be moved aside: {e.strerror or e}.") from e
    return kept
