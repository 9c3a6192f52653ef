"""Is the model file about to be loaded the one that was checked? The sha256 at load time.

A model file is checked against its known sha256 (the manifest's, or the one recorded
at import) each time it is loaded, not only at import: a file swapped or damaged in
the models folder afterwards is refused, and what the audit records is the sha256 of
the file that was loaded. Hashing gigabytes at every start would cost seconds, so a
file's digest is remembered with its inode, size, modification and change times
(`st_ctime` cannot be set back by a user, unlike the modification time): a file
changed in any way since it was hashed is hashed again.

The remembered digests live in one small JSON file in the cache folder, written
atomically; a damaged or missing file only means hashing again.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from loguru import logger

from medassist_desktop.atomic_io import atomic_write_text
from medassist_desktop.core.inference.errors import ModelFileError
from medassist_desktop.core.inference.model_files import ByteProgress, sha256_file
from medassist_desktop.i18n.catalogue import N_

CACHE_FILE = "model-hashes.json"
_log = logger.bind(area="models")


def _identity(stat: os.stat_result) -> dict[str, int]:
    return {
        "inode": stat.st_ino,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
    }


class HashCache:
    """sha256 of model files, remembered by (inode, size, mtime, ctime)."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / CACHE_FILE
        self._lock = threading.Lock()
        self.hashed = 0  # files hashed (not answered from the cache) by this object

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def sha256(self, path: Path, *, on_progress: ByteProgress | None = None) -> str:
        """The file's sha256: from the cache when the file is unchanged, else hashed now."""
        key = str(path.resolve())
        identity = _identity(path.stat())
        with self._lock:
            entry = self._load().get(key)
        if isinstance(entry, dict) and {k: entry.get(k) for k in identity} == identity:
            return str(entry["sha256"])
        digest = sha256_file(path, on_progress=on_progress)
        self.hashed += 1
        if _identity(path.stat()) != identity:
            raise ModelFileError(
                N_("The model file {path} changed while it was being checked.", path=path),
                hint=N_("Make sure no other program is writing to the models folder, then retry."),
            )
        with self._lock:
            data = self._load()
            data[key] = identity | {"sha256": digest}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True))
            except OSError as exc:  # a read-only cache only costs time
                _log.warning("Could not remember the model checksum in {}: {}", self.path, exc)
        return digest


def verify_model_file(
    path: Path,
    expected: str | None,
    cache: HashCache,
    *,
    name: str,
    on_progress: ByteProgress | None = None,
) -> str:
    """The sha256 of `path`; `ModelFileError` when it differs from `expected`."""
    actual = cache.sha256(path, on_progress=on_progress)
    if expected is not None and actual != expected:
        _log.error("Model {} at {}: sha256 {} expected {}", name, path, actual, expected)
        raise ModelFileError(
            N_(
                "The model file of {name} is damaged or was replaced (checksum mismatch).",
                name=name,
            ),
            hint=N_("Import it again from the original copy (medassist models import PATH)."),
        )
    return actual
