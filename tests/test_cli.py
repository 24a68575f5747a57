"""The command line: every error path gives one clear line and the right exit code, never a traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.core.errors import CoachError, Interrupted
from tests.conftest import run_coach


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def error_line(result) -> str:
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["start"], 2, "no direction to follow yet (no test recorded yet: run 'coach test'). Run 'coach test' first"),
        (["script"], 2, "Run 'coach test' first to find the direction that eases your leg pain, or choose --flexion or --extension."),
        (["start", "--flexion", "--extension"], 2, "choose one routine: --flexion, --extension or --routine."),
        (["test", "--hold", "20"], 2, "--hold 20 is outside the test's range of 30-60 seconds"),
        (["history", "--png", "chart.jpg"], 2, "give a file name ending in .png"),
        (["script", "--flexion", "--only", "nope"], 2, "unknown exercise 'nope'. Known: knees-to-chest"),
        (["script", "--extension", "--only", "knees-to-chest"], 2, "'knees-to-chest' is not part of the extension routine"),
        (["script", "--flexion", "--hold", "90"], 2, "--hold 90 is outside knees-to-chest's range of 30-60 seconds"),
        (["script", "--flexion", "--only", "figure-four", "--hold", "5"], 2, "--hold 5 is outside figure-four's range of 15-30 seconds"),
        (["script", "--flexion", "--reps", "20"], 2, "--reps 20 is outside knees-to-chest's range of 1-5 holds per side"),
        (["script", "--flexion", "--only", "sciatic-nerve-glide", "--reps", "3"], 2, "--reps 3 is outside sciatic-nerve-glide's range of 10-15 reps per side"),
        (["script", "--flexion", "--only", "sciatic-nerve-glide", "--hold", "20"], 2, "--hold applies to held exercises"),
        (["script", "--flexion", "--side", "middle"], 2, "Invalid value for '--side'"),
        (["script", "--flexion", "--rate", "10"], 2, "Invalid value for '--rate'"),
        (["script", "--flexion", "--volume", "3"], 2, "Invalid value for '--volume'"),
        (["script", "--flexion", "--voice", "no-such-voice"], 2, "unknown voice 'no-such-voice'. See 'coach voices' for the voices installed."),
        (["start", "--flexion", "--output", "/nonexistent/dir/s.wav"], 2, "the folder /nonexistent/dir does not exist"),
        (["start", "--flexion", "--output", "/proc/s.wav"], 2, "cannot write /proc/s.wav: the folder /proc is not writable"),
        (["start", "--flexion", "--output", "session.aiff"], 2, "the name must end in one of .mp3, .ogg, .opus, .flac, .wav"),
        (["nonsense"], 2, "No such command 'nonsense'"),
        (["listen", "--json"], 2, "--json needs --for."),
        (["listen", "--for", "dog"], 2, "Invalid value for '--for'"),
    ],
)
def test_bad_input_is_one_clear_line(args, code, message):
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert message in error_line(result)
    assert result.stdout == "" or "Usage:" in result.stdout or "Usage:" in result.stderr


def test_an_output_folder_that_is_a_file(tmp_path):
    result = invoke("start", "--flexion", "--output", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in error_line(result)


def test_missing_speech_engine(fresh_home, monkeypatch, tmp_path):
    """libespeak-ng missing: pyttsx3 fails to load it, in the engine's process (a stand-in pyttsx3
    found first there); the user gets the apt command."""
    shim = tmp_path / "shim" / "pyttsx3"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        "def init(*a, **k):\n"
        "    raise OSError('libespeak-ng.so.1: cannot open shared object file: No such file or directory')\n")
    monkeypatch.setenv("PYTHONPATH", str(shim.parent))
    result = invoke("script", "--flexion", "--voice", "en-us")  # espeak's voice: the natural one needs no espeak
    assert result.exit_code == 1
    line = error_line(result)
    assert "the speech engine could not start" in line and "apt-get install espeak-ng libespeak-ng1" in line


def test_missing_portaudio(tmp_path, monkeypatch):
    """libportaudio2 missing: `import sounddevice` raises OSError, as the real package does."""
    (tmp_path / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    result = invoke("start", "--flexion")
    assert result.exit_code == 1
    line = error_line(result)
    assert "PortAudio is missing" in line and "apt-get install libportaudio2" in line


def test_an_unexpected_failure_is_one_line_and_debug_shows_it(monkeypatch):
    from coach.app import session

    def bug(request, preamble=()):
        raise KeyError("boom")

    monkeypatch.setattr(session, "compose", bug)
    result = invoke("script", "--flexion")
    assert result.exit_code == 1
    assert "unexpected KeyError" in error_line(result) and "--debug" in error_line(result)
    with pytest.raises(KeyError):
        CliRunner().invoke(cli, ["--debug", "script", "--flexion"], catch_exceptions=False)


@pytest.mark.parametrize("stop, code", [(KeyboardInterrupt(), 130), (Interrupted(signal.SIGTERM), 143)])
def test_a_stop_asked_for_wins_over_an_error_while_stopping(monkeypatch, stop, code):
    """Ctrl-C (or SIGTERM) reached a child too, or a device failed as it closed: the error raised
    while the coach was stopping does not turn the person's stop into a failure (exit 1)."""
    from coach.app import session

    def stopped_then_failed(request, preamble=()):
        try:
            raise stop
        finally:
            raise CoachError("the speech engine stopped")

    monkeypatch.setattr(session, "compose", stopped_then_failed)
    result = invoke("script", "--flexion")
    assert result.exit_code == code
    assert "Stopped." in result.output and "Error" not in result.output


