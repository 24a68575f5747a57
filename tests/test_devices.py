"""The audio devices from several threads at once: the output and the microphone open in threads of
their own, and PortAudio and alsa-lib must never be entered by two of them at the same time."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading

from coach.audio import devices, sink


def test_alsa_is_quieted_once_when_threads_start_together(monkeypatch):
    """Four threads asking for sounddevice at once register one ALSA error handler, and keep it.
    Before, each made its own: the one that lost the race was freed while ALSA still held it,
    and the next ALSA message jumped into freed memory (a segmentation fault in snd_pcm_open,
    about 1 start in 8 to 30 with no microphone; the core file showed the handler's freed block)."""
    registered: list[object] = []
    real_find = ctypes.util.find_library

    class Alsa:
        def snd_lib_error_set_handler(self, handler):
            registered.append(handler)

    met = threading.Barrier(4)

    def find_together(name):  # finding the library runs a program: the window the threads met in.
        # Each thread that gets here waits for the others: without the lock all four do; with it
        # only the first gets here, and its wait ends at the timeout.
        with contextlib.suppress(threading.BrokenBarrierError):
            met.wait(timeout=1)
        return real_find(name) or "libasound.so.2"

    monkeypatch.setattr(devices, "_alsa_handler", None)
    monkeypatch.setattr(ctypes.util, "find_library", find_together)
    monkeypatch.setattr(ctypes.cdll, "LoadLibrary", lambda name: Alsa())
    barrier = threading.Barrier(4)

    def ask():
        barrier.wait()
        devices.quiet_alsa()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(registered) == 1
    assert registered[0] is devices._alsa_handler  # kept alive for as long as ALSA may call it


def held_elsewhere() -> bool:
    """Whether another thread would have to wait for DEVICES now."""
    got = []
    t = threading.Thread(target=lambda: got.append(devices.DEVICES.acquire(blocking=False)))
    t.start()
    t.join(5)
    if got[0]:
        devices.DEVICES.release()
    return not got[0]


def test_every_device_call_holds_the_lock(monkeypatch):
    """Device queries and opening either stream happen with DEVICES held, so the output's opener
    and the microphone's thread take turns in PortAudio and alsa-lib."""
    from coach.audio import microphone

    sd = devices.sounddevice()
    seen: dict[str, bool] = {}

    def query_devices(kind=None):
        seen[f"query {kind}"] = held_elsewhere()
        return {"name": "test", "max_input_channels": 1, "max_output_channels": 1}

    class Stream:
        def __init__(self, name, **kwargs):
            seen[f"open {name}"] = held_elsewhere()

        def start(self):
            pass

        def abort(self):
            seen["abort"] = held_elsewhere()

        def close(self):
            seen["close"] = held_elsewhere()

    monkeypatch.setattr(sd, "query_devices", query_devices)
    monkeypatch.setattr(sd, "RawOutputStream", lambda **kw: Stream("output", **kw))
    monkeypatch.setattr(sd, "RawInputStream", lambda **kw: Stream("input", **kw))
    player = sink.Player(22050)
    player.open()
    player.close(abort=True)
    mic = microphone.Microphone(16000, 480)
    mic.open()
    mic.close()
    assert seen == {"query output": True, "open output": True, "query input": True, "open input": True,
                    "abort": True, "close": True}
