"""A real conflict on a real pouchdb-server: the same case edited on the server and here.

The engine finds it (changes feed, all leaves), both versions are kept for the admin,
and settling it either way leaves exactly one live branch on the server.
"""

from __future__ import annotations

from typing import Any

import pytest

from medassist_desktop.core.sync import conflicts
from medassist_desktop.core.sync.conflicts import Keep
from medassist_desktop.core.sync.engine import SyncState
from medassist_desktop.core.sync.outbox import enqueue_change
from medassist_desktop.storage.database import Database
from tests.integration.sync.conftest import make_engine
from tests.servers import PouchServer

pytestmark = pytest.mark.timeout(120)

DOC = "case:kh-01:0001"


def live_leaves(pouch: PouchServer, db_name: str) -> list[str]:
    """The document's branches that are not deleted (a settled conflict leaves one)."""
    with pouch.client() as client:
        response = client.get(
            f"/{db_name}/{DOC}", params={"open_revs": "all"}, headers={"Accept": "application/json"}
        )
        response.raise_for_status()
        return sorted(
            item["ok"]["_rev"]
            for item in response.json()
            if "ok" in item and not item["ok"].get("_deleted")
        )


def edit_here(state: Database, body: dict[str, Any]) -> str:
    with state.transaction() as conn:
        entry = enqueue_change(conn, DOC, "case", body)
    assert entry is not None
    return entry.rev


def make_conflict(pouch: PouchServer, db_name: str, state: Database) -> tuple[str, str]:
    """Sync a case, edit it on the server and here, sync: returns (ours, theirs)."""
    engine = make_engine(pouch.url, db_name, state)
    edit_here(state, {"details": {"name": "Dara", "age_months": 30}, "revision": 1})
    assert engine.run_once().state is SyncState.IDLE
    server_doc = pouch.get(db_name, DOC)
    server_doc["details"] = {"name": "Dara", "age_months": 36}
    server_doc["revision"] = 2
    theirs = pouch.put(db_name, server_doc)
    ours = edit_here(state, {"details": {"name": "Dara", "age_months": 31}, "revision": 2})
    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.conflicts == 1
    assert live_leaves(pouch, db_name) == sorted([ours, theirs])
    return ours, theirs


def test_a_case_edited_on_both_sides_is_listed_with_both_versions(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    ours, theirs = make_conflict(pouch, db_name, state)
    with state.transaction() as conn:
        listed = conflicts.open_conflicts(conn)
    assert [(c.doc_id, c.local_rev, c.remote_rev) for c in listed] == [(DOC, ours, theirs)]
    fields = {pair.name: pair for pair in listed[0].fields()}
    assert (fields["details.age_months"].local, fields["details.age_months"].server) == (
        "31",
        "36",
    )
    assert fields["details.age_months"].differs
    assert not fields["details.name"].differs
    assert "type" not in fields
    # A second run finds nothing new: the conflict is recorded once.
    assert make_engine(pouch.url, db_name, state).run_once().conflicts == 0


def test_keeping_ours_ends_the_servers_branch(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    ours, _theirs = make_conflict(pouch, db_name, state)
    engine = make_engine(pouch.url, db_name, state)
    with state.transaction() as conn:
        conflict = conflicts.find_conflict(conn, DOC)
    assert engine.settle_conflict(conflict, Keep.LOCAL) is None
    with state.transaction() as conn:
        conflicts.mark_resolved(conn, conflict)
    assert live_leaves(pouch, db_name) == [ours]
    assert pouch.get(db_name, DOC)["details"]["age_months"] == 31
    report = engine.run_once()
    assert (report.state, report.conflicts) == (SyncState.IDLE, 0)
    with state.transaction() as conn:
        assert conflicts.open_conflicts(conn) == []


def test_keeping_theirs_makes_it_our_head_and_the_next_edit_descends_from_it(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    _ours, theirs = make_conflict(pouch, db_name, state)
    engine = make_engine(pouch.url, db_name, state)
    with state.transaction() as conn:
        conflict = conflicts.find_conflict(conn, DOC, theirs)
    remote = engine.settle_conflict(conflict, Keep.SERVER)
    assert remote is not None and remote.rev == theirs
    assert remote.body["details"]["age_months"] == 36
    assert live_leaves(pouch, db_name) == [theirs]
    with state.transaction() as conn:
        conflicts.adopt_remote_head(conn, remote)
        conflicts.mark_resolved(conn, conflict)
    newer = edit_here(state, {**remote.body, "revision": 3})
    report = engine.run_once()
    assert (report.state, report.conflicts) == (SyncState.IDLE, 0)
    assert live_leaves(pouch, db_name) == [newer]
    assert newer.startswith("3-")


def test_an_unknown_conflict_is_a_clear_error(state: Database) -> None:
    with state.transaction() as conn, pytest.raises(conflicts.ConflictNotFoundError):
        conflicts.find_conflict(conn, DOC)
