"""Default locations on disk (platformdirs), so nothing else hard-codes a directory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "pfpp-tui"


PRIVATE_DIR_MODE = 0o700


def data_dir() -> Path:
    """The per-user data directory, 0700 because it holds personal data.

    Created 0700 whatever the umask; one that already exists with group or other access (made
    by hand, or by an older version) is tightened to 0700. It is this app's own folder, so
    nobody else should be relying on reading it.
    """
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    try:
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR_MODE:
            path.chmod(PRIVATE_DIR_MODE)
    except OSError:
        pass  # not ours to change (another owner, read-only file system): use it as it is
    return path


def default_database_path() -> Path:
    return data_dir() / "pfpp.db"


def config_path() -> Path:
    """``PFPP_CONFIG`` wins; otherwise ``config.toml`` in the user config directory."""
    explicit = os.environ.get("PFPP_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
