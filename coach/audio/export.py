"""Sessions as files a phone plays: WAV, FLAC, Ogg Vorbis, Opus or MP3, tagged, one chapter per
exercise and side; or one numbered file per part with an .m3u playlist.

Encoding is LAME's for MP3, through lameenc, at a constant bit rate (so a player's times are exact
without a seek table); libsndfile's, through soundfile, for the rest (libvorbis, libopus, libFLAC). Tags
and chapters are mutagen's: ID3 CHAP and CTOC frames in an MP3, CHAPTERnnn Vorbis comments in the
Ogg and FLAC files, which podcast players and ffmpeg read. Samples are encoded block by block as
the renderer makes them, so memory does not grow with the session's length.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from coach.audio.render import Renderer
from coach.audio.tags import Chapter, Tags, tag
from coach.core.errors import CoachError, InputError
from coach.core.files import why
from coach.storage.atomic import atomic_path, check_name, clean_stale, new_part

BLOCK = 65536  # samples per block handed to the encoder
# MP3: 48 kbit/s mono at the session's 22.05 kHz, a speech rate (libsndfile's VBR averaged 41); LAME's
# quality 5 of 0-9, "good quality, fast". Measured on a 17-minute session: 2.7 s, where quality 2
# took 5.8 s, libsndfile's LAME 9.8 s and `ffmpeg -codec:a libmp3lame -q:a 4` 4.5 s.
MP3_KBPS = 48
MP3_QUALITY = 5


@dataclass(frozen=True)
class Format:
    suffix: str
    major: str  # libsndfile's container
    subtype: str  # and codec
    rate: int | None = None  # a rate the codec requires: the session is resampled to it
    level: float | None = None  # libsndfile's compression level, where its default is a poor fit
    lame: bool = False  # encoded by LAME (lameenc), not libsndfile


FORMATS = {
    f.suffix: f
    for f in (
        Format(".mp3", "MP3", "MPEG_LAYER_III", lame=True),
        Format(".ogg", "OGG", "VORBIS"),
        # Opus takes 8, 12, 16, 24 or 48 kHz only. libsndfile's level sets the bit rate: measured on
        # the default session (15.7 min), 0.9 is 2.4 MB (20 kbit/s, a speech rate), its default
        # 2.8 MB, 0.8 6.7 MB; each took 10-20 s here.
        Format(".opus", "OGG", "OPUS", 24000, 0.9),
        Format(".flac", "FLAC", "PCM_16"),
        Format(".wav", "WAV", "PCM_16"),
    )
}
NAMES = ", ".join(FORMATS)


def format_of(path: Path) -> Format:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(f"cannot write {path}: the name must end in one of {NAMES}.") from None


def named(fmt: str) -> Format:
    """A format by its name, as --format gives it (mp3, ogg, opus, flac, wav)."""
    try:
        return FORMATS["." + fmt.lower().lstrip(".")]
    except KeyError:
        raise InputError(f"unknown format '{fmt}': choose one of {NAMES}.") from None


def check_folder(folder: Path, what: Path) -> None:
    check_name(what)  # a name too long for the disk: refused now, not after the work
    if not folder.is_dir():
        raise InputError(f"cannot write {what}: the folder {folder} does not exist.")
    try:  # really try: permissions, read-only file systems and root all answer the same way
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise InputError(f"cannot write {what}: the folder {folder} is not writable ({e.strerror}).") from e


def check_writable(path: Path) -> Format:
    """Fail before any work if the output file could not be written; its format."""
    check_name(path)
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a directory. Give a file name ending in one of {NAMES}.")
    fmt = format_of(path)
    check_folder(path.parent, path)  # Path("x.mp3").parent is Path(".")
    return fmt


Progress = Callable[[int], None]  # called with how many samples were just encoded


def _encode_mp3(renderer: Renderer, path: Path, start: int, end: int, progress: Progress | None) -> None:
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(renderer.script.sample_rate)
    encoder.set_out_sample_rate(renderer.script.sample_rate)
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_quality(MP3_QUALITY)
    with open(path, "wb") as f:
        for block in renderer.blocks(BLOCK, start, end):
            f.write(encoder.encode(bytes(block)))
            if progress is not None:
                progress(len(block))
        f.write(encoder.flush())


def _encode(renderer: Renderer, path: Path, fmt: Format, start: int, end: int, progress: Progress | None) -> None:
    if fmt.lame:
        return _encode_mp3(renderer, path, start, end, progress)
    import soundfile as sf

    rate = renderer.script.sample_rate
    out_rate = fmt.rate or rate
    resample = None
    if out_rate != rate:  # the one script's samples, resampled as they stream (soxr, a polyphase filter)
        import numpy as np
        import soxr

        stream = soxr.ResampleStream(rate, out_rate, 1, dtype="int16")

        def resampled(block, last=False):
            return stream.resample_chunk(np.frombuffer(block, dtype=np.int16), last=last)

        resample = resampled

    with sf.SoundFile(str(path), "w", samplerate=out_rate, channels=1, format=fmt.major, subtype=fmt.subtype,
                      compression_level=fmt.level) as f:
        for block in renderer.blocks(BLOCK, start, end):
            if resample is None:
                f.buffer_write(block, dtype="int16")  # array('h') is native int16, as soundfile expects
            else:
                f.write(resample(block))
            if progress is not None:
                progress(len(block))
        if resample is not None:
            f.write(resample(b"", last=True))


def _write(renderer: Renderer, path: Path, fmt: Format, tags: Tags | None, marks: Sequence[Chapter],
           start: int, end: int, progress: Progress | None) -> None:
    rate = renderer.script.sample_rate
    shifted = [replace(c, start=c.start - start, end=c.end - start) for c in marks]
    _encode(renderer, path, fmt, start, end, progress)
    if tags is not None:
        tag(path, fmt.suffix, tags, shifted, rate)


def _full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _failed(what: Path, e: Exception) -> CoachError:
    folder = what if what.is_dir() else what.parent
    if getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or (not isinstance(e, OSError) and _full(folder)):
        # libsndfile says only "System error" when a write fails: the free space says why
        return CoachError(f"writing {what} failed: the disk is full ({folder} has no space left). "
                          "Nothing was written; free some space, or write to another disk.")
    if isinstance(e, OSError):
        return CoachError(f"writing {what} failed: {why(e)}. Nothing was written.")
    return CoachError(f"encoding {what} failed ({e}). Nothing was written.")


# How many chapters a file can list. ID3's table of contents (CTOC) counts its entries in one byte;
# the Vorbis comment chapter extension numbers them with three digits.
CHAPTERS = {".mp3": 255, ".wav": 255, ".ogg": 999, ".opus": 999, ".flac": 999}


def check_chapters(fmt: Format, marks: Sequence[Chapter]) -> None:
    """Fail before any work if the file could not list every chapter."""
    limit = CHAPTERS[fmt.suffix]
    if len(marks) > limit:
        raise InputError(f"this session has {len(marks)} chapters, and a {fmt.suffix} file lists at most {limit}.",
                         ways=("split", "fewer"))


def write(renderer: Renderer, path: Path, tags: Tags | None = None, marks: Sequence[Chapter] = (),
          progress: Progress | None = None) -> None:
    """The whole session as one file, chosen by its extension; atomically (on any failure no file,
    and no part of one, is left)."""
    fmt = check_writable(path)
    clean_stale(path.parent)
    try:
        with atomic_path(path) as tmp:
            _write(renderer, tmp, fmt, tags, marks, 0, renderer.total, progress)
    except (OSError, RuntimeError) as e:  # soundfile raises LibsndfileError, a RuntimeError
        raise _failed(path, e) from e


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"


MADE_BY = "# made by coach"  # the playlist's own mark: its folder's files are a previous export


def _ours(folder: Path) -> set[str]:
    """The files a previous export of the coach's listed in `folder` (its playlists say so)."""
    listed: set[str] = set()
    for m3u in folder.glob("*.m3u"):
        try:
            lines = m3u.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        if MADE_BY in lines or any(line.startswith("#PLAYLIST:coach: ") for line in lines):
            listed.add(m3u.name)
            listed.update(line for line in lines if line and not line.startswith("#"))
    return listed


