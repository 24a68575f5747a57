"""Settings: the config file, the environment and flags, in that order of strength, as a user sets them."""

from __future__ import annotations

import json
import re
import wave

import numpy as np
import pytest

from coach.storage import config
from tests.conftest import run_coach
from tests.test_cue import peak_hz

SHORT = ["--flexion", "--only", "figure-four", "--hold", "15", "--reps", "2"]


def write_config(home, text: str):
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def show(*args, env=None) -> dict[str, tuple[str, str]]:
    result = run_coach("config", "show", *args, env=env)
    assert result.returncode == 0, result.stderr
    rows = {}
    for line in result.stdout.splitlines():
        key, value, source = re.fullmatch(r"(\S+)\s+(.+?)\s{2,}(.+)", line).groups()
        rows[key] = (value, source)
    return rows


@pytest.mark.natural  # no COACH_VOICE in the environment: every value its default
def test_defaults_with_no_file():
    rows = show()
    assert set(rows) == set(config.SETTINGS)
    assert rows["rate"] == ("150", "default")
    assert all(source == "default" for _, source in rows.values())


def test_precedence_default_file_environment_flag(coach_home):
    path = write_config(coach_home, "rate = 180\nvolume = 0.8\ncue_pitch = 0.5\n")
    rows = show("--cue-pitch", "1.5", env={"COACH_VOLUME": "0.6", "COACH_CUE_PITCH": "2"})
    assert rows["rate"] == ("180", f"file ({path})")
    assert rows["volume"] == ("0.6", "environment (COACH_VOLUME)")
    assert rows["cue_pitch"] == ("1.5", "flag (--cue-pitch)")
    assert rows["lang"] == ("en", "default")


def first_tone_hz(path, script) -> float:
    with wave.open(str(path)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float)
        rate = w.getframerate()
    cue = next(e for e in script["events"] if e.get("cue") == "hold-start")
    start = round(cue["start"] * rate)
    return peak_hz(pcm[start : start + round(0.16 * rate)], rate)


@pytest.mark.parametrize("env, flags, hz", [
    ({}, [], 523.25 * 0.5),  # the file's pitch
    ({"COACH_CUE_PITCH": "2"}, [], 523.25 * 2),  # the environment wins over the file
    ({"COACH_CUE_PITCH": "2"}, ["--cue-pitch", "1"], 523.25),  # a flag wins over both
])
def test_precedence_reaches_the_sound(coach_home, tmp_path, env, flags, hz):
    write_config(coach_home, "cue_pitch = 0.5\n")
    out = tmp_path / "s.wav"
    result = run_coach("export", *SHORT, *flags, str(out), env=env)
    assert result.returncode == 0, result.stderr
    script = json.loads(run_coach("script", *SHORT, "--recording", "--json").stdout)
    assert first_tone_hz(out, script) == pytest.approx(hz, abs=4)


def sides(args=(), env=None) -> list[str]:
    script = json.loads(run_coach("script", "--flexion", "--only", "figure-four", "--json", *args, env=env).stdout)
    return list(dict.fromkeys(e["side"] for e in script["events"] if e.get("side")))


def test_the_leg_that_hurts_comes_first_or_alone(coach_home):
    assert sides() == ["left", "right"]
    write_config(coach_home, 'leg = "right"\n')
    assert sides() == ["right", "left"]
    write_config(coach_home, 'leg = "right"\nleg_only = true\n')
    assert sides() == ["right"]
    assert sides(["--both-legs"]) == ["right", "left"]
    assert sides(["--side", "left"]) == ["left"]  # this session's flag wins


def test_set_checks_writes_and_keeps_comments(coach_home):
    path = write_config(coach_home, "# my settings\nrate = 180 # a bit quicker\n")
    result = run_coach("config", "set", "volume", "0.7")
    assert result.returncode == 0, result.stderr
    assert run_coach("config", "set", "leg_only", "yes").returncode == 0
    assert run_coach("config", "set", "rate", "160").returncode == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my settings\nrate = 160 # a bit quicker\n")
    assert config.load(path) == {"rate": 160, "volume": 0.7, "leg_only": True}
    assert show()["volume"] == ("0.7", f"file ({path})")
    assert run_coach("config", "unset", "volume").returncode == 0
    assert "volume" not in config.load(path)


@pytest.mark.parametrize("key, value, message", [
    ("rate", "fast", "rate: expected a whole number of words a minute from 80 to 400, found 'fast'."),
    ("rate", "500", "rate: expected a whole number of words a minute from 80 to 400, found '500'."),
    ("volume", "2", "volume: expected a number from 0 to 1, found '2'."),
    ("leg", "up", "leg: expected \"left\" or \"right\", found 'up'."),
    ("lang", "xx", "lang: expected a language with a catalog (en, es), found 'xx'."),
    ("leg_only", "maybe", "leg_only: expected true or false, found 'maybe'."),
    ("colour", "blue", "unknown setting 'colour': expected one of voice, rate, volume"),
])
def test_set_refuses_a_bad_value_and_changes_nothing(coach_home, key, value, message):
    path = write_config(coach_home, "rate = 180\n")
    result = run_coach("config", "set", key, value)
    assert result.returncode == 2
    assert message in result.stderr
    assert path.read_text(encoding="utf-8") == "rate = 180\n"


def test_a_broken_file_names_every_problem_with_its_line(coach_home):
    path = write_config(coach_home, 'rate = 500\nvolume = "loud"\n\ncolour = "blue"\nleg = "left"\n')
    for args in (["config", "show"], ["script", "--flexion"], ["start", "--flexion"]):
        result = run_coach(*args)
        assert result.returncode == 2, args
        assert result.stderr.splitlines() == [
            f"Error: {path} has 3 problems; fix it in a text editor, or change a value with 'coach config set':",
            f"  {path}:1: rate: expected a whole number of words a minute from 80 to 400, found 500",
            f'  {path}:2: volume: expected a number from 0 to 1, found "loud" (text)',
            f"  {path}:4: colour: unknown setting: expected one of {', '.join(config.SETTINGS)}, found colour",
        ]
    assert run_coach("config", "set", "rate", "150").returncode == 0  # set still mends it


def test_a_file_that_is_not_toml(coach_home):
    path = write_config(coach_home, "rate = = 3\n")
    result = run_coach("config", "show")
    assert result.returncode == 2
    assert f"{path}:1: not valid TOML" in result.stderr


def test_a_bad_environment_value_is_one_line(coach_home):
    result = run_coach("script", "--flexion", env={"COACH_RATE": "fast"})
    assert result.returncode == 2
    assert "COACH_RATE" in result.stderr and "Traceback" not in result.stderr


def test_leg_only_without_a_leg_says_what_to_do():
    result = run_coach("script", "--flexion", "--leg-only")
    assert result.returncode == 2
    assert "--leg-only needs the leg that hurts" in result.stderr
