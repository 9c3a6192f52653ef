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

# The knowledge base (versions 10-19). Documents, their chunks, an FTS5 twin of the chunks
# (external content: the text is stored once, the triggers keep the index in step, also
# on the cascade from a deleted document), and float32 vectors keyed by chunk, each tied to
# the embedding model (id and dimension) that made it. `kb_state` holds the content
# version (bumped in every transaction that changes what retrieval can return) and a
# random id of this knowledge base, which together make `RetrievalResult.kb_version`.
# Chunk row ids are AUTOINCREMENT, never reused: a row id a search read a moment ago
# (the vector matrix is keyed by them) cannot come to mean another chunk.
KNOWLEDGE_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        10,
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
)

ALL_MIGRATIONS: tuple[Migration, ...] = collect_migrations(
    SECURITY_MIGRATIONS, KNOWLEDGE_MIGRATIONS
)
