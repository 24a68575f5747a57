"""Domain errors. The CLI turns each into one line and its exit code."""

import contextlib
from typing import Iterator


class CoachError(Exception):
    """The machine or an engine failed (no device, no speech engine): exit 1.

    Its text names no flag and no command: `ways` are what the person can do about it, as keys
    of WAYS, and the command line words them ("write it in parts with --split FOLDER")."""

    exit_code = 1

    def __init__(self, *args: object, ways: tuple[str, ...] = ()):
        super().__init__(*args)
        self.ways = ways


# what a person can do about an error, by key; worded by the command line (coach/cli/base.py)
WAYS = ("voices", "doctor", "split", "fewer", "shorter", "other-folder", "force", "test-first", "test-again",
        "rest", "flexion", "extension", "faster", "routines", "toml", "phone_address")


class InputError(CoachError):
    """The invocation or an input is wrong and the user can fix it: exit 2."""

    exit_code = 2


class DoseError(InputError):
    """A dose the exercise data does not allow, as values: what was asked (`asked`: "only",
    "hold", "reps", "side" or "first"), its `value`, the `exercise` it was checked against, what
    is `allowed` (a range's text or the choices), and `why`: "unknown", "elsewhere" (not in the
    routine), "not-held" (a hold, and only exercises that go by reps), or "range". Its text names
    no flag; the command line words it for the person (coach/cli/base.py)."""

    def __init__(self, asked: str, value: object, why: str, exercise: str = "", allowed: str = ""):
        self.asked, self.value, self.why, self.exercise, self.allowed = asked, value, why, exercise, allowed
        where = f" for {exercise}" if exercise else ""
        super().__init__(f"{asked} {value!s} is not allowed{where} ({why}; allowed: {allowed}).")


class NoDirection(InputError):
    """No routine to follow: no test found a direction, or every direction is barred. `spoken`
    is what to do next, in the session's language, for someone lying down; `ways` what to do,
    printed (a direction that is barred is never one of them)."""

    def __init__(self, message: str, spoken: tuple[str, ...], ways: tuple[str, ...] = ()):
        super().__init__(message, ways=ways)
        self.spoken = spoken


class NotPlayed(CoachError):
    """No audio output: the session was saved as a file instead of played (exit 1: the machine
    could not do what was asked). Its message is the whole line, with no "Error:"."""

    plain = True


class NoOutputDevice(CoachError):
    """No audio output device: a session can still be rendered to a file."""


class SafetyStop(CoachError):
    """The coach stopped for the person's safety; the advice has been said. Shown without "Error:"."""

    plain = True


class ScreeningStop(SafetyStop):
    """A safety question was answered yes: no exercise today."""

    exit_code = 3


class SymptomStop(SafetyStop):
    """The pain got worse during a session or test."""

    exit_code = 4


class EndedWorse(SymptomStop):
    """A session played to its end, and the pain was worse after it than before."""


class Interrupted(BaseException):
    """SIGTERM or SIGHUP (a closed terminal) arrived: stop like Ctrl-C, record, and exit."""

    def __init__(self, signum: int):
        import signal

        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGHUP (the terminal closed) stop the coach the way Ctrl-C does: files being
    written are removed, the session is recorded, and the exit code says which signal it was."""
    import signal

    def stop(signum, frame):
        raise Interrupted(signum)

    saved = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


class Declined(SafetyStop):
    """The person chose not to do a barred direction today: nothing was played; not a failure."""

    exit_code = 0


class Quit(CoachError):
    """The person quit the session with q, q: not a failure."""

    plain = True
    exit_code = 0
