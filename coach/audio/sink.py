"""Where samples go live: one output stream, fed from a cursor. (Files: coach/audio/export.py.)"""

from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable

from coach.audio.devices import DEVICES, close_stream, default_output, sounddevice
from coach.audio.render import Renderer
from coach.core.errors import CoachError, NoOutputDevice

LATENCY = 0.2  # seconds of output buffer. Through PulseAudio's ALSA plugin, at 30-35 ms the first
# sound of a stream was sometimes lost or came 0.1-1.5 s late; at 50 ms a session beside six busy
# loops on 2 cores had 19-256 underflows and holds up to 194 ms long; at 100 ms 1-21 and 24 ms; at
# 200 ms 0-1 and 0 ms (issue 28). Pause, stop and the skip keys drop the buffer, so they stay at once.


GAIN_MIN, GAIN_MAX = 0.1, 2.0


def _scale(block: memoryview, gain: float) -> None:
    """Scale int16 samples in place, clipped to full scale."""
    import numpy as np

    a = np.frombuffer(block, dtype=np.int16)
    a[:] = np.clip(a.astype(np.float32) * gain, -32768, 32767).astype(np.int16)


class AudioLost(CoachError):
    """The output stopped taking samples in the middle of a session."""


# The output counts as lost only when it is: the stream ended on its own (closed, the device gone),
# or no callback at all for SILENT seconds while this process itself was running on time. A busy
# machine makes callbacks late: each late one is a gap the callback counts (underflows), not an
# end (issue 28: six busy processes on 2 cores ended sessions with a 2 s rule on the cursor).
SILENT = 6.0
MAX_CATCH_UP = 2.0  # seconds: a gap longer than this is not made up (a timestamp that jumped)
SLACK = 0.005  # seconds a block may come behind its schedule before it is made up: DAC times
# jittered by at most 1.2 ms through PulseAudio on an idle machine (measured)
SETTLE = 0.25  # seconds of a new schedule in which it follows the latest block (a filling buffer)
WINDOW = 2.0  # seconds over which a block's lateness must last to be made up
LATE = 1.0  # seconds a watch over the output may itself come late before its view counts for nothing


