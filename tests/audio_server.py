"""A real PulseAudio server with a null sink, and a recorder of its monitor.

Used by the test fixtures and by scripts/bench. No sound card is needed: the null sink takes
what a client plays, and its monitor gives it back, sample for sample, to `parec`.

A second null sink, "mic", stands for the room the microphone hears: its monitor is the default
source, so what a test plays into it (`Mouth`: words said at chosen moments) is what the coach
hears. `room()` also loops the coach's own output into it, as a speaker beside the microphone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

RATE = 48000  # the null sink's rate and the recording's
MIC_RATE = 16000  # the microphone's: the recognizer's own rate, so nothing is resampled on the way
LIVE_TOLERANCE = 0.15  # seconds a span heard on the null sink's monitor may stray from the script.
# Measured: on an idle machine within 5 ms; on CI's loaded 2-core machine the server's scheduling
# gaps reached 58 ms and 80 ms in one span. 0.15 s is about twice the worst seen. The samples
# themselves are exact: the script and file tests assert that to the sample, not this.


class AudioServerError(RuntimeError):
    pass


class PulseServer:
    """`with PulseServer() as server:` a private server; `server.env` points clients at it."""

    def __init__(self) -> None:
        missing = [tool for tool in ("pulseaudio", "pactl", "parec") if not shutil.which(tool)]
        if missing:
            raise AudioServerError(
                f"{', '.join(missing)} not found: install pulseaudio (./scripts/test does)."
            )
        self.tmp = Path(tempfile.mkdtemp(prefix="coach-pulse-"))
        runtime, home = self.tmp / "xdg", self.tmp / "home"
        runtime.mkdir(mode=0o700)
        home.mkdir(mode=0o700)
        self.overrides = {
            "XDG_RUNTIME_DIR": str(runtime),
            "HOME": str(home),
            "PULSE_SERVER": f"unix:{runtime}/pulse/native",
        }

    @property
    def env(self) -> dict[str, str]:
        """The environment as it is now (COACH_HOME of the running test included), pointed here."""
        env = {**os.environ, **self.overrides}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        return env

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(args, env=self.env, capture_output=True, text=True, check=check, timeout=20)

    def start(self) -> "PulseServer":
        result = self._run(
            "pulseaudio", "-n", "-D", "--exit-idle-time=-1", "--disallow-exit",
            "--load=module-native-protocol-unix auth-anonymous=1",
            f"--load=module-null-sink sink_name=coach rate={RATE}",
            f"--load=module-null-sink sink_name=mic rate={MIC_RATE} channels=1",
            "--load=module-always-sink",
            check=False,
        )
        deadline = time.monotonic() + 10
        while self._run("pactl", "info", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise AudioServerError(f"pulseaudio did not start: {result.stderr.strip()}")
            time.sleep(0.05)
        self._run("pactl", "set-default-sink", "coach")
        self._run("pactl", "set-default-source", "mic.monitor")
        return self

    def mouth(self) -> "Mouth":
        return Mouth(self)

    @contextlib.contextmanager
    def room(self, latency_msec: int = 30):
        """The coach's own output looped into the microphone at the same level, while inside."""
        out = self._run("pactl", "load-module", "module-loopback", "source=coach.monitor", "sink=mic",
                        f"latency_msec={latency_msec}", "source_dont_move=true", "sink_dont_move=true")
        module = out.stdout.strip()
        try:
            yield
        finally:
            self._run("pactl", "unload-module", module, check=False)

    def stop(self) -> None:
        pid_file = Path(self.env["XDG_RUNTIME_DIR"]) / "pulse" / "pid"
        try:
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.02)
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "PulseServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def recorder(self) -> "Recorder":
        return Recorder(self)


