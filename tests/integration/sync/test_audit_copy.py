"""The server's copy of the audit entries against the local chain, on a real pouchdb-server.

The attacks are done as an attacker with the database key would: triggers dropped,
rows deleted, the keyed head record rewritten, so the local chain verifies again. Only
the copy already on the server can tell, and the next sync must say which entry.
"""

from __future__ import annotations

import json
import os

import pytest

from medassist_desktop.core.degradation import AUDIT, DegradationRegistry
from medassist_desktop.core.security.audit import AuditLog, Outcome
from medassist_desktop.core.sync import local_state
from medassist_desktop.core.sync.audit_copy import (
    WITNESS_PREFIX,
    AuditCopyCheck,
    AuditCopyResult,
    AuditCopyState,
)
from medassist_desktop.core.sync.engine import SyncEngine, SyncState
from medassist_desktop.services.sync_service import audit_copy_recorder
from medassist_desktop.storage.database import Database
from tests.integration.sync.conftest import make_engine
from tests.servers import FaultProxy, PouchServer

pytestmark = pytest.mark.timeout(120)

CLINIC = "kh-01"


@pytest.fixture
def audit(state: Database) -> AuditLog:
    log = AuditLog(state, os.urandom(32), share_with_clinic=CLINIC)
    log.write_genesis()
    return log


def add_entries(audit: AuditLog, count: int) -> None:
    for i in range(count):
        audit.append(None, "case.view", f"case:{i}", Outcome.SUCCESS, details={"n": i})


def audited_engine(
    url: str, db_name: str, state: Database, audit: AuditLog, registry: DegradationRegistry
) -> SyncEngine:
    return make_engine(
        url,
        db_name,
        state,
        degradation=registry,
        audit_copy=AuditCopyCheck(CLINIC),
        record_audit_copy=audit_copy_recorder(audit),
    )


def entry_doc_id(state: Database, entry_id: int) -> str:
    with state.transaction() as conn:
        return f"audit:{CLINIC}:{local_state.node_id(conn)}.{entry_id}"


def truncate_as_an_attacker(state: Database, audit: AuditLog, keep_through: int) -> None:
    """Delete every entry after `keep_through` and rewrite the head and the id sequence, as
    someone holding the key would: the local chain then verifies as intact."""
    state.execute("DROP TRIGGER audit_log_no_delete")
    state.execute("DELETE FROM audit_log WHERE id > ?", (keep_through,))
    last_hash = str(state.scalar("SELECT hash FROM audit_log WHERE id = ?", (keep_through,)))
    state.execute(
        "UPDATE audit_head SET last_id = ?, last_hash = ?, mac = ?",
        (keep_through, last_hash, audit._head_mac(keep_through, last_hash)),
    )
    state.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'", (keep_through,))


def server_copy_entries(state: Database) -> list[dict[str, object]]:
    rows = state.query_all(
        "SELECT details FROM audit_log WHERE action = 'audit.server_copy' ORDER BY id"
    )
    return [json.loads(row[0]) for row in rows]


def test_a_normal_sync_leaves_audit_healthy_and_stays_cheap(
    pouch: PouchServer, db_name: str, state: Database, audit: AuditLog
) -> None:
    add_entries(audit, 10)  # with the genesis entry: 11
    registry = DegradationRegistry()
    with FaultProxy(pouch.url) as proxy:
        engine = audited_engine(proxy.url, db_name, state, audit, registry)
        first = engine.run_once()
        assert first.state is SyncState.IDLE, first.reason
        assert (first.audit_copy, first.audit_copy_reason) == ("matches", None)
        assert not registry.is_degraded(AUDIT)
        witness = pouch.client().get(f"/{db_name}/_local/{WITNESS_PREFIX}")
        assert witness.status_code == 404  # the name carries the node id
        status = engine.status()
        assert status.audit_copy.state is AuditCopyState.MATCHES
        assert status.audit_copy.verified_through == 11
        assert status.as_dict()["audit_copy"]["state"] == "matches"

        add_entries(audit, 3)
        seen_before = len(proxy.seen)
        second = engine.run_once()
        assert second.audit_copy == "matches"
        assert engine.status().audit_copy.verified_through == 14
        asked = [
            json.loads(s.body)["keys"] for s in proxy.seen[seen_before:] if "_all_docs" in s.path
        ]
        # One request: the three new entries, and the id after the last (must be absent).
        assert len(asked) == 1
        assert sorted(key for keys in asked for key in keys) == sorted(
            entry_doc_id(state, i) for i in (12, 13, 14, 15)
        )
    assert server_copy_entries(state) == []  # nothing to report: no entry written


