"""Preferences a person sets once: a TOML file in the user's config folder.

Each setting is also an environment variable (COACH_<KEY>) and a command-line flag. The command
line (coach/cli) decides which wins (flag > environment > file > default) and says where each value
came from; this module says what each setting may be, checks the file, and writes it. It knows no
flags: `Setting.type` is a plain value type, which the command line turns into its own.
"""

from __future__ import annotations

import builtins
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.core import data
from coach.core.checker import FileProblems
from coach.core.errors import CoachError, InputError
from coach.core.files import read_text
from coach.core.text import control
from coach.storage import paths


class Kind:
    """What one setting's values may be: `check` takes a value from the file or from `parse`
    and returns it, or raises ValueError. Plain values carry no range."""

    python: builtins.type = str

    def check(self, value: Any) -> Any:
        return value

    def parse(self, text: str) -> Any:
        """A value typed as text (a flag, an environment variable, `coach config set`)."""
        return text


class Flag(Kind):
    python = bool
    WORDS = {"1": True, "true": True, "t": True, "yes": True, "y": True, "on": True,
             "0": False, "false": False, "f": False, "no": False, "n": False, "off": False}

    def parse(self, text: str) -> Any:
        try:
            return self.WORDS[text.strip().lower()]
        except KeyError:
            raise ValueError(text) from None


class Text(Kind):
    pass


class Address(Kind):
    """An IP address of this computer on a local network (private, link-local or loopback): the
    phone's page is never served to the internet, nor on every address at once."""

    def check(self, value: Any) -> Any:
        import ipaddress

        ip = ipaddress.ip_address(str(value).strip().strip("[]"))  # ValueError when it is not one
        if ip.is_unspecified or not (ip.is_private or ip.is_loopback or ip.is_link_local):
            raise ValueError(value)
        return str(ip)


@dataclass(frozen=True)
class Range(Kind):
    """A number in a closed range, and finite (nan and inf compare false with every bound): a
    whole one when `python` is int."""

    min: float
    max: float
    python: builtins.type = float

    def check(self, value: Any) -> Any:
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise ValueError(value)
        return self.python(value)

    def parse(self, text: str) -> Any:
        return self.python(text.strip())


@dataclass(frozen=True)
class OneOf(Kind):
    choices: tuple[str, ...]

    def check(self, value: Any) -> Any:
        if value not in self.choices:
            raise ValueError(value)
        return value


class Times(Kind):
    """One or two times of day, "08:00, 18:00", kept as that text."""

    def check(self, value: Any) -> Any:
        times = sorted(_time(t) for t in str(value).split(","))
        if not 1 <= len(times) <= 2 or len(set(times)) != len(times):
            raise ValueError(value)
        return ", ".join(times)


class Span(Kind):
    """A waking day, "08:00-21:00", kept as that text."""

    def check(self, value: Any) -> Any:
        start, end = (_time(t) for t in str(value).split("-"))
        if start >= end:
            raise ValueError(value)
        return f"{start}-{end}"


@dataclass(frozen=True)
class Setting:
    key: str
    type: Kind
    default: Any
    expected: str  # what a value must be, as an error message says it
    help: str
    flag: str = ""  # the command-line flag, when not --key

    @property
    def env(self) -> str:
        return "COACH_" + self.key.upper()

    @property
    def option(self) -> str:
        return self.flag or "--" + self.key.replace("_", "-")

    @property
    def kind(self) -> builtins.type:
        """What a value is in Python: bool, int, float or str."""
        return self.type.python

    def check(self, value: Any) -> Any:
        """The value if it is valid for this setting, else ValueError."""
        kind = self.kind
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, (int, float) if kind is float else kind):
            raise ValueError(value)
        if isinstance(value, str) and control(value) is not None:
            raise ValueError(value)
        return self.type.check(value)  # a number given as 1 is kept as 1.0 by Number


def _time(text: str) -> str:
    """'8:00' as '08:00'; ValueError for anything else."""
    found = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text.strip())  # ASCII digits only: not "２３:００"
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise ValueError(text)
    return f"{int(found[1]):02d}:{found[2]}"


