"""The live side of the coach: it speaks and prints, plays parts of scripts, and asks questions.

Everything said is printed too, so a person who cannot hear (or a log) misses nothing, and
every question is spoken and printed with the keys that answer it. When the coach listens, a
question is answered by voice or by key, whichever comes first; a spoken answer is said back.
"""

from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator

from coach.audio.recognizer import Heard, NoModel
from coach.audio.render import Renderer, renderer_for
from coach.audio.sink import Player
from coach.audio.speech import Clips
from coach.core.cue import Tone
from coach.core.grammar import context
from coach.core.question import Question
from coach.core.script import Script, spoken
from coach.core.words import Words
from coach.live.answers import REPEAT_AFTER, Answers, KeyAnswers
from coach.live.listener import NO_CONFIDENCE, OVERRIDE, Listener
from coach.live.remote import Remote, drain, ready, tap

SURE = 0.85  # a spoken pain number less sure than this is said back as a question, to confirm
REPEATS = 3  # times a question nobody answers is asked again (every REPEAT_AFTER seconds); then it waits
WAIT_QUIETLY = 3600.0  # seconds between looks once it waits quietly (an answer ends the wait at once)
CONFIRM_WITHIN = 10.0  # seconds to confirm a spoken answer: silence is a no, and the question is asked again

Echo = Callable[[str], None]