def test_script_json():
    result = invoke("script", "--flexion", "--only", "sciatic-nerve-glide", "--reps", "10", "--side", "right", "--json")
    assert result.exit_code == 0, result.output
    d = json.loads(result.stdout)
    assert d["routine"] == "flexion" and d["sample_rate"] == 22050
    assert {"reps-start", "session-end"} == {e["cue"] for e in d["events"] if e["kind"] == "cue"}  # a glide has no hold tones
    counts = [e for e in d["events"] if e.get("rep") and e.get("text") not in (None, "and back")]
    assert [e["rep"] for e in counts] == list(range(1, 11))
    assert all(e["side"] == "right" and e["exercise"] == "sciatic-nerve-glide" for e in counts)
    assert d["events"][-1]["end"] == d["total_seconds"]


def test_script_text_has_timestamps():
    result = invoke("script", "--extension")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# extension routine")
    assert any("hold-start" in line and "[prone-lying #1]" in line for line in lines)
    assert any("Now, slowly roll onto your back." in line for line in lines)


def test_exercises():
    result = invoke("exercises", "--json")
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows][0] == "knees-to-chest"
    glide = next(r for r in rows if r["id"] == "sciatic-nerve-glide")
    assert glide["reps"] == {"default": 12, "min": 10, "max": 15} and glide["per_side"]
    text = invoke("exercises").stdout
    assert "knee-to-opposite-shoulder" in text and "3 x 30 s each side (hold 15-30 s, 2-4 holds)" in text


def test_voices_lists_the_engines_voices():
    result = invoke("voices")
    assert result.exit_code == 0
    assert "gmw/en-us" in result.stdout and len(result.stdout.splitlines()) > 10


def test_help_does_not_import_the_heavy_modules():
    result = run_coach_importtime("--help")
    heavy = {"numpy", "sounddevice", "pyttsx3"} & result
    assert not heavy, f"'coach --help' imports {heavy}"


def run_coach_importtime(*args):
    import subprocess

    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "coach", *args],
                         capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in out.stderr.splitlines() if "|" in line}


def test_python_dash_m_and_version():
    """The version has one source, pyproject.toml, read back from the installed metadata."""
    import tomllib
    from pathlib import Path

    result = run_coach("--version")
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
    assert result.returncode == 0 and result.stdout.strip() == f"coach, version {project['version']}"


