"""Moving model files safely: hashing, copying with progress and cancel, the embedded default.

Model files are gigabytes. Each long operation reports progress, can be
cancelled between blocks, and writes through a temporary file that becomes the
real file only after it is complete, fsynced and verified: a crash or a pulled
USB stick never leaves a half file under a name that looks valid.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from loguru import logger

from medassist_desktop.atomic_io import fsync_dir
from medassist_desktop.core.inference.errors import (
    ModelFileError,
    ModelNotFoundError,
    OperationCancelledError,
)
from medassist_desktop.i18n.catalogue import N_

BLOCK = 8 * 1024 * 1024
# (bytes done, bytes total); called from the thread doing the work.
ByteProgress = Callable[[int, int], None]
_log = logger.bind(area="models")


def _check_cancel(cancel: threading.Event | None, what: str) -> None:
    if cancel is not None and cancel.is_set():
        raise OperationCancelledError(N_("{what} was cancelled; nothing was changed.", what=what))


def sha256_file(
    path: Path,
    *,
    on_progress: ByteProgress | None = None,
    cancel: threading.Event | None = None,
) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            _check_cancel(cancel, "Checking the model file")
            digest.update(block)
            done += len(block)
            if on_progress:
                on_progress(done, total)
    return digest.hexdigest()


def copy_into_temp(
    sources: Iterable[Path],
    directory: Path,
    *,
    total: int,
    on_progress: ByteProgress | None = None,
    cancel: threading.Event | None = None,
    what: str = "The copy",
) -> tuple[Path, str]:
    """Concatenate `sources` into a fsynced temp file in `directory`; returns (temp, sha256).

    The caller renames the temp file into place after checking it, or deletes it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(directory).free
    if free < total + 64 * 1024**2:
        raise ModelFileError(
            N_(
                "Not enough free disk space in {directory}: {value:.1f} GiB needed, "
                "{value2:.1f} GiB free.",
                directory=directory,
                value=total / 1024**3,
                value2=free / 1024**3,
            ),
            hint=N_("Free some space (or set MEDASSIST_DATA_DIR to a larger drive) and try again."),
        )
    fd, name = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".gguf")
    temp = Path(name)
    digest = hashlib.sha256()
    done = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for source in sources:
                with source.open("rb") as handle:
                    while block := handle.read(BLOCK):
                        _check_cancel(cancel, what)
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if on_progress:
                            on_progress(done, total)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ModelFileError(
            N_(
                "Copying the model failed ({value}); nothing was changed.",
                value=exc.strerror or exc,
            ),
            hint=N_("If it came from a USB stick, check the stick is still plugged in."),
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, digest.hexdigest()


def publish(temp: Path, target: Path) -> None:
    """Atomically give a checked temp file its real name, durably."""
    os.replace(temp, target)
    fsync_dir(target.parent)


def ensure_embedded_model(
    cache_dir: Path,
    *,
    module_name: str,
    file_name: str,
    sha256: str,
    on_progress: ByteProgress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The embedded default model file, assembled from its package's chunks on first use.

    The assembled file only takes its real name after its sha256 matched, so an
    existing file of the right size is trusted; `models verify` re-hashes it.
    """
    try:
        package = importlib.import_module(module_name)
        chunks = [Path(p) for p in package.chunk_paths()]
    except (ImportError, FileNotFoundError) as exc:
        raise ModelNotFoundError(
            N_("The embedded model is not installed (package missing or incomplete)."),
            hint=N_("Reinstall MedAssist Desktop."),
        ) from exc
    missing = [str(c) for c in chunks if not c.is_file()]
    if missing:
        raise ModelNotFoundError(
            N_("The embedded model is incomplete: {files} missing.", files=", ".join(missing)),
            hint=N_("Reinstall MedAssist Desktop."),
        )
    expected_size = sum(c.stat().st_size for c in chunks)
    target = cache_dir / "models" / file_name
    if target.is_file() and target.stat().st_size == expected_size:
        return target
    _log.info("Assembling the embedded model into {}", target)
    temp, actual = copy_into_temp(
        chunks,
        target.parent,
        total=expected_size,
        on_progress=on_progress,
        cancel=cancel,
        what="Preparing the embedded model",
    )
    if actual != sha256:
        temp.unlink(missing_ok=True)
        raise ModelFileError(
            N_("The embedded model's files are damaged (checksum mismatch)."),
            hint=N_("Reinstall MedAssist Desktop."),
        )
    publish(temp, target)
    return target
