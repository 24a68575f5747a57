"""`coach listen`: a microphone check a person can run before lying down. It says "Say yes",
then prints what it heard, how sure it was, and the input level, so the distance and the
input volume can be set."""

from __future__ import annotations

import time
from typing import Callable

from coach.audio.recognizer import Heard
from coach.core.errors import CoachError
from coach.core.grammar import context
from coach.core.words import Words
from coach.live.guide import Guide
from coach.live.listener import once_open, started

LEVEL_EVERY = 1.0  # seconds between input level lines while nothing is heard


def check(words: Words, echo: Callable[..., None], seconds: float, guide: Guide | None) -> None:
    """Listen for a yes for up to `seconds`; CoachError if none was understood. The guide says
    the prompt (None: no audio output, the prompt is printed only)."""
    listener, why = once_open(*started(words, None if guide is None else guide.player), words)
    if listener is None:
        raise CoachError(f"the coach cannot listen here: {why}. Answers and commands are by key.")
    try:
        listener.expect(context("yes-no"))  # the recognizer loads once it listens for something
        if not listener.ready.wait(10) or listener.error is not None:
            raise CoachError(f"speech recognition did not start ({listener.error}).")
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
