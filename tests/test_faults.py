"""The third hostile-input and fault round (issue 28): nothing lost, nothing overwritten, nothing
hangs. Each case through the CLI, with the damaged file or row made here."""

from __future__ import annotations

import os
import subprocess
import sys

from coach.storage.history import History


def coach_with_umask(*args: str, umask: int = 0o022):
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: os.umask(umask))


def test_every_file_with_health_data_is_the_owners_alone_whatever_the_umask(tmp_path):
    """Item 6: the report, the trend chart and the calendar, like the history and the CSV."""
    with History.open() as h:
        h.add_rating("before", leg=5, reach="calf")
        h.add_rating("after", leg=4, reach="knee")
    for args, name in ((["report"], "r.pdf"), (["history", "--png"], "t.png"), (["plan", "--flexion", "--ics"], "p.ics")):
        for umask in (0o022, 0o000):
            path = tmp_path / f"{umask}-{name}"
            done = coach_with_umask(*args, str(path), umask=umask)
            assert done.returncode == 0, done.stderr
            assert path.stat().st_mode & 0o777 == 0o600, (name, oct(umask), oct(path.stat().st_mode))


def _bad_rows(*statements: str) -> None:
    """Rows that break the history's rules, put in with sqlite3 past its checks, as a hand or a
    stray program might."""
    import sqlite3

    from coach.storage import paths

    db = sqlite3.connect(paths.data_dir() / "history.sqlite3")
    db.execute("PRAGMA ignore_check_constraints = 1")
    for sql in statements:
        db.execute(sql)
    db.commit()
    db.close()


def test_one_bad_row_never_hides_the_whole_history():
    """Item 1: a rating of 99, options that are not JSON, a dose of a million holds: each skipped
    where it is read and named once; the rest (the test, its bar, the sessions) is still there."""
    from tests.conftest import run_coach
    from tests.test_body import flared_in_a_test

    avoid = flared_in_a_test()
    with History.open() as h:
        sid = h.start_session("flexion", {}, direction="flexion")
        h.add_rating("before", leg=5, reach="calf", session_id=sid)
        h.end("sessions", sid, "completed")
    _bad_rows("INSERT INTO ratings (at, moment, leg) VALUES ('2026-12-01T10:00:00+00:00', 'before', 99)",
              "INSERT INTO sessions (routine, options, started, outcome) VALUES ('flexion', 'not json', "
              "'2026-12-01T10:00:00+00:00', 'completed')",
              "INSERT INTO doses (at, routine, exercise, hold, count, change, reason) VALUES "
              "('2026-12-01T10:00:00+00:00', 'flexion', 'knees-to-chest', -20, 1000000, 'up', 'steady')",
              "INSERT INTO doses (at, routine, exercise, hold, count, change, reason) VALUES "
              "('2026-12-01T10:00:01+00:00', 'flexion', 'figure-four', 999999999, 3, 'up', 'steady')")
    shown = run_coach("history")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.strip() == ("1 pain rating, 1 session and 2 dose changes in your history are damaged or out "
                                    "of range, and were skipped; the rest is used.")
    assert avoid in shown.stdout and "flexion session" in shown.stdout  # the rest is all there
    assert "unexpected" not in shown.stderr.lower()
    script = run_coach("script", "--flexion")  # the routine is not blocked by the bad doses
    assert script.returncode == 0, script.stderr
    assert "knees-to-chest" in script.stdout
    for command in (["report", "/dev/null/x.pdf"],):  # every reader skips it: no traceback anywhere
        assert "Traceback" not in run_coach(*command).stderr
    from coach.storage import paths

    assert not list(paths.data_dir().glob("*damaged*"))  # never set aside for a bad row


def test_a_recorded_dose_outside_the_exercises_range_is_never_played():
    from coach.core.dose import plan
    from coach.core.exercise import Level
    from coach.core.rules import routines
    from coach.core.words import catalog

    w = catalog()
    doses = plan(routines(w)["flexion"], levels={"figure-four": Level(200, 3), "knees-to-chest": Level(45, 3)}, words=w)
    held = {d.exercise.id: (d.hold_seconds, d.count) for d in doses}
    assert held["figure-four"] == (30, 3)  # 200 s is outside 15-30 s: its default
    assert held["knees-to-chest"] == (45, 3)  # in range: as the response moved it


SPLIT = ("export", "--flexion", "--only", "knees-to-chest", "--reps", "1", "--hold", "30", "--format", "wav")


