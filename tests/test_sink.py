"""The live stream's callback, driven as PortAudio drives it: what it plays, and the underflows it
counts. Played for real (into the test audio server) by tests/test_live.py and the others."""

from __future__ import annotations

from types import SimpleNamespace

import sounddevice as sd

from coach.audio.sink import Player
from coach.storage.history import History
from coach.storage.report import table


def flags(underflow: bool) -> sd.CallbackFlags:
    f = sd.CallbackFlags()
    f.output_underflow = underflow
    return f


def test_each_underflow_the_device_reports_is_counted():
    player = Player(22050)
    block = bytearray(2 * 256)
    at = SimpleNamespace(outputBufferDacTime=0.0)
    for underflow in (False, True, True, False, True):
        player._callback(block, 256, at, flags(underflow))  # PortAudio's call, as it makes it
    assert player.underflows == 3
    assert bytes(block) == bytes(len(block))  # nothing to play: silence, and no error


def test_a_sessions_underflows_are_on_its_history_line(coach_home):
    with History.open() as h:
        for gaps in (0, 1, 4):
            sid = h.start_session("flexion", {})
            h.end("sessions", sid, "completed", underflows=gaps)
        lines = table(h).splitlines()[2:]
    assert "audio gap" not in lines[0]
    assert "completed (1 audio gap)" in lines[1]
    assert "(4 audio gaps)" in lines[2]
