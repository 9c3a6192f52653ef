"""Atomic file writes: a crash or a power cut leaves the old file or the new one, never half.

The recipe: write a temporary file in the same folder, flush and fsync it, then
`os.replace` it over the target (atomic on POSIX and Windows) and fsync the
folder so the rename itself survives a power cut. Sits outside the layers like
`errors.py`: config, core and the CLI all write files this way.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (a no-op where folders cannot be opened, Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path, *, prefix: str = ".partial-") -> Iterator[IO[bytes]]:
    """Yield a binary file that replaces `path` only when the block ends without an error.

    On an exception the temporary file is removed and `path` is untouched. The file is
    created by mkstemp, so it is readable by this user only (0o600), key material included.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=prefix + path.name + ".")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
