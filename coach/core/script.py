"""The session script: a pure timeline of events with exact sample positions.

Routine + dose plan + the length of each spoken phrase (a number) → events. No clock, no device
and no speech engine here, so every rule is tested exactly:

- every sample belongs to exactly one event; events are ordered and touch end to start;
- a hold-end cue starts exactly the prescribed hold after its hold-start cue, whatever is spoken
  inside the hold: a phrase that would not fit before the next mark is left out (a countdown
  number becomes a tick), so speech never lengthens a hold;
- reps are counted on a fixed grid: count k starts exactly at first + k × seconds-per-rep;
- the hold tones frame holds only: a rep set (a moving exercise) starts with its own note;
- a draft: while phrases are still being made, a length may be a `Guess`. The script is then
  final only before the first guess (`Script.settled`), and a hold or rep set asks every length
  it needs before its first sound, so the settled part never ends inside one: a live session can
  play it while the rest is made, and a wait for speech never lengthens a hold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Callable, Iterable

from coach.core import cue as cues
from coach.core.errors import InputError
from coach.core.exercise import Exercise
from coach.core.routine import Dose, Routine
from coach.core.words import Words

SAMPLE_RATE = 22050
PAUSE = 0.4  # between sentences
SECTION = 1.5  # between parts of the session
SETTLE = 0.6  # from "Hold one of three." to the hold-start cue
REPOSITION = 8.0  # time to roll between back and stomach
COUNT_LEAD = 1.0  # from a rep set's start cue to its first count
MARGIN = 0.15  # least silence between a phrase inside a hold and the next mark
AFTER_TONE = 0.5  # least silence after a tone before the next phrase, so the words are not lost in it
SAID_BACK = 3  # reps counted with "and back"; after them, the number alone

SPEECH, CUE, SILENCE = "speech", "cue", "silence"
SAFETY = "safety"  # the section of a file's safety opening


@dataclass(frozen=True)
class Event:
    start: int  # sample
    length: int  # samples
    kind: str  # speech | cue | silence
    text: str | None = None
    cue: str | None = None
    exercise: str | None = None
    side: str | None = None
    rep: int | None = None
    section: str | None = None  # SAFETY: a file's safety opening

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class Script:
    routine: str
    sample_rate: int
    events: tuple[Event, ...]
    settled: int | None = None  # a draft: samples [0, settled) are final, the rest used guessed lengths

    @property
    def final(self) -> bool:
        return self.settled is None

    @property
    def ready(self) -> int:
        """Samples that are final: all of them, or a draft's settled part."""
        return self.total if self.settled is None else self.settled

    @property
    def total(self) -> int:
        return self.events[-1].end if self.events else 0

    @property
    def seconds(self) -> float:
        return self.total / self.sample_rate

    def to_dict(self) -> dict:
        sr = self.sample_rate
        events = []
        for e in self.events:
            d = {"start": round(e.start / sr, 6), "end": round(e.end / sr, 6), "kind": e.kind}
            for key, value in asdict(e).items():
                if key not in ("start", "length", "kind") and value is not None:
                    d[key] = value
            events.append(d)
        return {
            "routine": self.routine,
            "sample_rate": sr,
            "total_seconds": round(self.seconds, 6),
            "events": events,
        }


class Guess(int):
    """A phrase's length estimated before it is synthesized (see Script.settled)."""


LengthOf = Callable[[str], int]  # a phrase's length in samples: exact, or a Guess


