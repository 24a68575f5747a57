"""Where the coach keeps its files. COACH_HOME, when set, overrides every directory."""

from __future__ import annotations

import os
from pathlib import Path


def _home() -> Path | None:
    value = os.environ.get("COACH_HOME")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    import platformdirs

    return platformdirs.user_cache_path("coach")


def made_at_setup() -> Path:
    """The phrases set-up made for a first session (coach/app/opening.py), beside the installed
    package, read-only to the coach: whatever COACH_HOME says, they are the same phrases."""
    import sys

    return Path(sys.prefix) / "share" / "coach" / "cache"


def data_dir() -> Path:
    home = _home()
    if home:
        return home / "data"
    import platformdirs

    return platformdirs.user_data_path("coach")


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    import platformdirs

    return platformdirs.user_config_path("coach")


PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600  # the history holds answers about health


def private_folder(folder: Path) -> None:
    """Make `folder` and any missing parents, readable by their owner only whatever the umask
    (folders that exist already are left as they are). Raises OSError."""
    made = []
    for p in (folder, *folder.parents):  # up to the first that exists: usually none is missing
        if p.exists():
            break
        made.append(p)
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    for p in made:
        os.chmod(p, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask; chmod's is not


def check_home() -> None:
    """COACH_HOME, when set, must be a folder or one that can be made: InputError (exit 2) if not."""
    home = _home()
    if home is None:
        return
    from coach.core.errors import InputError

    try:
        if home.exists() and not home.is_dir():
            raise InputError(f"COACH_HOME={home} cannot be used: it is a file, not a folder.")
        private_folder(home)
    except OSError as e:
        raise InputError(f"COACH_HOME={home} cannot be used: {e.strerror or e}.") from e