class Player:
    """Plays through one persistent output stream, fed by a callback from a cursor.

    The stream can be opened (`open_in_background`) while the session is still being prepared;
    it plays silence until `play` hands it a renderer and a span to play, and silence again
    after it, so a question can be asked between two parts of a session with the stream open.
    The callback only reads samples at the cursor and moves it."""

    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        self.renderer: Renderer | None = None
        self.position = 0  # the cursor: the next sample of the renderer's script to play
        self._end = 0
        self._reached = threading.Event()
        self._lock = threading.Lock()
        self._paused = False
        self._lead: Renderer | None = None
        self._lead_pos = 0
        self._gain = 1.0  # the person's volume keys, on top of the session's volume
        self._restarting = False
        self._blocks: collections.deque[tuple[float, int]] = collections.deque(maxlen=64)
        self._stopped = threading.Event()  # the stream ended on its own
        self._stream: Any = None
        self._error: BaseException | None = None
        self._opener: threading.Thread | None = None
        self.underflows = 0  # blocks the device wanted before the callback gave them: a gap heard
        self.sounding_until = 0.0  # time.monotonic() when the last sound given out leaves the speaker
        self._calls = 0  # callbacks so far: the stream is alive while they come
        self._schedule: float | None = None  # DAC time less session time of the blocks playing now
        self._settled = 0  # the sample from which the schedule is kept (before it, it is being found)
        self._window: tuple[int, int] | None = None  # where the lateness now watched began, its least
        self._owed = 0  # samples of lateness that lasted a window, still to skip in silence
        self.caught_up = 0  # samples of silence skipped after output gaps, to keep the schedule
        self.sounded = threading.Event()  # set when the first sound goes out: work that can wait, waits for it

    def _callback(self, outdata, frames, time_info, status) -> None:
        out = memoryview(outdata).cast("h")
        if status.output_underflow:  # counted, not printed: the callback must not block
            self.underflows += 1
        with self._lock:
            renderer = None if self._paused else self.renderer
            k = 0  # samples of the lead-in (a count-in), played before the cursor moves
            lead = None if renderer is None else self._lead
            if lead is not None and self._lead_pos < lead.total:
                k = min(frames, lead.total - self._lead_pos)
                lead.read_into(out[:k], self._lead_pos)
                self._lead_pos += k
            elif renderer is not None and self.position < self._end:
                self._keep_schedule(renderer, time_info)
            self._calls += 1
            n = 0 if renderer is None else max(0, min(frames - k, self._end - self.position,
                                                      renderer.limit - self.position))
            if n:  # when this block's first sample reaches the speaker, and which sample it is
                dac = time_info.outputBufferDacTime + k / self.sample_rate
                self._blocks.append((dac, self.position))
                renderer.read_into(out[k : k + n], self.position)  # type: ignore[union-attr]
                self.position += n
            if k or n < frames:  # a count-in, a pause, a draft's or a span's end: time went on
                self._schedule = None  # while the cursor did not, so the schedule starts again
            if k + n and self._gain != 1.0:
                _scale(out[: k + n], self._gain)
            if k + n < frames:
                out[k + n :] = memoryview(bytes(2 * (frames - k - n))).cast("h")
                if renderer is not None and self.position >= self._end:  # else a draft's end: wait there
                    self._reached.set()
        played = out[: k + n].tobytes()  # outside the lock: only this block is read
        if played.count(0) != len(played):  # sound until this block has played: the listener waits
            delay = max(0.0, time_info.outputBufferDacTime - time_info.currentTime)
            self.sounding_until = time.monotonic() + delay + (k + n) / self.sample_rate
            if not self.sounded.is_set():  # once
                self.sounded.set()

    def _keep_schedule(self, renderer: Renderer, time_info) -> None:
        """Keep the session on the clock through gaps in the output. Each block of the session
        reaches the speaker at its DAC time; a run of whole blocks keeps one schedule, DAC time
        less the block's own place in the session. Blocks later than that schedule mean the
        device (or the sound server behind it) played silence nobody gave it: the silence the
        session has next is skipped by as much, never a phrase or a tone, so a hold or a rest
        still ends on time. PortAudio flags only some of these gaps as underflows (a frozen
        sound server was not flagged), so the DAC time is the measure, not the flag.
        The DAC times are estimates: while a stream fills its buffer (after a start or a gap)
        blocks are reported sooner than they play, and after a busy spell they strayed later for
        seconds (20 ms for 3 s; 0.23 s once beside a busy test run). So a new schedule takes the
        latest block for SETTLE seconds, and what is made up is the least a block was behind
        over a whole WINDOW: a gap stays, a stray estimate does not."""
        if self._schedule is not None and self._owed:  # owed: made up in silence, then watched again
            skip = renderer.quiet(self.position, min(self._owed, self._end - self.position))
            self.position += skip
            self.caught_up += skip
            self._owed -= skip
            return
        offset = time_info.outputBufferDacTime - self.position / self.sample_rate
        behind = 0 if self._schedule is None else round((offset - self._schedule) * self.sample_rate)
        if self._schedule is None or behind > MAX_CATCH_UP * self.sample_rate:  # a new schedule (after
            # a pause or a jump, what was owed before it is not owed after), or a timestamp that jumped
            self._schedule, self._settled = offset, self.position + round(SETTLE * self.sample_rate)
            self._window, self._owed = None, 0
        elif self.position < self._settled:
            self._schedule = max(self._schedule, offset)
        elif self._window is None:
            self._window = (self.position, behind)
        elif self.position - self._window[0] < WINDOW * self.sample_rate:
            self._window = (self._window[0], min(self._window[1], behind))
        else:
            least, self._window = min(self._window[1], behind), None
            if least > SLACK * self.sample_rate:
                self._owed = least

    def open(self) -> None:
        """Open and start the output stream (playing silence), or raise NoOutputDevice/CoachError."""
        sd = self._sd = sounddevice()
        default_output()
        try:
            with DEVICES:
                self._stream = sd.RawOutputStream(  # int16 bytes: no numpy on the way to the first sound
                    samplerate=self.sample_rate,
                    channels=1,
                    dtype="int16",
                    latency=LATENCY,
                    callback=self._callback,
                    finished_callback=self._finished,
                )
                self._stream.start()
        except sd.PortAudioError as e:
            raise NoOutputDevice(f"the audio output could not be opened ({e}).") from e

    def _finished(self) -> None:
        if not self._restarting:  # not our own abort on pause: the stream ended on its own (or,
            self._stopped.set()  # the callback come late on a loaded machine, our abort: `_active`)

    def _active(self) -> bool:
        """The stream is running: a stop reported now was of an abort it has been started again
        after (PortAudio reports the stop from its own thread, which may run after the restart)."""
        stream = self._stream
        try:
            return stream is not None and bool(stream.active)
        except Exception:  # noqa: BLE001 - a stream PortAudio no longer knows is not running
            return False

    def open_in_background(self) -> None:
        def run():
            try:
                self.open()
            except BaseException as e:  # handed to ready()
                self._error = e

        self._opener = threading.Thread(target=run, name="coach-audio-open", daemon=True)
        self._opener.start()

    def ready(self) -> None:
        """Wait until the stream is open; raise what opening it raised."""
        if self._opener is not None:
            self._opener.join()
            self._opener = None
        if self._error is not None:
            raise self._error
        if self._stream is None:
            self.open()

    def play(self, renderer: Renderer, start: int = 0, end: int | None = None,
             every: Callable[[int], None] | None = None,
             interrupt: threading.Event | None = None, lead: Renderer | None = None) -> bool:
        """Play samples [start, end) of the renderer's script; True once they are out, False as
        soon as `interrupt` is set (the output is then silent, the cursor where it stopped).
        `lead` plays first, sample-joined to `start` (a count-in before the rest of a hold).
        `every` is called with the cursor several times a second (to record progress). A
        draft's renderer plays to its settled part and waits there, silent, until `follow`
        hands over a later draft.
        Ctrl-C or any other exception silences the output at once and propagates."""
        self.ready()  # buffered silence plays out first (at most LATENCY): a restart to drop it
        # took no samples for 1.5 s through PulseAudio's ALSA plugin (scripts/bench prompt)
        with self._lock:
            self._reached.clear()
            self.position, self._end = start, renderer.total if end is None else end
            self._lead, self._lead_pos = lead, 0
            self.renderer = renderer
            self._blocks.clear()
            self._schedule = None
        heard = looked = time.monotonic()  # the last callback seen; the last look
        calls = self._calls
        tick = 0.1 if interrupt is None else 0.02
        try:
            while not self._reached.wait(tick):
                if interrupt is not None and interrupt.is_set():
                    with self._lock:
                        self.renderer = None
                    if not self._paused:  # a skip key: what is buffered is not heard
                        self.drop()
                    return False
                if every is not None:
                    every(self.heard())  # what the person hears now, not the cursor ahead of it
                now = time.monotonic()
                if self._calls != calls or self._paused or now - looked > LATE:  # alive, or we were late too
                    heard, calls = now, self._calls
                looked = now
                if self._stopped.is_set() and self._active():  # the word of our own abort, come late
                    self._stopped.clear()
                if self._stopped.is_set() or now - heard > SILENT:
                    raise AudioLost("the audio output stopped in the middle of the session.")
            time.sleep(self._until_out())  # the span's end, silence too, is still in the output buffer
            return True
        except BaseException:
            self.close(abort=True)
            raise
        finally:
            with self._lock:
                self.renderer = None

    def _until_out(self) -> float:
        """Seconds until the span's last sample reaches the speaker. Its trailing silence counts
        (the rest after a flare ends in one): the next play drops what is buffered, so returning
        before it is out would cut it short."""
        stream = self._stream
        with self._lock:
            last = self._blocks[-1] if self._blocks else None
        if stream is None or last is None:
            return 0.0
        dac, start = last
        return min(2 * LATENCY, max(0.0, dac + (self._end - start) / self.sample_rate - stream.time))

    def follow(self, renderer: Renderer, end: int) -> None:
        """Go on playing a later draft of what plays now (the same samples before the cursor,
        more of them final), to `end` in it: the cursor stays, so nothing is heard to change."""
        with self._lock:
            if self.renderer is not None:
                self.renderer = renderer
                self._end = end

    @property
    def gain(self) -> float:
        return self._gain

    @gain.setter
    def gain(self, value: float) -> None:
        self._gain = min(GAIN_MAX, max(GAIN_MIN, value))

    @property
    def paused(self) -> bool:
        return self._paused

    def heard(self) -> int:
        """The sample of the session at the speaker now: the cursor less what is still buffered."""
        stream = self._stream
        with self._lock:
            blocks, position = list(self._blocks), self.position
        if stream is None or not blocks:
            return position
        now = stream.time
        for dac, start in reversed(blocks):
            if dac <= now:
                return min(position, start + max(0, round((now - dac) * self.sample_rate)))
        return blocks[0][1]

    def pause(self) -> int:
        """Silence at once: what is buffered is dropped, and the cursor goes back to the sample
        that was at the speaker, so nothing is skipped on resume. Returns that sample."""
        with self._lock:
            self._paused = True
        return self.drop()

    def drop(self) -> int:
        """Drop what is buffered, so what plays next is heard at once; the cursor goes back to the
        sample that was at the speaker. Returns that sample."""
        heard = self.heard()
        with self._lock:
            self.position = heard
            self._blocks.clear()
            self._schedule = None
        self._flush()
        self.sounding_until = min(self.sounding_until, time.monotonic())  # what was to sound is gone
        return heard

    def _flush(self) -> None:
        stream = self._stream
        if stream is not None:
            self._restarting = True
            try:  # abort drops the output buffer; the stream goes on, playing silence
                with DEVICES:
                    stream.abort()
                    stream.start()
            except self._sd.PortAudioError as e:
                raise AudioLost(f"the audio output failed ({e}).") from e
            finally:
                self._restarting = False

    def resume(self) -> None:
        with self._lock:
            self._paused = False

    def seek(self, position: int) -> None:
        """Move the cursor: the next block plays from `position`."""
        with self._lock:
            self.position = position
            self._blocks.clear()
            self._schedule = None

    def close(self, abort: bool = False) -> None:
        """Stop and close the stream (at once with `abort`); safe to call more than once."""
        if self._opener is not None:
            self._opener.join()
            self._opener = None
        stream, self._stream = self._stream, None
        if stream is not None:
            close_stream(stream, abort)