class Timeline:
    """Appends events at a cursor; silence fills every gap."""

    def __init__(self, sample_rate: int, length_of: LengthOf):
        self.sr = sample_rate
        self.length_of = length_of
        self.events: list[Event] = []
        self.pos = 0
        self.meta: dict = {}
        self.settled: int | None = None  # the cursor when a length was first guessed

    def samples(self, seconds: float) -> int:
        return round(seconds * self.sr)

    def _add(self, kind: str, length: int, **fields) -> None:
        if length <= 0:
            return
        fields = {**self.meta, **fields}
        last = self.events[-1] if self.events else None
        if kind == SILENCE and last and last.kind == SILENCE and last.end == self.pos and all(
            getattr(last, k) == fields.get(k) for k in ("exercise", "side", "rep", "section")
        ):
            self.events[-1] = replace(last, length=last.length + length)
        else:
            self.events.append(Event(self.pos, length, kind, **fields))
        self.pos += length

    def speech_length(self, text: str) -> int:
        n = self.length_of(text)
        if isinstance(n, Guess) and self.settled is None:
            self.settled = self.pos
        n = int(n)
        if n <= 0:
            raise ValueError(f"speech for {text!r} has no length")
        return n

    def say(self, text: str, pause: float = PAUSE, **fields) -> None:
        self._add(SPEECH, self.speech_length(text), text=text, **fields)
        self.rest(pause, **fields)

    def cue(self, name: str, **fields) -> None:
        self._add(CUE, cues.length(name, self.sr), cue=name, **fields)

    def rest(self, seconds: float, **fields) -> None:
        self._add(SILENCE, self.samples(seconds), **fields)

    def fill_to(self, pos: int, **fields) -> None:
        assert pos >= self.pos, (pos, self.pos)
        self._add(SILENCE, pos - self.pos, **fields)

    def fits(self, length: int, at: int, before: int) -> bool:
        return at >= self.pos and at + length + self.samples(MARGIN) <= before

    def place(self, at: int, before: int, text: str, tick: bool = False, **fields) -> bool:
        """Speak `text` at sample `at` if it ends, with a margin, before `before`; if it won't fit,
        a tick there instead when `tick`. False when nothing fit: a mark never moves later."""
        n = self.speech_length(text)
        if self.fits(n, at, before):
            self.fill_to(at, **fields)
            self._add(SPEECH, n, text=text, **fields)
            return True
        if tick and self.fits(cues.length("tick", self.sr), at, before):
            self.fill_to(at, **fields)
            self.cue("tick", **fields)
            return True
        return False