def _languages() -> list[str]:
    """The catalogs' codes, as coach.core.words lists them, without importing it (10 ms of
    `coach --help`): the file names alone."""
    return sorted(name.removesuffix(".toml") for name in data.names("lang"))


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("voice", Text(), None, "a voice id or name from 'coach voices'",
                "A voice id or name from 'coach voices' (default: the language's own voice; "
                "for English, the natural voice when installed)."),
        Setting("rate", Range(80, 400, int), 150, "a whole number of words a minute from 80 to 400",
                "Speaking rate, words per minute (80-400)."),
        Setting("volume", Range(0.0, 1.0), 1.0, "a number from 0 to 1", "Output volume, 0 to 1."),
        Setting("cue_volume", Range(0.0, 1.0), 1.0, "a number from 0 to 1",
                "The tones' volume beside the voice, 0 to 1."),
        Setting("cue_pitch", Range(0.5, 2.0), 1.0, "a number from 0.5 to 2",
                "The tones' pitch: 1 as made, 0.5 an octave lower, 2 an octave higher."),
        Setting("leg", OneOf(("left", "right")), None, '"left" or "right"',
                "The leg that hurts: exercises done one leg at a time start on it."),
        Setting("leg_only", Flag(), False, "true or false",
                "Do one-leg exercises on the leg that hurts only.", "--leg-only/--both-legs"),
        Setting("check_ins", Flag(), False, "true or false",
                "Ask 'better, same or worse?' after each exercise; worse stops the session.", "--check-in/--no-check-in"),
        Setting("settle", Range(1, 5, int), 2, "a whole number of minutes from 1 to 5",
                "Minutes of rest after a test position or a session that stirred the pain up, before asking again (1-5)."),
        Setting("lang", OneOf(tuple(_languages())), "en", f"a language with a catalog ({', '.join(_languages())})",
                "The session's language: a catalog's code (en English, es Spanish)."),
        Setting("listen", Flag(), True, "true or false",
                "Listen for spoken answers and commands, offline, when there is a microphone (no sound is stored).",
                "--listen/--no-listen"),
        Setting("phone", Flag(), False, "true or false",
                "Show the session on your phone and use it as the remote: a page on the local network, "
                "opened in the phone's browser (no app, no internet).", "--phone/--no-phone"),
        Setting("phone_address", Address(), None, "an IP address of this computer on a local network, as 192.168.1.20",
                "Where the phone's page listens (default: this computer's local-network address; "
                "127.0.0.1 for this computer alone)."),
        Setting("plan_full", Times(), "08:00, 18:00", "one or two times of day, as 08:00, 18:00",
                "'coach plan': when the full session is done, once or twice a day."),
        Setting("plan_every", Range(2.0, 3.0), 3.0, "a number of hours from 2 to 3",
                "'coach plan': hours between short sessions (2-3)."),
        Setting("plan_day", Span(), "08:00-21:00", "a span of the day, as 08:00-21:00",
                "'coach plan': the part of the day the short sessions fall in."),
    )
}


def file() -> Path:
    return paths.config_dir() / "config.toml"


class ConfigError(FileProblems):
    def __init__(self, where: Path, problems: list, how: str = "or change a value with 'coach config set'"):
        super().__init__(f"{where} has {{n}} problem{{s}}; fix it in a text editor, {how}:", problems)


def load(path: Path | None = None) -> dict[str, Any]:
    """The settings the file sets, checked; {} when there is no file. ConfigError lists every problem."""
    import tomllib

    path = path or file()
    text = read_text(path, "config file")
    if text is None:
        return {}
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [data.toml_problem(str(path), e)], "or remove it") from None
    except RecursionError:
        raise ConfigError(path, [data.too_deep(str(path))], "or remove it") from None
    from coach.core.checker import Checker

    c = Checker(str(path), text)
    values = {}
    for key, value in raw.items():
        setting = SETTINGS.get(key)
        if setting is None:
            c.problem(None, key, f"one of {', '.join(SETTINGS)}", key, "unknown setting")
            continue
        try:
            values[key] = setting.check(value)
        except ValueError:
            c.problem(None, key, setting.expected, data.describe(value))
    if c.problems:
        raise ConfigError(path, c.problems)
    return values


def parse(key: str, text: str) -> Any:
    """A value typed on the command line (`coach config set KEY VALUE`), checked for its setting."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise InputError(f"unknown setting '{key}': expected one of {', '.join(SETTINGS)}.")
    try:  # the text as the setting's flag would take it
        value = setting.type.parse(text)
    except ValueError:
        value = text
    try:
        return setting.check(value)
    except ValueError:
        raise InputError(f"{key}: expected {setting.expected}, found {text!r}.") from None


def write(key: str, value: Any | None) -> Path:
    """Set (or, with None, remove) one setting in the file, keeping its comments; atomically."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    from coach.storage.atomic import atomic_path, create

    path = file()
    text = read_text(path, "config file")
    try:
        doc = tomlkit.parse(text) if text is not None else tomlkit.document()
    except ParseError as e:
        raise ConfigError(path, [f"{path}:{e.line}: not valid TOML: {e}"], "or remove it") from None
    except RecursionError:
        raise ConfigError(path, [data.too_deep(str(path))], "or remove it") from None
    if text is None:
        doc.add(tomlkit.comment("coach's settings: 'coach config show' lists them, 'coach config set' changes them."))
    if value is None:
        doc.pop(key, None)
    else:
        doc[key] = value
    try:
        paths.private_folder(path.parent)
        with atomic_path(path, mode=paths.PRIVATE_FILE) as tmp, create(tmp, paths.PRIVATE_FILE) as f:
            f.write(tomlkit.dumps(doc).encode("utf-8"))
    except OSError as e:
        raise CoachError(f"cannot write {path}: {e.strerror or e}.") from e
    return path
