"""A live session and a live test, wired from the layers below: the history, the audio output,
the speech clips, the answers, the guide and the view. The CLI calls `session` and `test`."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from coach.app import choice
from coach.app import progress as doses
from coach.app import session as sessions
from coach.app.records import opened, printer
from coach.audio.sink import Player
from coach.audio.speech import Clips, VoiceSettings
from coach.clinical import evidence, loading, screening
from coach.clinical.preference import Bar
from coach.core.cue import Tone
from coach.core.errors import CoachError, Declined, NoOutputDevice, NotPlayed
from coach.core.question import Question
from coach.core.script import SAMPLE_RATE
from coach.core.text import clock
from coach.core.words import Words
from coach.live import conversation, safety, view
from coach.live.answers import Answers, from_stdin
from coach.live.guide import Guide
from coach.live.listener import Listener, once_open, started
from coach.storage import paths
from coach.storage.history import History

if TYPE_CHECKING:
    from coach.app.export import Progress
    from coach.phone.server import Phone

Echo = Callable[..., None]


@dataclass(frozen=True)
class Live:
    """How a live session runs, beyond what it plays."""

    check_ins: bool = False
    ratings: bool = True
    plain: bool = False  # one line per phrase, not the full-terminal view
    chosen: bool = True  # the routine was chosen by a flag, not by the recorded tests
    listen: bool = True  # answers and commands by voice too, where there is a microphone and a model
    settle: int = 2  # minutes of rest after a session rated worse or mixed, before it is judged
    phone: bool = False  # the session's board and remote on the phone's browser (coach/phone/)
    phone_address: str | None = None  # where its page listens; None: this computer's local-network address


@contextlib.contextmanager
def _opened() -> Iterator[Player]:
    """The output stream, opening in the background while the rest starts up; closed after."""
    player = Player(SAMPLE_RATE)
    player.open_in_background()
    try:
        yield player
    finally:
        player.close()


@contextlib.contextmanager
def _listening(words: Words, player: Player, wanted: bool) -> Iterator[tuple[Listener | None, str | None]]:
    """Listening started, when asked for: its microphone opens in the background, beside the
    output. The listener (closed after), or None and why not (None when not asked for)."""
    listener, why = started(words, player) if wanted else (None, None)
    try:
        yield listener, why
    finally:
        if listener is not None:
            listener.close()


@contextlib.contextmanager
def _phone(live: Live, words: Words, title: str, echo: Echo) -> Iterator[Phone | None]:
    """The phone's page for the length of the session, when asked for: its address printed, with
    the code to scan; closed after (the page is told, and the port closes). None when not asked."""
    if not live.phone:
        yield None
        return
    from coach.core.exercise import catalog
    from coach.phone import address, mirror, server

    phone = server.Phone(live.phone_address or address.local_address(), words,
                         {k: v.name for k, v in catalog(words).items()})
    phone.start()
    try:
        phone.show(mirror.waiting(title))
        echo(words.phone["open"])
        echo(f"  {phone.url}")
        echo(address.qr(phone.url).rstrip("\n"))
        echo(words.phone["only_first"])
        yield phone
    finally:
        phone.close()


def _code(phone: Phone | None) -> Callable[[], tuple[str, ...]]:
    """The phone's QR code for the board, while no phone is connected (the printed one is gone
    under the full-screen board)."""
    if phone is None:
        return tuple
    from coach.phone.address import qr

    rows = tuple(qr(phone.url).rstrip("\n").split("\n"))
    return lambda: () if phone.connected else rows


def _greet(guide: Guide, listening: tuple[Listener | None, str | None]) -> None:
    """Once, at the start, when the microphone has opened or failed to: that the coach listens,
    or (asked to and cannot) one line saying answers are by key, and why."""
    w = guide.words
    guide.listener, why = once_open(*listening, w)
    if guide.listener is not None:
        guide.echo(w.printed.listening)
        guide.speak(w.listening)
    elif why is not None:
        guide.echo(w.printed.keys_only.format(why=why))
        guide.speak(w.keys_only)


def _hearing(guide: Guide) -> str:
    """What the screen shows of the listener: that it listens, and the last word it took."""
    listener = guide.listener
    if listener is None or listener.lost:
        return ""
    last = listener.last
    return guide.words.screen.heard.format(word=last.said) if last is not None else guide.words.screen.listening


def session(request: sessions.Request, live: Live, echo: Echo, output: Path | None = None,
            progress: Progress | None = None) -> None:
    """`coach start`: the safety questions, then the session with its ratings, recorded whatever
    ends it. With `output`, or with no audio device, the session is written to a file instead."""
    w = request.words
    checked = sessions.check(request)  # bad options fail before anything is opened or asked
    routine = checked[0]
    with contextlib.ExitStack() as stack:
        player = stack.enter_context(_opened()) if output is None else None
        listening = stack.enter_context(_listening(w, player, live.listen)) if player is not None else (None, None)
        history = stack.enter_context(opened(echo))
        record = history.record()  # read once: the recommendation and when to get seen
        rec = evidence.recommendation(record, w)  # the bars below, and what to avoid
        request = doses.today(history, request, rec)  # each dose as the response has moved it
        checked = sessions.check(request)
        screening.refuse_if_stopped(history.safety(), printer(echo), w)
        bar = choice.bar(rec, routine.direction)
        if player is None:
            from coach.app import export as exports  # a file, not a live session: its own imports

            exports.write(request, output, echo=echo, progress=progress, checked=checked, bar=bar)
            return
        try:
            player.ready()
        except NoOutputDevice:
            from coach.app import export as exports

            output = sessions.fallback_path(routine.id)  # the fresh machine's path: a WAV here, then exit 1
            exports.write(request, output, echo=echo, progress=progress, checked=checked, bar=bar)
            raise NotPlayed(w.printed.no_device.format(path=output)) from None
        phone = stack.enter_context(_phone(live, w, f"coach · {routine.name}", echo))
        answers = from_stdin()
        clips = Clips(request.voice, paths.cache_dir(), SAMPLE_RATE, lambda line: echo(line, err=True),
                      made=paths.made_at_setup())
        if clips.voice.slow:  # the questions, then the session's phrases (about 20 s cold), made ahead
            stack.callback(clips.close)
            clips.ahead([*safety.said(w), *conversation.said_first(w), *sessions.phrases(*checked, w)],
                        after=player.sounded)
        guide = Guide(player, clips, answers, echo, w, request.volume, request.tone, remote=phone)

        def prepare() -> sessions.Session:
            """The session, built after the first questions (and a dose's step up or back, which
            rebinds `request` and `checked`): they need none of it."""
            built = sessions.compose(request, clips=clips, checked=checked, drafted=True)
            assert built.drafts is not None  # drafted: always
            stack.callback(built.drafts.close)
            length = clock(built.script.seconds)  # a draft's: its phrases still being made, a guess
            echo(w.printed.start.format(routine=routine.name,
                                        length=length if built.script.final else w.printed.about.format(length=length)))
            echo(w.printed.disclaimer)
            left = sessions.left_out(request)  # said once: what a bar leaves out, and why
            if not live.chosen:
                guide.speak(w.preferred.format(direction=w.directions[routine.direction or request.routine]))
                for other in rec.barred:
                    if other not in left:
                        guide.say(other.text(w))
            for other in left:
                guide.say(loading.sentence(other, w))
            return built

        def show(built: sessions.Session, keys: bool):
            title = f"coach · {routine.name}"
            code = _code(phone)
            shown = view.choose(built.script, echo, w, plain=live.plain, keys=keys, volume=lambda: player.gain,
                                title=title, names=built.routine.names, hearing=lambda: _hearing(guide), code=code)
            if phone is None:
                return shown
            from coach.phone.mirror import Mirror

            return Mirror(shown, phone, built.script, built.routine.names, title, w, lambda: player.gain)

        with answers.session():
            _greet(guide, listening)
            safety.daily(guide, history)
            for notice in evidence.notices(record):  # when to get seen, before anything else
                guide.say(notice.text(w))
            confirmation = _confirm(guide, history, bar) if bar is not None else None
            for name, other in sessions.asked_barred(request):  # named with --only: confirmed the same way
                _confirm(guide, history, other, name)
            moved = doses.start(guide, history, routine, request)
            if moved != request:
                request, checked = moved, sessions.check(moved)
            conversation.run(guide, history, routine.id, prepare, _options(request, live),
                             live.check_ins, live.ratings, show,
                             direction=routine.direction,
                             confirmation=confirmation, settle=live.settle)
        echo(w.printed.complete)
        if player.underflows:
            echo(w.printed.underflows.format(n=player.underflows), err=True)


def test(voice: VoiceSettings, words: Words, hold: int, settle: int, volume: float, tone: Tone,
         echo: Echo, listen: bool = True, live: Live = Live()) -> None:
    """`coach test`: the safety questions, then the article's test, guided by voice (`live`:
    only its phone settings count here)."""
    from coach.live import trial

    trial.check_hold(hold)
    with opened(echo) as history, _opened() as player, _listening(words, player, listen) as listening, \
            _phone(live, words, "coach · test", echo) as phone:
        clips = Clips(voice, paths.cache_dir(), SAMPLE_RATE, made=paths.made_at_setup())
        try:
            player.ready()
        except NoOutputDevice as e:
            raise CoachError(f"{e} The test is guided by voice and needs one.", ways=("doctor",)) from None
        answers: Answers = from_stdin()
        guide = Guide(player, clips, answers, echo, words, volume, tone, remote=phone)
        with answers.session():
            echo(words.printed.disclaimer)
            _greet(guide, listening)
            screening.refuse_if_stopped(history.safety(), guide.say, words)
            safety.screen(guide, history, "test")
            trial.run(guide, history, hold, settle)


@contextlib.contextmanager
def speaker(voice: VoiceSettings, words: Words, volume: float, echo: Echo) -> Iterator[Guide | None]:
    """A guide that prints and speaks, for a command that asks nothing; None with no audio output."""
    with _opened() as player:
        try:
            player.ready()
        except NoOutputDevice:
            yield None
            return
        yield Guide(player, Clips(voice, paths.cache_dir(), SAMPLE_RATE), from_stdin(), echo, words, volume)


def tell(voice: VoiceSettings, words: Words, volume: float, lines: tuple[str, ...], echo: Echo) -> None:
    """Say `lines` aloud, for someone already lying down (printed apart, by the caller); nothing
    without an audio output."""
    with speaker(voice, words, volume, echo) as guide:
        if guide is not None:
            guide.speak(*lines)


def _confirm(guide: Guide, history: History, bar: Bar, exercise: str | None = None) -> int:
    """A barred direction chosen by its flag (or one of its exercises named with --only): say
    why, ask to confirm, record the answer; a no ends the command here (exit 0: the person's
    choice)."""
    w = guide.words
    direction = w.directions[bar.direction]
    why = bar.text(w)
    guide.say(why)
    asked = (w.reasons[f"asked_barred_{bar.direction}"].format(exercise=exercise) if exercise
             else w.barred_confirm.format(direction=direction))
    answer = guide.ask(Question("barred", asked, "yes-no", w))
    cid = history.record_confirmation(bar.direction, why, answer)
    if answer != "yes":
        guide.say(w.barred_declined)
        raise Declined(w.printed.declined_exercise.format(exercise=exercise) if exercise
                       else w.printed.declined.format(direction=direction))
    return cid


def _options(request: sessions.Request, live: Live) -> dict:
    """The session's options, as its history row keeps them."""
    return {
        "only": list(request.only), "hold": request.hold, "reps": request.reps, "side": request.side,
        "voice": request.voice.voice, "rate": request.voice.rate, "volume": request.volume,
        "check_in": live.check_ins, "ratings": live.ratings, "leg": request.first, "lang": request.words.lang,
        "cue_volume": request.tone.volume, "cue_pitch": request.tone.pitch,
        "levels": {ex: [lv.hold, lv.count] for ex, lv in request.levels.items()},  # doses the response moved
    }
