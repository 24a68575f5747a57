"""Where a live session goes when the person pauses, skips or repeats: positions on the script.

Pure, like the script itself: the player only moves its cursor to what these return, so every
rule of the script (cues, counts, sides on their grid) holds from the new point.

- Resuming inside a hold continues at the very sample where it paused, after a short spoken
  count-in: the time held before and after the pause adds up to exactly the prescription.
- Resuming inside a rep set restarts the current rep on its count, so counts stay on the grid.
- Resuming inside a sentence restarts that sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from coach.core.script import CUE, PAUSE, SPEECH, LengthOf, Script, Timeline
from coach.core.steps import parts
from coach.core.words import Words


@dataclass(frozen=True)
class Span:
    """A hold, from its hold-start cue's onset to its hold-end cue's onset; or a rep set, from its
    own note's onset to the end of its last rep (where the release line begins)."""

    start: int
    end: int
    counted: bool  # a rep set (counts on a grid), not a still hold

    def __contains__(self, position: int) -> bool:
        return self.start <= position < self.end


def spans(script: Script) -> list[Span]:
    out: list[Span] = []
    opened: int | None = None
    counted = False
    for e in script.events:
        if e.kind == CUE and e.cue in ("hold-start", "reps-start"):
            opened, counted = e.start, e.cue == "reps-start"
        elif opened is None:
            continue
        elif (not counted and e.kind == CUE and e.cue == "hold-end") or (counted and e.kind == SPEECH and e.rep is None):
            out.append(Span(opened, e.start, counted))
            opened = None
    if opened is not None and counted:
        out.append(Span(opened, script.total, True))
    return out


def _event_at(script: Script, position: int):
    starts = [e.start for e in script.events]
    i = bisect_right(starts, position) - 1
    return script.events[max(0, i)]


def resume_at(script: Script, position: int) -> int:
    """Where to continue after a pause at `position`."""
    position = max(0, min(position, script.total))
    for span in spans(script):
        if position in span:
            if not span.counted:
                return position  # the rest of the hold, to the sample
            # the current rep, from its count: the first spoken event of that rep
            rep = next((e.rep for e in reversed(script.events)
                        if e.start <= position and e.rep is not None and e.start >= span.start), None)
            if rep is None:
                return span.start  # still in the lead-in before the first count: from the start cue
            return next(e.start for e in script.events
                        if e.start >= span.start and e.rep == rep and e.kind == SPEECH)
    if position >= script.total:
        return script.total
    e = _event_at(script, position)
    return e.start if e.kind == SPEECH else position


def in_hold(script: Script, position: int) -> bool:
    return any(position in s for s in spans(script))


def _exercise_starts(script: Script) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for part in parts(script):
        if part.exercise is not None and (not out or out[-1][1] != part.exercise):
            out.append((part.start, part.exercise))
    return out


def next_exercise(script: Script, position: int) -> int | None:
    """The start of the next exercise, or None after the last one."""
    return next((s for s, _ in _exercise_starts(script) if s > position), None)


def previous_exercise(script: Script, position: int) -> int:
    """The start of the exercise before the current one (the first one's start, or 0, at the top)."""
    starts = [s for s, _ in _exercise_starts(script)]
    current = [s for s in starts if s <= position]
    if len(current) >= 2:
        return current[-2]
    return current[0] if current else 0


def repeat(script: Script, position: int) -> int:
    """The start of the current exercise's current side (or of the exercise, if not per side)."""
    here = [(p.start, p.exercise) for p in parts(script) if p.start <= position]
    if not here or here[-1][1] is None:
        return resume_at(script, position)
    return here[-1][0]


def count_in(words: Words, length_of: LengthOf, sample_rate: int) -> Script:
    """Spoken before the rest of a hold: "Resuming." then three, two, one, a second apart."""
    t = Timeline(sample_rate, length_of)
    t.say(words.resuming, pause=PAUSE)
    first = t.pos
    for i, n in enumerate((3, 2, 1)):
        at = first + i * sample_rate
        if not t.place(at, at + sample_rate, words.number(n), tick=True):
            t.fill_to(at)
        t.fill_to(at + sample_rate)
    return Script("count-in", sample_rate, tuple(t.events))


def closing(script: Script) -> int:
    """Where the closing words start: after the last exercise."""
    last = max((e.end for e in script.events if e.exercise is not None), default=0)
    return last
