"""`coach listen`: a microphone check a person can run before lying down. It says "Say yes",
then prints what it heard, how sure it was, and the input level, so the distance and the
input volume can be set."""

from __future__ import annotations

import select
import time
from typing import Callable

from coach.core.errors import CoachError
from coach.core.grammar import context
from coach.core.words import Words

LEVEL_EVERY = 1.0  # seconds between input level lines while nothing is heard


def check(words: Words, say: Callable[[str], None] | None, echo: Callable[..., None], seconds: float,
          player=None) -> None:
    """Listen for a yes for up to `seconds`; CoachError if none was understood. `say` speaks
    the prompt (None: no audio output, printed only)."""
    from coach.live.listener import Listener, why_not

    why = why_not(words)
    if why is not None:
        raise CoachError(f"the coach cannot listen here: {why}. Answers and commands are by key.")
    listener = Listener(words, player).start()
    try:
        if not listener.ready.wait(10) or listener.error is not None:
            raise CoachError(f"speech recognition did not start ({listener.error}).")
        listener.expect(context("yes-no"))
        echo(words.say_yes)
        if say is not None:
            say(words.say_yes)
        deadline, shown = time.monotonic() + seconds, 0.0
        while (left := deadline - time.monotonic()) > 0:
            select.select([listener.fd], [], [], min(left, LEVEL_EVERY))
            if listener.lost:
                raise CoachError("the microphone stopped.")
            heard = listener.take()
            if heard is None:
                if time.monotonic() - shown >= LEVEL_EVERY:
                    echo(f"  input level {listener.level:.0f} dBFS")
                    shown = time.monotonic()
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
