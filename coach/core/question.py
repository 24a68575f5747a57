"""Questions and their answers as values: the keys that answer each kind, in a catalog's language.

Where the answers come from (keys, lines) is coach/live/answers.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from coach.core import data
from coach.core.words import Words

SKIP = "x"

KINDS = ("pain", "reach", "compared", "yes-no")


def keys_of(kind: str, words: Words) -> dict[str, tuple[str, str]]:
    """key → (the answer recorded, the word for it), in `words`' language. The answers recorded
    are the same in every language; the keys and words are the catalog's."""
    keys = {k: (v[0], v[1]) for k, v in words.answers[kind].items()}
    if kind == "pain":
        keys = {**{str(n): (str(n), str(n)) for n in range(10)}, **keys}
    return keys


@dataclass(frozen=True)
class Question:
    id: str
    text: str  # spoken and printed
    kind: str  # a key of KINDS
    words: Words  # the language of its keys and answers
    skippable: bool = False

    @property
    def keys(self) -> dict[str, str]:
        keys = {k: answer for k, (answer, _) in keys_of(self.kind, self.words).items()}
        if self.skippable:
            keys[SKIP] = ""
        return keys

    def hint(self) -> str:
        """The keys, printed after the question: [y yes, n no]."""
        shown = [(k, word) for k, (_, word) in keys_of(self.kind, self.words).items() if not k.isdigit()]
        parts = (["0-9"] if self.kind == "pain" else []) + [f"{k} {word}" for k, word in shown]
        if self.skippable:
            parts.append(f"{SKIP} {self.words.answers['skip']}")
        return "[" + ", ".join(parts) + "]"

    def word(self, answer: str) -> str:
        """An answer as the session's language says it ("" is a skip)."""
        if not answer:
            return self.words.answers["skipped"]
        if self.kind == "pain":
            return answer  # a number, as digits
        return next((w for a, w in keys_of(self.kind, self.words).values() if a == answer), answer)

    def parse(self, raw: str) -> str | None:
        """The answer a key or a line stands for, "" for skip, or None if it answers nothing."""
        said = " ".join(raw.strip().lower().split())
        if not said:
            return None
        keys = self.keys
        if said in keys:
            return keys[said]
        typed = {v: v for v in keys.values() if v}  # the recorded answers, as words
        typed.update({word.lower(): answer for answer, word in keys_of(self.kind, self.words).values()})
        typed.update({"skip": "", self.words.answers["skip"]: ""} if self.skippable else {})
        if self.kind == "compared":
            typed.update({"the same": "same"})
        return typed.get(said)

    def with_text(self, text: str) -> "Question":
        return replace(self, text=text)


@cache
def questions(words: Words) -> dict[str, Question]:
    """The questions about pain, with their words in `words`' language."""
    texts = words.questions
    return {qid: Question(qid, texts[qid], raw["kind"], words) for qid, raw in data.read("questions.toml").items()}