def test_a_pipe_that_closes_early_is_not_an_error():
    import subprocess

    p = subprocess.run(f"{sys.executable} -m coach script --flexion | head -1", shell=True,
                       capture_output=True, text=True)
    assert p.stdout.startswith("# flexion routine") and "Error" not in p.stderr


def test_setup_puts_a_coach_command_on_the_path(tmp_path):
    """Issue 27, item 11: after ./scripts/coach (or ./scripts/test) set up, `coach …` as the README
    writes it runs this checkout, from any folder, without the virtual environment on the PATH."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    folders = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not p.startswith(str(root))]
    folders += ["/usr/local/bin", str(Path.home() / ".local" / "bin")]
    found = shutil.which("coach", path=os.pathsep.join(folders))
    assert found is not None, "scripts/setup put no coach command on the PATH"
    assert Path(found).resolve() == root / "scripts" / "coach"
    ran = subprocess.run([found, "exercises"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": os.pathsep.join(folders)})
    assert ran.returncode == 0 and "knees-to-chest" in ran.stdout, ran.stderr


def test_only_portaudios_own_lines_are_kept_off_stderr():
    """Issue 29, item 5: PortAudio's "Expression ... failed" lines, printed by its threads when the
    sound server goes, are dropped; every other line C code writes to fd 2 reaches the person,
    a native crash's message too (it once went to /dev/null with the rest)."""
    import subprocess

    code = ("import sys; sys.argv = ['coach', 'exercises']\n"
            "from coach.cli import _filter_native_stderr\n"
            "_filter_native_stderr()\n"
            "import faulthandler, os, ctypes\n"
            "faulthandler.enable()\n"
            "os.write(2, b\"Expression 'alsa_snd_pcm_poll_descriptors_revents( self->pcm )' failed in "
            "'src/hostapi/alsa/pa_linux_alsa.c', line: 3665\\nALSA said something else\\n\")\n"
            "print('the coach line', file=sys.stderr)\n"
            "ctypes.string_at(0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Expression" not in done.stderr
    assert "ALSA said something else" in done.stderr and "the coach line" in done.stderr
    # two writers share the terminal: grep passes the other lines on while faulthandler writes its
    # own straight to it, so a passed line can land inside the crash's first line (seen in CI:
    # "Fatal Python error: ALSA said something else\nSegmentation fault")
    assert "Fatal Python error: " in done.stderr and "Segmentation fault" in done.stderr


def test_the_command_line_words_what_can_be_done_about_an_error():
    """Issue 29, item 4: errors below cli/ carry their ways out as keys; here they become flags."""
    from coach.cli.base import worded
    from coach.core.errors import InputError, NoDirection

    assert worded(InputError("too many chapters.", ways=("split", "fewer"))) == (
        "too many chapters. Write it in parts with --split FOLDER, or choose fewer exercises with --only.")
    assert worded(NoDirection("no direction.", (), ("test-first", "flexion", "extension"))) == (
        "no direction. Run 'coach test' first to find the direction that eases your leg pain, "
        "or choose --flexion or --extension.")
    assert worded(InputError("plain.")) == "plain."


def test_the_lazy_command_list_is_each_commands_own():
    """Issue 29, item 10: `coach --help` lists the commands from coach/cli/group.py COMMANDS without
    importing them; each line there is the first paragraph of the command's own help, and every
    command is listed, from the module it says."""
    import importlib

    from coach.cli.group import COMMANDS, cli

    for module in {m for m, _ in COMMANDS.values()}:
        importlib.import_module(f"coach.cli.{module}")
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        module, line = COMMANDS[name]
        assert command.callback.__module__ == f"coach.cli.{module}", name
        own = " ".join((command.help or "").split("\n\n")[0].split())
        assert line == own, f"{name}: COMMANDS says {line!r}, its help {own!r}"


def test_help_imports_no_command_module():
    code = ("import sys; from coach.cli import main; sys.argv = ['coach', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('coach.cli.') or m.startswith('coach.storage')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip().splitlines()[-1] == "['coach.cli.group']"
