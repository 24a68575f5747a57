"""The history for spreadsheets: CSV files, one per table, as stored."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from coach.core.errors import InputError
from coach.core.files import why
from coach.storage.atomic import check_name, clean_stale, new_part
from coach.storage.history import TABLES, History
from coach.storage.paths import PRIVATE_FILE


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
