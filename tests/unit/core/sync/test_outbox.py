"""The outbox in the app's encrypted database: same transaction, deterministic revisions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from medassist_desktop.core.sync import local_state, outbox
from medassist_desktop.core.sync.local_state import PullDecision, RemoteDoc
from medassist_desktop.core.sync.outbox import enqueue_change, make_doc_id
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.errors import CannotUnlockError
from tests.support.databases import open_app_db

CASE = "case:kh-01:0001"


def test_enqueue_gives_deterministic_revisions(tmp_path: Path, state_db: Database) -> None:
    body = {"complaint": "fever 3 days", "age_months": 18, "vitals": {"temp_c": 38.9}}
    with state_db.transaction() as conn:
        first = enqueue_change(conn, CASE, "case", body)
    assert first is not None
    assert first.rev.startswith("1-") and len(first.rev) == 2 + 32
    assert first.revisions == {"start": 1, "ids": [first.rev[2:]]}

    # The same history on another install gives the same revision (key order irrelevant).
    other_key = b"\x01" * 32
    with (
        open_app_db(tmp_path / "other.db", other_key) as other,
        other.transaction() as conn,
    ):
        again = enqueue_change(
            conn,
            CASE,
            "case",
            {"vitals": {"temp_c": 38.9}, "age_months": 18, "complaint": "fever 3 days"},
        )
    assert again is not None and again.rev == first.rev


def test_generations_chain_and_history_travels(state_db: Database) -> None:
    with state_db.transaction() as conn:
        one = enqueue_change(conn, CASE, "case", {"v": 1})
        two = enqueue_change(conn, CASE, "case", {"v": 2})
        three = enqueue_change(conn, CASE, "case", {"v": 3}, deleted=True)
    assert one and two and three
    assert [e.rev.split("-")[0] for e in (one, two, three)] == ["1", "2", "3"]
    assert three.revisions == {
        "start": 3,
        "ids": [three.rev[2:], two.rev[2:], one.rev[2:]],
    }
    doc = three.to_couch()
    assert doc["_id"] == CASE and doc["_rev"] == three.rev and doc["_deleted"] is True
    assert doc["type"] == "case" and doc["v"] == 3


def test_same_content_again_is_a_no_op(state_db: Database) -> None:
    with state_db.transaction() as conn:
        assert enqueue_change(conn, CASE, "case", {"v": 1}) is not None
        assert enqueue_change(conn, CASE, "case", {"v": 1}) is None
        assert outbox.pending_count(conn) == 1
        # ... but going back to an earlier content is a new revision.
        assert enqueue_change(conn, CASE, "case", {"v": 2}) is not None
        back = enqueue_change(conn, CASE, "case", {"v": 1})
        assert back is not None and back.rev.startswith("3-")


def test_rolled_back_transaction_leaves_no_outbox_row(state_db: Database) -> None:
    with state_db.transaction() as conn:
        conn.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, complaint TEXT)")

    class CrashError(Exception):
        pass

    with pytest.raises(CrashError), state_db.transaction() as conn:
        conn.execute("INSERT INTO notes VALUES ('0001', 'cough')")
        enqueue_change(conn, CASE, "case", {"complaint": "cough"})
        raise CrashError
    with state_db.transaction() as conn:
        assert conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
        assert outbox.pending_count(conn) == 0
        # and the head was not advanced either: the next change is generation 1
        entry = enqueue_change(conn, CASE, "case", {"complaint": "cough"})
        assert entry is not None and entry.rev.startswith("1-")


def test_batches_in_order_and_mark_sent(state_db: Database) -> None:
    with state_db.transaction() as conn:
        for i in range(25):
            enqueue_change(conn, f"case:kh-01:{i:04d}", "case", {"i": i})
    with state_db.transaction() as conn:
        batch = outbox.read_pending(conn, 10)
        assert [e.body["i"] for e in batch] == list(range(10))
        nxt = outbox.read_pending(conn, 10, after_seq=batch[-1].seq)
        assert [e.body["i"] for e in nxt] == list(range(10, 20))
        assert outbox.mark_sent(conn, [e.seq for e in batch]) == 10
        assert outbox.mark_sent(conn, [e.seq for e in batch]) == 0  # idempotent
        assert outbox.count_by_status(conn) == {
            "pending": 15,
            "sent": 10,
            "superseded": 0,
            "rejected": 0,
        }
        assert [e.body["i"] for e in outbox.read_pending(conn, 100)] == list(range(10, 25))


def test_superseded_rows_are_retired_with_history_kept(state_db: Database) -> None:
    with state_db.transaction() as conn:
        enqueue_change(conn, CASE, "case", {"v": 1})
        enqueue_change(conn, "case:kh-01:0002", "case", {"v": 1})
        last = enqueue_change(conn, CASE, "case", {"v": 2})
        assert outbox.supersede_older(conn) == 1
        pending = outbox.read_pending(conn, 10)
    assert [(e.doc_id, e.body["v"]) for e in pending] == [("case:kh-01:0002", 1), (CASE, 2)]
    assert last is not None and len(pending[1].revisions["ids"]) == 2


def test_requeue_and_reject(state_db: Database) -> None:
    with state_db.transaction() as conn:
        entries = [enqueue_change(conn, f"case:kh-01:{i}", "case", {"i": i}) for i in range(4)]
        seqs = [e.seq for e in entries if e]
        outbox.mark_sent(conn, seqs)
        assert outbox.requeue_sent_after(conn, seqs[1]) == 2
        outbox.mark_rejected(conn, seqs[3], "forbidden: validation failed")
        assert outbox.count_by_status(conn)["pending"] == 1
        rejected = outbox.rejected_entries(conn)
    assert rejected[0]["reason"] == "forbidden: validation failed"


@pytest.mark.parametrize(
    "bad",
    [
        {"_id": "x"},
        {"_attachments": {}},
        {"type": "consult"},  # disagrees with doc_type
        {"when": object()},
        {"x": float("nan")},
    ],
)
def test_invalid_documents_are_refused(state_db: Database, bad: dict[str, object]) -> None:
    with state_db.transaction() as conn, pytest.raises((ValueError, TypeError)):
        enqueue_change(conn, CASE, "case", bad)


def test_doc_ids() -> None:
    assert make_doc_id("case", "kh-01", "0001") == "case:kh-01:0001"
    for bad in ("", "_design", "a b", "x:y"):
        with pytest.raises(ValueError, match="cannot be part of a document id"):
            make_doc_id("case", "kh-01", bad)


def test_checkpoints_and_state(state_db: Database) -> None:
    with state_db.transaction() as conn:
        node = local_state.node_id(conn)
        assert local_state.node_id(conn) == node
        assert local_state.get_checkpoint(conn, "rep") is None
        local_state.set_checkpoint(conn, "rep", "pull", "12-g1AAAA")
        local_state.set_checkpoint(conn, "rep", "pull", "13-g1AAAB")
        assert local_state.get_checkpoint(conn, "rep") == "13-g1AAAB"
        local_state.set_checkpoint(conn, "rep2", "push", 40)
        assert local_state.get_checkpoint(conn, "rep2") == 40


def _remote(doc_id: str, rev: str, history: list[str], **body: object) -> RemoteDoc:
    return RemoteDoc(doc_id=doc_id, rev=rev, history=history, body=dict(body), deleted=False)


def test_pull_decisions(state_db: Database) -> None:
    cfg = "config:kh-01:triage"
    with state_db.transaction() as conn:
        new = _remote(cfg, "1-aaa", ["aaa"], v=1)
        assert local_state.decide_pull(conn, new) == (PullDecision.APPLY, None)
        local_state.record_remote_head(conn, new)
        assert local_state.decide_pull(conn, new)[0] is PullDecision.SKIP
        child = _remote(cfg, "2-bbb", ["bbb", "aaa"], v=2)
        assert local_state.decide_pull(conn, child) == (PullDecision.APPLY, "1-aaa")
        local_state.record_remote_head(conn, child)
        # A local edit on top of 2-bbb...
        mine = enqueue_change(conn, cfg, "config", {"v": "local"})
        assert mine is not None and mine.revisions["ids"][1:] == ["bbb", "aaa"]
        # ...then an old revision comes back: ours descends from it, skip.
        assert local_state.decide_pull(conn, child)[0] is PullDecision.SKIP
        # ...and a server edit on top of 2-bbb: both sides changed, conflict.
        theirs = _remote(cfg, "3-ccc", ["ccc", "bbb", "aaa"], v="server")
        assert local_state.decide_pull(conn, theirs) == (PullDecision.CONFLICT, mine.rev)
        assert local_state.record_conflict(conn, theirs, mine.rev)
        assert not local_state.record_conflict(conn, theirs, mine.rev)  # known already
        assert local_state.open_conflict_count(conn) == 1


def test_file_is_encrypted_and_needs_the_key(tmp_path: Path, db_key: bytes) -> None:
    path = tmp_path / "state.db"
    with open_app_db(path, db_key) as db, db.transaction() as conn:
        enqueue_change(conn, CASE, "case", {"complaint": "SECRET-COMPLAINT"})
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("state.db"))
    assert b"SECRET-COMPLAINT" not in raw
    assert b"SQLite format 3" not in raw
    with pytest.raises(sqlite3.DatabaseError), sqlite3.connect(path) as plain:
        plain.execute("SELECT * FROM sync_outbox").fetchall()
    with pytest.raises(CannotUnlockError):
        Database.open(path, b"\x02" * 32)
    with Database.open(path, db_key) as db, db.transaction() as conn:
        assert outbox.pending_count(conn) == 1


def test_pruning_deletes_only_acknowledged_rows_old_enough_and_below_the_checkpoint(
    state_db: Database,
) -> None:
    with state_db.transaction() as conn:
        entries = [enqueue_change(conn, f"case:kh-01:{n:04d}", "case", {"n": n}) for n in range(6)]
        newer = enqueue_change(conn, "case:kh-01:0000", "case", {"n": 100})
    seqs = [e.seq for e in entries if e is not None]
    assert newer is not None and len(seqs) == 6
    with state_db.transaction() as conn:
        outbox.supersede_older(conn)  # row 0 is replaced by `newer`
        outbox.mark_sent(conn, seqs[1:4])
        outbox.mark_rejected(conn, seqs[4], "too large")
        # Everything above is "done" now; rows done before the cutoff may go.
        pruned = outbox.prune_acknowledged(
            conn, done_before="9999-01-01T00:00:00+00:00", through_seq=seqs[2]
        )
        left = [int(r[0]) for r in conn.execute("SELECT seq FROM sync_outbox ORDER BY seq")]
    # superseded row 0 and sent rows 1-2 go; sent row 3 is above the confirmed checkpoint;
    # the rejected row, the pending row and the newer pending revision stay.
    assert pruned == 3
    assert left == [seqs[3], seqs[4], seqs[5], newer.seq]

    with state_db.transaction() as conn:
        assert (
            outbox.prune_acknowledged(
                conn, done_before="2000-01-01T00:00:00+00:00", through_seq=newer.seq
            )
            == 0
        )  # nothing was done that long ago
        again = enqueue_change(conn, "case:kh-01:0009", "case", {"n": 9})
    assert again is not None and again.seq > newer.seq  # numbers are never reused
