"""The database schema: one ordered list of migrations. Append yours; never edit one.

A new migration takes the next free number: the highest version in `MIGRATIONS`
plus one, appended at the end (`collect_migrations` refuses gaps, duplicates and
an order other than 1, 2, 3, ...). Versions are not grouped by area: a migration
numbered below one that databases already have would never run on them.

Databases made when versions were grouped by area (1-2, 10, 20-22, 30-31) are
renumbered on open by `migrate`, which matches recorded migrations by name.
"""

from __future__ import annotations

from medassist_desktop.storage.migrations import Migration, collect_migrations

# The sync's local tables (`core.sync`): outbox, revisions, checkpoints, conflicts,
# received documents, small facts. Kept here, below `core`, so storage needs no import
# from the layers above it; `core.sync.outbox.SYNC_MIGRATION` is this text.
SYNC_TABLES_SQL = """
-- Changes to share, queued in the same transaction as the change itself.
CREATE TABLE IF NOT EXISTS sync_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id     TEXT NOT NULL,
    rev        TEXT NOT NULL,
    doc_type   TEXT NOT NULL,
    body       TEXT NOT NULL,     -- canonical JSON, without _id/_rev/_revisions
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    revisions  TEXT NOT NULL,     -- JSON {"start": generation, "ids": [newest .. oldest]}
    status     TEXT NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sent', 'superseded', 'rejected')),
    note       TEXT,              -- why superseded or rejected
    created_at TEXT NOT NULL,
    done_at    TEXT,
    UNIQUE (doc_id, rev)
);
CREATE INDEX IF NOT EXISTS sync_outbox_pending ON sync_outbox (seq) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS sync_outbox_doc ON sync_outbox (doc_id, seq);

-- The head revision of every synced document, local or pulled: the parent of the next
-- local edit, and the yardstick for conflicts when a pull brings a revision.
CREATE TABLE IF NOT EXISTS sync_revisions (
    doc_id       TEXT PRIMARY KEY,
    rev          TEXT NOT NULL,
    history      TEXT NOT NULL,   -- JSON list of revision hashes, newest first
    content_hash TEXT NOT NULL,   -- sha256 of the canonical content of the head
    origin       TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
    updated_at   TEXT NOT NULL
);

-- Where each replication stopped (also mirrored in _local/<id> on the server).
CREATE TABLE IF NOT EXISTS sync_checkpoints (
    replication_id TEXT PRIMARY KEY,
    direction      TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
    last_seq       TEXT NOT NULL,  -- JSON: an outbox seq (push), the server's seq (pull)
    updated_at     TEXT NOT NULL
);

-- A pulled revision that conflicts with a local edit: the local one is kept, this is shown.
CREATE TABLE IF NOT EXISTS sync_conflicts (
    doc_id      TEXT NOT NULL,
    local_rev   TEXT NOT NULL,
    remote_rev  TEXT NOT NULL,
    remote_body TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    PRIMARY KEY (doc_id, remote_rev)
);

-- Documents pulled from the server (knowledge-base updates, clinic configuration), for
-- the importers to read; written by the default pull handler.
CREATE TABLE IF NOT EXISTS sync_received (
    doc_id      TEXT PRIMARY KEY,
    rev         TEXT NOT NULL,
    doc_type    TEXT,
    body        TEXT NOT NULL,
    deleted     INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    received_at TEXT NOT NULL
);

-- Small facts: this node's id, last success and last error of a run.
CREATE TABLE IF NOT EXISTS sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


# 3: the knowledge base. Documents, their chunks, an FTS5 twin of the chunks
# (external content: the text is stored once, the triggers keep the index in step, also
# on the cascade from a deleted document), and float32 vectors keyed by chunk, each tied to
# the embedding model (id and dimension) that made it. `kb_state` holds the content
# version (bumped in every transaction that changes what retrieval can return) and a
# random id of this knowledge base, which together make `RetrievalResult.kb_version`.
# Chunk row ids are AUTOINCREMENT, never reused: a row id a search read a moment ago
# (the vector matrix is keyed by them) cannot come to mean another chunk.
MIGRATIONS: tuple[Migration, ...] = (
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
    Migration(
        3,
        "knowledge base: documents, chunks, FTS5 index, vectors",
        """
        CREATE TABLE kb_documents (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            version TEXT,
            date TEXT,
            language TEXT NOT NULL,
            topics TEXT NOT NULL DEFAULT '[]',
            sha256 TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            page_count INTEGER,
            chunker TEXT NOT NULL,
            chunk_count INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ready', 'needs_embedding')),
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX kb_documents_sha256 ON kb_documents (sha256);
        CREATE TABLE kb_chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chunk_id TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            section TEXT NOT NULL,
            context TEXT NOT NULL,
            text TEXT NOT NULL,
            page_start INTEGER,
            page_end INTEGER,
            token_count INTEGER NOT NULL,
            UNIQUE (document_id, position)
        );
        CREATE VIRTUAL TABLE kb_chunks_fts USING fts5 (
            context, text,
            content = 'kb_chunks', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER kb_chunks_fts_insert AFTER INSERT ON kb_chunks
        BEGIN
            INSERT INTO kb_chunks_fts (rowid, context, text)
            VALUES (new.id, new.context, new.text);
        END;
        CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks
        BEGIN
            INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, context, text)
            VALUES ('delete', old.id, old.context, old.text);
        END;
        CREATE TRIGGER kb_chunks_fts_update AFTER UPDATE ON kb_chunks
        BEGIN
            INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, context, text)
            VALUES ('delete', old.id, old.context, old.text);
            INSERT INTO kb_chunks_fts (rowid, context, text)
            VALUES (new.id, new.context, new.text);
        END;
        CREATE TABLE kb_embedding_models (
            id INTEGER PRIMARY KEY,
            model_id TEXT NOT NULL UNIQUE,
            dimension INTEGER NOT NULL CHECK (dimension > 0)
        );
        CREATE TABLE kb_vectors (
            chunk INTEGER PRIMARY KEY REFERENCES kb_chunks (id) ON DELETE CASCADE,
            model INTEGER NOT NULL REFERENCES kb_embedding_models (id),
            vector BLOB NOT NULL
        );
        CREATE INDEX kb_vectors_model ON kb_vectors (model);
        CREATE TABLE kb_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO kb_state (key, value) VALUES
            ('content_version', '0'),
            ('instance', lower(hex(randomblob(6))));
        """,
    ),
    Migration(
        4,
        "patient cases",
        """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,        -- random; the case's id in synced records
            name TEXT NOT NULL,
            patient_id TEXT,
            search_key TEXT NOT NULL,        -- casefolded name and patient id, for search
            age_months INTEGER NOT NULL,
            details TEXT NOT NULL,           -- JSON: the triage input, name, id, notes
            triage_level TEXT NOT NULL
                CHECK (triage_level IN ('routine', 'urgent', 'emergency')),
            triage TEXT NOT NULL,            -- JSON: the triage result at the last save
            rules_version TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users (id),
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users (id)
        );
        CREATE INDEX cases_created ON cases (created_at);
        CREATE INDEX cases_level ON cases (triage_level, created_at);
        CREATE INDEX cases_patient_id ON cases (patient_id);
        """,
    ),
    Migration(
        5,
        "case form drafts (autosaved per user)",
        """
        CREATE TABLE case_drafts (
            user_id INTEGER NOT NULL REFERENCES users (id),
            draft_key INTEGER NOT NULL,      -- the case id, or 0 for the new-case form
            case_id INTEGER REFERENCES cases (id) ON DELETE CASCADE,
            form TEXT NOT NULL,              -- JSON, as typed (may be incomplete)
            saved_at TEXT NOT NULL,
            PRIMARY KEY (user_id, draft_key),
            CHECK (draft_key = ifnull(case_id, 0))
        );
        """,
    ),
    Migration(
        6,
        "consult records",
        """
        CREATE TABLE consults (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            case_id INTEGER REFERENCES cases (id),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,            -- JSON: the answer object as produced
            created_at TEXT NOT NULL,
            created_by INTEGER REFERENCES users (id),
            reviewed_by INTEGER REFERENCES users (id),
            reviewed_at TEXT,
            CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL))
        );
        CREATE INDEX consults_case ON consults (case_id, id);
        """,
    ),
    Migration(7, "sync outbox, revisions, checkpoints, conflicts, state", SYNC_TABLES_SQL),
    Migration(
        8,
        "secrets kept in the database where no OS keyring exists",
        """
        -- The sync password and the cloud API key, only where no secure OS keyring is
        -- available (the database is then protected by a passphrase; SQLCipher encrypts
        -- this table with everything else).
        CREATE TABLE secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    # Clinic policy set by an admin (max login attempts, lock timeout, sync and cloud
    # endpoints): it wins over the settings file and the environment
    # (`core.security.policy` reads and writes it).
    Migration(
        9,
        "clinic policy set by an admin",
        """
        CREATE TABLE clinic_policy (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,                      -- JSON
            updated_at TEXT NOT NULL,
            updated_by INTEGER REFERENCES users (id)
        );
        """,
    ),
)

# Checked once at import: contiguous from 1, in order, unique names.
ALL_MIGRATIONS: tuple[Migration, ...] = collect_migrations(MIGRATIONS)
