"""A live session with the person: ratings before and after, check-ins, and a history row that
says how it ended and where, whatever ends it."""

from __future__ import annotations

import contextlib
import json
import signal
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from coach.audio.render import Session
from coach.audio.sink import AudioLost
from coach.clinical.response import (
    MIXED,
    WORSE,
    Rating,
    Reason,
    Verdict,
    compare,
    sentence,
)
from coach.core import control
from coach.core.errors import EndedWorse, Interrupted, Quit, SymptomStop
from coach.core.grammar import CONFIRM
from coach.core.question import questions
from coach.core.script import Script
from coach.core.steps import label, parts
from coach.live.answers import NoMoreAnswers
from coach.live.guide import Guide
from coach.live.ratings import rate
from coach.live.settle import session as judged_after_rest
from coach.live.view import Lines
from coach.storage.history import History


@dataclass
class Record:
    """A running session or test in the history; `done` marks it completed."""

    history: History
    table: str
    id: int
    step: str = "start"
    at_seconds: float | None = None
    _done: dict[str, Any] | None = None
    _saved: tuple[str, float | None] | None = None

    EVERY = 5.0  # seconds of session between writes of the position within one step

    def at(self, step: str, seconds: float | None = None) -> None:
        """Where it is now. Written at once when the step changes, else every few seconds (an
        ending writes the exact position); a process killed outright loses at most that."""
        self.step, self.at_seconds = step, seconds
        saved = self._saved
        if saved is None or saved[0] != step or (seconds or 0) - (saved[1] or 0) >= self.EVERY \
                or (seconds is None) != (saved[1] is None):
            self._saved = (step, seconds)
            self.history.progress(self.table, self.id, step, seconds)

    def done(self, **fields: Any) -> None:
        self._done = fields


def _ending(e: BaseException) -> tuple[str, str]:
    if isinstance(e, Quit):
        return "quit", "q"
    if isinstance(e, EndedWorse):
        return "worse", str(e)
    if isinstance(e, SymptomStop):
        return "symptoms", str(e)
    if isinstance(e, NoMoreAnswers):
        return "no-answer", "the input ended before a question was answered"
    if isinstance(e, KeyboardInterrupt):
        return "interrupted", "Ctrl-C"
    if isinstance(e, Interrupted):
        return "interrupted", f"{e.name}" + (" (the terminal closed)" if e.signum == signal.SIGHUP else "")
    if isinstance(e, AudioLost):
        return "interrupted", "the audio output was lost"
    return "interrupted", f"{type(e).__name__}: {e}"


@contextlib.contextmanager
def recorded(history: History, table: str, row_id: int,
             also: Callable[[], dict[str, Any]] = dict) -> Iterator[Record]:
    """Whatever ends the block, the row says how and at which step, with the fields `also` gives
    then; the exception goes on."""
    record = Record(history, table, row_id)
    try:
        yield record
    except BaseException as e:
        outcome, reason = _ending(e)
        fields = {"step": record.step, **also()}
        if table == "sessions":
            fields["at_seconds"] = record.at_seconds
        with contextlib.suppress(Exception):  # the original error matters more than this one
            history.end(table, row_id, outcome, reason, **fields)
        raise
    history.end(table, row_id, "completed", **(record._done or {}), **also())


def _command(guide: Guide, keys, course: Course, record: Record, view) -> int | None:
    """Carry out a key pressed during the session; the position to play from next, or None when
    the stop key was pressed while paused."""
    w = guide.words
    script, player = course.script, guide.player
    here = player.position
    command = keys.command
    if command in ("pause", "quit", "worse"):  # "worse" here: said, and not confirmed
        view.pause(True)
        if command == "worse":  # silenced where it was heard, before the question was asked
            here = keys.at
        elif command == "quit":
            here = player.pause()
            _quit_if_confirmed(guide, keys, record)
        else:
            guide.echo(w.printed.paused_listening if guide.listening() is not None else w.printed.paused)
            while (key := keys.next_key()) != " ":
                if key == "q":
                    _quit_if_confirmed(guide, keys, record)
                if key == "w" or key == "W" and _spreading(guide, keys):  # the stop rule stands while paused too
                    player.resume()
                    view.pause(False)
                    return None
        player.resume()
        view.pause(False)
        if control.in_hold(script, here):
            guide.echo(w.resuming)  # spoken in the count-in that leads into the rest of the hold
        else:
            guide.say(w.resuming)
        return control.resume_at(script, here)
    if command == "next":
        return course.resolve(lambda s: n if (n := control.next_exercise(s, here)) is not None else control.closing(s))
    if command == "previous":
        return control.previous_exercise(script, here)
    return control.repeat(script, here)


