"""A rendered session, read back from the WAV file and analysed sample by sample."""

from __future__ import annotations

import datetime as dt
import json
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.app.session import Request, compose
from coach.audio import cue, export, wav
from coach.audio.render import Renderer
from coach.cli.base import sound
from coach.clinical.screening import screening
from coach.core.errors import CoachError
from coach.core.words import catalog as words
from coach.storage import paths
from tests.conftest import FAST_VOICE, run_coach
from tests.test_cue import peak_hz

SHORT = Request(routine="flexion", only=("figure-four",), hold=20, reps=2, side="left",
                voice=sound(FAST_VOICE, 150, "en")[1])  # the command line's voice in the fast part: espeak
BREATHE = {"left": "Breathe slowly, and let your left knee fall open."}  # the figure four's breathing cue


def read_back(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, module_home):
    session = compose(SHORT)
    path = tmp_path_factory.mktemp("render") / "short.wav"
    export.write(session.renderer(), path)
    pcm, rate = read_back(path)
    return session, pcm, rate


def test_length_and_rate(rendered):
    session, pcm, rate = rendered
    assert rate == session.script.sample_rate
    assert len(pcm) == session.script.total


def test_every_cue_starts_exactly_on_its_sample_at_its_pitch(rendered):
    session, pcm, rate = rendered
    cues = [e for e in session.script.events if e.kind == "cue"]
    assert [e.cue for e in cues] == ["hold-start", "hold-end"] * 2 + ["session-end"]
    for e in cues:
        expected = np.frombuffer(wav.to_bytes(wav.from_float(cue.render(e.cue, rate))), dtype="<i2")
        assert np.array_equal(pcm[e.start : e.end], expected), e  # timing error: 0 samples
        assert pcm[e.start - 1] == 0  # nothing before the onset but silence
        first = cue.CUES[e.cue].notes[0]
        note = pcm[e.start : e.start + round(first.seconds * rate)].astype(float)
        assert peak_hz(note, rate) == pytest.approx(first.hz, abs=3)


def test_speech_where_scheduled_and_silence_in_holds(rendered):
    session, pcm, rate = rendered
    x = pcm.astype(np.float64) / 32768
    for e in session.script.events:
        part = x[e.start : e.end]
        if e.kind == "speech":
            assert np.sqrt(np.mean(part**2)) > 0.02, e.text
        elif e.kind == "silence":
            assert not part.any(), e  # true digital silence: holds, rests and pauses
    # inside each hold only the scheduled countdown and "ten seconds left" sound
    starts = [e for e in session.script.events if e.cue == "hold-start"]
    ends = [e for e in session.script.events if e.cue == "hold-end"]
    for a, b in zip(starts, ends):
        assert b.start - a.start == 20 * rate
        inside = [e for e in session.script.events if a.end <= e.start < b.start]
        spoken = [e.text for e in inside if e.kind == "speech"]
        assert spoken[-4:] == ["Ten seconds left.", "three", "two", "one"]
        assert spoken[:-4] in ([], [BREATHE[a.side]])  # an exercise's breathing cue opens its first hold
        sounding = np.flatnonzero(pcm[a.end : b.start]) + a.end
        allowed = np.zeros(len(pcm), bool)
        for e in inside:
            if e.kind == "speech":
                allowed[e.start : e.end] = True
        assert allowed[sounding].all()


def test_volume_scales_everything(rendered):
    session, pcm, rate = rendered
    cues = lambda name: cue.pcm(name, rate, paths.cache_dir())  # noqa: E731
    quiet = np.array(Renderer(session.script, session.clips.get, cues, volume=0.5).read(0, 2_000_000))
    loud = np.array(session.renderer().read(0, 2_000_000))
    assert np.abs(loud).max() > 10_000
    assert np.abs(quiet - loud * 0.5).max() <= 0.5  # half, to the rounding of a sample


def test_blocks_from_any_cursor_match_the_whole(rendered):
    session, pcm, rate = rendered
    r = session.renderer()
    for pos in (0, 1, 12345, session.script.total - 100):
        block = r.read(pos, 5000)
        inside = min(5000, session.script.total - pos)
        expected = pcm[pos : pos + inside]
        assert np.array_equal(np.array(block[:inside]), expected)
        assert not any(block[inside:])