def test_deleted_local_entries_are_reported_at_the_next_sync(
    pouch: PouchServer, db_name: str, state: Database, audit: AuditLog
) -> None:
    add_entries(audit, 11)  # entries 1-12
    registry = DegradationRegistry()
    recorded: list[AuditCopyResult] = []
    engine = make_engine(
        pouch.url,
        db_name,
        state,
        degradation=registry,
        audit_copy=AuditCopyCheck(CLINIC),
        record_audit_copy=lambda r: (recorded.append(r), audit_copy_recorder(audit)(r)),
    )
    assert engine.run_once().audit_copy == "matches"

    truncate_as_an_attacker(state, audit, keep_through=8)
    assert audit.verify().ok  # the local chain alone cannot tell

    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason  # the sync itself worked
    assert report.audit_copy == "gap"
    assert report.audit_first_bad_id == 9
    assert "audit entry 9 " in (report.audit_copy_reason or "")
    degradation = registry.get(AUDIT)
    assert degradation is not None and "entry 9 " in degradation.reason
    assert [r.first_bad_id for r in recorded] == [9]
    entries = server_copy_entries(state)
    assert len(entries) == 1 and entries[0]["first_bad_id"] == 9
    assert entries[0]["state"] == "gap"
    status = engine.status()
    assert status.audit_copy.state is AuditCopyState.GAP and status.audit_copy.first_bad_id == 9

    # New entries take the deleted ids again: the server's copy still says 9 differs, and
    # the same gap is not recorded twice.
    add_entries(audit, 4)
    again = engine.run_once()
    assert (again.audit_copy, again.audit_first_bad_id) == ("gap", 9)
    assert "differs" in (again.audit_copy_reason or "")
    assert registry.is_degraded(AUDIT)


def test_entries_deleted_from_the_middle_are_named(
    pouch: PouchServer, db_name: str, state: Database, audit: AuditLog
) -> None:
    add_entries(audit, 9)
    engine = audited_engine(pouch.url, db_name, state, audit, DegradationRegistry())
    assert engine.run_once().audit_copy == "matches"
    state.execute("DROP TRIGGER audit_log_no_delete")
    state.execute("DELETE FROM audit_log WHERE id IN (4, 5)")
    report = engine.run_once()
    assert (report.audit_copy, report.audit_first_bad_id) == ("gap", 4)


def test_an_entry_altered_on_the_server_is_reported(
    pouch: PouchServer, db_name: str, state: Database, audit: AuditLog
) -> None:
    add_entries(audit, 9)
    registry = DegradationRegistry()
    engine = audited_engine(pouch.url, db_name, state, audit, registry)
    assert engine.run_once().audit_copy == "matches"

    doc = pouch.get(db_name, entry_doc_id(state, 5))
    doc["outcome"] = "failure"
    pouch.put(db_name, doc)
    add_entries(audit, 1)

    report = engine.run_once()
    assert (report.audit_copy, report.audit_first_bad_id) == ("gap", 5)
    assert "entry 5 differs on the sync server" in (report.audit_copy_reason or "")
    assert registry.is_degraded(AUDIT)
    # Remembered: the next run still reports it, though the changes feed moved on.
    assert engine.run_once().audit_first_bad_id == 5


def test_a_gap_found_by_an_earlier_run_shows_at_once_and_clears_when_matched(
    pouch: PouchServer, db_name: str, state: Database, audit: AuditLog
) -> None:
    add_entries(audit, 5)
    engine = audited_engine(pouch.url, db_name, state, audit, DegradationRegistry())
    assert engine.run_once().audit_copy == "matches"
    # Someone with the server's account slips in another version of entry 3 that wins.
    doc_id = entry_doc_id(state, 3)
    forged_rev = "1-" + "f" * 32
    forged = {**pouch.get(db_name, doc_id), "_rev": forged_rev, "actor": "someone"}
    with pouch.client() as client:
        client.post(
            f"/{db_name}/_bulk_docs", json={"docs": [forged], "new_edits": False}
        ).raise_for_status()
    assert pouch.get(db_name, doc_id)["_rev"] == forged_rev
    found = engine.run_once()
    assert (found.audit_copy, found.audit_first_bad_id) == ("gap", 3)

    # A new app session: its registry shows the stored gap as soon as a run starts,
    # even while the server is away.
    registry = DegradationRegistry()
    away = audited_engine("http://127.0.0.1:9", db_name, state, audit, registry)
    assert away.run_once().state is SyncState.OFFLINE
    degradation = registry.get(AUDIT)
    assert degradation is not None and "entry 3 " in degradation.reason

    # The server's administrator removes the forged version: ours is the only one again.
    with pouch.client() as client:
        client.delete(f"/{db_name}/{doc_id}", params={"rev": forged_rev}).raise_for_status()
    healed = audited_engine(pouch.url, db_name, state, audit, registry).run_once()
    assert healed.audit_copy == "matches", healed.audit_copy_reason
    assert not registry.is_degraded(AUDIT)
    assert [e["state"] for e in server_copy_entries(state)] == ["gap", "matches"]
