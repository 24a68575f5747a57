"""The recognizer, for real and without a sound server: real recordings of people (tests/speech,
attributed there) through Silero VAD and Whisper tiny.en; the rule that takes a phrase only when
it was clearly said; the model's files checked before it loads."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.audio.hearing import decide, load, written
from coach.audio.recognizer import NoModel
from coach.audio.vad import CHUNK, Stretches
from coach.audio.whisper import Scores, Whisper, model_dir
from coach.core.grammar import PLAYING, grammars
from coach.core.words import catalog
from tests.voices import recognize, second

SPEECH = Path(__file__).parent / "speech"
DIGITS = "zero one two three four five six seven eight nine".split()
OTHER = {"bed", "bird", "cat", "dog", "down", "go", "happy", "house", "off", "on"}


def clip(path: Path) -> np.ndarray:
    """A recording as the microphone gives it: 16 kHz int16 (the 8 kHz digits resampled)."""
    import soxr

    with wave.open(str(path)) as w:
        rate, samples = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return samples if rate == 16000 else np.asarray(soxr.resample(samples, rate, 16000), dtype=np.int16)


@pytest.fixture(scope="module")
def recognizer():
    return load(grammars(catalog().listen))


def outcomes(recognizer, cases):
    """(what was said, the token wanted or None, the token taken) for each case."""
    return [(name, want, getattr(recognize(recognizer, clip(path), grammar), "token", None))
            for name, path, grammar, want in cases]


def test_real_people_saying_numbers_are_understood_and_never_taken_as_another(recognizer):
    cases = [(p.name, p, "pain", str(DIGITS.index(p.name.split("-")[0])))
             for p in sorted((SPEECH / "commands").glob("*.wav")) if p.name.split("-")[0] in DIGITS]
    cases += [(p.name, p, "pain", p.name.split("_")[0]) for p in sorted((SPEECH / "digits").glob("*.wav"))]
    got = outcomes(recognizer, cases)
    assert len(got) == 40
    wrong = [g for g in got if g[2] is not None and g[2] != g[1]]
    right = [g for g in got if g[2] == g[1]]
    assert wrong == []  # a number taken as another is worse than asking again
    assert len(right) >= 34, [g for g in got if g[2] != g[1]]  # 85 % of these 40, taken at once


def test_real_yes_no_and_stop_and_never_a_yes_as_no(recognizer):
    cases = []
    for p in sorted((SPEECH / "commands").glob("*.wav")):
        word = p.name.split("-")[0]
        if word in ("yes", "no"):
            cases.append((p.name, p, "yes-no", word))
        if word == "stop":
            cases += [(p.name, p, PLAYING, "quit"), (p.name, p, "yes-no", None)]  # a command is no answer
    got = outcomes(recognizer, cases)
    assert not [g for g in got if g[1] == "yes" and g[2] == "no"]
    assert not [g for g in got if g[2] is not None and g[2] != g[1]], got
    assert sum(g[2] == g[1] for g in got) >= len(got) - 2, got


def test_everyday_words_are_no_answer_and_no_command(recognizer):
    """"dog" was taken as quit, "bird" as worse, "on" as pause by the old recognizer."""
    paths = [p for p in sorted((SPEECH / "commands").glob("*.wav")) if p.name.split("-")[0] in OTHER]
    assert len(paths) == 10
    cases = [(p.name, p, g, None) for p in paths for g in ("yes-no", PLAYING, "pain", "compared")]
    taken = [g for g in outcomes(recognizer, cases) if g[2] is not None]
    assert len(taken) <= 1, taken  # the target: at most 1 in 50 ("off" was once taken as five)


def test_noise_and_a_sentence_are_nothing(recognizer):
    rng = np.random.default_rng(7)
    burst = np.concatenate([np.zeros(4000), rng.normal(0, 8000, 3000), np.zeros(4000)]).astype(np.int16)
    for grammar in (PLAYING, "yes-no", "pain"):
        assert getattr(recognize(recognizer, burst, grammar), "token", None) is None
    sentence = second("Lie on your back and bring both knees up toward your chest, then rest.")
    assert getattr(recognize(recognizer, sentence, PLAYING), "token", None) is None


def test_a_word_under_way_when_the_coach_speaks_is_cut_there_and_heard(recognizer):
    yes = clip(next((SPEECH / "commands").glob("yes-*.wav")))
    voiced = np.flatnonzero(np.abs(yes) > 0.1 * np.abs(yes).max())
    audio = np.concatenate([np.zeros(4000, np.int16), yes[:voiced[-1] - 400]]).tobytes()  # cut 25 ms before its end
    recognizer.reset()
    size = recognizer.frame_bytes
    for i in range(0, len(audio) - size + 1, size):
        assert recognizer.feed(audio[i:i + size], "yes-no") is None  # still under way
    heard = recognizer.cut("yes-no")
    assert heard is not None and heard.token == "yes"
    assert recognizer.cut("yes-no") is None  # nothing under way now


def test_the_voice_detector_finds_the_word_and_its_end():
    s = Stretches()
    yes = clip(next((SPEECH / "commands").glob("yes-*.wav")))
    audio = np.concatenate([np.zeros(8000, np.int16), yes, np.zeros(8000, np.int16)]).tobytes()
    found = [st for i in range(0, len(audio) - 2 * CHUNK + 1, 2 * CHUNK) if (st := s.feed(audio[i:i + 2 * CHUNK]))]
    assert len(found) == 1 and 0.3 < found[0].seconds < 1.6 and not found[0].long
    assert s.feed(np.zeros(CHUNK, np.int16).tobytes()) is None


def scores(said: str, **phrases: float) -> Scores:
    return Scores(said, phrases, 0.1)


def test_a_phrase_is_taken_only_when_clearly_the_one():
    pain = grammars(catalog().listen)["pain"]
    assert decide(pain, scores("Six.", six=-3.0, five=-8.0, seven=-9.0), -20).token == "6"
    # two numbers nearly as likely: not understood, asked again
    assert decide(pain, scores("Six.", six=-3.0, five=-3.2, seven=-9.0), -20).token is None
    # the model's own words name another number: not understood
    assert decide(pain, scores("Five.", six=-3.0, five=-6.0), -20).token is None
    # the model's own words are something else, far likelier: "Bed." is no answer
    yes_no = grammars(catalog().listen)["yes-no"]
    bed = Scores("Bed.", {"yes": -9.0, "no": -14.0, "yeah": -12.0}, 0.05)
    assert decide(yes_no, bed, -20).token is None
    # no speech, in the model's own view
    assert decide(pain, Scores("Six.", {"six": -3.0, "five": -9.0}, 0.95), -20).token is None
    # a decoy (a command said to a yes/no question) stands for nothing
    assert decide(yes_no, scores("Stop.", stop=-2.0, yes=-9.0, no=-9.0), -20).token is None


def test_a_filler_before_a_phrase_is_not_part_of_it():
    playing = grammars(catalog().listen)["playing"]
    # a real person's "stop", written "And stop." by the model under load (CI, 2026-12-07)
    assert decide(playing, scores("And stop.", stop=-1.0, pause=-9.0), -20).token == "quit"
    assert decide(playing, scores("Um, okay, pause.", pause=-1.0, stop=-9.0), -20).token == "pause"
    # a filler after the phrase, or a word that is no filler, still names nothing
    assert decide(playing, scores("Stop it.", stop=-1.0, pause=-9.0), -20).token is None
    assert decide(playing, scores("Don't stop.", stop=-1.0, pause=-9.0), -20).token is None
    assert playing.phrase("and") == "and" and playing.phrase("so so") == "so"


def test_what_the_model_writes_is_read_as_a_phrase():
    assert written("Seven.") == "seven" and written(" 7 ") == "seven" and written("Low-back!") == "low back"
    assert written("Go on.") == "go on" and written("") == ""


def test_a_damaged_or_missing_model_is_one_line_and_never_loaded(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    (copy / "config.json").unlink()
    with pytest.raises(NoModel, match="config.json cannot be read"):
        Whisper(copy)
    shutil.copy(model_dir() / "config.json", copy)
    with (copy / "model.bin").open("r+b") as f:
        f.seek(1000)
        f.write(b"\0\1\2\3")
    with pytest.raises(NoModel, match="model.bin is damaged"):
        Whisper(copy)
