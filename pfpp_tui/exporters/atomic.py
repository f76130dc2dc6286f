"""Write a file all at once or not at all, private to its owner.

Owns: ``atomic_output`` — bytes go to a temporary file (mode 0600) in the target's directory,
are flushed to disk, then renamed over the target. Any error (or Ctrl-C) removes the temporary
file, so a failed export never leaves half a file or a stray temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE_MODE = 0o600


@contextmanager
def atomic_output(path: Path, *, mode: int = PRIVATE_FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary stream whose bytes become ``path`` only if the block ends cleanly.

    Raises ``OSError`` (before anything is written) when the directory is missing or not
    writable, and ``IsADirectoryError`` when ``path`` is a directory.
    """
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    directory = path.parent if str(path.parent) else Path(".")
    # mkstemp creates the file 0600 from the start: personal data is never world-readable.
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
