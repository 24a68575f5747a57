"""The rest after a flare (clinical notes, section 7): a test position or a session that made the
pain worse or mixed is judged again after the person has rested, lying comfortably."""

from __future__ import annotations

import json

from coach.clinical.preference import CAUTION, GO, STOP, after_rest
from coach.clinical.response import BETTER, WORSE, Rating, Verdict, reasons_text, sentence
from coach.core.errors import EndedWorse
from coach.core.script import rest_period
from coach.live.guide import Guide
from coach.live.ratings import rate
from coach.storage.history import History


def rest(guide: Guide, minutes: int) -> None:
    """The rest after a flare, the test's and a session's alike: lie comfortably for `minutes`
    (the lines printed and said, one quiet reminder halfway), then "the same questions again"."""
    w = guide.words
    spoken = w.minute if minutes == 1 else w.minutes.format(n=w.number(minutes))
    lines = [*w.test_rest[:-1], w.test_rest[-1].format(minutes=spoken)]
    for line in lines:
        guide.echo(line)
    guide.play(rest_period(lines, minutes * 60, w.test_rest_half, guide.clips.length, guide.sample_rate,
                           then=w.test_again))  # the questions again, the moment the rest ends


def session(guide: Guide, history: History, sid: int, before: Rating, verdict: Verdict, minutes: int) -> None:
    """A session rated worse or mixed (clinical notes, section 7: judged after the same rest as a
    test position): what changed said, the rest, the questions again. Still up: recorded worse
    (the direction barred), EndedWorse. Settled back: recorded as a caution. Reaching less far
    down than before the session, and not worse: recorded better."""
    w = guide.words
    guide.say(sentence(verdict, w.this_session, w))
    # recorded now, so the flare counts if the rest is cut off; replaced by what the rest finds
    history.update("sessions", sid, response=verdict.change, response_reasons=json.dumps(verdict.to_dict()))
    rest(guide, minutes)
    again = rate(guide, history, "settled", numbness=True, compared=True, skippable=True, session_id=sid)
    outcome, rested = after_rest(before, Rating.of(again), again["compared"])
    if outcome == STOP:
        still = Verdict(WORSE, rested.reasons or verdict.reasons)
        history.update("sessions", sid, response=WORSE, response_reasons=json.dumps(still.to_dict()))
        why = reasons_text(still, w)
        guide.say(w.session_still.format(reasons=why), *w.after_worse)
        raise EndedWorse(w.printed.session_worse.format(why=why))
    if outcome == GO:
        history.update("sessions", sid, response=BETTER, response_reasons=json.dumps(rested.to_dict()))
        guide.say(w.session_lasting.format(reasons=reasons_text(rested, w)))
        return
    history.update("sessions", sid, response=CAUTION, response_reasons=json.dumps(verdict.to_dict()))
    guide.say(w.session_settled)
