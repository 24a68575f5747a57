"""The espeak voice's own process: pyttsx3, through its public API only, one phrase at a time.

`python -m coach.audio.espeak_worker RATE [VOICE]` starts one pyttsx3 engine, sets the voice
(by id, the last part of its id, or its name) and the rate once, before the first phrase, and
answers on its standard output, one JSON line each:
- first, {"voices": [[id, name, [languages]], ...], "voice": the id chosen}, {"failed": why}
  when pyttsx3 cannot start, or
  {"unknown": VOICE} when no voice goes by that name;
- then for each line {"text": ..., "path": ...} read from its standard input, once the phrase
  is written as a WAV file at `path`: {"ok": true}, or {"error": ...}.

Why a process of its own (coach/audio/espeak.py starts it):
- pyttsx3's espeak driver prints "Audio saved to ..." for each phrase; here that goes nowhere,
  and the coach's own output is untouched (silencing it in the coach's process meant patching
  the driver, or swapping sys.stdout under every thread);
- pyttsx3 queues a property change behind its run loop, and a change between two phrases was
  measured to be dropped (the next phrase at the old rate), and once in a CI run (of thousands of
  phrases) a process's one rate was lost before its first phrase (it spoke at the driver's own
  200): here the voice and the rate are set before any phrase, the rate again, queued just
  before each phrase, and another voice or rate is another process;
- synthesis holds this process's interpreter lock, not the session's, so the output stream's
  callback never waits for it; and an engine that ends the process (libespeak-ng exits when its
  data is missing) ends only this one: the coach says so in one line.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

TIMEOUT = 15.0  # seconds to wait for one phrase's finished-utterance
ATTEMPTS = 3  # runAndWait may return before the file is written (the engineering notes): tried again


def pick(voices, wanted: str):
    """The voice given by id, by the last part of its id, or by name; None if none is."""
    w = wanted.strip().lower()
    return next((v for v in voices if w in (v.id.lower(), v.id.lower().rsplit("/", 1)[-1], v.name.lower())), None)


def _speak(engine, done: threading.Event, text: str, path: Path, rate: int) -> bool:
    for _ in range(ATTEMPTS):
        path.unlink(missing_ok=True)
        done.clear()
        engine.setProperty("rate", rate)  # again, queued just before the phrase: see the module's notes
        engine.save_to_file(text, str(path))
        engine.runAndWait()
        if done.wait(TIMEOUT) and path.is_file() and path.stat().st_size > 44:
            return True
    return False


def main(argv: list[str]) -> int:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # the driver's "Audio saved to ..."

    def say(**answer) -> None:
        answers.write(json.dumps(answer) + "\n")

    try:
        import pyttsx3

        engine = pyttsx3.init()
    except (ImportError, OSError, RuntimeError, AttributeError) as e:
        say(failed=f"{type(e).__name__}: {e}" if isinstance(e, ImportError) else str(e))
        return 0
    done = threading.Event()
    engine.connect("finished-utterance", lambda name=None, completed=True: done.set() if completed else None)
    voices = engine.getProperty("voices")
    chosen = engine.getProperty("voice") or ""
    if len(argv) > 1:
        found = pick(voices, argv[1])
        if found is None:
            say(unknown=argv[1])
            return 0
        chosen = found.id
        engine.setProperty("voice", chosen)
    rate = int(argv[0])
    engine.setProperty("rate", rate)
    engine.runAndWait()  # nothing to say: the voice and the rate reach the library now
    say(voices=[[v.id, v.name, list(v.languages or ())] for v in voices], voice=chosen)
    for line in sys.stdin:
        asked = json.loads(line)
        if _speak(engine, done, asked["text"], Path(asked["path"]), rate):
            say(ok=True)
        else:
            say(error="no audio")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
