"""A session that starts before its phrases are all made (coach/audio/drafts.py): drafts that grow
in the script's order to the final script, a player that waits at a draft's settled end and goes
on with the next draft sample for sample, and a jump ahead that waits until its target is final.

A gated engine makes each phrase only when the test lets it, so every step is an event, not a
time. The real engine and the real audio output play a cold session in tests/test_natural.py."""

from __future__ import annotations

import contextlib
import math
import threading
from array import array
from types import SimpleNamespace

import sounddevice as sd

from coach.audio.drafts import Drafts
from coach.audio.render import Renderer, Session
from coach.audio.sink import Player
from coach.audio.speech import Clips, VoiceSettings
from coach.core import control
from coach.core.dose import plan
from coach.core.rules import routines
from coach.core.script import SAMPLE_RATE, SPEECH, Guess, build
from coach.core.words import catalog as words
from coach.live.conversation import Course

SR = SAMPLE_RATE
WAIT = 30.0  # seconds: a gate not opened by then is a test that hangs


class Gated:
    """A synthesizer (coach/audio/synthesizer.py) that makes a phrase only once the test opens
    its gate: a tone whose length follows the text."""

    slow = True

    def ident(self) -> list:
        return ["gated"]

    def close(self) -> None:
        pass

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.open: set[str] = set()
        self.all = False
        self.changed = threading.Condition()

    def synthesize(self, text: str, path) -> tuple[array, int]:
        with self.changed:
            self.asked.append(text)
            self.changed.notify_all()
            assert self.changed.wait_for(lambda: self.all or text in self.open, WAIT), f"never let through: {text!r}"
        n = 600 * len(text)
        return array("h", (round(12000 * math.sin(k / 7)) for k in range(n))), SR

    def let(self, text: str | None = None) -> None:
        """Let `text` be made (every phrase from now on, with None)."""
        with self.changed:
            if text is None:
                self.all = True
            else:
                self.open.add(text)
            self.changed.notify_all()

    def next_asked(self, seen: int) -> str:
        """The phrase asked for after the first `seen`, waiting for it."""
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.asked) > seen, WAIT), "no phrase was asked for"
            return self.asked[seen]


def gated(tmp_path) -> tuple[Clips, Gated]:
    clips = Clips(VoiceSettings("gated"), tmp_path, SR)
    engine = clips.voice = Gated()
    return clips, engine


def flexion():
    r = routines(words())["flexion"]
    doses = plan(r, words=words())
    return r, lambda length_of: build(r, doses, words(), length_of, SR)


@contextlib.contextmanager
def drafting(tmp_path):
    """The flexion session drafted from a gated engine: (drafts, engine, clips, routine, make)."""
    clips, engine = gated(tmp_path)
    r, make = flexion()
    drafts = Drafts(make, clips)
    try:
        yield drafts, engine, clips, r, make
    finally:
        engine.let()
        drafts.close()


def test_drafts_grow_in_the_order_the_script_needs_its_phrases_to_the_final_script(tmp_path):
    with drafting(tmp_path) as (drafts, engine, clips, _, make):
        first = drafts.latest()
        assert not first.final and first.settled == 0  # nothing made: nothing to play yet
        assert engine.next_asked(0) == first.events[0].text  # the first thing said is made first
        seen, settled, script = 0, [first.settled], first
        while not script.final:
            engine.let(engine.next_asked(seen))
            seen += 1
            script = drafts.newer(script)
            settled.append(script.ready)
    assert settled == sorted(settled) and len(set(settled)) > 20  # final further on, phrase by phrase
    assert script == make(clips.length)  # every length now known: the script a warm cache builds
    assert len(engine.asked) == len(set(engine.asked))  # each phrase made once
    assert {e.text for e in script.events if e.kind == SPEECH} <= set(engine.asked)


def tone(text: str) -> array:
    """Samples a test can tell apart: each phrase its own level."""
    return array("h", [len(text) % 97 + 1]) * (600 * len(text))


def test_the_player_waits_at_a_drafts_end_then_plays_the_next_draft_sample_for_sample():
    _, make = flexion()
    final = make(lambda text: 600 * len(text))
    spoken = [e.text for e in final.events if e.kind == SPEECH]
    known = set(spoken[:12])
    draft = make(lambda text: 600 * len(text) if text in known else Guess(9000))
    assert 0 < draft.settled < final.total
    cue = lambda name: array("h", [3]) * [e.length for e in final.events if e.cue == name][0]  # noqa: E731
    first = Renderer(draft, tone, cue)
    player = Player(SR)
    player.renderer, player.position, player._end = first, 0, final.total  # as play() sets it
    played, waited = array("h"), 0
    block = bytearray(2 * 512)
    at = SimpleNamespace(outputBufferDacTime=0.0, currentTime=0.0)
    while not player._reached.is_set():
        before = player.position
        player._callback(block, 512, at, sd.CallbackFlags())  # PortAudio's call, as it makes it
        played.extend(memoryview(block).cast("h")[: player.position - before])
        if player.position == before:
            waited += 1
            assert player.position == draft.settled  # waiting where the draft stops being final
            assert not any(memoryview(block).cast("h"))  # in silence
            if waited == 3:
                player.follow(first.follow(final), final.total)
    assert waited == 3
    assert played == Renderer(final, tone, cue).read(0, final.total)  # nothing lost, nothing twice


def test_a_jump_past_what_is_final_waits_for_the_drafts(tmp_path):
    with drafting(tmp_path) as (drafts, engine, clips, r, make):
        course = Course(Session(drafts.latest(), clips, 1.0, r, drafts=drafts), check_in=False)
        threading.Timer(0.0, engine.let).start()  # every phrase may be made now
        target = course.resolve(lambda s: control.next_exercise(s, 0))
    assert target < course.script.ready
    final = make(clips.length)
    assert target == control.next_exercise(final, 0)
