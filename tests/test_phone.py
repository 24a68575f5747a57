"""The phone's page server (coach/phone/server.py) on loopback: who gets in, and what a tap does.
Real sockets, a real HTTP client and a real WebSocket client; the browser tests are in
tests/test_phone_page.py."""

from __future__ import annotations

import http.client
import json
import os
import select
import threading

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from coach.core.question import questions
from coach.core.words import catalog
from coach.phone.server import Phone

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def phone():
    words = catalog("en")
    p = Phone("127.0.0.1", words, {"knees-to-chest": "Knees to chest", "press-up": "Press-ups"})
    p.start()
    yield p
    p.close()


def get(phone: Phone, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    c = http.client.HTTPConnection("127.0.0.1", phone.port, timeout=10)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    r.body = r.read()  # type: ignore[attr-defined]
    c.close()
    return r


def paired(phone: Phone) -> str:
    r = get(phone, f"/{phone.secret}/")
    assert r.status == 200
    return r.getheader("Set-Cookie").split(";")[0]


def ws(phone: Phone, cookie: str | None, origin: str | None = "same"):
    headers = {"Cookie": cookie} if cookie else {}
    here = f"http://127.0.0.1:{phone.port}"
    return connect(f"ws://127.0.0.1:{phone.port}/{phone.secret}/ws", additional_headers=headers,
                   origin=here if origin == "same" else origin, open_timeout=10)


def test_the_address_carries_a_secret_of_at_least_128_bits(phone):
    assert phone.url == f"http://127.0.0.1:{phone.port}/{phone.secret}/"
    assert len(phone.secret) * 6 >= 128


def test_without_the_secret_nothing_is_served(phone):
    for path in ("/", "/ws", f"/{phone.secret[:-1]}/", f"/{phone.secret}x/", "/favicon.ico"):
        assert get(phone, path).status == 403, path


def test_the_first_browser_pairs_and_a_second_is_refused(phone):
    cookie = paired(phone)
    assert "HttpOnly" in get(phone, f"/{phone.secret}/", {"Cookie": cookie}).getheader("Set-Cookie", "HttpOnly")
    assert get(phone, f"/{phone.secret}/page.js", {"Cookie": cookie}).status == 200
    second = get(phone, f"/{phone.secret}/")
    assert second.status == 403 and b"Another phone" in second.body
    assert get(phone, f"/{phone.secret}/page.js").status == 403
    with pytest.raises(InvalidStatus):
        ws(phone, None)


def test_another_host_or_origin_is_refused(phone):
    cookie = paired(phone)
    assert get(phone, f"/{phone.secret}/", {"Cookie": cookie, "Host": "evil.example:80"}).status == 403
    assert get(phone, f"/{phone.secret}/", {"Cookie": cookie, "Origin": "http://evil.example"}).status == 403
    with pytest.raises(InvalidStatus):
        ws(phone, cookie, origin="http://evil.example")
    with pytest.raises(InvalidStatus):
        ws(phone, cookie, origin=None)


def test_the_page_says_what_it_is_and_locks_itself_down(phone):
    r = get(phone, f"/{phone.secret}/")
    assert r.getheader("Content-Type").startswith("text/html")
    assert "frame-ancestors 'none'" in r.getheader("Content-Security-Policy")
    assert r.getheader("Referrer-Policy") == "no-referrer" and r.getheader("Cache-Control") == "no-store"
    cookie = r.getheader("Set-Cookie").split(";")[0]
    svg = get(phone, f"/{phone.secret}/figure/knees-to-chest-hold.svg", {"Cookie": cookie})
    assert svg.status == 200 and svg.body.startswith(b"<svg") and svg.getheader("Content-Type") == "image/svg+xml"
    assert get(phone, f"/{phone.secret}/figure/../server.py", {"Cookie": cookie}).status == 404


def tapped(phone: Phone, timeout: float = 5) -> bytes:
    assert select.select([phone.fd], [], [], timeout)[0], "no tap reached the session"
    return os.read(phone.fd, 1)


def test_a_tap_is_the_key_and_only_keys_that_mean_something_pass(phone):
    cookie = paired(phone)
    with ws(phone, cookie) as c:
        first = json.loads(c.recv(timeout=5))
        assert first == {"type": "state", "state": {}, "question": None}
        c.send(json.dumps({"key": " "}))
        assert tapped(phone) == b" "
        for junk in ({"key": "7"}, {"key": "zz"}, {"key": 3}, {"nokey": 1}, "not json"):
            c.send(json.dumps(junk) if not isinstance(junk, str) else junk)
        c.send(json.dumps({"key": "w"}))
        assert tapped(phone) == b"w"  # the junk before it was dropped: 7 answers no question now
        phone.asking(questions(catalog("en"))["leg"])
        shown = json.loads(c.recv(timeout=5))
        assert shown["question"]["kind"] == "pain" and [a[0] for a in shown["question"]["answers"]][:11] == \
            [str(n) for n in range(10)] + ["t"]
        c.send(json.dumps({"key": "7"}))
        assert tapped(phone) == b"7"


def test_the_state_is_sent_as_it_changes_and_the_end_is_said(phone):
    cookie = paired(phone)
    with ws(phone, cookie) as c:
        c.recv(timeout=5)
        phone.show({"name": "Knees to chest", "big": "30"})
        assert json.loads(c.recv(timeout=5))["state"]["big"] == "30"
        phone.show({"name": "Knees to chest", "big": "30"})  # the same: nothing sent
        phone.show({"name": "Knees to chest", "big": "29"})
        assert json.loads(c.recv(timeout=5))["state"]["big"] == "29"
        phone.close()
        assert json.loads(c.recv(timeout=5)) == {"type": "ended"}
    with pytest.raises(ConnectionRefusedError):
        get(phone, f"/{phone.secret}/")


def test_an_address_that_is_not_this_computers_is_one_clear_error():
    from coach.core.errors import CoachError

    p = Phone("192.0.2.77", catalog("en"), {})
    with pytest.raises(CoachError, match="cannot listen at 192.0.2.77"):
        p.start()
    p.close()


# --- in a real browser, at a phone's size ----------------------------------------------------

@pytest.fixture(scope="module")
def chromium():
    """One browser for these tests; each test opens its own contexts (their own cookies)."""
    from tests.browser import browser

    with browser() as b:
        yield b


def test_in_a_browser_the_page_opens_with_its_secret_and_a_second_browser_is_refused(phone, chromium):
    from tests.browser import phone_page, shot

    b = chromium
    page = phone_page(b)
    assert page.goto(f"http://127.0.0.1:{phone.port}/").status == 403
    assert page.goto(phone.url).status == 200
    page.wait_for_function("document.getElementById('pause').textContent === 'Pause'")
    phone.show({"name": "Knees to chest", "step": "exercise 1 of 4", "side": "", "big": "27",
                "label": "seconds left · hold 1 of 3", "now": "Hold one of three.", "next": "Next: Figure four",
                "elapsed": 62, "left": 700, "paused": False, "volume": 100, "exercise": "knees-to-chest"})
    page.wait_for_function("document.getElementById('big').textContent === '27'")
    assert page.locator("#figures img").count() == 1
    assert page.evaluate("document.querySelector('#figures img').naturalWidth") > 0  # the SVG loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(page, "board")
    page.click("#pause")
    assert tapped(phone) == b" "
    second = phone_page(b)
    refused = second.goto(phone.url)
    assert refused.status == 403 and "Another phone" in second.content()


def test_in_a_browser_another_sites_page_cannot_drive_the_session(phone, chromium, tmp_path):
    """A page from another origin (another port on the same machine) opens a WebSocket to the
    phone's address: refused, and no key reaches the session."""
    import http.server

    from tests.browser import phone_page

    (tmp_path / "evil.html").write_text(
        f"<script>const s = new WebSocket('ws://127.0.0.1:{phone.port}/{phone.secret}/ws');"
        "s.onopen = () => { s.send(JSON.stringify({key: 'q'})); document.title = 'open'; };"
        "s.onerror = () => { document.title = 'refused'; };</script>")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as other:
        threading.Thread(target=other.serve_forever, daemon=True).start()
        b = chromium
        page = phone_page(b)
        page.goto(phone.url)  # the person's phone is paired: its cookie is in this browser
        evil = page.context.new_page()
        evil.goto(f"http://127.0.0.1:{other.server_address[1]}/evil.html")
        evil.wait_for_function("document.title !== ''")
        assert evil.title() == "refused"
        other.shutdown()
    assert not select.select([phone.fd], [], [], 0.5)[0]


def test_in_a_browser_a_question_is_answered_by_its_buttons_and_the_leg(phone, chromium):
    from tests.browser import phone_page, shot

    w = catalog("en")
    b = chromium
    page = phone_page(b)
    page.goto(phone.url)
    phone.asking(questions(w)["reach"])
    page.wait_for_selector("#leg path[data-key='c']")
    shot(page, "reach")
    page.click("#leg path[data-key='c']")  # the calf, on the drawing
    assert tapped(phone) == b"c"
    page.click("#answers button[data-key='n']")  # "none", as a button
    assert tapped(phone) == b"n"
    phone.asking(None)
    page.wait_for_selector("#question", state="hidden")
    phone.close()
    page.wait_for_function("document.getElementById('notice').textContent.includes('ended')")
    shot(page, "ended")


def test_in_a_browser_a_lost_connection_is_said_and_made_again_by_itself(phone, chromium):
    import asyncio

    from tests.browser import phone_page

    b = chromium
    page = phone_page(b)
    page.goto(phone.url)
    page.wait_for_function("document.getElementById('pause').textContent === 'Pause'")
    phone.show({"name": "Knees to chest", "big": "30", "exercise": None})
    page.wait_for_function("document.getElementById('big').textContent === '30'")
    for peer in list(phone._peers):  # the connection breaks; the session goes on
        asyncio.run_coroutine_threadsafe(peer.close(1011, "gone"), phone._loop).result(5)
    page.wait_for_function("document.getElementById('notice').textContent.includes('connection is lost')")
    phone.show({"name": "Knees to chest", "big": "29", "exercise": None})
    page.wait_for_function("document.getElementById('notice').hidden"
                           " && document.getElementById('big').textContent === '29'", timeout=10000)
    page.click("#pause")
    assert tapped(phone) == b" "  # the same browser, paired by its cookie, taps again


def test_in_a_browser_without_a_wake_lock_a_silent_video_keeps_the_screen_on(phone, chromium):
    """Over plain http on the local network a phone's browser gives no Wake Lock: a tiny muted
    video plays in a loop (at once where muted video may play by itself, else from the first
    tap), which keeps a phone's screen on while it plays."""
    from tests.browser import phone_page

    page = phone_page(chromium)
    page.add_init_script("delete Navigator.prototype.wakeLock")
    page.goto(phone.url)
    page.wait_for_function("document.getElementById('pause').textContent === 'Pause'")
    page.click("#repeat")
    assert tapped(phone) == b"r"
    page.wait_for_function("!window.awake.paused && window.awake.muted && window.awake.loop")
    assert page.evaluate("window.awake.currentSrc").endswith(("awake.webm", "awake.mp4"))


def test_the_board_gives_the_address_while_no_phone_is_connected(phone):
    """The printed code scrolls away under the full-screen board: the board's message row says
    the address once, unless a phone is already connected."""
    from coach.core.script import spoken
    from coach.live.view import Lines
    from coach.phone.mirror import Mirror

    said: list[str] = []
    w = catalog("en")
    script = spoken(["Lie on your back."], lambda text: 100, 1000)
    with Mirror(Lines(script, said.append, w), phone, script, {}, "coach", w, lambda: 1.0) as view:
        view.show(50)
    assert said[0] == f"On the phone: {phone.url}"
    assert phone.state["name"] == "Introduction" and phone.state["exercise"] is None
    cookie = paired(phone)
    with ws(phone, cookie) as c:
        c.recv(timeout=5)
        said.clear()
        with Mirror(Lines(script, said.append, w), phone, script, {}, "coach", w, lambda: 1.0):
            pass
        assert not any("On the phone" in line for line in said)


def test_the_board_shows_the_code_where_no_digits_are_until_a_phone_connects():
    """The full-screen board: the phone's QR code in place of the digits (the introduction), whole
    or not at all; the digits of a hold come first."""
    from coach.core.script import spoken
    from coach.live.board import Board
    from coach.phone.address import qr

    w = catalog("en")
    rows = tuple(qr("http://192.168.1.20:41234/AiPR58B8j2OLMlNClsQjetun/").rstrip("\n").split("\n"))
    board = Board(spoken(["Lie on your back."], lambda text: 100, 1000), {}, "coach", w)
    shown = board.frame(board.state(50, code=rows), 80, 30)
    assert rows[3].strip() in "\n".join(shown) and sum("▀" in r or "▄" in r for r in shown) >= len(rows) - 2
    assert board.frame(board.state(50), 80, 30) != shown
    assert not any("▄" in r for r in board.frame(board.state(50, code=rows), 80, 16))  # too small: none
    held = board.state(50, code=rows)
    from dataclasses import replace

    assert not any("▄▀" in r for r in board.frame(replace(held, big="27"), 80, 30))  # digits first


def test_a_page_that_does_not_answer_the_close_does_not_hold_the_coach(phone):
    """At the session's end each page is told and closed. Chromium, about one time in three, did
    not answer the closing handshake, and the coach waited websockets' default 10 s before it
    exited; it waits at most a second."""
    with ws(phone, paired(phone)) as c:
        c.recv(timeout=5)
        [peer] = list(phone._peers)
        assert peer.close_timeout <= 1
