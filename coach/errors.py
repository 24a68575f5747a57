"""Domain errors. The CLI turns each into one line and its exit code."""


class CoachError(Exception):
    """The machine or an engine failed (no device, no speech engine): exit 1."""

    exit_code = 1


class InputError(CoachError):
    """The invocation or an input is wrong and the user can fix it: exit 2."""

    exit_code = 2


class NoOutputDevice(CoachError):
    """No audio output device: a session can still be rendered to a file."""
