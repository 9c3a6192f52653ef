"""Schema versions: an ordered list of migrations applied under `PRAGMA user_version`.

Each migration runs in its own IMMEDIATE transaction together with the bump of
`user_version` and a row in `schema_migrations`, so a crash halfway leaves the
previous version intact and the next start simply runs it again.

To add one: append `Migration(<next version>, "what it does", SQL)` to your area's
list in `storage/schema.py`. Versions are global and strictly increasing; a duplicate,
or a migration numbered below a version the database already has but never ran
(a merge mistake), fails loudly instead of being skipped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlcipher3
from loguru import logger

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
    """All areas' migrations in version order; duplicates and gaps-by-mistake are bugs."""
    migrations = sorted((m for group in groups for m in group), key=lambda m: m.version)
    seen: dict[int, str] = {}
    for migration in migrations:
        if migration.version < 1:
            raise ValueError(f"migration {migration.name!r}: versions start at 1")
        if migration.version in seen:
            raise ValueError(
                f"duplicate migration version {migration.version}: "
                f"{seen[migration.version]!r} and {migration.name!r}"
            )
        seen[migration.version] = migration.name
    return tuple(migrations)


def migrate(db: Database, migrations: Sequence[Migration]) -> list[int]:
    """Bring the schema up to date; returns the versions applied now."""
    migrations = collect_migrations(migrations)
    with db.transaction() as conn:
        conn.execute(_BOOKKEEPING)
    current = db.user_version
    latest = migrations[-1].version if migrations else 0
    if current > latest:
        raise MigrationError(
            f"The database {db.path} was written by a newer version of MedAssist "
            f"(schema {current}; this version knows up to {latest}).",
            hint="Install the newer version again; do not open this database with an older one.",
        )
    recorded = {int(r[0]) for r in db.query_all("SELECT version FROM schema_migrations")}
    skipped = [m for m in migrations if m.version <= current and m.version not in recorded]
    if skipped:
        names = ", ".join(f"{m.version} {m.name!r}" for m in skipped)
        raise MigrationError(
            f"Migration(s) {names} are numbered below the database's schema version {current} "
            "but were never applied.",
            hint="This is a packaging mistake: renumber them above the latest version.",
        )
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
