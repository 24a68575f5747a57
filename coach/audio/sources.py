"""Which sound source the microphone's stream takes sound from, watched (issue 28, item 8).

When a microphone goes away, PulseAudio (and PipeWire's PulseAudio server) moves its recording
streams to another source, and the stream never ends: PortAudio cannot tell, and the coach
would go on "listening" to some other source as if to the person. So the stream's source is
read once it opens, through libpulse (pulsectl), and looked at again every second: a different
source, or no stream at all, is a microphone gone. Where there is no PulseAudio server (ALSA
alone) or no libpulse, nothing is watched and the stream's own end says it."""

from __future__ import annotations

import os
from typing import Any

NAME = "coach-microphone-watch"


class Watch:
    """This process's recording stream's source, as it was when the stream opened."""

    def __init__(self, pulse: Any, source: int, name: str):
        self._pulse, self.source, self.name = pulse, source, name

    @classmethod
    def start(cls) -> "Watch | None":
        """The watch of the stream this process has just opened; None where it cannot be read."""
        try:
            import pulsectl

            pulse = pulsectl.Pulse(NAME, connect=True)
        except Exception:  # no libpulse, no server: an ALSA-only machine  # noqa: BLE001
            return None
        try:
            mine = _ours(pulse)
            if not mine:
                pulse.close()
                return None
            source = mine[0].source
            name = next((s.description or s.name for s in pulse.source_list() if s.index == source), str(source))
            return cls(pulse, source, name)
        except Exception:  # noqa: BLE001
            pulse.close()
            return None

    def gone(self) -> str | None:
        """Why the microphone is gone (its stream moved to another source, or ended), or None."""
        try:
            mine = _ours(self._pulse)
        except Exception:  # the server itself went away  # noqa: BLE001
            return f"the sound server stopped ({self.name} was the microphone)"
        if not mine:
            return f"{self.name} went away"
        if all(m.source != self.source for m in mine):
            return f"{self.name} went away (the sound server moved the recording to another source)"
        return None

    def close(self) -> None:
        try:
            self._pulse.close()
        except Exception:  # noqa: BLE001
            pass


def _ours(pulse: Any) -> list[Any]:
    pid = str(os.getpid())
    return [o for o in pulse.source_output_list() if o.proplist.get("application.process.id") == pid]
