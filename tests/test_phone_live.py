"""A session and a test driven from the phone's page alone: a real browser at a phone's size taps
every answer and the pause, while the coach plays into the test audio server, recorded."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

import pytest

from coach.storage.history import History
from tests.audio_server import LIVE_TOLERANCE, RATE
from tests.browser import session_page, shot
from tests.conftest import ONE_SIDE
from tests.terminal import Terminal
from tests.test_keys import HOLD, WINDOW

PHONE = ("--phone", "--phone-address", "127.0.0.1", "--no-listen")
ANSWER = {"pain": "3", "reach": "t", "wide": None}  # the yes/no and better/same/worse questions: below
SHOWN = "() => !document.getElementById('question').hidden || !document.getElementById('notice').hidden"


WATCH = """() => { window.digits = []; window.names = [];
    new MutationObserver(() => window.digits.push(document.getElementById('big').textContent))
        .observe(document.getElementById('big'), {childList: true, characterData: true, subtree: true});
    new MutationObserver(() => window.names.push(document.getElementById('name').textContent))
        .observe(document.getElementById('name'), {childList: true, characterData: true, subtree: true}); }"""


def answer_until(page, done: str, compared: str = "s", timeout: float = 150,
                 pain: tuple[str, ...] = (), reach: tuple[str, ...] = ()) -> int:
    """Tap an answer to every question the page shows until `done` (a JavaScript condition) holds:
    the numbers in `pain` in turn (then 3), the places on the leg in `reach` in turn (then the
    thigh), `compared` to better/same/worse, no to yes-or-no. The number of answers tapped."""
    given = {"pain": list(pain), "reach": list(reach)}
    taps = 0
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => {done}"):
        assert time.monotonic() < deadline, page.text_content("body")
        page.wait_for_function(f"() => ({done}) || !document.getElementById('question').hidden",
                               timeout=timeout * 1000)
        if page.evaluate(f"() => {done}"):
            break
        asked = page.text_content("#asked")
        keys = page.eval_on_selector_all("#answers button", "bs => bs.map(b => b.dataset.key)")
        kind = page.get_attribute("#answers", "class")
        key = (given[kind].pop(0) if given.get(kind) else ANSWER.get(kind)) or \
            (compared if compared in keys and "w" in keys else "n")
        if kind == "reach":
            page.click(f"#leg path[data-key='{key}']")
        else:
            page.click(f"#answers button[data-key='{key}']")
        taps += 1
        page.wait_for_function("(q) => document.getElementById('question').hidden"
                               " || document.getElementById('asked').textContent !== q"
                               " || !document.querySelector('#answers button:not([disabled])')", arg=asked)
        page.wait_for_function("(q) => document.getElementById('question').hidden"
                               " || document.getElementById('asked').textContent !== q", arg=asked,
                               timeout=timeout * 1000)
    return taps


def first_hold(recording) -> tuple[int, float]:
    """As tests/test_keys.py's resumed_hold, for a session that plays on to its end: its first
    hold's start cue, and the seconds heard of it from the end of the spoken count-in that resumed
    it to its end cue (the first of the two holds' end cues, in time)."""
    from coach.audio import cue
    from coach.audio.speech import Clips
    from coach.core.control import count_in
    from coach.core.script import SAMPLE_RATE
    from coach.core.words import catalog
    from coach.storage import paths
    from tests.audio_server import cue_onsets, phrase_onsets
    from tests.conftest import coach_voice

    start = min(cue_onsets(recording, cue.render("hold-start", RATE), 2, RATE))
    end = min(cue_onsets(recording, cue.render("hold-end", RATE), 2, RATE))
    clips = Clips(coach_voice(400), paths.cache_dir(), SAMPLE_RATE)
    [said] = phrase_onsets(recording, clips.get(catalog("en").resuming), SAMPLE_RATE, 1)
    return start, (end - said) / RATE - count_in(catalog("en"), clips.length, SAMPLE_RATE).seconds


def gone(url: str) -> bool:
    """Nothing listens at the page's address any more."""
    where = urlsplit(url)
    try:
        http.client.HTTPConnection(where.hostname, where.port, timeout=5).request("GET", where.path)
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.timeout(360)
def test_a_session_answered_and_paused_from_the_phone_alone(pulse):
    recorder = pulse.recorder().start()
    term = Terminal(pulse.env, "start", *ONE_SIDE, "--hold", str(HOLD), *PHONE, size=WINDOW)
    with session_page(term) as (reading, page, url):
        page.evaluate(WATCH)
        first = answer_until(page, "document.getElementById('label').textContent.includes('hold 1 of 2')")
        held = time.monotonic()
        assert first == 11 + 2  # every safety question of a first screening, then leg pain and reach
        shot(page, "session-hold")
        recorder.wait_until(held + 4.0)  # four seconds into the hold, on the audio clock
        # the tap as the page's own click: Playwright's click first waits for the button to be
        # still and ready, which on a loaded machine took 200 ms, and the pause is timed from here
        paused = time.monotonic()
        page.evaluate("document.getElementById('pause').click()")
        assert recorder.wait_for_quiet(0.6, timeout=10), "the sink did not go silent"
        page.wait_for_function("document.getElementById('pause').textContent === 'Go on'")
        shot(page, "session-paused")
        recorder.wait_until(paused + 2.5)
        page.click("#pause")
        answer_until(page, "!document.getElementById('notice').hidden")
        assert "ended" in page.text_content("#notice")
        shot(page, "session-ended")
        digits = page.evaluate("window.digits")
        reading.ended.wait(60)
    code = term.finish()
    recording = recorder.stop()
    assert code == 0, term.out.decode(errors="replace")[-1500:]
    assert gone(url)

    counted = [int(d) for d in digits if d.isdigit()]
    first_hold_digits = counted[counted.index(HOLD):][:HOLD]
    assert first_hold_digits == list(range(HOLD, 0, -1)), counted  # every second of the hold, in turn, paused or not
    start, after = first_hold(recording)  # the hold heard: up to the tap on pause, then after the count-in
    before = (recorder.index_at(paused) - start) / RATE
    print(f"held {before:.3f} + {after:.3f} = {before + after:.3f} s")
    assert abs(before + after - HOLD) < LIVE_TOLERANCE, (before, after)
    with History.open() as h:
        ratings = h.table("ratings")
        screening = h.table("screening_answers")
        [session] = h.table("sessions")
    assert session["outcome"] == "completed"
    assert {r["given"] for r in ratings} == {"phone"} and [r["moment"] for r in ratings] == ["before", "after"]
    assert len(screening) == 11 and {a["given"] for a in screening} == {"phone"}


@pytest.mark.timeout(360)
def test_coach_test_answered_from_the_phone_alone(pulse):
    term = Terminal(pulse.env, "test", "--hold", "30", "--rate", "400", *PHONE, size=WINDOW)
    with session_page(term) as (reading, page, url):
        page.evaluate(WATCH)
        # before knees to chest: 5, to the calf; after: 3, to the buttock (less far down: better)
        answer_until(page, "!document.getElementById('notice').hidden", compared="b", timeout=240,
                     pain=("5", "3"), reach=("c", "b"))
        digits = page.evaluate("window.digits")
        names = page.evaluate("window.names")
        reading.ended.wait(60)
    code = term.finish()
    assert code == 0, term.out.decode(errors="replace")[-1500:]
    assert gone(url)
    with History.open() as h:
        ratings = h.table("ratings")
        [trial] = h.table("trials")
    assert ratings and {r["given"] for r in ratings} == {"phone"}
    assert trial["outcome"] == "completed" and trial["result"] == "flexion", trial
    counted = [int(d) for d in digits if d.isdigit()]
    assert counted[counted.index(30):][:30] == list(range(30, 0, -1)), counted  # the page counts the test's hold
    assert "Knees to chest" in names, names