class Recorder:
    """Records the null sink's monitor with low latency; each chunk is stamped on arrival."""

    CHUNK = 480  # 10 ms at 48 kHz

    def __init__(self, server: PulseServer):
        self.server = server
        self.chunks: list[tuple[float, np.ndarray]] = []
        self._arrived = threading.Condition()  # notified with each chunk, and when the stream ends
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "Recorder":
        self._proc = subprocess.Popen(
            ["parec", "--device=coach.monitor", "--latency-msec=10", "--raw",
             "--format=s16le", f"--rate={RATE}", "--channels=1"],
            env=self.server.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self._settle()
        return self

    def _read(self) -> None:
        assert self._proc and self._proc.stdout
        while True:
            data = self._proc.stdout.read(self.CHUNK * 2)
            with self._arrived:
                if data:
                    self.chunks.append((time.monotonic(), np.frombuffer(data, dtype="<i2")))
                self._arrived.notify_all()
            if not data:
                return

    def _settle(self) -> None:
        """Play silence until the recording flows and the sink's latency has come down."""
        player = subprocess.Popen(
            ["pacat", "--playback", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
             "--latency-msec=10"],
            env=self.server.env, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 15
            silence = bytes(RATE // 50 * 2)
            while time.monotonic() < deadline:
                player.stdin.write(silence)  # type: ignore[union-attr]
                player.stdin.flush()  # type: ignore[union-attr]
                time.sleep(0.02)
                if self.chunks and time.monotonic() - self.chunks[0][0] > 2.0:
                    break
            else:
                raise AudioServerError("the recorder got no data from the null sink's monitor")
        finally:
            player.stdin.close()  # type: ignore[union-attr]
            player.wait(timeout=10)
        self.chunks.clear()

    def stop(self) -> np.ndarray:
        """Stop and return everything recorded since start, as float32."""
        if self._proc:
            self._proc.terminate()
            self._proc.wait(timeout=10)
        if self._thread:
            self._thread.join(timeout=5)
        return self.samples()

    def samples(self) -> np.ndarray:
        if not self.chunks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([c for _, c in self.chunks]).astype(np.float32) / 32768.0

    def index_at(self, stamp: float) -> int:
        """The recording's sample that arrived at `stamp` (time.monotonic): the end of the first
        chunk stamped at or after it (late by the recorder's own latency, about 10 ms)."""
        n = 0
        for arrived, chunk in self.chunks:
            n += len(chunk)
            if arrived >= stamp:
                return n
        return n

    def wait_until(self, stamp: float, timeout: float = 30.0) -> None:
        """Return once the recording has reached `stamp` (time.monotonic): a chunk stamped after it."""
        with self._arrived:
            reached = self._arrived.wait_for(lambda: bool(self.chunks) and self.chunks[-1][0] >= stamp, timeout)
        assert reached, "the recorder stopped receiving audio"

    def reached(self, stamp: float) -> bool:
        """Whether the recording has reached `stamp` (time.monotonic): audio stamped after it came."""
        return bool(self.chunks) and self.chunks[-1][0] >= stamp

    def wait_for_sound(self, timeout: float, after: float = 0.0, threshold: float = 0.01) -> bool:
        """Wait until a chunk with sound in it has arrived, stamped after `after` (time.monotonic);
        False if none came within `timeout`."""
        seen = 0  # chunks already looked at: each is looked at once

        def heard() -> bool:
            nonlocal seen
            chunks, seen_before = list(self.chunks), seen
            seen = len(chunks)
            return any(stamp > after and np.abs(chunk).max() / 32768.0 > threshold
                       for stamp, chunk in chunks[seen_before:])

        with self._arrived:
            return self._arrived.wait_for(heard, timeout)

    def wait_for_quiet(self, seconds: float = 0.6, timeout: float = 60.0, threshold: float = 0.01) -> bool:
        """Until the last `seconds` recorded are all below `threshold` (full scale 1): the coach
        has stopped speaking. False on timeout."""
        need = int(seconds * RATE)
        limit = threshold * 32768
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                got, quiet = 0, True
                for _, chunk in reversed(self.chunks):
                    if np.abs(chunk).max(initial=0) > limit:
                        quiet = False
                        break
                    got += len(chunk)
                    if got >= need:
                        break
                if quiet and got >= need:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._arrived.wait(min(left, 0.1))

    def first_sound_at(self, threshold: float = 0.01) -> float | None:
        """The arrival time (time.monotonic) of the first chunk with sound in it."""
        for stamp, chunk in list(self.chunks):
            if np.abs(chunk).max() / 32768.0 > threshold:
                return stamp
        return None


def correlate(recording: np.ndarray, templates: list[np.ndarray]) -> list[np.ndarray]:
    """Each template's cross-correlation with the recording at every offset where it fits whole,
    by overlap-save: FFTs of blocks a few times the template's length, each block's transform
    shared by all the templates (of one length). Minutes of recording match in a fraction of a
    second, where one FFT of the whole recording took seconds."""
    m = len(templates[0])
    assert all(len(t) == m for t in templates)
    size = 1 << max(16, (2 * m).bit_length())
    step = size - m + 1
    spectra = [np.conj(np.fft.rfft(t, size)) for t in templates]
    n = len(recording) - m + 1
    out = [np.empty(n) for _ in templates]
    for start in range(0, n, step):
        block = np.fft.rfft(recording[start:start + size], size)
        k = min(step, n - start)
        for corr, spectrum in zip(out, spectra):
            corr[start:start + k] = np.fft.irfft(block * spectrum, size)[:k]
    return out


def match_scores(recording: np.ndarray, template: np.ndarray) -> np.ndarray:
    """How well `template` matches `recording` at each offset: a normalized cross-correlation,
    1.0 for an exact copy at any loudness, so speech does not pass for a cue."""
    return scores(recording, [template])[0]


def scores(recording: np.ndarray, templates: list[np.ndarray]) -> list[np.ndarray]:
    """`match_scores` for several templates of one length at once."""
    recording = recording.astype(np.float64)
    m = len(templates[0])
    power = np.concatenate(([0.0], np.cumsum(recording ** 2)))
    energy = power[m:] - power[: len(recording) - m + 1]  # moving sums
    out = []
    for template, corr in zip(templates, correlate(recording, templates)):
        t_energy = np.sum(template.astype(np.float64) ** 2)
        score = corr / (np.sqrt(np.maximum(energy, 0.0) * t_energy) + 1e-9)
        score[energy < 0.1 * t_energy] = 0.0  # near-silence matches nothing
        out.append(score)
    return out


def cue_onsets(recording: np.ndarray, template: np.ndarray, count: int, min_gap: int) -> list[int]:
    """The `count` strongest matches of `template` in `recording`, at least `min_gap` apart, in order."""
    score = match_scores(recording, template)
    picks: list[int] = []
    for i in np.argsort(score)[::-1]:
        if all(abs(int(i) - p) >= min_gap for p in picks):
            picks.append(int(i))
            if len(picks) == count:
                break
    return sorted(picks)


def heard_onsets(recording: np.ndarray, scheduled: list[dict]) -> list[float]:
    """For each scheduled cue (events of `coach script --json`, in order), where it was heard in
    the recording, in seconds: each cue's matches are taken in order of time."""
    from coach.audio import cue

    found = {}
    for name in {e["cue"] for e in scheduled}:
        count = sum(e["cue"] == name for e in scheduled)
        found[name] = iter(cue_onsets(recording, cue.render(name, RATE), count, RATE // 2))
    return [next(found[e["cue"]]) / RATE for e in scheduled]


PIECE = 0.6  # seconds of a phrase matched at once


def heard_phrase(recording: np.ndarray, samples, sample_rate: int, seconds: float = PIECE) -> float:
    """How clearly a spoken clip (int16 samples at `sample_rate`) was heard: the best match score
    of its first `seconds`, resampled to the recording's rate. A longer span is matched in pieces
    of 0.6 s and scored by their median, so that a gap a loaded server leaves inside the phrase
    (seen in CI: 60-80 ms) does not hide a phrase that was played whole."""
    clip = np.frombuffer(samples, dtype=np.int16).astype(np.float64) / 32768.0
    clip = clip[: int(seconds * sample_rate)]
    x = np.arange(int(len(clip) * RATE / sample_rate)) * sample_rate / RATE
    template = np.interp(x, np.arange(len(clip)), clip)
    recording = recording.astype(np.float64)
    piece = int(PIECE * RATE)
    if len(template) < 2 * piece:
        return float(match_scores(recording, template).max())
    pieces = [template[i:i + piece] for i in range(0, len(template) - piece + 1, piece)]
    return float(np.median([s.max() for s in scores(recording, pieces)]))


def phrase_onsets(recording: np.ndarray, samples, sample_rate: int, count: int) -> list[int]:
    """Where a spoken clip (int16 at `sample_rate`) was heard, its `count` best matches, in order."""
    clip = np.frombuffer(samples, dtype=np.int16).astype(np.float64) / 32768.0
    template = np.interp(np.arange(int(len(clip) * RATE / sample_rate)) * sample_rate / RATE,
                         np.arange(len(clip)), clip)
    return cue_onsets(recording.astype(np.float64), template, count, RATE // 2)


class Mouth:
    """Says words into the microphone: 16 kHz mono samples played into the "mic" sink, each
    call returning when they have all been played (so a test knows when the word ended)."""

    TAIL = 0.3  # seconds of silence played after the word, so all of it is out before pacat ends

    def __init__(self, server: PulseServer):
        self.server = server

    def say(self, samples: np.ndarray, lead: float = 0.3) -> float:
        """Play `samples` (int16, MIC_RATE) after `lead` seconds of silence; the time.monotonic()
        at which the word's last audible sample was played (not the clip's end: espeak-ng's clips
        end in 0.37-0.43 s of silence, which a latency measured from there would leave out)."""
        pad = np.zeros(int(lead * MIC_RATE), dtype=np.int16)
        tail = np.zeros(int(self.TAIL * MIC_RATE), dtype=np.int16)
        data = np.concatenate([pad, samples.astype(np.int16), tail]).tobytes()
        proc = subprocess.Popen(
            ["pacat", "--playback", "--device=mic", "--raw", "--format=s16le", f"--rate={MIC_RATE}",
             "--channels=1", "--latency-msec=20"],
            env=self.server.env, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        proc.communicate(data, timeout=60)
        # pacat drains before it exits: the word ended `tail`, and the clip's own quiet end,
        # before the end of what it played
        from coach.audio.speech import TRIM_THRESHOLD  # where the engine's own silence begins

        loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > TRIM_THRESHOLD * 32768)
        quiet_end = (len(samples) - (loud[-1] + 1 if len(loud) else 0)) / MIC_RATE
        ended = time.monotonic() - self.TAIL - quiet_end
        return max(started, ended)
