"""The exercise and routine data: the doses of the clinical notes, shipped inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coach.core.dose import plan
from coach.core.errors import InputError
from coach.core.exercise import catalog
from coach.core.rules import routines
from coach.core.words import catalog as words

ROOT = Path(__file__).resolve().parent.parent

# id: (hold default, min, max, holds default, min, max) or (reps default, min, max, seconds per rep)
NOTES = {
    "knees-to-chest": ("hold", 30, 30, 60, 3, 1, 5, False),
    "prone-lying": ("hold", 60, 30, 120, 1, 1, 3, False),
    "prone-on-elbows": ("hold", 30, 15, 60, 3, 1, 5, False),
    "knee-to-opposite-shoulder": ("hold", 30, 15, 30, 3, 2, 4, True),
    "figure-four": ("hold", 30, 15, 30, 3, 2, 4, True),
    "sciatic-nerve-glide": ("reps", 12, 10, 15, 4.5, True),
    # the next positions of the notes' progression (section 6), offered in place of knees to chest and on elbows
    "sitting-flexion": ("hold", 30, 15, 60, 3, 1, 5, False),
    "press-up": ("reps", 10, 5, 10, 5.0, False),
}


def test_every_exercise_of_the_article_with_the_notes_doses():
    exs = catalog(words())
    assert list(exs) == list(NOTES)
    for ex_id, row in NOTES.items():
        ex = exs[ex_id]
        if row[0] == "hold":
            _, d, lo, hi, n, nlo, nhi, per_side = row
            assert (ex.hold.default, ex.hold.min, ex.hold.max) == (d, lo, hi)
            assert (ex.sets.default, ex.sets.min, ex.sets.max) == (n, nlo, nhi)
            assert ex.reps is None
        else:
            _, d, lo, hi, spr, per_side = row
            assert (ex.reps.default, ex.reps.min, ex.reps.max, ex.seconds_per_rep) == (d, lo, hi, spr)
            assert ex.hold is None
        assert ex.per_side == per_side
        assert all(line for line in ex.say.all() if line is not ex.say.again) and ex.name
        assert bool(ex.say.again) == ex.per_side  # a sided exercise's shorter set-up for its second side


def test_positions():
    exs = catalog(words())
    assert {e.id for e in exs.values() if e.position == "stomach"} == {"prone-lying", "prone-on-elbows", "press-up"}
    assert {e.id for e in exs.values() if e.position == "sitting"} == {"sitting-flexion"}
    assert {e.id: e.replaces for e in exs.values() if e.replaces} == {"sitting-flexion": "knees-to-chest",
                                                                     "press-up": "prone-on-elbows"}


def test_routines():
    r = routines(words())
    assert r["flexion"].exercises == ("knees-to-chest", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide")
    assert r["extension"].exercises == ("prone-lying", "prone-on-elbows", "knee-to-opposite-shoulder", "figure-four", "sciatic-nerve-glide")


def test_spoken_words_never_promise_relief():
    from coach.core.words import catalog as words

    texts = [t for ex in catalog(words()).values() for t in ex.say.all()]
    texts += [r.intro for r in routines(words()).values()]
    from coach.core import data

    texts += [v for v in data.read("lang/en.toml").values() if isinstance(v, str)]
    texts += [*words().disclaimer, *words().close]
    for t in texts:
        low = t.lower()
        for promise in ("cure", "will help", "relief", "heal", "fix your", "guarantee"):
            assert promise not in low, t
    assert "not medical advice" in " ".join(words().disclaimer)


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(only=("nope",)), "unknown exercise 'nope'"),
        (dict(only=("prone-lying",)), "'prone-lying' is not part of the flexion routine"),
        (dict(hold=45), "--hold 45 is outside knee-to-opposite-shoulder's range of 15-30 seconds"),
        (dict(hold=10, only=("figure-four",)), "--hold 10 is outside figure-four's range of 15-30"),
        (dict(hold=30, only=("sciatic-nerve-glide",)), "--hold applies to held exercises"),
        (dict(reps=5), "--reps 5 is outside knee-to-opposite-shoulder's range of 2-4 holds per side"),
        (dict(reps=9, only=("sciatic-nerve-glide",)), "--reps 9 is outside sciatic-nerve-glide's range of 10-15 reps per side"),
        (dict(reps=0, only=("knees-to-chest",)), "--reps 0 is outside knees-to-chest's range of 1-5"),
    ],
)
def test_bad_options_are_named(options, message):
    """The error carries what was asked as values; the command line words it with its flag."""
    from coach.cli.base import worded
    from coach.core.errors import DoseError

    with pytest.raises(DoseError) as e:
        plan(routines(words())["flexion"], **options, words=words())
    assert isinstance(e.value, InputError) and e.value.asked in options
    assert message in worded(e.value)
    assert "--" not in str(e.value)  # below the command line, no flag is named


def test_options_in_range_apply():
    doses = plan(routines(words())["flexion"], only=("knees-to-chest",), hold=60, reps=5, words=words())
    (d,) = doses
    assert (d.hold_seconds, d.count, d.sides) == (60, 5, (None,))


def test_the_wheel_ships_the_data(tmp_path):
    """The installed program reads its data from inside the package, so the wheel must carry it."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("coach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(p.relative_to(ROOT)) for p in (ROOT / "coach" / "data").rglob("*.toml")}
    assert shipped and shipped <= names
    page = {str(p.relative_to(ROOT)) for p in (ROOT / "coach" / "phone" / "page").iterdir()}
    assert {"coach/phone/page/index.html", "coach/phone/page/page.js"} <= page <= names  # the phone's page
