"""Every area's migrations, in one place. Append yours; never edit a released one.

Versions are global: take the next free number (run the tests: duplicates fail loudly).
Areas that need tables (knowledge base, cases, sync outbox) add a tuple here and list
it in `ALL_MIGRATIONS`.
"""

from __future__ import annotations

from medassist_desktop.storage.migrations import Migration, collect_migrations

SECURITY_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "accounts",
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('health_worker', 'admin')),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            lockouts INTEGER NOT NULL DEFAULT 0,
            locked_until REAL,
            must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            last_login_at TEXT
        );
        """,
    ),
    Migration(
        2,
        "audit trail (append-only, hash-chained)",
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ts TEXT NOT NULL,
            actor_id INTEGER,
            actor TEXT,
            action TEXT NOT NULL,
            resource TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
            ip_address TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN
            SELECT RAISE(ABORT, 'audit_log is append-only');
        END;
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_id INTEGER NOT NULL,
            last_hash TEXT NOT NULL,
            mac TEXT NOT NULL
        );
        CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN
            SELECT RAISE(ABORT, 'audit_head cannot be deleted');
        END;
        """,
    ),
)

ALL_MIGRATIONS: tuple[Migration, ...] = collect_migrations(SECURITY_MIGRATIONS)
