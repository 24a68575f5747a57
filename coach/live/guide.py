"""The live side of the coach: it speaks and prints, plays parts of scripts, and asks questions.

Everything said is printed too, so a person who cannot hear (or a log) misses nothing, and
every question is spoken and printed with the keys that answer it.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

from coach.audio.render import Renderer, renderer_for
from coach.audio.sink import Player
from coach.audio.speech import Clips
from coach.core.cue import Tone
from coach.core.question import Question
from coach.core.script import Script, spoken
from coach.core.words import Words
from coach.live.answers import REPEAT_AFTER, Answers, KeyAnswers

Echo = Callable[[str], None]


class Guide:
    def __init__(self, player: Player, clips: Clips, answers: Answers, echo: Echo, words: Words,
                 volume: float = 1.0, tone: Tone = Tone()):
        self.words = words  # the language everything is said and printed in
        self.player = player
        self.clips = clips
        self.answers = answers
        self.echo = echo
        self.volume = volume
        self.tone = tone
        self.sample_rate = player.sample_rate

    def renderer(self, script: Script) -> Renderer:
        return renderer_for(script, self.clips, self.volume, self.tone)

    def play(self, script: Script | Renderer, start: int = 0, end: int | None = None,
             every: Callable[[int], None] | None = None, interrupt=None,
             lead: Script | None = None) -> bool:
        renderer = script if isinstance(script, Renderer) else self.renderer(script)
        return self.player.play(renderer, start, end, every, interrupt,
                                None if lead is None else self.renderer(lead))

    @contextlib.contextmanager
    def echoing(self, echo: Echo) -> Iterator[None]:
        """What is printed goes to `echo` inside the block (the full-terminal view's message row)."""
        saved, self.echo = self.echo, echo
        try:
            yield
        finally:
            self.echo = saved

    def keys(self):
        """Keys during the session, when the answers come from a terminal."""
        if not isinstance(self.answers, KeyAnswers):
            return None
        from coach.live.keys import Keys

        return Keys(self.answers.fd, self.player)

    def speak(self, *lines: str, until_key: bool = False) -> None:
        """Say the lines, without printing them. `until_key`: a key pressed in the terminal cuts
        them off at once (the key stays to be read): a prompt the person has already answered."""
        if not lines:
            return
        script = spoken(lines, self.clips.length, self.sample_rate)
        if until_key and isinstance(self.answers, KeyAnswers):
            from coach.live.keys import pressed

            with pressed(self.answers.fd) as key:
                self.play(script, interrupt=key)
        else:
            self.play(script)

    def say(self, *lines: str) -> None:
        """Print and say the lines."""
        for line in lines:
            self.echo(line)
        self.speak(*lines)

    def ask(self, question: Question) -> str:
        """Ask until answered: the answer, or "" when skipped. Silence or a wrong key asks again."""
        if isinstance(self.answers, KeyAnswers):
            self.answers.flush()
        self.echo(f"{question.text} {question.hint()}")
        self.speak(question.text, until_key=True)
        while True:
            raw = self.answers.read(question, REPEAT_AFTER)
            answer = None if raw is None else question.parse(raw)
            if answer is not None:
                self.echo(f"  > {question.word(answer)}")
                return answer
            if raw is None:
                self.echo(self.words.printed.again.format(question=f"{question.text} {question.hint()}"))
            else:
                self.echo(self.words.printed.answer_keys.format(keys=question.hint()))
            self.speak(question.text, until_key=True)
