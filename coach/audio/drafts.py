"""A live session's script while its phrases are still being made: drafts, each final further on.

A cold speech cache needs synthesis before the session can be timed: the natural voice makes
about ten seconds of speech a second on this 2-core machine, so a whole session is some twenty
seconds of work. The session does not wait for it. It starts on a draft: the script built with
each phrase's length where it is known and a guess where it is not, final up to its first guess
(Script.settled), which never falls inside a hold. A thread makes the phrases in the order the
script needs them and drafts again after each, until a draft is final. Playing reads only the
settled part; if it catches up, it waits there in silence, between two phrases.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from coach.core.script import Guess, LengthOf, Script

if TYPE_CHECKING:
    from coach.audio.speech import Clips

class Drafts:
    """The newest draft of a session script, made better in a thread until it is final."""

    def __init__(self, build: Callable[[LengthOf], Script], clips: Clips):
        self._build, self._clips = build, clips
        self._changed = threading.Condition()
        self._latest: Script | None = None
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="coach-drafts", daemon=True)
        self._thread.start()

    def _draft(self) -> tuple[Script | None, list[str]]:
        """A draft from the phrases made now, and the phrases it guessed, in the order it needed
        them; no draft when a guess made the plan fail (a rep too short for a guessed count)."""
        guessed: list[str] = []

        def length(text: str) -> int:
            n = self._clips.guess(text)
            if isinstance(n, Guess):
                guessed.append(text)
            return n

        try:
            return self._build(length), guessed
        except Exception:
            if not guessed:  # the script's own error, not a guess's: the session reports it
                raise
            return None, guessed

    def _run(self) -> None:
        from coach.audio.speech import below_playback

        below_playback()
        try:
            while not self._stop:
                script, guessed = self._draft()
                if script is not None:
                    with self._changed:
                        self._latest = script
                        self._changed.notify_all()
                if not guessed:
                    return
                self._clips.get(guessed[0])  # the next phrase the script needs
        except BaseException as e:  # noqa: BLE001 - handed to the session's thread
            with self._changed:
                self._error = e
                self._changed.notify_all()

    def latest(self) -> Script:
        """The newest draft, waiting for the first; raises what stopped the drafts."""
        with self._changed:
            self._changed.wait_for(lambda: self._latest is not None or self._error is not None)
            if self._error is not None:
                raise self._error
            assert self._latest is not None
            return self._latest

    def newer(self, than: Script) -> Script:
        """A draft newer than `than` (waiting for it), or `than` when it is final."""
        if than.final:
            return than
        with self._changed:
            self._changed.wait_for(lambda: self._latest is not than or self._error is not None)
        return self.latest()

    def close(self) -> None:
        """Stop drafting (the phrase under way ends first)."""
        self._stop = True
        self._thread.join()
