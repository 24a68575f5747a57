"""Every command that lists something prints it as JSON with --json (issue 29, item 7): read back
with the standard library's parser, in process."""

from __future__ import annotations

import json

from click.testing import CliRunner

from coach.cli import cli


def _json(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_routines_as_json():
    result, found = _json("routines", "--json")
    assert result.exit_code == 0
    names = {r["name"] for r in found["routines"]}
    assert {"flexion", "extension", "flexion-short", "extension-short"} <= names
    flexion = next(r for r in found["routines"] if r["name"] == "flexion")
    assert flexion["source"] == "built-in" and flexion["length"].lstrip("~").count(":") == 1
    assert found["folder"]


def test_plan_as_json():
    result, found = _json("plan", "--flexion", "--json", "--plan-full", "07:30, 19:00")
    assert result.exit_code == 0
    assert found["direction"] == "flexion" and found["warning"] == []
    full = [s for s in found["sessions"] if s["kind"] == "full"]
    assert [s["time"] for s in full] == ["07:30", "19:00"]
    assert all(s["command"] == "coach start --flexion" for s in full)
    assert all(s["command"] == "coach start --flexion --short" for s in found["sessions"] if s["kind"] == "short")
    assert found["until"].count("-") == 2


def test_plan_json_and_a_calendar_are_one_at_a_time(tmp_path):
    result = CliRunner().invoke(cli, ["plan", "--flexion", "--json", "--ics", str(tmp_path / "a.ics")])
    assert result.exit_code == 2 and not (tmp_path / "a.ics").exists()


def test_config_show_as_json(monkeypatch):
    monkeypatch.setenv("COACH_RATE", "170")
    result, found = _json("config", "show", "--json", "--leg", "left")
    assert result.exit_code == 0
    assert found["rate"] == {"value": 170, "from": "environment (COACH_RATE)"}
    assert found["leg"] == {"value": "left", "from": "flag (--leg)"}
    assert found["volume"]["from"] == "default"


def test_voices_as_json():
    result, found = _json("voices", "--json")
    assert result.exit_code == 0
    assert any("en" in lang for v in found for lang in v["languages"])
    assert all(v["id"] and v["name"] for v in found)


def test_doctor_as_json():
    """Whatever this machine has, every check is an object, and the exit code says whether one failed."""
    result, found = _json("doctor", "--json")
    assert {c["check"] for c in found} >= {"speech engine", "audio output"}
    assert all(c["ok"] in (True, False, None) and c["detail"] for c in found)
    assert result.exit_code == (1 if any(c["ok"] is False for c in found) else 0)
