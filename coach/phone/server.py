"""The phone's page, served for the length of one session on the local network: the board to
read and the remote to tap (coach/phone/page/). Only the person's phone gets in:

- the address carries a secret of 144 bits; a request without it is refused (403);
- the first browser to open the page is paired by a cookie; any other is refused (403);
- the Host of every request must be the address served (no DNS rebinding), and the Origin of
  any request that has one, and of every WebSocket, this page's own (no other site's page
  driving the session);
- the page gets the live session's board and the question being asked, nothing from the
  history; a tap is a key the session would take from the terminal, and only such keys pass.

The server runs on an event loop in a thread of its own (websockets, asyncio); the session
reads the taps from a pipe (`fd`), one byte per key, as it reads the terminal's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import http
import json
import os
import secrets
import socket
import threading
from html import escape
from http.cookies import SimpleCookie
from importlib import resources
from typing import Any

from coach.core.errors import CoachError
from coach.core.figure import drawings
from coach.core.question import SKIP, Question, keys_of
from coach.core.words import Words
from coach.live.keys import COMMANDS

COMMAND_KEYS = frozenset(COMMANDS)  # the keys a session takes while it plays: the page's buttons send them
COOKIE = "coach-phone"
SECRET_BYTES = 18  # 144 bits
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".webm": "video/webm", ".mp4": "video/mp4"}
# awake.webm and awake.mp4: four seconds of a black 16 × 16 picture and no sound (under 2 kB,
# made with ffmpeg's color source, VP9 and H.264), played muted in a loop to keep the phone's
# screen on where the browser gives no Wake Lock: over plain http on the local network
STATIC = ("page.js", "page.css", "awake.webm", "awake.mp4")
HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; "
                                "script-src 'self'; media-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                "form-action 'none'"),
]


def authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Phone:
    """One session's page at `host`: start() binds a free port, `url` is the address to open
    (the secret in it), close() ends it (the page is told the session has ended)."""

    # seconds a page has to answer the closing handshake at the session's end: Chromium now and
    # then did not, and websockets' default (10 s) held the coach's exit that long
    CLOSE_TIMEOUT = 1.0

    def __init__(self, host: str, words: Words, names: dict[str, str]):
        self.host, self.words = host, words
        self.secret = secrets.token_urlsafe(SECRET_BYTES)
        self.port = 0
        self._pair: str | None = None  # the paired browser's cookie
        self._r, self._w = os.pipe()
        self.fd = self._r
        self.state: dict[str, Any] = {}
        self.question: dict[str, Any] | None = None
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._peers: set[Any] = set()
        self._figures: dict[str, str] = {}  # "figure/ID-END.svg" → the picture
        self._listed: dict[str, list[str]] = {}  # an exercise → its pictures' addresses, for the page
        for exercise, name in names.items():
            for step, svg in drawings(exercise, name):
                self._figures[f"figure/{exercise}-{step}.svg"] = svg
                self._listed.setdefault(exercise, []).append(f"figure/{exercise}-{step}.svg")

    @property
    def connected(self) -> bool:
        """A page is open and connected now."""
        return bool(self._peers)

    @property
    def url(self) -> str:
        return f"http://{authority(self.host, self.port)}/{self.secret}/"

    # --- the session's side (any thread) ---------------------------------------------------

    def start(self) -> None:
        """Listen at the host on a free port; CoachError (exit 1) when the address is not this
        computer's."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((self.host, 0))
        except OSError as e:
            sock.close()
            raise CoachError(f"the phone's page cannot listen at {self.host} ({e.strerror or e}).",
                             ways=("phone_address",)) from None
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(target=self._loop.run_forever, name="coach-phone", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(sock), self._loop).result(timeout=30)

    def show(self, state: dict[str, Any]) -> None:
        """The board as it is now: sent to the page when it changed."""
        if state != self.state:
            self.state = state
            self._send()

    def asking(self, question: Question | None) -> None:
        """A question's answers as buttons, or none."""
        self.question = None if question is None else _question(question)
        self._send()

    def close(self) -> None:
        """Tell the page the session has ended, and stop listening: the port is closed after."""
        if self._thread is None:
            self._close_pipe()
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._end(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._loop.close()
        self._close_pipe()

    def _close_pipe(self) -> None:
        for fd in (self._w, self._r):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _send(self) -> None:
        if self._thread is not None:
            message = self._message()
            self._loop.call_soon_threadsafe(self._broadcast, message)

    def _message(self) -> str:
        return json.dumps({"type": "state", "state": self.state, "question": self.question})

    # --- the event loop's side ------------------------------------------------------------

    async def _serve(self, sock: socket.socket) -> None:
        from websockets.asyncio.server import serve

        self._server = await serve(self._peer, sock=sock, process_request=self._request,
                                   server_header=None, max_size=4096, ping_interval=5, ping_timeout=10,
                                   close_timeout=self.CLOSE_TIMEOUT)

    async def _end(self) -> None:
        ended = json.dumps({"type": "ended"})
        for peer in list(self._peers):
            with contextlib.suppress(Exception):
                await peer.send(ended)
                await peer.close(1001, "the session has ended")
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _broadcast(self, message: str) -> None:
        for peer in list(self._peers):
            asyncio.ensure_future(_quietly(peer.send(message)))

    async def _peer(self, connection) -> None:
        self._peers.add(connection)
        try:
            await connection.send(self._message())
            async for raw in connection:
                self._tapped(raw)
        except Exception:  # noqa: BLE001 - a connection that breaks is the page's to retry
            pass
        finally:
            self._peers.discard(connection)

    def _tapped(self, raw: str | bytes) -> None:
        """A tap: its key passes to the session when it is a command's or the question's."""
        with contextlib.suppress(ValueError, TypeError, AttributeError, KeyError):
            key = json.loads(raw)["key"]
            allowed = COMMAND_KEYS | set(self.question["keys"] if self.question else ())
            if isinstance(key, str) and len(key) == 1 and key in allowed:
                os.write(self._w, key.encode("ascii"))

    def _request(self, connection, request):
        """Every request, before anything else: the Host, the Origin, the secret and the pairing
        checked; the page's files answered here; None lets a WebSocket through."""
        headers = request.headers
        here = authority(self.host, self.port)
        if headers.get("Host") != here:
            return _refused("wrong host")
        origin = headers.get("Origin")
        if origin is not None and origin != f"http://{here}":
            return _refused("wrong origin")
        path = request.path.split("?", 1)[0]
        prefix = f"/{self.secret}/"
        if not hmac.compare_digest(path[: len(prefix)].encode(), prefix.encode()):
            return _refused("no secret")
        name = path[len(prefix):]
        cookie = SimpleCookie(headers.get("Cookie", "")).get(COOKIE)
        paired = cookie is not None and self._pair is not None and hmac.compare_digest(cookie.value, self._pair)
        also: tuple[tuple[str, str], ...] = ()
        if not paired:
            if self._pair is not None or name != "":
                return _refused(self.words.phone["refused"])
            self._pair = secrets.token_urlsafe(SECRET_BYTES)
            also = (("Set-Cookie", f"{COOKIE}={self._pair}; Path={prefix}; HttpOnly; SameSite=Strict"),)
        if name == "ws":
            return None if origin is not None else _refused("no origin")
        body = self._file(name)
        if body is None:
            return _refused("not found", http.HTTPStatus.NOT_FOUND)
        return _response(http.HTTPStatus.OK, body, TYPES[os.path.splitext(name or "index.html")[1]], also)

    def _file(self, name: str) -> bytes | None:
        if name in self._figures:
            return self._figures[name].encode()
        if name == "":
            page = resources.files("coach.phone").joinpath("page", "index.html").read_text(encoding="utf-8")
            words = json.dumps(dict(self.words.phone), ensure_ascii=False)
            return (page.replace("{{lang}}", self.words.lang).replace("{{words}}", escape(words))
                    .replace("{{figures}}", escape(json.dumps(self._listed)))).encode()
        if name in STATIC:
            return resources.files("coach.phone").joinpath("page", name).read_bytes()
        return None


def _question(question: Question) -> dict[str, Any]:
    answers = [[key, answer if question.kind == "pain" else word]  # a pain number as digits: 10, not "ten"
               for key, (answer, word) in keys_of(question.kind, question.words).items()]
    if question.kind == "pain":
        answers = sorted(answers, key=lambda a: int(a[1]))
    skip = [SKIP, question.words.answers["skip"]] if question.skippable else None
    return {"text": question.text, "kind": question.kind, "answers": answers, "keys": list(question.keys), "skip": skip}


def _response(status: http.HTTPStatus, body: bytes, kind: str, also: tuple[tuple[str, str], ...] = ()):
    from websockets.datastructures import Headers
    from websockets.http11 import Response

    headers = Headers([("Content-Type", kind), ("Content-Length", str(len(body))), *HEADERS, *also])
    return Response(status.value, status.phrase, headers, body)


def _refused(why: str, status: http.HTTPStatus = http.HTTPStatus.FORBIDDEN):
    return _response(status, (why + "\n").encode(), "text/plain; charset=utf-8")


async def _quietly(awaitable) -> None:
    with contextlib.suppress(Exception):
        await awaitable
