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
