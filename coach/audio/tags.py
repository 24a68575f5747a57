"""A session file's tags and chapters: one chapter per part of the script (an exercise, a side),
written as mutagen writes them: ID3 CHAP and CTOC frames in an MP3 (and a WAV's "id3 " chunk),
CHAPTERnnn Vorbis comments in Ogg, Opus and FLAC files, which podcast players and ffmpeg read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from coach.core.script import Script
from coach.core.steps import label, parts
from coach.core.words import Words


@dataclass(frozen=True)
class Chapter:
    start: int  # sample
    end: int
    title: str
    exercise: str | None = None
    side: str | None = None


def chapters(script: Script, names: Mapping[str, str], words: Words, by_side: bool = True) -> list[Chapter]:
    """The script's parts: a file's safety opening, its introduction, each exercise (and side,
    `by_side`), and the closing words. An exercise's chapter starts at its name; a change of
    position between two exercises stays with the exercise before it."""
    out: list[Chapter] = []
    cut = parts(script)
    for i, part in enumerate(cut):
        last = out[-1] if out else None
        if last is not None and last.exercise is not None and part.exercise is None and i < len(cut) - 1:
            out[-1] = Chapter(last.start, part.end, last.title, last.exercise, last.side)
            continue
        side = part.side if by_side else None
        named = replace(part, side=side)
        if last is not None and part.exercise is not None and last.exercise == part.exercise and last.side in (None, side):
            # the exercise's name and its first side, or (not by side) all its sides: one chapter
            out[-1] = Chapter(last.start, part.end, label(named, names, words), part.exercise, side)
            continue
        out.append(Chapter(part.start, part.end, label(named, names, words), part.exercise, side))
    return out


@dataclass(frozen=True)
class Tags:
    title: str
    album: str
    artist: str = "coach"
    comment: str = ""
    track: tuple[int, int] | None = None  # (n, of)
    date: str = ""  # the day the file was made, ISO 8601 (its safety opening says it too)


def _ms(samples: int, rate: int) -> int:
    return round(samples * 1000 / rate)


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _id3_frames(tags: Tags, marks: list[Chapter], rate: int) -> list:
    from mutagen.id3 import CHAP, COMM, CTOC, TALB, TDRC, TIT2, TPE1, TRCK, CTOCFlags, Frame

    frames: list[Frame] = [TIT2(encoding=3, text=[tags.title]), TPE1(encoding=3, text=[tags.artist]),
              TALB(encoding=3, text=[tags.album])]
    if tags.comment:
        frames.append(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.date:
        frames.append(TDRC(encoding=3, text=[tags.date]))
    if tags.track:
        frames.append(TRCK(encoding=3, text=[f"{tags.track[0]}/{tags.track[1]}"]))
    if marks:
        ids = [f"ch{i:03d}" for i in range(len(marks))]  # mutagen stores frames sorted by id
        frames.append(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                           child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=[tags.title])]))
        for cid, c in zip(ids, marks):
            frames.append(CHAP(element_id=cid, start_time=_ms(c.start, rate), end_time=_ms(c.end, rate),
                               start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,  # times, not byte offsets
                               sub_frames=[TIT2(encoding=3, text=[c.title])]))
    return frames


def _in_order(id3: Any) -> Callable[[Any], bytearray]:
    """mutagen saves an ID3 tag's frames sorted by their size (ID3Tags._write), so a short chapter
    title came first: a player that lists CHAP frames as stored, not by the CTOC (ffprobe does),
    listed "Closing" before "Introduction". This writes them in the order added, which is time
    order. tests/test_export.py reads the order back with ffprobe."""
    from mutagen.id3._tags import save_frame

    def write(config: Any) -> bytearray:
        return bytearray().join(save_frame(frame, config=config) for frame in id3.values())

    return write


def tag(path: Path, suffix: str, tags: Tags, marks: list[Chapter], rate: int) -> None:
    """Write the title, album, date, track and chapters into a finished file of this suffix."""
    if suffix in (".mp3", ".wav"):  # ID3: at the head of an MP3, in an "id3 " chunk of a WAV
        from mutagen.id3 import ID3
        from mutagen.wave import WAVE

        id3: Any
        if suffix == ".mp3":
            id3 = ID3()
        else:
            wave = WAVE(str(path))
            wave.add_tags()
            id3 = wave.tags
        for frame in _id3_frames(tags, marks, rate):
            id3.add(frame)
        id3._write = _in_order(id3)
        if suffix == ".mp3":
            id3.save(str(path))
        else:
            wave.save()
        return
    from mutagen.flac import FLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis

    f = {".flac": FLAC, ".ogg": OggVorbis, ".opus": OggOpus}[suffix](str(path))
    f["TITLE"], f["ARTIST"], f["ALBUM"] = tags.title, tags.artist, tags.album
    if tags.comment:
        f["COMMENT"] = tags.comment
    if tags.date:
        f["DATE"] = tags.date
    if tags.track:
        f["TRACKNUMBER"], f["TRACKTOTAL"] = str(tags.track[0]), str(tags.track[1])
    for i, c in enumerate(marks, 1):  # the Vorbis comment chapter extension
        f[f"CHAPTER{i:03d}"] = _stamp(_ms(c.start, rate))
        f[f"CHAPTER{i:03d}NAME"] = c.title
    f.save()