def _quit_if_confirmed(guide: Guide, keys, record: Record) -> None:
    """A second q quits (raises Quit); any other key, or none within 10 s, goes on paused."""
    w = guide.words
    guide.player.resume()
    guide.echo(w.printed.quit_confirm)
    guide.speak(w.quit_confirm_voice if keys.listener is not None else w.quit_confirm,
                until_key=True)  # a second q cuts the sentence off
    guide.player.pause()
    if keys.next_key(10.0, CONFIRM) == "q":
        raise Quit(guide.words.printed.quit.format(step=record.step))


def _spreading(guide: Guide, keys) -> bool:
    """Asked after a spoken "worse": is the pain spreading down the leg? A yes (or w, or q)
    within 10 s confirms; anything else goes on from where it stopped."""
    w = guide.words
    guide.player.resume()
    guide.echo(w.spreading_confirm_voice)
    guide.speak(w.spreading_confirm_voice)
    guide.player.pause()
    return keys.next_key(10.0, CONFIRM) in ("q", "w")


def said_first(w) -> list[str]:
    """What a session says before its script, in order: to synthesize ahead."""
    qs = questions(w)
    return [w.before_ratings, w.ratings_skip, qs["leg"].text, qs["reach"].text, w.listen_stop, w.stop_key]


def run(guide: Guide, history: History, routine: str, prepare: Callable[[], Session],
        options: dict[str, Any], check_in: bool, ratings: bool,
        show: Callable[[Session, bool], Any] | None = None, direction: str | None = None,
        confirmation: int | None = None, settle: int = 2) -> None:
    """The session, from the first rating to the last. `prepare` builds the session after the
    first questions, which need none of it. `show` makes the view of the session (coach/view.py)
    from the session and whether keys work; by default, plain lines.

    The after-rating is compared with the before-rating by the response rule; worse or mixed
    gets the test's rest (`settle` minutes) and is asked again (coach/live/settle.py): still worse raises
    EndedWorse (recorded as ended worse, exit 4); a check-in answered worse, or the stop key,
    raises SymptomStop after the advice and the after-rating. `direction` (flexion, extension)
    is recorded so that a worse response bars it (coach/preference.py)."""
    w = guide.words
    sid = history.start_session(routine, options, direction)
    if confirmation is not None:
        history.link_confirmation(confirmation, sid)
    with recorded(history, "sessions", sid, lambda: {"underflows": guide.player.underflows}) as record:
        before: dict[str, Any] = {}
        if ratings:
            record.at("rating before")
            guide.say(w.before_ratings, w.ratings_skip)
            before = rate(guide, history, "before", skippable=True, session_id=sid)
        session = prepare()
        course = Course(session, check_in)
        sr = course.script.sample_rate

        keys = guide.keys()
        view = show(session, keys is not None) if show is not None else Lines(course.script, guide.echo, w)
        if keys is not None:
            if isinstance(view, Lines):
                guide.echo(w.printed.keys)
            guide.say(w.listen_stop if keys.listener is not None else w.stop_key)

        def every(position: int) -> None:
            if course.refresh():  # a later draft: the same up to here, more of it final
                view.update(course.script)
                guide.player.follow(course.renderer, course.end_after(course.playing))
            record.at(course.name_at(position), round(position / sr, 3))
            view.show(position)

        with view, guide.echoing(view.echo):
            stopped = _play(guide, history, course, record, view, keys, every, sid)
        if stopped is not None:  # a check-in said worse, or the stop key: the pain is spreading
            how, where = stopped
            guide.say(*w.symptom_stop)
            felt = Verdict(WORSE, (Reason("stopped" if how == "spreading" else "felt_worse"),))
            # recorded before the after-rating, so the flare counts even if that is cut off
            history.update("sessions", sid, response=WORSE, response_reasons=json.dumps(felt.to_dict()))
            if ratings:
                after = rate(guide, history, "after", numbness=True, skippable=True, session_id=sid)
                measured = compare(Rating.of(before), Rating.of(after))
                if measured is not None and measured.change in (WORSE, MIXED):
                    felt = Verdict(WORSE, felt.reasons + measured.reasons)
            history.update("sessions", sid, response=WORSE, response_reasons=json.dumps(felt.to_dict()))
            raise SymptomStop({'worse': w.printed.worse, 'spreading': w.printed.spreading}[how].format(step=where))
        seconds = round(course.script.seconds, 3)  # played to its end: the final script
        if ratings:
            record.at("rating after", seconds)
            guide.say(w.after_ratings)
            after = rate(guide, history, "after", numbness=True, skippable=True, session_id=sid)
            verdict = compare(Rating.of(before), Rating.of(after))
            if verdict is not None and verdict.change in (WORSE, MIXED):
                record.at("rest after the session", seconds)
                judged_after_rest(guide, history, sid, Rating.of(before), verdict, settle)
            else:
                _respond(guide, history, sid, verdict)
        record.done(step="end", at_seconds=seconds)