def test_export_split_never_replaces_a_persons_files(tmp_path):
    """Item 2: a folder holding files of the same names: refused (exit 2, naming one), unless they
    are an earlier export of the coach's (its playlist says so) or --force is given."""
    from tests.conftest import run_coach

    folder = tmp_path / "phone"
    first = run_coach(*SPLIT, "--split", str(folder))
    assert first.returncode == 0, first.stderr
    made = sorted(p.name for p in folder.iterdir())
    again = run_coach(*SPLIT, "--split", str(folder))  # its own earlier export: replaced
    assert again.returncode == 0, again.stderr
    mine = folder / made[0]
    mine.write_bytes(b"my own recording")
    for m3u in folder.glob("*.m3u"):
        m3u.unlink()  # no playlist: nothing says these are the coach's
    refused = run_coach(*SPLIT, "--split", str(folder))
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith(f"Error: {folder / made[0]}")
    assert "--force" in refused.stderr and "nothing was written" in refused.stderr
    assert mine.read_bytes() == b"my own recording"
    forced = run_coach(*SPLIT, "--split", str(folder), "--force")
    assert forced.returncode == 0, forced.stderr
    assert mine.read_bytes()[:4] == b"RIFF"


def test_a_damaged_phrase_in_the_cache_is_remade_never_a_block_or_a_hang(tmp_path, fresh_home):
    """Item 5: a WAV cut short (odd and even), a FIFO, a device stand-in and a folder in a phrase's
    place: the phrase is remade whole and the bad file replaced; never an error, never a hang."""
    import json
    import stat

    from coach.audio import wav
    from tests.conftest import run_coach

    args = ("script", "--flexion", "--only", "knees-to-chest", "--json", "--voice", "en")
    first = run_coach(*args)
    assert first.returncode == 0, first.stderr
    clips = sorted((fresh_home / "cache" / "speech").rglob("*.wav"))
    assert len(clips) >= 5
    whole = {p: p.read_bytes() for p in clips}
    cut_odd, cut_even, fifo, folder = clips[:4]
    cut_odd.write_bytes(whole[cut_odd][: len(whole[cut_odd]) // 2 + 1])
    cut_even.write_bytes(whole[cut_even][: (len(whole[cut_even]) // 4) * 2])
    fifo.unlink()
    os.mkfifo(fifo)
    folder.unlink()
    folder.mkdir()
    again = run_coach(*args, timeout=120)  # a FIFO read would block for ever: the timeout says so
    assert again.returncode == 0, again.stderr
    events = json.loads(again.stdout)["events"]
    assert [e.get("text") for e in events] == [e.get("text") for e in json.loads(first.stdout)["events"]]
    for path in (cut_odd, cut_even, fifo, folder):
        assert stat.S_ISREG(path.stat().st_mode), path
        samples, _ = wav.read(path)  # whole again (the checked reader refuses a file cut short)
        assert abs(len(samples) - (len(whole[path]) - 44) // 2) < 22050 // 10  # remade: the phrase, not a piece


def test_input_edges_get_one_clear_line_and_exit_2(tmp_path):
    """Item 7: full-width digits in a time, nan seconds, a name too long for the disk (refused
    before the work), a routine file with 256 problems (the first 20 and the count)."""
    from tests.conftest import run_coach

    for args in (["plan", "--flexion", "--plan-full", "２３:００"], ["plan", "--flexion", "--plan-day", "08:00-２１:００"],
                 ["config", "set", "plan_full", "０８:００"], ["listen", "--seconds", "nan"]):
        done = run_coach(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()[-1]) < 200 and "unexpected" not in done.stderr, done.stderr
    long = "a" * 300
    for args in (["export", "--flexion", str(tmp_path / f"{long}.mp3")], ["report", str(tmp_path / f"{long}.pdf")],
                 ["plan", "--flexion", "--ics", str(tmp_path / f"{long}.ics")],
                 ["history", "--csv", str(tmp_path / long)], ["export", "--flexion", "--split", str(tmp_path / long)],
                 ["start", "--flexion", "--output", str(tmp_path / f"{long}.wav")]):
        done = run_coach(*args)
        assert done.returncode == 2, (args[0], done.stderr)
        assert "the name is" in done.stderr and "Choose a shorter name." in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []
    many = tmp_path / "many.toml"
    many.write_text('name = "Many"\n' + "\n".join(f'[[exercise]]\nid = "bad{i}"' for i in range(256)))
    done = run_coach("script", "--routine", str(many))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and lines[0].endswith("has 256 problems, so nothing was run:")
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "  ... and 236 more: fix these first, then check again."
    many.unlink()


def test_a_full_disk_says_the_disk_is_full_for_opus_too(tmp_path):
    """Item 7: a real small disk (tmpfs, as root), filled by the export itself."""
    from tests.conftest import run_coach

    disk = tmp_path / "small"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(disk)], capture_output=True, text=True)
    assert mounted.returncode == 0, f"a small tmpfs could not be mounted (the test runs as root): {mounted.stderr}"
    try:
        for fmt in ("opus", "mp3"):
            done = run_coach("export", "--flexion", "--only", "knees-to-chest", str(disk / f"s.{fmt}"))
            assert done.returncode == 1, done.stderr
            assert "the disk is full" in done.stderr and "Nothing was written" in done.stderr, done.stderr
            assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_dangling_history_link_says_where_it_points_and_how_to_fix_it():
    from coach.storage import paths
    from tests.conftest import run_coach

    link = paths.data_dir() / "history.sqlite3"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to("/nonexistent-disk/coach/history.sqlite3")
    done = run_coach("history")
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "is a link to /nonexistent-disk/coach/history.sqlite3" in line and f"rm {link}" in line


def test_no_library_warning_reaches_the_terminal(tmp_path):
    """Item 7: one rating (a legend with little in it), a reason with a character the chart's font
    lacks: the PNG and the report print only their paths."""
    from tests.conftest import run_coach

    with History.open() as h:
        h.add_rating("before", leg=5, reach="calf")
    for args in (["history", "--png", str(tmp_path / "t.png")], ["report", str(tmp_path / "r.pdf")]):
        done = run_coach(*args, env={"MPLCONFIGDIR": str(tmp_path / "fresh-mpl")})  # a cold font cache too
        assert done.returncode == 0 and done.stderr == "", done.stderr


def test_a_microphone_that_goes_away_during_listen_is_said_in_one_line():
    """Item 8: PulseAudio moves the stream to another source when its own goes away, and the stream
    goes on: `coach listen` said nothing and exited 0 as if it had listened."""
    import time

    from tests.audio_server import PulseServer

    server = PulseServer().start()  # its own server: this test removes its microphone
    try:
        proc = subprocess.Popen([sys.executable, "-m", "coach", "listen", "--for", "commands", "--seconds", "60"],
                                env={**os.environ, **server.env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline()
        while line and not line.startswith("Listening"):
            line = proc.stdout.readline()
        assert line.startswith("Listening"), proc.stderr.read()
        modules = server._run("pactl", "list", "short", "modules").stdout.splitlines()
        [mic] = [m.split()[0] for m in modules if "sink_name=mic" in m]
        gone = time.monotonic()
        server._run("pactl", "unload-module", mic)
        out, err = proc.communicate(timeout=60)
        print(f"microphone gone to exit: {time.monotonic() - gone:.1f} s")
    finally:
        server.stop()
    assert proc.returncode == 1, out + err
    [said] = err.strip().splitlines()
    assert said.startswith("Error: the microphone stopped: ") and "went away" in said, said


def test_history_shows_the_newest_first_and_pages():
    """Item 9: the newest 30 rows first, a line counting the rest; --all shows every one."""
    import json

    from tests.conftest import run_coach

    with History.open() as h:
        for day in range(1, 36):
            sid = h.start_session("flexion", {}, direction="flexion")
            h.end("sessions", sid, "completed")
            h.db.execute("UPDATE sessions SET started = ? WHERE id = ?", (f"2026-10-{day:02d}T09:00:00+00:00"
                                                                         if day <= 31 else f"2026-11-{day - 31:02d}T09:00:00+00:00", sid))
        h.db.commit()
    shown = run_coach("history").stdout.splitlines()
    rows = [line for line in shown if line.startswith("2026-")]
    assert len(rows) == 30 and rows[0].startswith("2026-11-04") and rows[-1].startswith("2026-10-06")
    assert shown[-1] == "... and 5 older: 'coach history --all' shows every row."
    every = [line for line in run_coach("history", "--all").stdout.splitlines() if line.startswith("2026-")]
    assert len(every) == 35 and every[-1].startswith("2026-10-01")
    assert len(json.loads(run_coach("history", "--json").stdout)["sessions"]) == 35
