"""The coach's words: one catalog per language, coach/data/lang/<code>.toml.

A catalog is loaded once per language (`catalog`) into typed fields, and checked as it loads:
a key missing, misspelled or of the wrong kind fails there, naming the key, not mid-session.
Sections keyed by data (exercises, numbers, reasons...) must have the same keys as the English
catalog. The catalog is passed to whatever speaks or prints; there is no current language.
Adding a language is adding a catalog file."""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from coach.core import data
from coach.core.errors import InputError

DEFAULT = "en"
_SIDE = re.compile(r"\{(side|other|side_m|other_m)\}")
Lines = tuple[str, ...]
Table = Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class Screen:
    """The live view's labels."""

    exercise_of: str
    safety: str  # a file's safety opening
    introduction: str
    closing: str
    side: str
    seconds_left: str
    hold_of: str
    rep_of: str
    next: str
    next_closing: str
    next_end: str
    elapsed: str
    left: str
    paused: str
    paused_hint: str
    paused_hint_listening: str  # the same, when a spoken "go on" works too
    volume: str
    keys: str
    keys_short: str
    listening: str
    heard: str


@dataclass(frozen=True, eq=False)
class FileWords:
    """A written file's tags and chapter titles."""

    title: str
    album: str
    comment: str
    chapter_side: str


@dataclass(frozen=True, eq=False)
class ScreeningWords:
    intro: str
    brief: str
    clear: str
    recording_date: str
    recording_end: str
    cleared_today: str  # said instead of the emergency advice, the day a clinician's visit is recorded
    or_list: str  # "{items}, or {last}"
    recording_groups: Mapping[str, str]  # a group's id → its signs' sentence, "{signs}: ..."
    signs: Mapping[str, str]  # a question's id → its sign, as a file names it
    advice: Mapping[str, Lines]
    questions: Mapping[str, str]


@dataclass(frozen=True, eq=False)
class Printed:
    """Lines printed and not spoken."""

    paused: str
    paused_listening: str
    using: str
    disclaimer: str
    start: str
    about: str
    making_voice: str
    rendering: str
    complete: str
    keys: str
    quit_confirm: str
    quit: str
    worse: str
    spreading: str
    session_worse: str
    barred: str
    declined: str
    declined_exercise: str
    emergency_block: str
    screening_stop: str
    emergency: str
    urgent: str
    weakness: str
    cancer: str
    fracture: str
    infection: str
    stopped_today: str
    cleared_today: str
    again: str
    answer_keys: str
    continuing: str
    no_device: str
    underflows: str
    listening: str
    keys_only: str
    no_microphone: str
    no_model: str
    listen_off: str
    mic_lost: str
    listening_now: str
    model_lost: str
    heard: str
    unclear: str
    tones: Mapping[str, str]  # a cue's name → how a printed line shows it

    def stop_advice(self, question: str, group: str) -> str:
        """What a yes to a safety question says to do: the question's own line, or its group's."""
        own = {"weakness": self.weakness, "cancer": self.cancer, "fracture": self.fracture,
               "infection": self.infection}
        return own.get(question) or {"emergency": self.emergency, "urgent": self.urgent}[group]


@dataclass(frozen=True, eq=False)
class Listen:
    """What the coach understands spoken, in a language with a recognition model: for each
    command and each answer, the phrases a person may say (coach/core/grammar.py)."""

    model: str  # the recognition model's name, as the recognizer knows it
    skip: Lines
    fillers: Lines  # words a person may say before a phrase ("and stop", "um, four"): not heard as part of it
    commands: Mapping[str, Lines]
    answers: Mapping[str, Mapping[str, Lines]]  # a question kind → the answer recorded → its phrases