def _respond(guide: Guide, history: History, sid: int, verdict: Verdict | None) -> None:
    """Say and record how the body responded to the whole session, better or the same (worse or
    mixed: `_rested`)."""
    if verdict is None:  # every rating skipped: nothing to compare
        return
    w = guide.words
    history.update("sessions", sid, response=verdict.change, response_reasons=json.dumps(verdict.to_dict()))
    guide.say(sentence(verdict, w.this_session, w))


def _play(guide: Guide, history: History, course: Course, record: Record, view, keys,
          every: Callable[[int], None], sid: int) -> tuple[str, str | None] | None:
    """The script from its start to its end, stopping for keys and check-ins. None when it
    played to the end; ("worse", exercise) when a check-in after it said worse; ("spreading",
    step) when the stop key was pressed."""
    w = guide.words
    sr = course.script.sample_rate
    pos, lead = 0, None
    while True:
        course.playing = pos
        every(pos)  # the newest draft first: `end` is read from it
        end = course.end_after(pos)
        interrupt = keys.listen() if keys is not None else None
        try:  # a count-in leads into the rest of a paused hold, joined to the sample
            reached = guide.play(course.renderer, pos, end, every, interrupt, lead)
        finally:
            if keys is not None:
                keys.stop()
        if not reached:
            assert keys is not None
            # the output is already silent (coach/keys.py); a spoken "worse" is confirmed first
            if keys.command == "worse" and (not keys.spoken or _spreading(guide, keys)):
                guide.player.resume()
                view.pause(False)
                return "spreading", record.step
            after_key = _command(guide, keys, course, record, view)
            if after_key is None:
                return "spreading", record.step
            pos = after_key
            lead = control.count_in(w, course.session.clips.length, sr) \
                if control.in_hold(course.script, pos) and keys.command in ("pause", "quit", "worse") else None
            view.jump(pos)
            continue
        lead = None
        end = course.end_after(pos)  # as far as the player went: the newest draft's, final there
        view.show(end)
        pos = end
        if end >= course.script.total:
            return None
        exercise = course.exercise_before(end)
        record.at(f"check-in after {exercise}", round(end / sr, 3))
        guide.say(w.check_in)
        answer = guide.ask(questions(w)["compared"])
        history.add_rating("check-in", compared=answer, exercise=exercise, session_id=sid, given=guide.given)
        if answer == WORSE:
            return "worse", exercise


class Course:
    """The session's script as it plays, its parts and where to stop for check-ins; from a
    newer draft whenever one is made (the main thread takes it: `refresh`)."""

    def __init__(self, session: Session, check_in: bool):
        self.session, self.check_in = session, check_in
        self.renderer = session.renderer()
        self.playing = 0  # where the span now playing began
        self._take(session.script)

    def _follow(self, script: Script) -> None:
        """Go on with a later draft: its renderer keeps the samples already made."""
        self.renderer = self.renderer.follow(script)
        self._take(script)

    def _take(self, script: Script) -> None:
        self.script = self.session.script = script
        self.parts = parts(script)
        self.starts = [p.start for p in self.parts]
        self.names = [label(p) for p in self.parts]  # the log's names for the parts
        cut = self.parts  # where to stop and ask: after each exercise's last part (when check-ins are on)
        self.stops = [p.end for i, p in enumerate(cut) if self.check_in and p.exercise is not None
                      and (i + 1 == len(cut) or cut[i + 1].exercise != p.exercise)]
        self.stops.append(script.total)

    def refresh(self) -> bool:
        """Take the newest draft, if there is one: True when the script changed."""
        drafts = self.session.drafts
        newest = drafts.latest() if drafts is not None else self.script
        if newest is self.script:
            return False
        self._follow(newest)
        return True

    def resolve(self, target: Callable[[Script], int]) -> int:
        """A position beyond what is final (the next exercise, early in a cold session): waits
        for the drafts until it is final there."""
        drafts = self.session.drafts
        while True:
            at = target(self.script)
            if self.script.final or at < self.script.ready or drafts is None:
                return at
            self._follow(drafts.newer(self.script))

    def end_after(self, position: int) -> int:
        """Where to stop next after `position`: a check-in, or the end."""
        return next((s for s in self.stops if s > position), self.script.total)

    def name_at(self, position: int) -> str:
        return self.names[max(0, bisect_right(self.starts, position) - 1)]

    def exercise_before(self, position: int) -> str | None:
        return self.parts[bisect_right(self.starts, position - 1) - 1].exercise
