"""Default locations on disk (platformdirs), so nothing else hard-codes a directory."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "pfpp-tui"


def data_dir() -> Path:
    """The per-user data directory, created 0700 because it holds personal data."""
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database_path() -> Path:
    return data_dir() / "pfpp.db"


def config_path() -> Path:
    """``PFPP_CONFIG`` wins; otherwise ``config.toml`` in the user config directory."""
    explicit = os.environ.get("PFPP_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
