"""Listening to the body, end to end with the real speech engine, the audio server recorded, answers
piped or typed as single keys, and the history read back from SQLite: the test's rest and re-ask
after a flare, a barred direction, a session rated worse after, the stop key, when to get seen.

The voice runs at 400 words a minute here, to keep the run short; the flow is the same."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from coach.audio import cue
from coach.audio.speech import Clips
from coach.clinical import evidence
from coach.clinical.preference import day_words
from coach.core.question import questions
from coach.core.script import SAMPLE_RATE
from coach.core.words import catalog as words
from coach.storage import paths
from coach.storage.history import History
from tests.audio_server import LIVE_TOLERANCE, RATE, heard_phrase, match_scores, phrase_onsets
from tests.conftest import BRIEF, NO, brief, coach_voice, run_coach, screened_today
from tests.terminal import Terminal
from tests.test_referral import made_up

FAST = ("--rate", "400")
HEARD = 0.8  # match score of a phrase that was played (an exact copy scores 1.0)
SHORT = ("--only", "knees-to-chest", "--hold", "30", "--reps", "1", *FAST)


def clips() -> Clips:
    return Clips(coach_voice(400), paths.cache_dir(), SAMPLE_RATE)


def heard(recording, text: str, seconds: float = 0.6) -> float:
    return heard_phrase(recording, clips().get(text), SAMPLE_RATE, seconds)


@pytest.mark.timeout(1080)  # two 30 s positions and a minute's rest: 334 s on a loaded machine, 3x that
def test_a_flare_in_the_test_rests_asks_again_and_bars_the_direction(pulse):
    """Knees to chest makes the pain spread to the foot; after a minute's rest it has not settled:
    flexion stops and is barred, lying on the stomach eases it."""
    recorder = pulse.recorder().start()
    answers = NO + ["6", "3", "calf"] + ["6", "3", "foot", "n", "w"] + ["6", "3", "foot", "n", "s"] \
        + ["4", "3", "calf", "n", "b"]
    result = run_coach("test", "--settle", "1", *FAST, env=pulse.env, answers=answers)
    recording = recorder.stop()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    w = words()
    rest_line = "Lie in a position that is comfortable, and breathe slowly. I will ask again in one minute."
    avoid = (f"Avoid flexion for now. On {day_words(dt.date.today(), w)}, knees to chest, the pain spread farther "
             "down, from calf to foot. A later test that finds flexion better lifts this.")
    for line in ("Knees to chest, the pain spread farther down, from calf to foot.", rest_line,
                 "After the rest, the pain spread farther down, from calf to foot. So we go no further in that direction.",
                 "Lying on your stomach, the pain moved back up, from foot to calf; leg pain went down 2 points, "
                 "from 6 to 4.", "Result: extension: lying on your stomach helped. The extension routine may help.",
                 avoid):
        assert line in out, line
        assert heard(recording, line, 3.0) > HEARD, line
    numbness = questions(words())["numbness"].text
    assert out.count(numbness) == 3 and heard(recording, numbness) > HEARD  # after each position and the rest
    # the rest on the recording: from the end of its last line to the questions asked again, one minute
    again = phrase_onsets(recording, clips().get(w.test_again), SAMPLE_RATE, 3)
    [rest] = phrase_onsets(recording, clips().get(rest_line), SAMPLE_RATE, 1)
    rested = (again[1] - rest) / RATE - clips().length(rest_line) / SAMPLE_RATE
    print(f"rested {rested:.3f} s")
    # the sound server's gaps on a loaded machine (0.57 s and 0.98 s here before the player made
    # them up without PortAudio's flag) are made up from DAC times, which stray by some 20 ms
    assert again[0] < rest < again[1] and abs(rested - 60.0) < LIVE_TOLERANCE
    with History.open() as h:
        [t] = h.table("trials")
        assert (t["result"], json.loads(t["worse"]), json.loads(t["better"])) == ("extension", ["flexion"], ["extension"])
        got = [(r["moment"], r["exercise"], r["leg"], r["reach"], r["numbness"], r["verdict"]) for r in h.table("ratings")]
        assert got == [("baseline", None, 6, "calf", None, None),
                       ("after", "knees-to-chest", 6, "foot", "no", "worse"),
                       ("settled", "knees-to-chest", 6, "foot", "no", "stop"),
                       ("after", "prone-lying", 4, "calf", "no", "better")]

    # not chosen by default
    follows = run_coach("script")
    assert follows.stdout.startswith("# extension routine")
    assert "Using the extension routine" in follows.stderr
    with History.open() as h:
        assert evidence.recommendation(h.record(), w).bar("flexion").text(w) == avoid


def flared_in_a_test() -> str:
    """The history a test like the one above leaves: knees to chest spread the pain to the foot and
    did not settle, lying on the stomach eased it. What the coach says of the bar on flexion."""
    from coach.clinical.response import Rating, compare

    verdict = compare(Rating(6, 3, "calf"), Rating(6, 3, "foot", False), "worse")
    with History.open() as h:
        tid = h.start_trial()
        flares = [{"direction": "flexion", "exercise": "knees-to-chest", "verdict": verdict.to_dict()}]
        h.update("trials", tid, flares=json.dumps(flares), worse=json.dumps(["flexion"]))
        h.end("trials", tid, "completed", step="result", result="extension", worse=json.dumps(["flexion"]),
              better=json.dumps(["extension"]), caution="[]", reasons="[]")
        return evidence.recommendation(h.record(), words()).bar("flexion").text(words())


@pytest.mark.timeout(510)  # 3x its 156 s on a loaded machine (issue 29: no test within 3x of its limit)
def test_a_barred_direction_is_not_chosen_and_is_asked_about_when_chosen(pulse, tmp_path):
    """After the flare above (as the history records it): `coach start` does not choose flexion,
    asks before doing it, records the answer with the session it let run, and a file carries the
    warning."""
    avoid = flared_in_a_test()
    screened_today()  # as the test did: later sessions that day ask the three emergency questions
    assert avoid.startswith("Avoid flexion for now.") and "the pain spread farther down, from calf to foot" in avoid
    w = words()
    follows = run_coach("script")
    assert follows.stdout.startswith("# extension routine")
    # chosen by its flag: said why, asked, and a no runs nothing
    recorder = pulse.recorder().start()
    declined = run_coach("start", "--flexion", "--no-ratings", *SHORT, env=pulse.env, answers=BRIEF + ["n"])
    recording = recorder.stop()
    assert declined.returncode == 0, declined.stderr
    assert declined.stderr.strip() == "Not started: you chose not to do the flexion routine today."
    assert avoid in declined.stdout and heard(recording, avoid, 3.0) > HEARD
    question = "Do you still want to do the flexion routine today?"
    assert question in declined.stdout and heard(recording, question) > HEARD
    with History.open() as h:
        assert h.table("sessions") == []
        [c] = h.table("confirmations")
        assert (c["direction"], c["answer"], c["reason"], c["session_id"]) == ("flexion", "no", avoid, None)
    # a yes is recorded with the session it let run
    done = run_coach("start", "--flexion", "--no-ratings", *SHORT, env=pulse.env, answers=BRIEF + ["y"])
    assert done.returncode == 0, done.stderr
    with History.open() as h:
        [s] = h.table("sessions")
        assert (s["routine"], s["direction"], s["outcome"]) == ("flexion", "flexion", "completed")
        assert [(c["answer"], c["session_id"]) for c in h.table("confirmations")] == [("no", None), ("yes", s["id"])]
    # a file: the warning printed, and at the file's start
    out_file = tmp_path / "flexion.wav"
    made = run_coach("start", "--flexion", *SHORT, "--output", str(out_file))
    assert made.returncode == 0, made.stderr
    assert f"{avoid} {w.barred_file}" in made.stderr
    import soundfile

    pcm, rate = soundfile.read(out_file, dtype="int16")
    first = np.frombuffer(clips().get(avoid), dtype=np.int16)
    assert rate == SAMPLE_RATE and np.array_equal(pcm[: len(first)], first)  # the file opens with it
    scripted = json.loads(run_coach("script", "--recording", "--json", "--flexion", *SHORT).stdout)
    assert [e["text"] for e in scripted["events"] if e["kind"] == "speech"][:2] == [avoid, w.barred_file]


@pytest.mark.timeout(780)  # a minute's rest after the session: 239 s on a loaded machine, 3x that
def test_a_session_rated_worse_after_stops_it_for_today(pulse):
    """Leg pain from 3 (thigh) to 7 (foot) after the session, and still after a minute's rest:
    said, printed, exit 4, recorded as ended worse, and the routine is barred. Six weeks with no
    improvement were said at its start."""
    with History.open() as h:
        for n in range(50, 43, -1):
            made_up(h, n, (3, "thigh"), (3, "thigh"))
        made_up(h, 3, (3, "thigh"), (3, "foot"), routine="my-morning")  # spreading, with no direction to bar
        made_up(h, 2, (3, "thigh"), (3, "foot"), routine="my-morning")
    screened_today()
    recorder = pulse.recorder().start()
    result = run_coach("start", "--flexion", "--settle", "1", *SHORT, env=pulse.env,
                       answers=BRIEF + ["3", "thigh", "7", "foot", "n"] + ["7", "foot", "n", "w"])
    recording = recorder.stop()
    assert result.returncode == 4, result.stderr
    w = words()
    why = "the pain spread farther down, from thigh to foot; leg pain went up 4 points, from 3 to 7"
    said = f"During this session, {why}."
    rest = "Lie in a position that is comfortable, and breathe slowly. I will ask again in one minute."
    for line in (said, rest, f"After the rest, {why}.", *w.after_worse):
        assert line in result.stdout and heard(recording, line, 3.0) > HEARD, line
    assert result.stderr.strip() == (
        f"The pain was worse after this session, and still after a rest: {why}. Stop this routine for today and "
        "re-test on another day; if it keeps happening, see a clinician.")
    assert "Session complete." not in result.stdout
    six_weeks = "In 7 weeks of sessions, neither your leg pain nor how far down it reaches has clearly improved"
    assert six_weeks in result.stdout and heard(recording, result.stdout[result.stdout.index(six_weeks):].split("\n")[0],
                                                 3.0) > HEARD
    with History.open() as h:
        s = h.table("sessions")[-1]
        assert (s["outcome"], s["response"], s["step"]) == ("worse", "worse", "rest after the session")
        assert json.loads(s["response_reasons"])["change"] == "worse"
        assert [b.direction for b in evidence.recommendation(h.record(), w).barred] == ["flexion"]
        assert [r["numbness"] for r in h.table("ratings") if r["session_id"] == s["id"]] == [None, "no", "no"]
    table = run_coach("history").stdout
    assert "ended worse" in table
    assert "When to get seen:" in table
    assert "Your pain spread farther down your leg on 3 of the last 7 days." in table  # today's made the third


def test_the_stop_key_stops_at_once_and_asks_the_after_rating(pulse):
    screened_today()
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, "start", "--flexion", "--only", "figure-four", "--hold", "30", "--reps", "2",
                    "--side", "left", *FAST, size=(80, 24))
    brief(term)
    for question, key in [("How much pain is in your leg", "4"), ("How far down", "t")]:
        term.wait_for(question)
        term.press(key)
    held = term.wait_shown("seconds left · hold 1 of 2")
    assert term.shows("w worse: stop")
    term.wait_until(lambda: recorder.reached(held + 2.0))  # two seconds into the hold, on the audio clock
    pressed = term.press("w")
    term.wait_for("Let's stop here, because your pain is worse.")
    for question, key in [("How much pain is in your leg", "6"), ("How far down", "c"), ("Any new numbness", "n")]:
        term.wait_for(question, count=2 if question.startswith("How") else 1)
        term.press(key)
    code = term.finish()
    recording = recorder.stop()
    text = term.out.decode(errors="replace")
    assert code == 4, text[-800:]
    # said at the start (the coach listens here: the test server has a microphone)
    assert "If the pain spreads down your leg at any time, say worse, or press w, and we stop." in text
    assert "Stopped at figure-four, left side: you said the pain was spreading." in text
    # stopped at once: after the key, the stop advice, and never the rest of the hold or its end tone
    at = recorder.index_at(pressed)
    [advice] = phrase_onsets(recording, clips().get(words().symptom_stop[0]), SAMPLE_RATE, 1)
    print(f"key to advice {(advice - at) / RATE:.3f} s")
    assert at < advice < at + 3 * RATE  # a generous bound: the advice follows the key, not the hold
    assert match_scores(recording[at:], cue.render("hold-end", RATE)).max() < 0.5
    assert heard(recording[at:], words().ten_left) < 0.5
    with History.open() as h:
        [s] = h.table("sessions")
        assert (s["outcome"], s["step"], s["response"]) == ("symptoms", "figure-four, left side", "worse")
        reasons = [r["key"] for r in json.loads(s["response_reasons"])["reasons"]]
        assert reasons == ["stopped", "spread", "leg_up"]
        assert [(r["moment"], r["leg"], r["reach"]) for r in h.table("ratings")] == [("before", 4, "thigh"),
                                                                                   ("after", 6, "calf")]