class Guide:
    def __init__(self, player: Player, clips: Clips, answers: Answers, echo: Echo, words: Words,
                 volume: float = 1.0, tone: Tone = Tone(), listener: Listener | None = None,
                 remote: Remote | None = None):
        self.words = words  # the language everything is said and printed in
        self.listener = listener  # None: answers and commands are by key only
        self.remote = remote  # the phone, when one is the remote: its taps are keys
        self.given = "key"  # how the last answer was given: "key" (a key or a line), "voice" or "phone"
        self._tapped = False  # the last raw answer came from the remote
        self._shown: Question | None = None  # the question the remote shows
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

    def mirrored(self, script: Script, names: dict[str, str], title: str) -> Callable[[int], None] | None:
        """For `play`'s `every`: the phone's board following a script that has no view of its own
        (the test's positions); None without a phone."""
        remote = self.remote
        if remote is None:
            return None
        from coach.live.board import Board

        board = Board(script, names, title, self.words, keys=False)
        return lambda position: remote.show(board.payload(position))

    @contextlib.contextmanager
    def echoing(self, echo: Echo) -> Iterator[None]:
        """What is printed goes to `echo` inside the block (the full-terminal view's message row)."""
        saved, self.echo = self.echo, echo
        try:
            yield
        finally:
            self.echo = saved

    def listening(self) -> Listener | None:
        """The listener while it works; once the microphone is lost, None, said once in a line."""
        listener = self.listener
        if listener is not None and listener.lost:
            self.listener = None
            error = listener.error
            if isinstance(error, NoModel):
                self.echo(self.words.printed.model_lost.format(why=str(error).rstrip(".")))
            else:
                self.echo(self.words.printed.mic_lost)
            return None
        return listener

    def keys(self):
        """Commands during the session: keys when the answers come from a terminal, and words
        when the coach listens; None when neither."""
        fd, remote = self._key_fds()
        listener = self.listening()
        if fd is None and listener is None and remote is None:
            return None
        from coach.live.keys import Keys

        return Keys(fd, self.player, listener, remote)

    def _key_fds(self) -> tuple[int | None, int | None]:
        """Where keys come from: the terminal (None when the answers are not keys), and the phone's taps."""
        return (self.answers.fd if isinstance(self.answers, KeyAnswers) else None,
                self.remote.fd if self.remote is not None else None)

    def speak(self, *lines: str, until_key: bool = False) -> None:
        """Say the lines, without printing them. `until_key`: a key pressed in the terminal cuts
        them off at once (the key stays to be read): a prompt the person has already answered."""
        if not lines:
            return
        script = spoken(lines, self.clips.length, self.sample_rate)
        fds = [f for f in self._key_fds() if f is not None]
        if until_key and fds:
            from coach.live.keys import pressed

            with pressed(*fds) as key:
                self.play(script, interrupt=key)
        else:
            self.play(script)

    def say(self, *lines: str) -> None:
        """Print and say the lines."""
        for line in lines:
            self.echo(line)
        self.speak(*lines)

    def ask(self, question: Question, safety: str | None = None) -> str:
        """Ask until answered: the answer, or "" when skipped. Silence, a wrong key or a word not
        understood asks again. `safety` (the question's sign, "new leg weakness"): a spoken yes
        is said back and taken only once confirmed, a spoken no only when clearly heard, and a
        yes within a few seconds after the no is said back overrides it."""
        if isinstance(self.answers, KeyAnswers):
            self.answers.flush()
        if self.remote is not None:
            drain(self.remote.fd)
        with self._showing(question):
            return self._ask(question, safety)

    @contextlib.contextmanager
    def _showing(self, question: Question) -> Iterator[None]:
        """The remote shows `question`'s answers inside the block, and what it showed before after."""
        before, self._shown = self._shown, question
        if self.remote is not None:
            self.remote.asking(question)
        try:
            yield
        finally:
            self._shown = before
            if self.remote is not None:  # (None once the phone has gone)
                self.remote.asking(before)

    def _ask(self, question: Question, safety: str | None) -> str:
        self.echo(f"{question.text} {question.hint()}")
        self._prompt(question)
        silent = 0  # times in a row nothing came
        while True:
            raw, heard = self._next(question, REPEAT_AFTER if silent <= REPEATS else WAIT_QUIETLY)
            if raw is None and heard is None:  # nothing for a while: asked again, three times at most
                silent += 1
                if silent <= REPEATS:
                    self.echo(self.words.printed.again.format(question=f"{question.text} {question.hint()}"))
                    self._prompt(question)
                elif silent == REPEATS + 1:  # then once that it waits, and it waits quietly
                    self.say(self.words.waiting_voice if self.listening() is not None else self.words.waiting_keys)
                continue
            if heard is not None:
                answer = self._spoken(question, heard, safety)
                if answer is None:
                    if silent <= REPEATS:  # once it waits quietly, a word not understood is not a reason to ask aloud
                        self._prompt(question)
                    continue
                self.given = "voice"
                return answer
            answer = None if raw is None else question.parse(raw)
            if answer is not None:
                self._took(question, answer)
                self.given = "phone" if self._tapped else "key"
                return answer
            self.echo(self.words.printed.answer_keys.format(keys=question.hint()))
            self._prompt(question)

    def _spoken(self, question: Question, heard: Heard, safety: str | None) -> str | None:
        """The answer a stretch of speech gives, said back; None when it gives none yet (not
        understood, or not confirmed): the question is asked again."""
        answer = None if heard.token is None else question.parse(heard.token)
        if answer == "no" and safety is not None and heard.confidence < NO_CONFIDENCE:
            answer = None
        if answer is None:
            self.echo(self.words.printed.unclear)
            return None
        self._took(question, answer, heard)
        back = question.word(answer)
        if question.kind == "pain" and answer != "" and self.words.listen is not None:
            back = self.words.listen.answers["pain"][answer][0]  # "seven", as it was said
        back = back[:1].upper() + back[1:]
        if safety is not None and answer == "yes":  # acted on only once confirmed: a false yes
            return answer if self._confirmed(self.words.confirm_yes.format(sign=safety)) else None  # stops
        if question.kind == "pain" and answer != "" and heard.confidence < SURE:
            return answer if self._confirmed(self.words.confirm_answer.format(answer=back)) else None
        self.speak(back + ".")  # said back: "Seven."
        if safety is not None and answer == "no" and self._overridden(question):
            answer = "yes"
        return answer

    def _confirmed(self, line: str) -> bool:
        """Say `line` (a question) and wait for a yes, by voice or by key: anything else, or
        nothing within CONFIRM_WITHIN seconds, is a no."""
        confirm = Question("confirm", line, "yes-no", self.words)
        with self._showing(confirm):
            return self._confirm(confirm)

    def _confirm(self, confirm: Question) -> bool:
        line = confirm.text
        self.echo(f"{line} {confirm.hint()}")
        self._prompt(confirm)
        deadline = time.monotonic() + CONFIRM_WITHIN
        while (left := deadline - time.monotonic()) > 0:
            raw, heard = self._next(confirm, left)
            said = heard.token if heard is not None else raw
            answer = None if said is None else confirm.parse(said)
            if answer is not None:
                self._took(confirm, answer, heard)
                return answer == "yes"
            if heard is not None:
                self.echo(self.words.printed.unclear)
        return False

    def _prompt(self, question: Question) -> None:
        listener = self.listening()
        if listener is not None:
            listener.expect(context(question.kind, question.skippable))
        self.speak(question.text, until_key=True)

    def _took(self, question: Question, answer: str, heard: Heard | None = None) -> None:
        """Print the answer taken: a key's, or what was heard and how surely."""
        word = question.word(answer)
        if heard is None:
            self.echo(f"  > {word}")
        else:
            self.echo(self.words.printed.heard.format(word=word, confidence=heard.confidence))

    def _overridden(self, question: Question) -> bool:
        """A yes, by voice or key, within OVERRIDE seconds of a spoken no being said back."""
        deadline = time.monotonic() + OVERRIDE
        while (left := deadline - time.monotonic()) > 0:
            raw, heard = self._next(question, left)
            said = heard.token if heard is not None else raw
            if said is not None and question.parse(said) == "yes":
                self._took(question, "yes", heard)
                return True
        return False

    def _next(self, question: Question, timeout: float) -> tuple[str | None, Heard | None]:
        """The next key, tap or line (raw), or the next stretch of speech heard; (None, None)
        after `timeout` seconds of none."""
        self._tapped = False
        listener = self.listening()
        fd = self.answers.fd
        remote = self.remote.fd if self.remote is not None else None
        if listener is None and remote is None:
            return self.answers.read(question, timeout), None
        if fd is None or self.answers.pending():  # an answer read in already, or a string
            heard = listener.take() if listener is not None else None
            return (None, heard) if heard is not None else (self.answers.read(question, 0), None)
        deadline = time.monotonic() + timeout
        if listener is not None:
            got = listener.wait([fd, *([remote] if remote is not None else [])], deadline)
            if isinstance(got, Heard):
                return None, got
            if not got and not listener.lost:
                return None, None
            self.listening()  # lost: keys alone from now on (said once)
        elif not ready([fd, remote], timeout):
            return None, None
        if remote is not None and ready([remote], 0):
            key = tap(remote)
            if key is not None:
                self._tapped = True
                return key, None
            self.remote = None  # the phone has gone: keys (and voice) go on
        return self.answers.read(question, max(0.0, deadline - time.monotonic())), None
