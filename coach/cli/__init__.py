"""The command line: each command parses, calls one function of the application (coach/app),
and turns domain errors into one line and an exit code (coach/cli/base.py).

Split by command area; importing them registers the commands on the group."""

from __future__ import annotations

import sys

from coach.cli import listing, records, session, settings, system  # noqa: F401  (registers the commands)
from coach.cli.base import cli


def _quiet_native_stderr() -> None:
    """Keep what C libraries print straight to file descriptor 2 (PortAudio's "Expression ...
    failed" when the sound server goes, ALSA's and espeak's own lines) off the person's screen:
    fd 2 goes to /dev/null for the life of the process, and Python's stderr, which carries the
    coach's one line, is moved to a copy of the real one. `--debug` keeps everything."""
    import io
    import os

    try:
        sys.stderr.flush()
        real = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):
        return
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    sys.stderr = io.TextIOWrapper(io.FileIO(real, "w"), encoding=encoding, errors="backslashreplace",
                                  line_buffering=True, write_through=True)
    os.dup2(null, 2)
    os.close(null)


def main() -> None:
    if "--debug" not in sys.argv[1:]:
        _quiet_native_stderr()
    try:
        cli(prog_name="coach")
    except BrokenPipeError:  # `coach script | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
