"""Schema versions: an ordered list of migrations applied under `PRAGMA user_version`.

Each migration runs in its own IMMEDIATE transaction together with the bump of
`user_version` and a row in `schema_migrations`, so a crash halfway leaves the
previous version intact and the next start simply runs it again.

To add one: append `Migration(<highest version + 1>, "what it does", SQL)` to
`MIGRATIONS` in `storage/schema.py`. Versions run 1, 2, 3, ... without gaps and names
are unique; anything else fails at import. A migration numbered below a version the
database already has but never ran (a merge mistake) fails loudly on open instead of
being skipped silently.

Before the first pending migration of an existing database, a consistent copy of it
(encrypted under the same key) is written beside it as `<db>.schema-<N>.bak`, N being
the version it had: an upgrade of the app that fails halfway, or a migration that turns
out wrong, can then be undone by putting that file back. A new database (version 0)
has nothing to keep. An older backup of the same version is never overwritten: after a
crash in the middle of migrating, it is the one taken before anything changed.

A migration is known by its version and its name: when a database recorded a
migration under another version (the schema was renumbered), `migrate` first moves
its bookkeeping to the current numbers, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from loguru import logger

from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Connection, Database
from medassist_desktop.storage.errors import MigrationError

_log = logger.bind(area="storage")

MigrationStep = str | Callable[[Connection], None]

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


@dataclass(frozen=True)
class Migration:
    """One schema change: SQL statements (`;`-separated) or a function of the connection."""

    version: int
    name: str
    step: MigrationStep

    def apply(self, conn: Connection) -> None:
        if callable(self.step):
            self.step(conn)
            return
        for statement in split_statements(self.step):
            conn.execute(statement)


def split_statements(script: str) -> list[str]:
    """Split SQL into complete statements (triggers with inner `;` included).

    `executescript` would commit the open transaction first, breaking atomicity.
    """
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlcipher3.complete_statement(current):
            if current.strip().strip(";").strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in migration: {current.strip()[:80]!r}")
    return statements


def collect_migrations(*groups: Iterable[Migration]) -> tuple[Migration, ...]:
    """The migrations in order; versions must run 1, 2, 3, ... and names be unique.

    A gap, a duplicate or an out-of-order entry is a bug in the list (for example two
    branches that both took the same "next" number): it fails here, at import.
    """
    migrations = tuple(m for group in groups for m in group)
    names: dict[str, int] = {}
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(
                f"migration {migration.name!r} has version {migration.version}, expected "
                f"{expected}: versions run 1, 2, 3, ... in order; a new one takes the "
                "highest version plus one"
            )
        if migration.name in names:
            raise ValueError(
                f"migrations {names[migration.name]} and {migration.version} are both "
                f"named {migration.name!r}"
            )
        names[migration.name] = migration.version
    return migrations


def _renumber(db: Database, migrations: Sequence[Migration]) -> None:
    """Move recorded migrations whose version changed (matched by name) to their version."""
    by_name = {m.name: m.version for m in migrations}
    rows = db.query_all("SELECT version, name FROM schema_migrations")
    moves = {
        int(version): by_name[str(name)]
        for version, name in rows
        if str(name) in by_name and by_name[str(name)] != int(version)
    }
    if not moves:
        return
    _log.info("Renumbering recorded migrations {}", moves)
    with db.transaction() as conn:
        for old in moves:  # out of the way first: new numbers may be taken by old rows
            conn.execute("UPDATE schema_migrations SET version = ? WHERE version = ?", (-old, old))
        for old, new in moves.items():
            conn.execute("UPDATE schema_migrations SET version = ? WHERE version = ?", (new, -old))
        latest = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(latest or 0)}")


def migrate(db: Database, migrations: Sequence[Migration]) -> list[int]:
    """Bring the schema up to date; returns the versions applied now."""
    migrations = collect_migrations(migrations)
    with db.transaction() as conn:
        conn.execute(_BOOKKEEPING)
    _renumber(db, migrations)
    current = db.user_version
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise MigrationError(
            N_(
                "The database {path} was written by a newer version of MedAssist "
                "(schema {current}; this version knows up to {latest}).",
                path=db.path,
                current=current,
                latest=latest,
            ),
            hint=N_(
                "Install the newer version again; do not open this database with an older one."
            ),
        )
    recorded = {int(r[0]) for r in db.query_all("SELECT version FROM schema_migrations")}
    skipped = [m for m in migrations if m.version <= current and m.version not in recorded]
    if skipped:
        names = ", ".join(f"{m.version} {m.name!r}" for m in skipped)
        raise MigrationError(
            N_(
                "Migration(s) {names} are numbered below the database's schema version "
                "{current} but were never applied.",
                names=names,
                current=current,
            ),
            hint=N_("This is a packaging mistake: renumber them above the latest version."),
        )
    if current > 0 and any(m.version > current for m in migrations):
        backup_before_migrating(db, current)
    applied: list[int] = []
    for migration in migrations:
        if migration.version <= current:
            continue
        _log.info("Applying migration {} ({})", migration.version, migration.name)
        with db.transaction() as conn:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= migration.version:
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                (migration.version, migration.name),
            )
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        applied.append(migration.version)
    return applied


def backup_path(db_path: Path, version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.schema-{version}.bak")


def backup_before_migrating(db: Database, version: int) -> Path | None:
    """Copy the database (schema `version`) beside itself before it is migrated."""
    target = backup_path(db.path, version)
    if target.exists():
        _log.info("Keeping the earlier backup {} taken before migrating", target)
        return None
    db.copy_to(target)
    _log.info("Backed up the database (schema {}) to {} before migrating", version, target)
    return target