@dataclass(frozen=True, eq=False)
class Words:
    """One language's catalog. Frozen and compared by identity: one instance per language, so it
    is a cache key as it is."""

    lang: str
    voice: str | None  # the engine voice for the language, when the catalog names one
    disclaimer: Lines
    cues: str
    cues_moving: str  # said after `cues` when a routine has an exercise done in reps
    exercise: str
    get_ready: str
    hold: str
    hold_once: str
    reps: str
    halfway: str
    ten_left: str
    relax: str
    and_back: str
    numbers_only: str
    own_breathe: str
    first_side: str
    switch_sides: str
    next_side: str
    own_routine: str
    routine_today: str
    two: str
    several: str
    own_caution: str
    to_back: str
    to_stomach: str
    to_sitting: str
    sitting_to_back: str
    close: Lines
    before_ratings: str
    after_ratings: str
    ratings_skip: str
    check_in: str
    stop_key: str
    symptom_stop: Lines
    resuming: str
    quit_confirm: str
    listening: str
    listen_stop: str
    quit_confirm_voice: str
    spreading_confirm_voice: str
    confirm_yes: str
    confirm_answer: str
    keys_only: str
    waiting_keys: str  # said once when a question has been asked again three times: then quiet
    waiting_voice: str
    say_yes: str
    say_yes_no: str
    say_command: str
    preferred: str
    session_still: str
    session_lasting: str
    session_settled: str
    this_session: str
    after_worse: Lines
    barred_confirm: str
    barred_declined: str
    barred_file: str
    recheck_none_with_pain: str
    recheck_leg_without_pain: str
    months: Lines
    test_intro: Lines
    test_again: str
    test_to_extension: str
    test_to_elbows: str
    test_still: str
    test_still_unknown: str
    test_lasting: str
    test_rest: Lines
    minute: str
    minutes: str
    test_rest_half: str
    test_settled: str
    test_result: str
    test_result_unclear: str
    test_trials: str
    test_end: str
    screen: Screen
    file: FileWords
    screening: ScreeningWords
    printed: Printed
    sides: Mapping[str, str]
    sides_m: Mapping[str, str]  # beside a masculine noun, where adjectives agree
    plan: Mapping[str, str]  # `coach plan`: the day's plan, printed and as a calendar
    progression: Mapping[str, str]  # the dose following the response: offers and steps back
    directions: Mapping[str, str]
    numbers: Mapping[str, str]
    exercises: Mapping[str, Table]
    routines: Mapping[str, Table]
    questions: Mapping[str, str]
    answers: Table
    reasons: Table
    referral: Mapping[str, str]
    no_direction: Mapping[str, str]  # what to do when no direction is found, said aloud
    listen: Listen | None  # None: no recognition model for this language, answers are by key
    phone: Mapping[str, str]  # the phone's page: its buttons and lines (coach/phone/)

    def number(self, n: int) -> str:
        return self.numbers[str(n)]

    def side(self, side: str) -> str:
        return self.sides[side]

    def sided(self, text: str, side: str | None) -> str:
        """An exercise's line with its sides named: {side} is the leg being worked, {other} the
        other one ({side_m}, {other_m}: the forms beside a masculine noun). Only these four are
        filled, so any other brace in a routine file's own text is said as written."""
        if side is None:
            return text
        other = "right" if side == "left" else "left"
        names = {"side": self.sides[side], "other": self.sides[other],
                 "side_m": self.sides_m[side], "other_m": self.sides_m[other]}
        return _SIDE.sub(lambda m: names[m.group(1)], text)

    def hold_of(self, n: int, total: int) -> str:
        if total == 1:
            return self.hold_once
        return self.hold.format(n=self.number(n), total=self.number(total))

    def reps_of(self, total: int) -> str:
        return self.reps.format(total=self.number(total).capitalize())

    def first_side_of(self, side: str) -> str:
        return self.first_side.format(side=self.side(side))

    def next_side_of(self, side: str) -> str:
        return self.next_side.format(side=self.side(side))

    def listed(self, names: list[str]) -> str:
        """Names in a sentence: "a", "a and b", "a, b, and c"."""
        if len(names) < 2:
            return "".join(names)
        if len(names) == 2:
            return self.two.format(first=names[0], last=names[1])
        return self.several.format(rest=", ".join(names[:-1]), last=names[-1])

    def exercise_named(self, name: str) -> str:
        return self.exercise.format(name=name)

    def to_position(self, position: str, before: str | None = None) -> str:
        """The words for changing position, from `before` to `position`."""
        if position == "back" and before == "sitting":
            return self.sitting_to_back
        return {"back": self.to_back, "stomach": self.to_stomach, "sitting": self.to_sitting}[position]

    def recheck(self, why: str) -> str:
        return {"none_with_pain": self.recheck_none_with_pain, "leg_without_pain": self.recheck_leg_without_pain}[why]


