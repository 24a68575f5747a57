"""The safety questions (clinical notes, sections 3 and 6): their words, who is asked what and
when, each block and how it is lifted. Piped answers and a silent player; real SQLite."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from coach.clinical import screening
from coach.core.errors import ScreeningStop
from coach.core.words import catalog
from coach.live import safety
from coach.storage.history import History
from tests.conftest import NO, run_coach
from tests.test_answers import guide_with


def guide(answers: list[str]):
    return guide_with(screening_answers(answers))


def screening_answers(answers):
    from coach.live.answers import LineAnswers

    return LineAnswers(io.StringIO("".join(f"{a}\n" for a in answers)))


def asked(printed: list[str]) -> list[str]:
    return [p.split(" [")[0] for p in printed if p.endswith("[y yes, n no]")]


def questions(lang="en") -> dict[str, str]:
    return dict(catalog(lang).screening.questions)


def back_in_time(h: History, days: int) -> None:
    """Move every recorded screening `days` into the past."""
    when = (dt.datetime.now().astimezone() - dt.timedelta(days=days)).isoformat(timespec="seconds")
    with h.db:
        h.db.execute("UPDATE screenings SET at = ?, day = ?", (when, when[:10]))


def test_the_wording_of_every_question():
    q = questions()
    assert q["saddle"] == "Do you have numbness or tingling around your anus, genitals or inner thighs?"
    assert "bottom" not in q["saddle"]  # buttock tingling is common in sciatica, and no emergency
    assert q["night-pain"] == "Do you have constant, severe pain at night, even when lying still?"
    assert q["cancer"] == "Have you ever had cancer?"
    es = questions("es")
    assert "ano" in es["saddle"] and "nalgas" not in es["saddle"]
    assert "constante" in es["night-pain"] and "quieto" in es["night-pain"]
    assert set(q) == set(es)


@pytest.mark.parametrize("yes_at, group, advice, printed", [
    (0, "emergency", "Call your emergency number, or go to an emergency department, now.", "Get emergency care now."),
    (3, "urgent", "New or worsening weakness in a leg needs a doctor today. Please contact one today, "
                  "and tell them what you answered.", "See a doctor today."),
    (4, "urgent", "See a doctor before you start these exercises, and tell them what you answered.",
     "See a doctor first."),
    (6, "urgent", "Because you have had cancer, see your doctor about this back pain before your first session.",
     "See your doctor about this back pain first; then run 'coach cleared cancer'."),
])
def test_a_yes_stops_with_its_own_advice(tmp_path, yes_at, group, advice, printed):
    g, shown, spoken = guide(["n"] * yes_at + ["y"])
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(ScreeningStop) as stop:
        safety.screen(g, h, "session")
    assert stop.value.exit_code == 3
    assert str(stop.value) == f"Stopped by the safety questions: no exercise today. {printed}"
    assert advice in spoken
    assert h.table("screenings")[0]["outcome"] == group
    assert [a["answer"] for a in h.table("screening_answers")] == ["no"] * yes_at + ["yes"]
    # the rest of the day: no exercise, no questions, the same advice again
    g2, shown2, spoken2 = guide([])
    with pytest.raises(ScreeningStop):
        safety.daily(g2, h)
    assert advice in spoken2 and asked(shown2) == []


def test_an_urgent_yes_blocks_for_the_day_only(tmp_path):
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(ScreeningStop):
        safety.screen(guide(["n"] * 4 + ["y"])[0], h, "session")
    back_in_time(h, 1)
    g, shown, spoken = guide(NO)
    safety.daily(g, h)  # a new day: all eleven again (two never answered), and all no lets the session go on
    assert len(asked(shown)) == 11


def test_an_emergency_yes_blocks_until_a_clinician_has_seen_them(tmp_path):
    h = History.open(tmp_path / "h.sqlite3")
    with pytest.raises(ScreeningStop):
        safety.screen(guide(["n", "y"])[0], h, "session")
    back_in_time(h, 3)  # not lifted by midnight, nor by days
    g, shown, spoken = guide([])
    with pytest.raises(ScreeningStop) as stop:
        safety.daily(g, h)
    assert "until a clinician has seen you" in str(stop.value) and "coach cleared emergency" in str(stop.value)
    assert "Call your emergency number, or go to an emergency department, now." in spoken
    h.record_clearance("emergency")
    g, shown, spoken = guide(NO)
    safety.daily(g, h)  # lifted: asked again, from the start
    assert len(asked(shown)) == 11
    [seen] = h.table("clearances")
    assert (seen["kind"], seen["day"]) == ("emergency", dt.date.today().isoformat())


def test_a_doctor_checked_cancer_history_is_not_asked_again(tmp_path):
    h = History.open(tmp_path / "h.sqlite3")
    h.record_clearance("cancer")
    g, shown, spoken = guide(["n"] * 10)
    safety.screen(g, h, "test")
    assert questions()["cancer"] not in asked(shown) and len(asked(shown)) == 10


def test_the_three_emergency_questions_before_every_later_session(tmp_path):
    h = History.open(tmp_path / "h.sqlite3")
    safety.daily(guide(NO)[0], h)
    g, shown, spoken = guide(["n"] * 3)
    safety.daily(g, h)
    q = questions()
    assert asked(shown) == [q["saddle"], q["bladder-bowel"], q["both-legs"]]
    assert spoken[0] == "Three quick safety questions first. Answer yes or no."
    assert [s["purpose"] for s in h.table("screenings")] == ["session", "session-brief"]
    # and a yes there is an emergency, which blocks
    with pytest.raises(ScreeningStop):
        safety.daily(guide(["n", "n", "y"])[0], h)
    assert h.emergency_block() is not None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_files_opening_words_name_every_question_by_its_sign(lang):
    w = catalog(lang)
    s = screening.screening(w)
    opening = s.recording_preamble(dt.date(2026, 12, 1), w)
    assert len(opening) == 2 + len(s.groups)  # the date, a sentence a group, what to do
    assert "2026" in opening[0] and opening[-1] == w.screening.recording_end
    for said, group in zip(opening[1:-1], s.groups):
        assert said[0].isupper()
        for q in group.questions:
            assert w.screening.signs[q.id] in said.lower() or w.screening.signs[q.id].capitalize() in said
    if lang == "en":
        assert opening[:2] == (
            "Recorded on 1 December 2026.",
            "Numbness around your anus, genitals or inner thighs, new bladder or bowel trouble, or sciatica in "
            "both legs need emergency care now.")


def test_coach_cleared_records_and_lifts_the_block():
    nothing = run_coach("cleared", "emergency")
    assert nothing.returncode == 0 and "nothing was recorded" in nothing.stdout
    with History.open() as h:
        with pytest.raises(ScreeningStop):
            safety.screen(guide(["y"])[0], h, "session")
    blocked = run_coach("start", "--flexion")
    assert blocked.returncode == 3 and "until a clinician has seen you" in blocked.stderr
    assert "Traceback" not in blocked.stderr
    seen = run_coach("cleared", "emergency")
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.startswith(f"Recorded on {dt.date.today().isoformat()}: a clinician has seen you")
    with History.open() as h:
        assert h.emergency_block() is None
    assert run_coach("cleared", "flu").returncode == 2


def test_after_cleared_emergency_the_same_day_the_coach_says_tomorrow_calmly():
    """Issue 27, item 6: the emergency answer was today and a clinician's visit is recorded today:
    no more 'call emergency services'; one calm line that sessions start again tomorrow."""
    with History.open() as h:
        with pytest.raises(ScreeningStop):
            safety.screen(guide(["y"])[0], h, "session")
    seen = run_coach("cleared", "emergency")
    assert "Sessions start again tomorrow." in seen.stdout
    again = run_coach("start", "--flexion")
    assert again.returncode == 3
    assert again.stderr.strip() == "You recorded today that a clinician has seen you. Sessions start again tomorrow."
    assert "emergency" not in (again.stdout + again.stderr).lower()
    with History.open() as h:
        g, shown, spoken = guide([])
        with pytest.raises(ScreeningStop):
            screening.refuse_if_stopped(h.safety(), g.say, catalog("en"))
        assert spoken == ["You have been seen by a clinician. Sessions start again tomorrow."]
        back_in_time(h, 1)  # the next day: the questions again, from the start
        g, shown, spoken = guide(NO)
        safety.daily(g, h)
        assert len(asked(shown)) == 11


def test_fracture_and_infection_risk_are_asked_first_then_every_30_days(tmp_path):
    """Issue 27, item 7 (clinical notes, section 7): facts about the person, not the day's
    symptoms. Urgent: a yes stops and says to see a doctor; `coach cleared` lifts it for good."""
    q = questions()
    h = History.open(tmp_path / "h.sqlite3")
    g, shown, spoken = guide(NO)
    safety.daily(g, h)
    assert asked(shown)[-2:] == [q["fracture"], q["infection"]]  # the first screening: asked
    back_in_time(h, 1)
    g, shown, spoken = guide(NO[:9])
    safety.daily(g, h)
    assert len(asked(shown)) == 9 and q["fracture"] not in asked(shown)  # the next day: not again
    back_in_time(h, 29)  # every screening 29 days ago: still not due
    g, shown, spoken = guide(NO[:9])
    safety.daily(g, h)
    assert q["fracture"] not in asked(shown)
    back_in_time(h, 30)  # 30 days since it was answered no: asked again
    g, shown, spoken = guide(NO[:9] + ["y"])
    with pytest.raises(ScreeningStop) as stop:
        safety.daily(g, h)
    assert asked(shown)[-1] == q["fracture"]
    assert str(stop.value).endswith("See your doctor about this back pain first; then run 'coach cleared fracture'.")
    assert any("steroid tablets or thin bones can make the spine fragile" in line for line in spoken)
    assert h.table("screenings")[-1]["outcome"] == "urgent"
    with h.db:  # a day on: every screening one day further back
        h.db.execute("UPDATE screenings SET day = date(day, '-1 day'), at = datetime(at, '-1 day')")
    # a yes is no "no": asked again the next day, and a yes stops again
    g, shown, spoken = guide(NO[:9] + ["y"])
    with pytest.raises(ScreeningStop):
        safety.daily(g, h)
    with h.db:
        h.db.execute("UPDATE screenings SET day = date(day, '-1 day'), at = datetime(at, '-1 day')")
    h.record_clearance("fracture")  # a doctor has checked it: not asked again
    g, shown, spoken = guide(NO[:10])
    safety.daily(g, h)
    assert q["fracture"] not in asked(shown) and asked(shown)[-1] == q["infection"]


def test_fracture_and_infection_wording_in_both_languages():
    for lang in ("en", "es"):
        w = catalog(lang)
        for qid in ("fracture", "infection"):
            assert w.screening.questions[qid].endswith("?") and len(w.screening.questions[qid]) < 120
            assert w.screening.signs[qid] and w.screening.advice[qid]
            assert f"coach cleared {qid}" in w.printed.stop_advice(qid, "urgent")
    assert "steroid" in questions()["fracture"] and "osteoporosis" in questions()["fracture"]
    assert "immune" in questions()["infection"] and "inject drugs" in questions()["infection"]
    assert run_coach("cleared", "infection").returncode == 0
