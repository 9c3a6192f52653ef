"""Known storage problems, each with a message an admin can act on.

SQLite reports most faults as a short English phrase on a generic exception;
`translate` turns the ones a clinic can actually meet (a full disk, a read-only
folder, another program holding the file) into `KnownError`s, and leaves the rest
as bugs.
"""

from __future__ import annotations

from pathlib import Path

from medassist_desktop.errors import KnownError


class StorageError(KnownError):
    """A problem with the database file or the disk it lives on."""


class CannotUnlockError(StorageError):
    """The key or passphrase does not open this database (or it is not a database)."""


class DatabaseMissingError(StorageError):
    """No database exists yet where one is expected."""


class DatabaseReadOnlyError(StorageError):
    """The database, or the folder it lives in, cannot be written."""


class DiskFullError(StorageError):
    """A write failed because the disk (or a size limit) is full, or the disk failed."""


class DatabaseBusyError(StorageError):
    """Another program holds a lock on the database for too long."""


class DatabaseCorruptError(StorageError):
    """The integrity check found damage."""


class MigrationError(StorageError):
    """The schema cannot be brought up to date."""


_KNOWN: tuple[tuple[tuple[str, ...], type[StorageError], str, str], ...] = (
    (
        ("file is not a database",),
        CannotUnlockError,
        "Cannot unlock the database {path}: the key or passphrase is wrong, or the file is not "
        "a MedAssist database.",
        "Check the passphrase, or that this user's keyring holds the key of this clinic.",
    ),
    (
        ("readonly", "read-only"),
        DatabaseReadOnlyError,
        "Cannot write to the database {path}: the file or its folder is read-only.",
        "Give this user write access to the folder (the database needs to create files beside "
        "it), or move the data folder with MEDASSIST_DATA_DIR.",
    ),
    (
        ("disk is full", "disk i/o error"),
        DiskFullError,
        "Cannot write to the database {path}: the disk is full or failing. Nothing from this "
        "operation was saved.",
        "Free some space on the disk (or check it), then try again.",
    ),
    (
        ("database is locked", "database is busy"),
        DatabaseBusyError,
        "The database {path} is in use by another program.",
        "Close other MedAssist windows or commands and try again.",
    ),
    (
        ("unable to open database file",),
        DatabaseReadOnlyError,
        "Cannot open the database {path}: the folder is missing or cannot be written.",
        "Check that the data folder exists and this user can write to it.",
    ),
    (
        ("malformed", "corrupt"),
        DatabaseCorruptError,
        "The database {path} is damaged.",
        "Restore it from a backup; run `medassist db check` for details.",
    ),
)


def translate(exc: Exception, path: Path) -> StorageError | None:
    """The known error for an sqlite exception, or None when it is a bug."""
    text = str(exc).lower()
    for needles, error_class, message, hint in _KNOWN:
        if any(needle in text for needle in needles):
            return error_class(message.format(path=path), hint=hint)
    return None
