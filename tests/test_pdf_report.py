"""`coach report FILE.pdf` (issue 17, item 4): a made-up history written as a PDF, its text read back
by pdftotext and its pages rendered by pdftoppm, both independent of the writer (poppler)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from PIL import Image

from coach.storage.history import History
from tests.conftest import run_coach

pytestmark = pytest.mark.timeout(300)


def _poppler() -> None:
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: ./scripts/setup test installs poppler-utils")


def _set(h: History, table: str, row: int, **fields) -> None:
    sets = ", ".join(f"{k} = ?" for k in fields)
    h.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row))
    h.db.commit()


def seed() -> None:
    """Two tests, five sessions (one stopped for symptoms, one with check-ins), two screenings."""
    with History.open() as h:
        t = h.start_trial()
        h.add_rating("baseline", leg=6, reach="calf", trial_id=t, at="2026-11-02T08:00:00+00:00")
        h.add_rating("after", leg=4, reach="knee", trial_id=t, exercise="knees-to-chest", at="2026-11-02T08:05:00+00:00")
        h.end("trials", t, "completed", result="flexion", reasons=json.dumps(["knees to chest: the pain moved back up"]))
        _set(h, "trials", t, started="2026-11-02T08:00:00+00:00")
        t = h.start_trial()
        h.end("trials", t, "completed", result="flexion", reasons=json.dumps(["leg pain went down 2 points"]))
        _set(h, "trials", t, started="2026-11-09T08:00:00+00:00")
        for day, leg, outcome, options in [
            ("2026-11-03", 6, "completed", {"hold": 30}),
            ("2026-11-05", 5, "completed", {"reps": 2, "side": "left"}),
            ("2026-11-07", 7, "symptoms", {}),
            ("2026-11-10", 4, "completed", {"check_in": True}),
            ("2026-11-12", 3, "completed", {"levels": {"knees-to-chest": [45, 3]}}),  # a dose the response moved
        ]:
            s = h.start_session("flexion", options, direction="flexion")
            h.add_rating("before", leg=leg, reach="knee", session_id=s, at=f"{day}T09:00:00+00:00")
            h.add_rating("after", leg=leg - 1, reach="thigh", session_id=s, at=f"{day}T09:20:00+00:00")
            if options.get("check_in"):
                h.add_rating("check-in", compared="better", exercise="figure-four", session_id=s,
                             at=f"{day}T09:10:00+00:00")
            h.end("sessions", s, outcome, response="better" if outcome == "completed" else None)
            _set(h, "sessions", s, started=f"{day}T09:00:00+00:00")
            if outcome == "symptoms":
                _set(h, "sessions", s, step="figure-four")
        for day in ("2026-11-03", "2026-11-10"):
            sid = h.record_screening("daily", [("saddle", "Numbness?", "no"), ("cancer", "Cancer?", "no")], "clear")
            _set(h, "screenings", sid, day=day)


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("paper, size", [("a4", (414, 585)), ("letter", (425, 550))])
def test_a_report_holds_the_history_on_two_readable_pages(tmp_path, paper, size):
    _poppler()
    seed()
    pdf = tmp_path / "report.pdf"
    result = run_coach("report", str(pdf), "--paper", paper)
    assert result.returncode == 0, result.stderr
    text = _text(pdf)
    assert "Sciatica exercise report" in text and "not medical advice" in text
    assert result.stderr == ""  # no library's warning reaches the terminal
    assert pdf.stat().st_mode & 0o777 == 0o600  # health data
    for expected in ("Direction tests", "2026-11-02", "2026-11-09", "flexion", "the pain moved back up",
                     "Sessions and doses", "2026-11-03", "2026-11-12", "3 × 30 s", "2 holds/reps; left side",
                     "stopped for symptoms", "knees to chest 3 × 45 s", "Check-ins and stops", "check-in after figure-four", "better",
                     "Safety answers", "all no", "Leg pain and how far down it reaches",
                     "The positions of the flexion routine", "Sciatic nerve glide (straight)"):
        assert expected in text, expected
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", pages, re.M) and re.search(r"^Title:\s+coach: exercise report$", pages, re.M)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 2
    for png in images:
        with Image.open(png) as image:
            assert image.size == size
            grey = image.convert("L")
            dark = sum(grey.histogram()[:128])
            assert 0.005 < dark / (size[0] * size[1]) < 0.5  # text and lines on a white page


def test_an_empty_history_still_makes_a_report_and_a_bad_name_is_refused(tmp_path):
    _poppler()
    pdf = tmp_path / "empty.pdf"
    result = run_coach("report", str(pdf))
    assert result.returncode == 0, result.stderr
    text = _text(pdf)
    assert "None recorded." in text and "No pain ratings recorded." in text
    bad = run_coach("report", str(tmp_path / "report.txt"))
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"Error: cannot write {tmp_path / 'report.txt'}: a report's name ends in .pdf."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.pdf"]


def test_red_flags_bars_and_worse_days_come_first_and_nothing_is_cut(tmp_path):
    """Issue 27, item 8: a record with only an emergency yes is not "nothing recorded"; the bar
    reads once ("Avoid: Avoid" was printed); a long reason wraps instead of being cut."""
    _poppler()
    from coach.clinical.response import Rating, compare

    with History.open() as h:
        h.record_screening("session", [("saddle", "Numbness?", "yes")], "emergency", "Call now.")
    shown = run_coach("history")
    assert shown.returncode == 0, shown.stderr
    assert "Nothing recorded yet" not in shown.stdout
    first = shown.stdout.splitlines()
    assert first[0] == "Red flags, bars and worse days, first:"
    assert "safety answer yes: numbness around your anus, genitals or inner thighs (emergency care); not yet " \
        "cleared" in first[1]
    long_why = "knees to chest: " + "; ".join(f"reason number {n} of a long list that must wrap" for n in range(6))
    verdict = compare(Rating(6, 3, "calf"), Rating(6, 3, "foot", False), "worse")
    with History.open() as h:
        t = h.start_trial()
        h.update("trials", t, flares=json.dumps([{"direction": "flexion", "exercise": "knees-to-chest",
                                                   "verdict": verdict.to_dict()}]))
        h.end("trials", t, "completed", result="extension", worse='["flexion"]', better='["extension"]',
              reasons=json.dumps([long_why]))
    shown = run_coach("history").stdout
    lines = shown.splitlines()
    assert lines[2].startswith("  - Avoid flexion for now.")  # red flags, then bars, then worse days
    assert "test, knees to chest: the pain spread farther down, from calf to foot; not settled after the rest." \
        in lines[3]
    assert shown.index("Red flags") < shown.index("when ")  # before the table
    pdf = tmp_path / "report.pdf"
    made = run_coach("report", str(pdf))
    assert made.returncode == 0 and made.stderr == "", made.stderr
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    flat = " ".join(page1.split())
    assert "Red flags, bars and worse days, first" in flat
    assert flat.index("numbness around your anus") < flat.index("Direction tests")
    assert "Avoid: Avoid" not in flat and flat.count("Avoid flexion for now.") == 1
    assert "reason number 5 of a long list that must wrap" in flat  # the last of it: nothing cut