def _marks(t: Timeline, words: Words, start: int, end: int, seconds: int) -> list[tuple[int, str, bool]]:
    """What is said inside a hold from `start` to `end`: (position, phrase, a tick if it won't fit)."""
    marks: list[tuple[int, str, bool]] = []
    if seconds >= 40:
        marks.append((start + (end - start) // 2, words.halfway, False))
    if seconds >= 20:
        marks.append((end - t.samples(10), words.ten_left, False))
    for k in (3, 2, 1):
        if seconds > k + 1:
            marks.append((end - t.samples(k), words.number(k), True))
    return sorted(marks)


def _opening_fits(t: Timeline, words: Words, seconds: int, text: str) -> bool:
    """Whether `text` fits at the start of a `seconds` hold (after its tone), before the first mark."""
    at = cues.length("hold-start", t.sr) + t.samples(AFTER_TONE)
    end = t.samples(seconds)
    before = min((m[0] for m in _marks(t, words, 0, end, seconds)), default=end)
    return at + t.speech_length(text) + t.samples(MARGIN) <= before


def _ask_before(t: Timeline, texts: Iterable[str]) -> None:
    """Every length a hold or rep set will need, asked before its first sound: a draft's guess
    then settles the script before the hold, never inside it."""
    for text in texts:
        t.speech_length(text)


def _hold(t: Timeline, words: Words, seconds: int, rep: int, opening: str | None = None) -> None:
    """A hold of exactly `seconds` from hold-start cue onset to hold-end cue onset; `opening` (a
    breathing cue) is said first, half a second after the tone, when it fits."""
    start = t.pos
    end = start + t.samples(seconds)
    marks = _marks(t, words, start, end, seconds)
    _ask_before(t, [*([opening] if opening is not None else []), *(text for _, text, _ in marks)])
    t.cue("hold-start", rep=rep)
    if opening is not None and _opening_fits(t, words, seconds, opening):
        marks.insert(0, (t.pos + t.samples(AFTER_TONE), opening, False))
    for i, (at, text, tick) in enumerate(marks):
        before = marks[i + 1][0] if i + 1 < len(marks) else end
        t.place(at, before, text, tick, rep=rep)
    t.fill_to(end, rep=rep)
    t.cue("hold-end", rep=rep)
    t.rest(AFTER_TONE, rep=rep)


def _rep_set(t: Timeline, words: Words, count: int, seconds_per_rep: float) -> None:
    """Counts on a fixed grid after the moving exercise's own note (no hold tones: nothing is held).
    The first SAID_BACK reps are paced by "and back" half a rep later; the rest by the number alone."""
    period = t.samples(seconds_per_rep)
    half = period // 2
    _ask_before(t, [*(words.number(k + 1) for k in range(count)), *([words.and_back] if count else [])])
    t.cue("reps-start")
    first = t.pos - cues.length("reps-start", t.sr) + t.samples(COUNT_LEAD)
    for k in range(count):
        at = first + k * period
        if at > t.pos:
            t.fill_to(at)  # the lead-in after the note belongs to no rep
        if not t.place(at, at + half, words.number(k + 1), rep=k + 1):
            raise InputError(
                f"the voice is too slow to count a {seconds_per_rep:g}-second rep.", ways=("faster",)
            )
        if k < SAID_BACK:
            t.place(at + half, at + period, words.and_back, tick=True, rep=k + 1)
        t.fill_to(at + period, rep=k + 1)


def breathing(ex: Exercise, words: Words) -> str:
    return ex.say.breathe or words.own_breathe


def instructions(ex: Exercise, words: Words, side: str | None = None, count: int = 0,
                 breathe: bool = False) -> tuple[str, ...]:
    """What is said to set up an exercise, its sides named: how to do it (for a moving exercise of
    more than SAID_BACK reps, that only numbers follow them), how it should feel, its breathing cue
    when `breathe` (not said in a hold), and what must not be felt. A person's own exercise may leave
    out how it should feel; its caution, when left out, is the coach's own."""
    say = ex.say
    counting = words.numbers_only if not ex.held and count > SAID_BACK else ""
    lines = (say.setup, say.movement, counting, say.feel, breathing(ex, words) if breathe else "",
             say.caution or words.own_caution)
    return tuple(words.sided(line, side) for line in lines if line)


def _side(t: Timeline, words: Words, dose: Dose, side: str | None, breathe: str | None) -> None:
    """One side's holds or rep set. Each hold begins with getting into position, as each ends with
    the exercise's release; `breathe` opens the first hold. Between holds, the rest (the
    exercise's rest_seconds) includes getting back into position."""
    ex = dose.exercise
    release = words.sided(ex.say.release, side) or words.relax
    if dose.hold_seconds is not None:
        ready = t.speech_length(words.get_ready) / t.sr + ex.get_ready
        for n in range(1, dose.count + 1):
            t.say(words.get_ready, pause=ex.get_ready)
            t.say(words.hold_of(n, dose.count), pause=SETTLE, rep=n)
            _hold(t, words, dose.hold_seconds, rep=n, opening=breathe if n == 1 else None)
            t.say(release, pause=max(PAUSE, ex.rest_seconds - ready) if n < dose.count else SECTION, rep=n)
    else:
        t.say(words.get_ready, pause=ex.get_ready)
        t.say(words.reps_of(dose.count), pause=PAUSE)
        _rep_set(t, words, dose.count, ex.seconds_per_rep)  # type: ignore[arg-type]
        t.say(release, pause=SECTION)


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def _intro(routine: Routine, doses: list[Dose], words: Words) -> str:
    """The routine's own introduction when the session does what it names; a built-in routine
    cut down (--only) or with a position taken in place of one says its name and the day's
    exercises instead. A routine file without an introduction is named."""
    if not routine.intro:
        return words.own_routine.format(name=routine.name)
    if [d.exercise.id for d in doses] == list(dict.fromkeys(routine.introduced or routine.exercises)):
        return routine.intro
    names = list(dict.fromkeys(_lower(d.exercise.name) for d in doses))
    return words.routine_today.format(name=_lower(routine.name), exercises=words.listed(names))


def build(
    routine: Routine,
    doses: Iterable[Dose],
    words: Words,
    length_of: LengthOf,
    sample_rate: int = SAMPLE_RATE,
    preamble: Iterable[str] = (),
) -> Script:
    """The whole session, from its introduction to the closing chime; `preamble` is spoken first,
    as its own section (the safety opening of a recording, which cannot ask)."""
    t = Timeline(sample_rate, length_of)
    t.meta = {"section": SAFETY}
    for line in preamble:
        t.say(line)
    t.meta = {}
    if t.pos:
        t.rest(SECTION - PAUSE)
    doses = list(doses)
    t.say(_intro(routine, doses, words), pause=SECTION)
    for line in words.disclaimer:
        t.say(line)
    t.rest(SECTION - PAUSE)
    if any(not d.exercise.held for d in doses):
        t.say(words.cues)
        t.say(words.cues_moving, pause=SECTION)
    else:
        t.say(words.cues, pause=SECTION)

    position = None
    for dose in doses:
        ex = dose.exercise
        if position is not None and ex.position != position:
            t.say(words.to_position(ex.position, position), pause=REPOSITION)
        position = ex.position
        t.meta = {"exercise": ex.id}
        t.say(words.exercise_named(ex.name), pause=SECTION - PAUSE)
        # the breathing cue, once an exercise: in its first hold when it fits there, else with its words
        in_hold = dose.hold_seconds is not None and _opening_fits(
            t, words, dose.hold_seconds, words.sided(breathing(ex, words), dose.sides[0]))
        for i, side in enumerate(dose.sides):
            t.meta = {"exercise": ex.id, "side": side}
            if i == 0:
                if side:
                    t.say(words.first_side_of(side))
                for line in instructions(ex, words, side, dose.count, breathe=not in_hold):
                    t.say(line)
                t.rest(SECTION - PAUSE)
                breathe = words.sided(breathing(ex, words), side) if in_hold else None
            else:
                t.say(words.switch_sides)
                t.say(words.next_side_of(side or ""))  # a second side is a side
                t.say(words.sided(ex.say.again or ex.say.movement, side))
                t.rest(SECTION - PAUSE)
                breathe = None
            _side(t, words, dose, side, breathe)
        t.rest(dose.rest)
        t.meta = {}

    for line in words.close:
        t.say(line)
    t.cue("session-end")
    t.rest(0.5)
    return Script(routine.id, sample_rate, tuple(t.events), t.settled)


def spoken(lines: Iterable[str], length_of: LengthOf, sample_rate: int = SAMPLE_RATE, name: str = "prompt") -> Script:
    """A few sentences on their own: a question, an answer's advice, a result."""
    t = Timeline(sample_rate, length_of)
    for line in lines:
        t.say(line)
    return Script(name, sample_rate, tuple(t.events))


def rest_period(lines: Iterable[str], seconds: float, halfway: str, length_of: LengthOf,
                sample_rate: int = SAMPLE_RATE, then: str = "") -> Script:
    """A rest after a flare: the lines, then exactly `seconds` from the end of the last line to
    `then` (said as the rest ends: no gap), with one quiet reminder halfway (if it fits)."""
    t = Timeline(sample_rate, length_of)
    for line in lines:
        t.say(line, pause=0)
    start, end = t.pos, t.pos + t.samples(seconds)
    t.place(start + (end - start) // 2, end, halfway)
    t.fill_to(end)
    if then:
        t.say(then, pause=0)
    return Script("rest", sample_rate, tuple(t.events))


def test_position(exercise: Exercise, seconds: int, words: Words, length_of: LengthOf,
                  sample_rate: int = SAMPLE_RATE) -> Script:
    """One position of the directional-preference test: its instructions, then one hold of
    exactly `seconds` between the start and end cues, with the spoken countdown."""
    t = Timeline(sample_rate, length_of)
    t.meta = {"exercise": exercise.id}
    t.say(words.exercise_named(exercise.name), pause=SECTION - PAUSE)
    breathe = breathing(exercise, words)
    in_hold = _opening_fits(t, words, seconds, breathe)
    for line in instructions(exercise, words, breathe=not in_hold):
        t.say(line)
    t.say(words.get_ready, pause=exercise.get_ready)
    t.say(words.hold_once, pause=SETTLE, rep=1)
    _hold(t, words, seconds, rep=1, opening=breathe if in_hold else None)
    t.say(exercise.say.release or words.relax, pause=SECTION, rep=1)
    return Script(exercise.id, sample_rate, tuple(t.events))
