"""The dose following the response, from the history (the rule: coach/clinical/progression.py):
each exercise's dose as it has moved, and the change a session starts with: a step back, said
and made; a step up, asked, made or declined. Every change is recorded with its reason."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from coach.app import session as sessions
from coach.clinical import evidence
from coach.clinical.preference import Recommendation
from coach.clinical.progression import BACK, DECLINED, DOWN, FORWARD, STAYED, UP, Change, Past, decide, position, step
from coach.clinical.response import WORSE
from coach.core.exercise import Exercise, Level, catalog
from coach.core.question import Question
from coach.core.routine import Routine
from coach.core.words import Words
from coach.live.guide import Guide
from coach.storage.history import History
from coach.storage.routines import find

STOPPED = ("symptoms", "worse")  # outcomes that count as a session that ended worse


def record(history: History, routine: str) -> list[Past]:
    """The routine's sessions and dose changes, oldest first."""
    items = [(s.started, Past("session", s.response or (WORSE if s.outcome in STOPPED else None)))
             for s in history.sessions_of(routine)]
    items += [(d.at, Past("change")) for d in history.doses(routine)]
    return [p for _, p in sorted(items, key=lambda item: item[0])]


def current(history: History, routine: str) -> dict[str, Level]:
    """Each exercise's dose as the routine's changes left it (a declined step changes nothing)."""
    return {d.exercise: Level(d.hold, d.count) for d in history.doses(routine) if d.change in (UP, DOWN)}


def positions(history: History, routine: str) -> dict[str, str]:
    """The next positions taken and not gone back from: the exercise replaced → the one done."""
    active: dict[str, str] = {}
    for d in history.doses(routine):
        if d.change == FORWARD and d.replaces:
            active[d.replaces] = d.exercise
        elif d.change == BACK and d.replaces:
            active.pop(d.replaces, None)
    return active


def nexts(routine: Routine, request: sessions.Request, active: Mapping[str, str]) -> list[Exercise]:
    """The next positions that may be offered: of a built-in routine's exercises chosen today whose
    dose has no step up left (the dose first, then the position; a flag that sets the dose, or a
    routine file of one's own, moves nothing)."""
    if routine.source != "built-in" or request.hold is not None or request.reps is not None:
        return []
    known = catalog(request.words)
    done = set(routine.exercises) | set(active)
    return [ex for ex in known.values()
            if ex.replaces in done and (not request.only or ex.replaces in request.only)
            and (not known[ex.replaces].steps
                 or step(known[ex.replaces], request.levels.get(ex.replaces, known[ex.replaces].default), +1) is None)]


def movable(routine: Routine, request: sessions.Request) -> list[Exercise]:
    """The exercises whose dose may move today: chosen, with steps, and not set by the routine file
    or by a flag (--hold or --reps set this session's dose: nothing moves)."""
    if request.hold is not None or request.reps is not None:
        return []
    return [s.exercise for s in routine.steps if s.exercise.steps and s.hold is None and s.count is None
            and (not request.only or s.exercise.id in request.only)]


def describe(change: Change, was: Mapping[str, Level], exercises: Sequence[Exercise], words: Words) -> str:
    """The change in words: one phrase an exercise, in the routine's order."""
    w = words.progression
    out = []
    for ex in exercises:
        new = change.levels.get(ex.id)
        if new is None:
            continue
        old = was.get(ex.id, ex.default)
        name = ex.name.lower()
        if new.hold is None:
            out.append(w["reps"].format(name=name, count=new.count))
        elif new.count == old.count:
            out.append(w["hold"].format(name=name, n=new.hold))
        elif new.hold == old.hold:
            out.append(w["holds"].format(name=name, count=new.count))
        else:
            out.append(w["hold_and_holds"].format(name=name, count=new.count, n=new.hold))
    return w["join"].join(out)


def today(history: History, request: sessions.Request, rec: Recommendation | None = None) -> sessions.Request:
    """The request with each exercise's dose and position as they have moved (a file or a script:
    nothing asked). `rec`: the recommendation, where the caller has it (the whole history is read
    for it)."""
    routine = find(request.routine, request.words).id  # its id only: the options are checked where it is used
    rec = rec or evidence.recommendation(history.record(), request.words)
    bars = rec.barred  # left out of every routine
    return replace(request, levels=current(history, routine), positions=positions(history, routine), bars=bars)


def read(request: sessions.Request) -> sessions.Request:
    """`today`, from the history opened read-only (what `coach script` prints)."""
    with History.open(write=False) as history:
        return today(history, request)


def start(guide: Guide, history: History, routine: Routine, request: sessions.Request) -> sessions.Request:
    """Before a live session: the change the record calls for, said (a step back) or asked (a step
    up), recorded; the request with today's doses."""
    levels = current(history, routine.id)
    past = record(history, routine.id)  # before a position's move is recorded: the same record for both
    request = _moved(guide, history, routine, replace(request, levels=levels))
    exercises = [ex for ex in movable(routine, request) if ex.id not in request.positions]  # none a move replaced
    change = decide(past, levels, exercises)
    if change is None:
        return request
    w = guide.words.progression
    text = describe(change, levels, exercises, guide.words)
    rows = [(ex_id, lv.hold, lv.count) for ex_id, lv in change.levels.items()]
    if change.direction == DOWN:
        guide.say(w[f"down_{change.reason}"].format(changes=text))
        history.record_dose(routine.id, DOWN, change.reason, rows)
        return replace(request, levels={**levels, **change.levels})
    answer = guide.ask(Question("progression", w["offer"].format(changes=text), "yes-no", guide.words))
    if answer == "yes":
        history.record_dose(routine.id, UP, change.reason, rows)
        guide.say(w["taken"].format(changes=text))
        return replace(request, levels={**levels, **change.levels})
    history.record_dose(routine.id, DECLINED, change.reason, rows)
    guide.say(w["kept"])
    return replace(request, levels=levels)


def _moved(guide: Guide, history: History, routine: Routine, request: sessions.Request) -> sessions.Request:
    """A next position offered (never imposed) after three sessions better or the same, with its
    description and caution; back from it after one worse or mixed; recorded."""
    active = positions(history, routine.id)
    move = position(record(history, routine.id), active, nexts(routine, request, active))
    if move is None:
        return replace(request, positions=active)
    w, known = guide.words.progression, catalog(guide.words)
    new, old = known[move.exercise], known[move.replaces]
    names = {"name": new.name.lower(), "old": old.name.lower()}
    if move.direction == BACK:
        guide.say(w[f"position_back_{move.reason}"].format(**names))
        history.record_position(routine.id, BACK, move.reason, move.exercise, move.replaces)
        return replace(request, positions={k: v for k, v in active.items() if k != move.replaces})
    offer = w["position_offer"].format(description=f"{new.say.setup} {new.say.movement}", caution=new.say.caution, **names)
    answer = guide.ask(Question("position", offer, "yes-no", guide.words))
    if answer == "yes":
        history.record_position(routine.id, FORWARD, move.reason, move.exercise, move.replaces)
        guide.say(w["position_taken"].format(**names))
        return replace(request, positions={**active, move.replaces: move.exercise})
    history.record_position(routine.id, STAYED, move.reason, move.exercise, move.replaces)
    guide.say(w["position_kept"].format(**names))
    return replace(request, positions=active)