def test_a_failed_render_leaves_no_file(tmp_path, monkeypatch):
    session = compose(SHORT)
    renderer = session.renderer()
    target = tmp_path / "out.wav"

    def broken(block=65536, start=0, end=None):
        yield renderer.read(0, block)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(renderer, "blocks", broken)
    with pytest.raises(CoachError, match="the disk is full"):
        export.write(renderer, target)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_failed_render(tmp_path, monkeypatch):
    session = compose(SHORT)
    renderer = session.renderer()
    target = tmp_path / "out.wav"
    target.write_bytes(b"keep me")
    monkeypatch.setattr(renderer, "blocks", lambda *a, **k: iter([1 / 0]))
    with pytest.raises(ZeroDivisionError):
        export.write(renderer, target)
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]


def test_output_file_from_the_command_line(tmp_path):
    out = tmp_path / "session.wav"
    result = run_coach("start", "--flexion", "--only", "figure-four", "--hold", "20", "--reps", "2",
                       "--side", "left", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    pcm, rate = read_back(out)
    # a file cannot ask the safety questions, so it opens by speaking them
    recorded = compose(SHORT, screening(words()).recording_preamble(dt.date.today(), words())).script
    assert len(pcm) == recorded.total
    said = [e.text for e in recorded.events if e.text and e.section == "safety"]
    assert said[0].startswith("Recorded on ") and said[-1] == words().screening.recording_end
    scripted = json.loads(run_coach("script", "--recording", "--json", "--flexion", "--only", "figure-four",
                                    "--hold", "20", "--reps", "2", "--side", "left").stdout)
    assert round(scripted["total_seconds"] * rate) == len(pcm)
    assert oct(out.stat().st_mode & 0o777) != "0o600"  # a normal file, not a temp file's mode


@pytest.mark.parametrize("lang, voice", [("en", None), ("en", "en"), ("es", None)])
def test_a_files_safety_opening_lasts_at_most_36_seconds(lang, voice):
    """Said by the real engine at the default rate, on the day with the longest date: in English
    by the natural voice (the default, when installed) and by espeak; in Spanish by espeak."""
    from coach.audio.speech import Clips
    from coach.core.script import spoken

    w = words(lang)
    clips = Clips(sound(voice, 150, lang)[1], paths.cache_dir(), 22050)
    opening = screening(w).recording_preamble(dt.date(2026, 9, 28), w)
    from tests.test_export import LONGEST_OPENING

    assert spoken(opening, clips.length).seconds <= LONGEST_OPENING


def test_no_audio_device_renders_to_the_current_folder(tmp_path):
    """No output device: the session goes to a WAV here instead, and one plain line says so at the
    end; exit 1, as for any missing output (issue 28, item 3)."""
    result = run_coach("start", "--flexion", "--only", "figure-four", "--reps", "2", "--side", "left",
                       env={"PULSE_SERVER": "unix:/nonexistent", "XDG_RUNTIME_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    (made,) = tmp_path.glob("coach-flexion-*.wav")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("No audio output device: this computer has no "
                                                                        "speaker or headphones")
    assert "was not played" in result.stderr and "Error" not in result.stderr
    assert str(made) in result.stderr and result.stdout.strip() == str(made)
    assert "Traceback" not in result.stderr
    pcm, _ = read_back(made)
    assert len(pcm) > 0


def test_cues_sit_near_the_voices_loudness_and_the_tick_is_softer(rendered):
    session, pcm, rate = rendered
    x = pcm.astype(np.float64) / 32768
    rms = lambda e: float(np.sqrt(np.mean(x[e.start : e.end] ** 2)))  # noqa: E731
    speech = np.median([rms(e) for e in session.script.events if e.kind == "speech"])
    for e in session.script.events:
        if e.cue in ("hold-start", "hold-end"):
            assert 0.6 * speech <= rms(e) <= 1.6 * speech, (e.cue, rms(e), speech)
    tick = cue.render("tick", rate)
    assert np.sqrt(np.mean(tick**2)) < 0.6 * speech
