"""Write a file all at once or not at all, private to its owner.

Owns: ``atomic_output`` — bytes go to a temporary file (mode 0600) in the target's directory,
are flushed to disk, then renamed over the target. Any error (or Ctrl-C) removes the temporary
file, so a failed export never leaves half a file or a stray temporary file behind.

A ``kill -9`` cannot be caught, so the temporary file's name says who wrote it
(``.NAME.pfpp-HOST-PID-RANDOM.part``: HOST a short hash of this machine's name; backups use
the same names ending ``.partial``), and the next ``atomic_output`` or backup into the same
folder removes the ones whose writer is gone
(``clean_stale_temp_files``): on this machine, a process id no longer running; from another
machine, a file untouched for a day. Nothing but pfpp's own temporary names is ever touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE_MODE = 0o600
TEMP_SUFFIX = ".part"
# A temporary file from another machine counts as abandoned after this long untouched.
FOREIGN_STALE_S = 24 * 3600
# mkstemp's random part: 8 characters of [a-z0-9_].
# Every file this process completed, until a front end takes them to note in the register of
# written files (``store.db.written_files``): the CLI does so once a command has succeeded.
_completed: list[Path] = []
_TEMP_NAME = re.compile(
    r"^\..+\.pfpp-(?P<host>[0-9a-f]{6})-(?P<pid>\d+)-[a-z0-9_]{8}\.(part|partial)$"
)


def host_tag() -> str:
    """Six hex digits naming this machine in temporary names (its name, hashed)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def temp_prefix(path: Path) -> str:
    return f".{path.name}.pfpp-{host_tag()}-{os.getpid()}-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def is_stale_temp_file(candidate: Path) -> bool:
    """True for a pfpp temporary file whose writer is gone (never for any other file)."""
    match = _TEMP_NAME.match(candidate.name)
    if match is None or not candidate.is_file():
        return False
    if match.group("host") == host_tag():
        return not _running(int(match.group("pid")))
    try:
        return time.time() - candidate.stat().st_mtime > FOREIGN_STALE_S
    except OSError:
        return False


def clean_stale_temp_files(directory: Path) -> list[Path]:
    """Remove the temporary files a killed pfpp left in ``directory``; the paths removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in directory.iterdir() if p.name.endswith((".part", ".partial"))]
    except OSError:
        return removed
    for candidate in candidates:
        if is_stale_temp_file(candidate):
            try:
                candidate.unlink()
            except OSError:
                continue
            removed.append(candidate)
    return removed


@contextmanager
def atomic_output(path: Path, *, mode: int = PRIVATE_FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary stream whose bytes become ``path`` only if the block ends cleanly.

    Raises ``OSError`` (before anything is written) when the directory is missing or not
    writable, and ``IsADirectoryError`` when ``path`` is a directory.
    """
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    directory = path.parent if str(path.parent) else Path(".")
    clean_stale_temp_files(directory)
    # mkstemp creates the file 0600 from the start: personal data is never world-readable.
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
        _completed.append(path.absolute())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def take_completed() -> list[Path]:
    """The files ``atomic_output`` completed since the last call (and forget them)."""
    done = list(dict.fromkeys(_completed))
    _completed.clear()
    return done
