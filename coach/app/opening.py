"""The phrases a first session says before its script, made once by set-up, so the first session
on a new machine sounds at once: its first words are read from the files set-up made, and the
voice loads while they play (issue 29: the natural voice's first sound came 2.2-2.4 s after the
command, loading the voice and making the first phrase).

`scripts/setup` runs `python -m coach.app.opening FOLDER`: for each language, its default voice
at the default rate, the phrases are made into FOLDER (coach/storage/paths.py `made_at_setup`),
as the speech cache stores them; a phrase already there is not made again. A person who chose
another voice or rate gets nothing from them, and loses nothing: the phrase is made as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

from coach.audio.speech import Clips, VoiceSettings
from coach.audio.synthesizer import default_voice
from coach.core.script import SAMPLE_RATE
from coach.core.words import Words, catalog, languages
from coach.live import conversation, safety
from coach.storage.config import SETTINGS


def phrases(w: Words) -> list[str]:
    """What a first session says before it needs anything else, in order: that it listens (or
    that answers are by key), the safety questions, the first ratings."""
    return list(dict.fromkeys([w.listening, w.keys_only, *safety.said(w), *conversation.said_first(w)]))


def make(folder: Path) -> int:
    """Make every language's opening phrases into `folder`; how many were made (not found there)."""
    made = 0
    for lang in languages():
        w = catalog(lang)
        voice = VoiceSettings(default_voice(w.lang, w.voice), SETTINGS["rate"].default)
        clips = Clips(voice, folder, SAMPLE_RATE, notice=lambda _: None)
        try:
            for text in phrases(w):
                clips.get(text)
        finally:
            clips.close()
        made += clips.synthesized
    return made


if __name__ == "__main__":
    make(Path(sys.argv[1]))
