"""What the coach listens for, as small grammars: never free dictation.

Each moment of a session has its own grammar, made from the catalog's `[listen]` words: after a
question, the answers that question takes; while the session plays, the session commands; while
it is paused, the commands that end a pause; after "stop", yes or no. A smaller grammar is a
surer one: "stop" is never mistaken for "go on" while the session plays, since "go on" is not
listened for then. A grammar is JSGF text, for the recognizer (coach/audio/recognizer.py).

A grammar with nothing else in it hears every sound as one of its phrases: "go on", said to a
safety question, was heard as "no" with 94 % confidence. So a yes-or-no grammar (the safety
questions, "Stop the session?") also holds the session commands, as decoys: a command said to it
stands for nothing, and the question is asked again. Only there: measured with scripts/bench's
voices, the commands as decoys cost yes and no nothing, but in the other grammars they took
the number words from right to asked again ("four" heard as "pause", "nine" as "go on").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from coach.core.question import keys_of
from coach.core.words import Listen, Words

PLAYING = "playing"
PAUSED = "paused"
CONFIRM = "confirm"
PLAYING_COMMANDS = ("pause", "next", "previous", "repeat", "louder", "softer", "worse", "quit")
PAUSED_COMMANDS = ("resume", "quit", "worse")
SKIP = "skip"  # the token a spoken skip stands for; a question parses it as its skip
YES_NO = {"yes", "no", SKIP}  # the tokens of the grammars that hold the commands as decoys
WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class Grammar:
    name: str
    phrases: Mapping[str, str]  # a phrase as said → the token it stands for (an answer, a command)
    decoys: frozenset[str] = frozenset()  # phrases listened for that stand for nothing here
    fillers: frozenset[str] = frozenset()  # words said before a phrase that are not part of it

    def phrase(self, text: str) -> str:
        """`text` without the fillers said before a phrase: "and stop" → "stop". Words that are a
        phrase of their own stay as they are, and fillers alone are not a phrase."""
        said = text.split()
        while len(said) > 1 and said[0] in self.fillers and " ".join(said) not in self.phrases:
            said = said[1:]
        return " ".join(said)

    def jsgf(self) -> str:
        alternatives = " | ".join(sorted({*self.phrases, *self.decoys}))
        return f"#JSGF V1.0;\ngrammar coach;\npublic <said> = {alternatives};\n"

    def token(self, said: str) -> str | None:
        return self.phrases.get(" ".join(said.split()))


def context(kind: str, skippable: bool = False) -> str:
    """The grammar's name for a question of this kind."""
    return f"{kind}+skip" if skippable else kind


def grammars(listen: Listen) -> dict[str, Grammar]:
    """Every grammar the coach listens with, by name."""
    out: dict[str, Grammar] = {}
    for kind, answers in listen.answers.items():
        phrases = {p: answer for answer, said in answers.items() for p in said}
        out[kind] = Grammar(kind, phrases)
        out[context(kind, True)] = Grammar(context(kind, True), {**phrases, **{p: SKIP for p in listen.skip}})
    commands = listen.commands
    out[PLAYING] = Grammar(PLAYING, {p: c for c in PLAYING_COMMANDS for p in commands.get(c, ())})
    out[PAUSED] = Grammar(PAUSED, {p: c for c in PAUSED_COMMANDS for p in commands.get(c, ())})
    out[CONFIRM] = Grammar(CONFIRM, dict(out["yes-no"].phrases))
    said = {*out[PLAYING].phrases, *out[PAUSED].phrases}
    fillers = frozenset(listen.fillers)
    return {name: Grammar(name, g.phrases, frozenset(said - set(g.phrases)) if set(g.phrases.values()) <= YES_NO
                          else frozenset(), fillers) for name, g in out.items()}


def problems(words: Words) -> list[str]:
    """What is wrong with a catalog's `[listen]` words: a phrase that is not lowercase words, one
    that stands for two things in one grammar, an answer or command with no phrase, or a spoken
    answer that the question does not record (its keys record, coach/core/question.py)."""
    listen = words.listen
    if listen is None:
        return []
    found = []
    for name, grammar in grammars(listen).items():
        for phrase in grammar.phrases:
            if not all(WORD.fullmatch(w) for w in phrase.split()) or phrase != " ".join(phrase.split()):
                found.append(f"{name}: '{phrase}' is not lowercase words")
    for kind, spoken in listen.answers.items():
        seen: dict[str, str] = {}
        for answer, said in spoken.items():
            if not said:
                found.append(f"answers.{kind}.{answer}: no phrase")
            for p in said:
                if seen.setdefault(p, answer) != answer:
                    found.append(f"answers.{kind}: '{p}' stands for both {seen[p]} and {answer}")
        recorded = {answer for answer, _ in keys_of(kind, words).values()}
        if set(spoken) != recorded:
            found.append(f"answers.{kind}: spoken answers {sorted(spoken)}, recorded {sorted(recorded)}")
    for command in (*PLAYING_COMMANDS, *PAUSED_COMMANDS):
        if not listen.commands.get(command):
            found.append(f"commands.{command}: no phrase")
    for commands in (PLAYING_COMMANDS, PAUSED_COMMANDS):
        seen = {}
        for c in commands:
            for p in listen.commands.get(c, ()):
                if seen.setdefault(p, c) != c:
                    found.append(f"commands: '{p}' stands for both {seen[p]} and {c}")
    return found


def words_of(grammars: Iterable[Grammar]) -> set[str]:
    """Every word of these grammars: each must be in the recognizer's dictionary."""
    return {w for g in grammars for p in (*g.phrases, *g.decoys) for w in p.split()}
