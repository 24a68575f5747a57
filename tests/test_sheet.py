"""The pictures outside the phone: the exercise sheet (a one-page PDF read back by poppler) and
`coach exercises --pictures` (SVG files read back by an XML parser)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

from tests.conftest import run_coach


def test_the_sheet_is_todays_routine_on_one_page_with_its_pictures(tmp_path):
    pdf = tmp_path / "sheet.pdf"
    result = run_coach("sheet", "--flexion", str(pdf))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # fpdf2's notice of the pictures' <title> does not reach the terminal
    assert "4 exercises" in result.stdout
    assert pdf.stat().st_mode & 0o777 == 0o600  # its doses come from the history
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Flexion routine", "Knees to chest", "3 × 30 s", "Figure four stretch", "each side",
                     "Sciatic nerve glide", "12 reps", "not medical advice"):
        assert expected in text, expected
    drawn = subprocess.run(["pdftoppm", "-r", "30", "-gray", "-singlefile", str(pdf), str(tmp_path / "p")],
                           capture_output=True)
    assert drawn.returncode == 0


def test_the_sheet_follows_the_flags_and_refuses_a_bad_name(tmp_path):
    pdf = tmp_path / "mine.pdf"
    result = run_coach("sheet", "--extension", "--only", "prone-on-elbows", "--hold", "45", str(pdf))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Propped on your elbows" in text and "45 s" in text and "Knees to chest" not in text
    bad = run_coach("sheet", "--flexion", str(tmp_path / "sheet.txt"))
    assert bad.returncode == 2 and "ends in .pdf" in bad.stderr


def test_exercises_writes_each_picture_as_svg(tmp_path):
    folder = tmp_path / "pictures"
    result = run_coach("exercises", "--pictures", str(folder))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert "knees-to-chest.svg" in names and {"sciatic-nerve-glide-bent.svg", "sciatic-nerve-glide-straight.svg"} <= set(names)
    assert len(names) == 10 and "Wrote 10 pictures" in result.stdout
    for p in folder.iterdir():
        assert ET.parse(p).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    (tmp_path / "file").write_text("x")
    refused = run_coach("exercises", "--pictures", str(tmp_path / "file"))
    assert refused.returncode == 2 and "is a file" in refused.stderr


def test_the_sheet_follows_the_settings_file_as_start_does(tmp_path):
    """The leg that hurts, set once (coach config set leg right): the sheet starts on it."""
    assert run_coach("config", "set", "leg", "right").returncode == 0
    pdf = tmp_path / "sheet.pdf"
    assert run_coach("sheet", "--flexion", str(pdf)).returncode == 0
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Lift your right knee toward you" in text and "Rest your right ankle on your left thigh" in text