def languages() -> list[str]:
    """The language codes that have a catalog."""
    return sorted(name.removesuffix(".toml") for name in data.names("lang"))


def check_language(lang: str) -> str:
    if lang not in languages():
        raise InputError(f"no catalog for the language '{lang}': choose one of {', '.join(languages())}.")
    return lang


@cache
def catalog(lang: str = DEFAULT) -> Words:
    """The catalog of `lang`, checked: CatalogError names the first key that is wrong."""
    where = f"lang/{check_language(lang)}.toml"
    raw = dict(data.read(where))
    raw["lang"] = lang
    raw.setdefault("voice", None)
    raw.setdefault("listen", None)
    reference = raw if lang == DEFAULT else data.read(f"lang/{DEFAULT}.toml")
    return _build(Words, raw, reference, where, "")


class CatalogError(Exception):
    """A catalog that does not match the words the coach uses: a bug in a data file."""


def _build(cls: type, raw: Mapping[str, Any], reference: Mapping[str, Any], where: str, prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise CatalogError(f"{where}: unknown key '{prefix}{unknown[0]}'")
    values = {}
    for name in sorted(names):
        key = f"{prefix}{name}"
        if name not in raw:
            raise CatalogError(f"{where}: missing key '{key}'")
        values[name] = _value(hints[name], raw[name], reference.get(name), where, key)
    return cls(**values)


def _value(hint: Any, value: Any, reference: Any, where: str, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise CatalogError(f"{where}: '{key}' should be a table")
        return _build(typing.cast(type, hint), value, reference or {}, where, f"{key}.")
    if hint is str:
        if not isinstance(value, str):
            raise CatalogError(f"{where}: '{key}' should be text")
        return value
    if hint == Listen | None:
        return None if value is None else _value(Listen, value, reference, where, key)
    if hint == str | None:
        if value is not None and not isinstance(value, str):
            raise CatalogError(f"{where}: '{key}' should be text")
        return value
    if hint == Lines:
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            raise CatalogError(f"{where}: '{key}' should be a list of lines")
        return tuple(value)
    if not isinstance(value, dict):  # a Mapping section: keys as the English catalog's
        raise CatalogError(f"{where}: '{key}' should be a table")
    _same_keys(value, reference, where, key)
    if key == "screening.advice":
        return {k: tuple(v) for k, v in value.items()}
    return value


def _same_keys(value: Any, reference: Any, where: str, key: str) -> None:
    if key.startswith("answers.") and key.count(".") == 1 and isinstance(reference, dict):
        recorded, expected = sorted(v[0] for v in value.values()), sorted(v[0] for v in reference.values())
        if recorded != expected:  # the keys are the language's own; the answers they record are not
            raise CatalogError(f"{where}: '{key}' records {recorded}, expected {expected}")
        return
    if isinstance(reference, dict):
        if not isinstance(value, dict):
            raise CatalogError(f"{where}: '{key}' should be a table")
        for k in sorted(set(reference) | set(value)):
            if k not in value:
                raise CatalogError(f"{where}: missing key '{key}.{k}'")
            if k not in reference:
                raise CatalogError(f"{where}: unknown key '{key}.{k}'")
            _same_keys(value[k], reference[k], where, f"{key}.{k}")
    elif isinstance(reference, str) and not isinstance(value, str):
        raise CatalogError(f"{where}: '{key}' should be text")
