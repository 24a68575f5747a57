"""The pain questions, asked and recorded as one rating: before and after a session, in the
test, after a rest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coach.clinical.response import Rating, reach_word
from coach.core.question import questions
from coach.live.guide import Guide
from coach.storage.history import History


def rate(guide: Guide, history: History, moment: str, *, back: bool = False, compared: bool = False,
         numbness: bool = False, skippable: bool = False, save: bool = True, **where: Any) -> dict[str, Any]:
    """Ask the pain questions and record the answers as one rating row (unless not `save`).
    Answers that contradict each other (pain that reaches nowhere with leg pain 6) are asked
    again, once, in plain words; what the person says then is kept as said."""
    w = guide.words
    given: set[str] = set()
    answers = _ask(guide, ["leg", *(["back"] if back else []), "reach"], skippable, given)
    why = Rating.of(answers).contradiction()
    if why is not None:
        guide.say(w.recheck(why).format(leg=answers["leg"], reach=reach_word(answers["reach"], w)))
        answers.update(_ask(guide, ["leg", "reach"], skippable, given))
    answers.update(_ask(guide, [*(["numbness"] if numbness else []), *(["compared"] if compared else [])],
                        skippable, given))
    answers["given"] = "+".join(sorted(given)) or None  # how they were answered: key, voice or key+voice
    if save:
        history.add_rating(moment, **answers, **where)
    return answers


def _ask(guide: Guide, chosen: list[str], skippable: bool, given: set[str]) -> dict[str, Any]:
    """The answers to the questions `chosen`; how each was given is added to `given`."""
    qs = questions(guide.words)
    answers: dict[str, Any] = {}
    for qid in chosen:
        q = qs[qid]
        answer = guide.ask(replace(q, skippable=skippable))
        given.add(guide.given)
        answers[qid] = (int(answer) if q.kind == "pain" else answer) if answer != "" else None
    return answers