def split_names(parts: Sequence[Chapter], fmt: Format, playlist: str) -> list[str]:
    """The files --split writes: one numbered file a part, then the playlist."""
    return [*(f"{n:02d}-{_slug(p.exercise or p.title)}{fmt.suffix}" for n, p in enumerate(parts, 1)),
            f"{_slug(playlist)}.m3u"]


def refuse_clash(folder: Path, names: Sequence[str]) -> None:
    """Refuse, before any work, to replace a person's own file in `folder` by a part of the same
    name: only a previous export of the coach's (by its playlist) is replaced, or any with --force."""
    if not folder.is_dir():
        return
    ours = _ours(folder)
    theirs = [n for n in names if (folder / n).exists() and n not in ours]
    if theirs:
        more = f" and {len(theirs) - 1} more" if len(theirs) > 1 else ""
        raise InputError(f"{folder / theirs[0]}{more} already exist{'s' if not more else ''} and "
                         f"{'is' if not more else 'are'} not from an earlier export: nothing was written.",
                         ways=("other-folder", "force"))


def write_split(renderer: Renderer, folder: Path, fmt: Format, album: str, parts: list[Chapter],
                inner: list[Chapter], playlist: str, progress: Progress | None = None, date: str = "",
                force: bool = False) -> list[Path]:
    """One numbered file per part (each with its own chapters from `inner`), and an .m3u playlist.
    A file of the same name that is not a previous export's is never replaced unless `force`.

    Every file is made in a temporary folder beside `folder` and moved in only when all are whole,
    so a failure leaves what was there before."""
    check_folder(folder.parent, folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"cannot write into {folder}: it is a file, not a folder.")
    rate = renderer.script.sample_rate
    *names, list_name = split_names(parts, fmt, playlist)
    if not force:
        refuse_clash(folder, [*names, list_name])
    try:
        clean_stale(folder.parent)
        with new_part(folder) as work:
            work.mkdir(mode=0o700)
            for n, (part, name) in enumerate(zip(parts, names), 1):
                marks = [c for c in inner if part.start <= c.start < part.end]
                tags = Tags(title=part.title, album=album, track=(n, len(parts)), date=date)
                _write(renderer, work / name, fmt, tags, marks if len(marks) > 1 else [], part.start, part.end, progress)
            lines = ["#EXTM3U", f"#PLAYLIST:{album}", MADE_BY]
            for part, name in zip(parts, names):
                lines += [f"#EXTINF:{round((part.end - part.start) / rate)},{part.title}", name]
            (work / list_name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            folder.mkdir(exist_ok=True)
            written = []
            for name in [*names, list_name]:  # the same file system: each file moves in whole
                with open(work / name, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(work / name, folder / name)
                written.append(folder / name)
            return written
    except (OSError, RuntimeError) as e:
        raise _failed(folder, e) from e
