"""The third hostile-input and fault round (issue 28): nothing lost, nothing overwritten, nothing
hangs. Each case through the CLI, with the damaged file or row made here."""

from __future__ import annotations

import os
import subprocess
import sys

from coach.storage.history import History


def coach_with_umask(*args: str, umask: int = 0o022):
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(umask))


def test_every_file_with_health_data_is_the_owners_alone_whatever_the_umask(tmp_path):
    """Item 6: the report, the trend chart and the calendar, like the history and the CSV."""
    with History.open() as h:
        h.add_rating("before", leg=5, reach="calf")
        h.add_rating("after", leg=4, reach="knee")
    for args, name in ((["report"], "r.pdf"), (["history", "--png"], "t.png"), (["plan", "--flexion", "--ics"], "p.ics")):
        for umask in (0o022, 0o000):
            path = tmp_path / f"{umask}-{name}"
            done = coach_with_umask(*args, str(path), umask=umask)
            assert done.returncode == 0, done.stderr
            assert path.stat().st_mode & 0o777 == 0o600, (name, oct(umask), oct(path.stat().st_mode))
