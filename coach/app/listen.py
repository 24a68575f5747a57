"""`coach listen`: a microphone check a person can run before lying down. It says "Say yes",
then prints what it heard, how sure it was, and the input level, so the distance and the
input volume can be set. `--for KIND` checks one kind of answer, or the session's commands: a
line (or a JSON object) for every stretch of speech, taken or not."""

from __future__ import annotations

import json
import time
from typing import Callable

from coach.audio.recognizer import Heard
from coach.core.errors import CoachError
from coach.core.grammar import PLAYING, context
from coach.core.question import questions
from coach.core.words import Words
from coach.live.guide import Guide
from coach.live.listener import Listener, once_open, started

LEVEL_EVERY = 1.0  # seconds between input level lines while nothing is heard


def _opened(words: Words, guide: Guide | None, grammar: str) -> Listener:
    """A listener for `grammar`, its recognizer loaded; CoachError (one line) if it cannot be."""
    listener, why = once_open(*started(words, None if guide is None else guide.player), words)
    if listener is None:
        raise CoachError(f"the coach cannot listen here: {why}. Answers and commands are by key.")
    listener.expect(grammar)
    if not listener.ready.wait(30) or listener.error is not None:
        listener.close()
        raise CoachError(f"speech recognition did not start ({str(listener.error).rstrip('.')}). "
                         "Answers and commands are by key.")
    return listener


def prompt(kind: str, words: Words) -> str:
    """What `coach listen --for KIND` says first."""
    qs = questions(words)
    return {"pain": qs["leg"].text, "reach": qs["reach"].text, "compared": qs["compared"].text,
            "yes-no": words.say_yes_no, "commands": words.say_command}[kind]


def listen_for(kind: str, words: Words, echo: Callable[..., None], seconds: float, guide: Guide | None,
               as_json: bool) -> None:
    """Say the prompt for `kind`, then for `seconds` print what each stretch of speech was taken
    as (or not understood), how surely, and at what level."""
    listener = _opened(words, guide, PLAYING if kind == "commands" else context(kind))
    try:
        line = prompt(kind, words)
        if not as_json:
            echo(line)
        if guide is not None:
            guide.speak(line)
        listener.expect(PLAYING if kind == "commands" else context(kind))  # from here: what was said before is gone
        start = time.monotonic()
        echo(json.dumps({"event": "listening"}) if as_json else words.printed.listening_now.format(seconds=seconds))
        deadline = start + seconds
        while (left := deadline - time.monotonic()) > 0:
            heard = listener.wait(None, time.monotonic() + min(left, LEVEL_EVERY))
            if listener.lost:
                why = str(listener.error).rstrip(".") if listener.error else ""
                raise CoachError(f"the microphone stopped{f': {why}' if why else ''}. Nothing after that was heard.")
            if not isinstance(heard, Heard):
                if not as_json:
                    echo(f"  input level {listener.level:.0f} dBFS")
                continue
            if as_json:
                echo(json.dumps({"t": round(heard.at - start, 3), "took": heard.token, "said": heard.said,
                                 "confidence": heard.confidence, "level": heard.level}))
            else:
                took = heard.token if heard.token is not None else "not understood"
                echo(f"{took}   (heard \"{heard.said}\")   confidence {heard.confidence:.0%}   level {heard.level:.0f} dBFS")
    finally:
        listener.close()


def check(words: Words, echo: Callable[..., None], seconds: float, guide: Guide | None) -> None:
    """Listen for a yes for up to `seconds`; CoachError if none was understood. The guide says
    the prompt (None: no audio output, the prompt is printed only)."""
    listener = _opened(words, guide, context("yes-no"))
    try:
        echo(words.say_yes)
        if guide is not None:
            guide.speak(words.say_yes)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            heard = listener.wait(None, min(deadline, time.monotonic() + LEVEL_EVERY))
            if listener.lost:
                raise CoachError("the microphone stopped.")
            if not isinstance(heard, Heard):
                echo(f"  input level {listener.level:.0f} dBFS")
                continue
            echo(f"heard: {heard.said or '(not understood)'}   confidence {heard.confidence:.0%}   "
                 f"level {heard.level:.0f} dBFS")
            if heard.token == "yes":
                echo("Understood. Speak as loudly, from as far, during a session.")
                return
        raise CoachError(f"no yes was understood in {seconds:g} s: come closer to the microphone, "
                         "or raise its input volume, and try again.")
    finally:
        listener.close()
