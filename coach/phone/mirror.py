"""The session's view, mirrored on the phone: every call the session makes to its view (the
terminal board or the plain lines) goes on to it, and the phone is sent the board's state at the
same position (coach/live/board.py), so the page's digits change with the sound."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from coach.core.script import Script
from coach.core.words import Words
from coach.live.board import Board
from coach.phone.server import Phone


def waiting(title: str) -> dict[str, Any]:
    """What the page shows before the session's script plays: the safety questions and ratings."""
    return {"title": title, "step": "", "name": title, "side": "", "big": "", "label": "", "now": "",
            "next": "", "elapsed": 0, "left": 0, "paused": False, "message": "", "volume": 100,
            "hearing": "", "exercise": None}


class Mirror:
    def __init__(self, inner, phone: Phone, script: Script, names: Mapping[str, str], title: str,
                 words: Words, volume: Callable[[], float]):
        self.inner, self.phone, self.volume = inner, phone, volume
        self.names, self.title, self.words = names, title, words
        self.board = Board(script, names, title, words, keys=False)
        self.echo = inner.echo
        self.position = 0
        self.paused = False

    def __enter__(self) -> Mirror:
        self.inner.__enter__()
        if not self.phone.connected:  # the printed code is gone under the board: its address, once
            self.inner.echo(self.words.phone["board"].format(url=self.phone.url))
        return self

    def __exit__(self, *exc) -> Any:
        return self.inner.__exit__(*exc)

    def show(self, position: int) -> None:
        self.inner.show(position)
        self.position = position
        self._send()

    def jump(self, position: int) -> None:
        self.inner.jump(position)
        self.position = position
        self._send()

    def pause(self, paused: bool) -> None:
        self.inner.pause(paused)
        self.paused = paused
        self._send()

    def update(self, script: Script) -> None:
        self.inner.update(script)
        self.board = Board(script, self.names, self.title, self.words, keys=False)

    def _send(self) -> None:
        self.phone.show(self.board.payload(self.position, self.paused, round(self.volume() * 100)))
