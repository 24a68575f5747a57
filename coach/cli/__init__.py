"""The command line: each command parses, calls one function of the application (coach/app),
and turns domain errors into one line and an exit code (coach/cli/base.py).

Split by command area; a command's module is imported when the command is used, and
registers its commands on the group then (coach/cli/group.py)."""

from __future__ import annotations

import sys

from coach.cli.group import cli

# PortAudio's own checks, printed straight to file descriptor 2 by its threads when the sound server
# goes ("Expression '...' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: 3665"), with no way
# to turn them off: its debug-print hook is not exported. These lines alone are kept off the screen.
PORTAUDIO_NOISE = r"^Expression '.*' failed in '.*', line: [0-9]+$"
OPENS_AUDIO = {"start", "test", "listen", "doctor"}  # the commands that open a PortAudio stream


def _filter_native_stderr() -> None:
    """Pass what C code writes to fd 2 through `grep -v PORTAUDIO_NOISE` in a process of its own:
    every other line reaches the terminal, a native crash's message too, even after this process
    has died (a thread of ours would die with it). Python's stderr, which carries the coach's one
    line, writes to the real one directly. ALSA's messages are turned off where they are made
    (coach/audio/sink.py). `--debug` keeps everything."""
    import io
    import os
    import shutil
    import subprocess

    grep = shutil.which("grep")
    if grep is None:
        return
    try:
        sys.stderr.flush()
        real = os.dup(2)
        child = subprocess.Popen([grep, "--line-buffered", "-v", "-E", PORTAUDIO_NOISE], stdin=subprocess.PIPE,
                                 stdout=real, stderr=real, start_new_session=True)  # Ctrl-C is not its
    except (OSError, AttributeError, ValueError):
        return
    assert child.stdin is not None
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    sys.stderr = io.TextIOWrapper(io.FileIO(real, "w"), encoding=encoding, errors="backslashreplace",
                                  line_buffering=True, write_through=True)
    os.dup2(child.stdin.fileno(), 2)
    child.stdin.close()  # fd 2 holds the pipe now: grep ends when this process (and its children) end


def main() -> None:
    args = set(sys.argv[1:])
    if args & OPENS_AUDIO and not args & {"--debug", "--help", "--version"}:  # no grep for the rest
        _filter_native_stderr()
    try:
        cli(prog_name="coach")
    except BrokenPipeError:  # `coach script | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
