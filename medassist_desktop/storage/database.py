"""One SQLCipher 4 database file: opened with a raw 32-byte key, WAL, foreign keys, checks.

Why these choices:
- The key is passed as a raw hex key (`x'...'`), built only from validated bytes, so
  user text can never reach the PRAGMA and no KDF runs on every open (the key is
  already random or derived by `core.security.secrets`).
- Nothing is written before the key has been proven by reading `sqlite_master`: a
  wrong key leaves the file byte-identical.
- WAL with `synchronous=FULL`: a committed transaction survives a crash or power cut;
  an uncommitted one leaves no trace (SQLite ignores WAL frames without a commit).
- `temp_store=MEMORY` and `secure_delete`: no plaintext in temp files, deleted rows
  overwritten.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlcipher3
from loguru import logger

from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.errors import (
    CannotUnlockError,
    DatabaseCorruptError,
    DatabaseMissingError,
    DatabaseReadOnlyError,
    StorageError,
    translate,
)

KEY_BYTES = 32
DEFAULT_CACHE_KIB = 65536
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_log = logger.bind(area="storage")

if TYPE_CHECKING:
    # sqlcipher3 ships no types; its API is the standard library's sqlite3 (a fork of it).
    import sqlite3

    Row: TypeAlias = sqlite3.Row
    Connection: TypeAlias = sqlite3.Connection
    Cursor: TypeAlias = sqlite3.Cursor
else:
    Row = sqlcipher3.Row
    Connection = sqlcipher3.Connection
    Cursor = sqlcipher3.Cursor


def _raw_key_literal(key: bytes) -> str:
    """`"x'<64 hex>'"` (SQLCipher's raw-key spelling) from exactly 32 bytes; nothing else
    can get in."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError(f"a database key is exactly {KEY_BYTES} bytes")
    hex_key = key.hex()
    if not _HEX_KEY.fullmatch(hex_key):  # pragma: no cover - bytes.hex() guarantees it
        raise ValueError("bad key encoding")
    return "\"x'" + hex_key + "'\""


def _raw_key_pragma(pragma: str, key: bytes) -> str:
    """`PRAGMA key|rekey = "x'<64 hex>'"`."""
    if pragma not in ("key", "rekey"):
        raise ValueError(f"not a key pragma: {pragma!r}")
    return "PRAGMA " + pragma + " = " + _raw_key_literal(key)


class Database:
    """A connection to the app's database. Not thread-safe: one thread owns it
    (the serial executor in the GUI, the main thread in the CLI)."""

    def __init__(
        self,
        connection: Connection,
        path: Path,
        *,
        key: bytes | None,
        cache_size_kib: int,
        read_only: bool,
    ) -> None:
        self._conn: Connection | None = connection
        self.path = path
        self._key = key
        self._cache_size_kib = cache_size_kib
        self.read_only = read_only
        self._depth = 0

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        key: bytes | None,
        *,
        cache_size_kib: int = DEFAULT_CACHE_KIB,
        create: bool = False,
        read_only: bool = False,
        busy_timeout_s: float = 5.0,
    ) -> Database:
        """Open (or with `create`, create) the database at `path`.

        `key` is 32 bytes, or None when encryption is disabled (development only).
        Raises `CannotUnlockError` for a wrong key, `DatabaseMissingError` when there is no
        file and `create` is false, other `StorageError`s for disk and permission faults.
        """
        path = Path(path).absolute()
        if key is not None:
            _raw_key_pragma("key", key)  # validate before touching the disk
        if not path.exists():
            if not create or read_only:
                raise DatabaseMissingError(
                    N_("There is no database at {path}.", path=path),
                    hint=N_(
                        "Run `medassist init` to create it, or check MEDASSIST_DATA_DIR and "
                        "DB_PATH."
                    ),
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseReadOnlyError(
                    N_(
                        "Cannot create the folder {parent} ({value}).",
                        parent=path.parent,
                        value=exc.strerror or exc,
                    ),
                    hint=N_("Give this user write access, or set MEDASSIST_DATA_DIR."),
                ) from exc
        existed = path.exists()
        if existed and not read_only:
            # Prove the key on a read-only connection first. A read-write connection that
            # fails to unlock would still, on close, checkpoint a WAL left by a crash into
            # the file; a read-only one never writes it.
            cls._connect(path, key, cache_size_kib, read_only=True, timeout=busy_timeout_s).close()
        conn = cls._connect(path, key, cache_size_kib, read_only=read_only, timeout=busy_timeout_s)
        if not existed:
            with contextlib.suppress(OSError):
                path.chmod(0o600)  # encrypted anyway; other local users need not even read it
        _log.debug("Opened database {} (encrypted={})", path, key is not None)
        return cls(conn, path, key=key, cache_size_kib=cache_size_kib, read_only=read_only)

    @classmethod
    def _connect(
        cls, path: Path, key: bytes | None, cache_size_kib: int, *, read_only: bool, timeout: float
    ) -> Connection:
        target = path.as_uri() + ("?mode=ro" if read_only else "")
        try:
            conn: Connection = sqlcipher3.connect(
                target, uri=True, isolation_level=None, timeout=timeout
            )
        except sqlcipher3.Error as exc:
            raise _known(exc, path) from exc
        try:
            cls._unlock(conn, key, path)
            cls._configure(conn, path, cache_size_kib, read_only=read_only)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _unlock(conn: Connection, key: bytes | None, path: Path) -> None:
        """Apply the key and prove it by reading the schema. Writes nothing."""
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")  # our own errors say it better
            if key is not None:
                conn.execute(_raw_key_pragma("key", key))
                conn.execute("PRAGMA cipher_compatibility = 4")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.Error as exc:
            known = translate(exc, path)
            if isinstance(known, CannotUnlockError) or known is None:
                raise CannotUnlockError(
                    N_(
                        "Cannot unlock the database {path}: the key or passphrase is wrong, or "
                        "the file is not a MedAssist database.",
                        path=path,
                    ),
                    hint=N_(
                        "Check the passphrase (MEDASSIST_DB_PASSPHRASE), or that this user's "
                        "keyring holds the key of this clinic. The file was not changed."
                    ),
                ) from exc
            raise known from exc

    @staticmethod
    def _configure(conn: Connection, path: Path, cache_size_kib: int, *, read_only: bool) -> None:
        try:
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute(f"PRAGMA cache_size = {-int(cache_size_kib)}")
        except sqlcipher3.Error as exc:
            raise _known(exc, path) from exc

    # -- use -----------------------------------------------------------------------------

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise StorageError(N_("The database is closed."))
        return self._conn

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        """Run one statement; sqlite faults a person can fix become `StorageError`s."""
        with self._translated():
            return self.connection.execute(sql, params)

    def query_all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        with self._translated():
            cursor = self.connection.execute(sql, params)
            cursor.row_factory = sqlcipher3.Row
            return list(cursor.fetchall())

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        rows = self.query_all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception.

        Immediate: the write lock is taken up front, so two writers wait for each other
        (busy timeout) instead of failing halfway. Nested use becomes a savepoint.
        """
        conn = self.connection
        if self._depth:
            name = f"sp{self._depth}"
            self._depth += 1
            try:
                with self._translated():
                    conn.execute(f"SAVEPOINT {name}")
                    try:
                        yield conn
                    except BaseException:
                        conn.execute(f"ROLLBACK TO {name}")
                        conn.execute(f"RELEASE {name}")
                        raise
                    conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        with self._translated():
            conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            with self._translated():
                yield conn
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @property
    def user_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def integrity_check(self, *, full: bool = False) -> list[str]:
        """Problems found (empty when healthy): SQLCipher's page HMACs, then SQLite's check."""
        problems: list[str] = []
        check = "integrity_check" if full else "quick_check"
        pragmas = (["cipher_integrity_check"] if self.encrypted else []) + [check]
        for pragma in pragmas:
            try:
                rows = self.query_all(f"PRAGMA {pragma}")
            except DatabaseCorruptError as exc:
                problems.append(f"{pragma}: {exc.__cause__ or exc}")
                continue
            problems += [f"{pragma}: {r[0]}" for r in rows if r[0] != "ok"]
        return problems

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the file with `new_key`, then prove it by reopening with it.

        The caller must keep the new key safe *before* calling (see
        `core.security.secrets.KeyStore.rotate`): once this returns, only it opens the file.
        """
        if self._key is None:
            raise StorageError(N_("This database is not encrypted; it cannot be rekeyed."))
        if self._depth:
            raise RuntimeError("rekey inside a transaction")
        sql = _raw_key_pragma("rekey", new_key)
        with self._translated():
            self.connection.execute(sql)
        self.close()
        reopened = Database.open(self.path, new_key, cache_size_kib=self._cache_size_kib)
        self._conn, self._key = reopened._conn, new_key
        reopened._conn = None
        _log.info("Database {} re-encrypted with a new key", self.path)

    def export_copy(self, target: Path, key: bytes | None) -> None:
        """Write a consistent copy of the whole database to the new file `target`,
        encrypted with `key` (None: a plain copy, development only), schema version kept.

        `sqlcipher_export` inside one read transaction: other connections (the app's
        database thread, sync) keep writing meanwhile and the copy is the state at its
        start. The copy never exists under another key, and the key is inserted only as
        validated hex, like the `key` pragma.
        """
        target = Path(target).absolute()
        if target.exists():
            raise StorageError(
                N_("{target} already exists; a copy never overwrites a file.", target=target)
            )
        if self._depth:
            raise RuntimeError("export inside a transaction")
        key_clause = "''" if key is None else _raw_key_literal(key)
        conn = self.connection
        with self._translated():
            conn.execute("ATTACH DATABASE ? AS export KEY " + key_clause, (str(target),))
            try:
                conn.execute("BEGIN")
                try:
                    version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
                    conn.execute("SELECT sqlcipher_export('export')")
                    conn.execute(f"PRAGMA export.user_version = {version}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            finally:
                conn.execute("DETACH DATABASE export")
        with contextlib.suppress(OSError):
            target.chmod(0o600)

    def copy_to(self, target: Path) -> None:
        """A consistent copy of the database in the new file `target`, under its own key
        (a backup that opens exactly as the original does)."""
        self.export_copy(target, self._key)

    def open_again(self) -> Database:
        """A second connection to the same file, for another thread (SQLite connections
        belong to the thread that opened them): call it on the thread that will use it."""
        return Database.open(
            self.path, self._key, cache_size_kib=self._cache_size_kib, read_only=self.read_only
        )

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlcipher3.Error as exc:
            known = translate(exc, self.path)
            if known is None:
                raise
            raise known from exc


def _known(exc: sqlcipher3.Error, path: Path) -> Exception:
    known = translate(exc, path)
    return known if known is not None else exc
