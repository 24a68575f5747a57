"""`coach history`: the table, JSON and CSV exports read back by real readers, and the trend chart
in the terminal and as a PNG read back by Pillow."""

from __future__ import annotations

import csv
import datetime as dt
import json

from coach.clinical.trend import text, trend
from coach.storage.history import History
from tests.conftest import run_coach


def seed(days: list[tuple[int, int, str]], start=dt.date(2026, 10, 1)) -> None:
    """A session a day with a before rating (leg, reach) and an after rating one point lower."""
    with History.open() as h:
        for offset, leg, reach in days:
            day = start + dt.timedelta(days=offset)
            at = f"{day.isoformat()}T08:00:00+00:00"
            sid = h.start_session("flexion", {"check_in": False})
            h.add_rating("before", leg=leg, reach=reach, session_id=sid, at=at)
            h.add_rating("after", leg=max(0, leg - 1), reach=reach, session_id=sid, at=at.replace("T08:00", "T08:20"))
            h.end("sessions", sid, "completed")
            h.db.execute("UPDATE sessions SET started = ? WHERE id = ?", (at, sid))
            h.db.commit()


WEEKS = [(d, 6, "calf") for d in range(7)] + [(9, 5, "knee"), (12, 4, "thigh"), (16, 3, "buttock"), (20, 8, "foot")]


def test_the_trend_marks_changes_from_the_first_week(coach_home):
    seed(WEEKS)
    with History.open() as h:
        t = trend(h.leg_ratings())
    assert t.baseline == 6.0
    # 5 is 1 point (17%) from 6: no mark; 4 is 2 points; 3 is 50%; 8 is 2 points worse
    assert [(d.leg, d.change) for d in t.days[7:]] == [(5, ""), (4, "better"), (3, "better"), (8, "worse")]
    assert all(d.change == "" for d in t.days[:7])  # the first week is the baseline itself
    lines = text(t, 80).splitlines()
    change_row = next(line for line in lines if line.startswith("change"))
    assert change_row.count("▼") == 2 and change_row.count("▲") == 1
    reach_row = next(line for line in lines if line.startswith(" reach"))
    assert reach_row.split() == ["reach", "C", "C", "C", "C", "C", "C", "C", "K", "T", "B", "F"]
    six = next(line for line in lines if line.startswith("    6 │"))
    assert six.count("●") == 7


def test_the_trend_fits_a_narrow_terminal(coach_home):
    seed([(d, d % 11, "knee") for d in range(60)])
    with History.open() as h:
        lines = text(trend(h.leg_ratings()), 40).splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "16 of 60 days shown" in "\n".join(lines)


def test_history_command_table_json_csv(coach_home, tmp_path):
    seed(WEEKS[:2])
    table = run_coach("history")
    assert table.returncode == 0
    assert "2026-10-01 08:00  flexion session  completed     6 (calf)" in table.stdout
    exported = json.loads(run_coach("history", "--json").stdout)
    assert set(exported) == {"sessions", "ratings", "screenings", "screening_answers", "trials", "confirmations",
                             "clearances", "doses"}
    assert [r["leg"] for r in exported["ratings"]] == [6, 5, 6, 5]
    out = tmp_path / "csv"
    result = run_coach("history", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    with open(out / "ratings.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["leg"] for r in rows] == ["6", "5", "6", "5"] and rows[0]["reach"] == "calf"
    with open(out / "trials.csv", newline="") as f:
        assert next(csv.reader(f))[:3] == ["id", "started", "ended"]  # a header even with no rows


def test_trend_command_and_png(coach_home, tmp_path):
    from PIL import Image

    empty = run_coach("history", "--trend")
    assert empty.returncode == 0 and "No pain ratings yet" in empty.stdout
    seed(WEEKS)
    shown = run_coach("history", "--trend")
    assert shown.returncode == 0 and "First week's mean: 6.0" in " ".join(shown.stdout.split())
    png = tmp_path / "trend.png"
    result = run_coach("history", "--png", str(png))
    assert result.returncode == 0, result.stderr
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (900, 600)
        colours = image.convert("RGB").getcolors(1 << 20)
    assert len(colours) > 20  # a drawn chart, not a blank page
    assert not list(tmp_path.glob(".trend.png.*"))  # written atomically: no leftovers


def test_bad_history_options(coach_home, tmp_path):
    result = run_coach("history", "--png", str(tmp_path / "none" / "t.png"))
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = run_coach("history", "--png", str(tmp_path / "t.png"))
    assert result.returncode == 2 and "no pain ratings yet" in result.stderr
