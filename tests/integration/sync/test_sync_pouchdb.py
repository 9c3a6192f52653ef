"""Sync against a real pouchdb-server on 127.0.0.1, with faults injected in between.

Each fault ends with the same check, read back through the server's HTTP API:
every queued document is there at its revision, once, with no extra branches.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.degradation import CLOUD_SYNC, DegradationRegistry
from medassist_desktop.core.sync import local_state, outbox
from medassist_desktop.core.sync.breaker import CircuitBreaker, CircuitState
from medassist_desktop.core.sync.couchdb import ServerConfig
from medassist_desktop.core.sync.engine import PushProgress, SyncState
from medassist_desktop.core.sync.outbox import enqueue_change
from medassist_desktop.storage.database import Database
from tests.integration.sync.conftest import (
    assert_server_has_exactly,
    enqueue_cases,
    make_engine,
)
from tests.servers import FaultProxy, PouchServer, Seen, SilentServer, free_port

pytestmark = pytest.mark.timeout(120)


def pushed_ids(proxy: FaultProxy, since: int = 0) -> list[str]:
    """The ids in the `_bulk_docs` bodies the proxy forwarded, in order."""
    ids: list[str] = []
    for seen in proxy.seen[since:]:
        if "_bulk_docs" in seen.path:
            ids += [d["_id"] for d in json.loads(seen.body)["docs"]]
    return ids


def test_push_edit_and_repeat(pouch: PouchServer, db_name: str, state: Database) -> None:
    expected = enqueue_cases(state, 45)
    engine = make_engine(pouch.url, db_name, state, batch_size=20)
    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert (report.pushed, report.batches, report.pending) == (45, 3, 0)
    assert_server_has_exactly(pouch, db_name, expected)

    expected.update(enqueue_cases(state, 5, start=10, version=2))  # edits: generation 2
    report = engine.run_once()
    assert (report.pushed, report.skipped) == (5, 0)
    assert all(expected[f"case:kh-01:{i:05d}"].startswith("2-") for i in range(10, 15))
    assert_server_has_exactly(pouch, db_name, expected)
    assert pouch.get(db_name, "case:kh-01:00012")["version"] == 2

    again = engine.run_once()
    assert (again.pushed, again.pulled, again.batches) == (0, 0, 0)
    status = engine.status()
    assert status.state is SyncState.IDLE and status.pending == 0
    assert status.last_success_at is not None


def test_server_down_at_start(pouch: PouchServer, db_name: str, state: Database) -> None:
    expected = enqueue_cases(state, 30)
    port = free_port()
    registry = DegradationRegistry()
    engine = make_engine(f"http://127.0.0.1:{port}", db_name, state, degradation=registry)
    report = engine.run_once()
    assert report.state is SyncState.OFFLINE
    assert "not reachable" in (report.reason or "")
    assert (report.pushed, report.pending) == (0, 30)
    assert registry.is_degraded(CLOUD_SYNC)
    assert engine.status().state is SyncState.OFFLINE

    with FaultProxy(pouch.url, port=port):  # the server comes up on that address
        report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.pushed == 30
    assert not registry.is_degraded(CLOUD_SYNC)
    assert_server_has_exactly(pouch, db_name, expected)


def test_server_killed_mid_push_resumes_from_checkpoint(tmp_path: Path, state: Database) -> None:
    """The server stores batch 3 and dies before answering; after a restart the run resumes."""
    expected = enqueue_cases(state, 120)
    with PouchServer(tmp_path / "own-server") as server:
        server.create_db("clinic")

        def rule(seen: Seen, count: int) -> Any:
            if "_bulk_docs" in seen.path and count == 3:
                return server.kill
            return "forward"

        with FaultProxy(server.url, rule=rule) as proxy:
            engine = make_engine(proxy.url, "clinic", state, batch_size=20)
            first = engine.run_once()
            assert first.state is SyncState.OFFLINE, first.reason
            assert first.pushed == 40  # two batches confirmed before the crash
            with state.transaction() as conn:
                assert outbox.pending_count(conn) == 80
            seen_before = len(proxy.seen)

            server.start()  # same data directory: the crash lost nothing it had stored
            proxy.rule = lambda _seen, _count: "forward"
            second = engine.run_once()
        assert second.state is SyncState.IDLE, second.reason
        assert second.pushed == 60  # batches 4-6
        assert second.skipped == 20  # batch 3: stored before the crash, not sent again
        resent = pushed_ids(proxy, seen_before)
        assert not set(resent) & {f"case:kh-01:{i:05d}" for i in range(60)}
        assert_server_has_exactly(server, "clinic", expected)


def test_http_500s_are_retried(pouch: PouchServer, db_name: str, state: Database) -> None:
    expected = enqueue_cases(state, 40)

    def rule(seen: Seen, count: int) -> Any:
        return ("status", 500) if "_bulk_docs" in seen.path and count <= 2 else "forward"

    with FaultProxy(pouch.url, rule=rule) as proxy:
        report = make_engine(proxy.url, db_name, state, batch_size=20).run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.pushed == 40
    assert proxy.counts["_bulk_docs"] == 4  # 2 failures + 2 batches
    assert_server_has_exactly(pouch, db_name, expected)


def test_persistent_500s_keep_everything_queued(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    expected = enqueue_cases(state, 25)

    def failing(seen: Seen, _count: int) -> Any:
        return ("status", 503) if "_bulk_docs" in seen.path else "forward"

    with FaultProxy(pouch.url, rule=failing) as proxy:
        engine = make_engine(proxy.url, db_name, state, batch_size=10)
        report = engine.run_once()
        assert report.state is SyncState.ERROR
        assert "HTTP 503" in (report.reason or "")
        assert (report.pushed, report.pending) == (0, 25)
        assert proxy.counts["_bulk_docs"] == 3  # one batch, three tries
        assert pouch.all_docs(db_name) == {}
        proxy.rule = lambda _seen, _count: "forward"
        report = engine.run_once()
    assert report.pushed == 25
    assert_server_has_exactly(pouch, db_name, expected)


def test_413_halves_the_batch(pouch: PouchServer, db_name: str, state: Database) -> None:
    expected = enqueue_cases(state, 100)
    with state.transaction() as conn:  # one document too large even alone
        big = enqueue_change(conn, "case:kh-01:huge", "case", {"scan": "x" * 2000})
    assert big is not None

    def rule(seen: Seen, _count: int) -> Any:
        if "_bulk_docs" in seen.path:
            docs = json.loads(seen.body)["docs"]
            if len(docs) > 8 or any(d["_id"] == "case:kh-01:huge" for d in docs):
                return ("status", 413)
        return "forward"

    with FaultProxy(pouch.url, rule=rule) as proxy:
        engine = make_engine(proxy.url, db_name, state, batch_size=40)
        report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.batch_size == 5  # 40 -> 20 -> 10 -> 5
    assert (report.pushed, report.rejected) == (100, 1)
    forwarded = [len(b["docs"]) for b in proxy.bodies("_bulk_docs")]
    assert max(forwarded) == 40 and min(forwarded) == 1
    assert_server_has_exactly(pouch, db_name, expected)
    status = engine.status()
    assert status.rejected == 1 and status.rejected_list[0]["doc_id"] == "case:kh-01:huge"
    assert "413" in status.rejected_list[0]["reason"]


def test_server_that_never_answers(state: Database) -> None:
    enqueue_cases(state, 5)
    with SilentServer() as silent:
        engine = make_engine(silent.url, "clinic", state, timeout=0.4)
        started = time.monotonic()
        report = engine.run_once()
        elapsed = time.monotonic() - started
    assert report.state is SyncState.OFFLINE
    assert "ReadTimeout" in (report.reason or "")
    assert elapsed < 3
    assert report.pending == 5


def test_push_request_that_hangs_times_out_then_recovers(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    expected = enqueue_cases(state, 30)

    def hang(seen: Seen, _count: int) -> Any:
        return "hang" if "_bulk_docs" in seen.path else "forward"

    with FaultProxy(pouch.url, rule=hang) as proxy:
        engine = make_engine(proxy.url, db_name, state, batch_size=10, timeout=0.4)
        report = engine.run_once()
        assert report.state is SyncState.ERROR
        assert "did not answer in time" in (report.reason or "")
        assert (report.pushed, report.pending) == (0, 30)
        proxy.rule = lambda _seen, _count: "forward"
        report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.pushed == 30
    assert_server_has_exactly(pouch, db_name, expected)


def test_network_drops_between_batches(pouch: PouchServer, db_name: str, state: Database) -> None:
    expected = enqueue_cases(state, 60)
    progress: list[PushProgress] = []
    network = {"up": True, "dropped": False}

    def rule(_seen: Seen, _count: int) -> Any:
        return "forward" if network["up"] else "drop"

    def after_batch(p: PushProgress) -> None:
        progress.append(p)
        if p.batch == 2 and not network["dropped"]:
            network["up"] = False  # the link goes down right after batch 2 is checkpointed
            network["dropped"] = True

    with FaultProxy(pouch.url, rule=rule) as proxy:
        engine = make_engine(proxy.url, db_name, state, batch_size=10, on_progress=after_batch)
        report = engine.run_once()
        assert report.state is SyncState.OFFLINE, report.reason
        assert report.pushed == 20 and report.pending == 40
        seen_before = len(proxy.seen)
        network["up"] = True
        report = engine.run_once()
    assert report.state is SyncState.IDLE
    assert (report.pushed, report.skipped) == (40, 0)
    assert not set(pushed_ids(proxy, seen_before)) & {f"case:kh-01:{i:05d}" for i in range(20)}
    assert_server_has_exactly(pouch, db_name, expected)


def test_breaker_opens_rejects_fast_and_half_opens(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    expected = enqueue_cases(state, 10)
    breaker = CircuitBreaker("sync", failure_threshold=2, recovery_timeout=0.5)

    def failing(seen: Seen, _count: int) -> Any:
        return ("status", 500) if seen.path != "/" else "forward"

    with FaultProxy(pouch.url, rule=failing) as proxy:
        engine = make_engine(proxy.url, db_name, state, breaker=breaker)
        assert engine.run_once().state is SyncState.ERROR
        assert breaker.state is CircuitState.CLOSED
        assert engine.run_once().state is SyncState.ERROR
        assert breaker.state is CircuitState.OPEN

        requests_before = len(proxy.seen)
        started = time.monotonic()
        rejected = engine.run_once()
        assert time.monotonic() - started < 0.2
        assert rejected.state is SyncState.ERROR and "paused" in (rejected.reason or "")
        assert len(proxy.seen) == requests_before, "an open breaker must not touch the network"

        time.sleep(0.55)
        assert breaker.state is CircuitState.HALF_OPEN
        proxy.rule = lambda _seen, _count: "forward"
        report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert breaker.state is CircuitState.CLOSED
    assert_server_has_exactly(pouch, db_name, expected)


def test_server_that_lost_its_data_gets_it_again(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    expected = enqueue_cases(state, 25)
    engine = make_engine(pouch.url, db_name, state)
    assert engine.run_once().pushed == 25
    with pouch.client() as client:  # restored from an old backup: database recreated
        client.delete(f"/{db_name}").raise_for_status()
        client.put(f"/{db_name}").raise_for_status()
    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.pushed == 25
    assert_server_has_exactly(pouch, db_name, expected)


def test_pull_applies_published_documents_and_keeps_conflicting_local_edits(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    for i in range(3):
        pouch.put(db_name, {"_id": f"kb:who-imci:{i}", "type": "kb", "text": f"chapter {i}"})
    pouch.put(db_name, {"_id": "config:kh-01:triage", "type": "config", "fever_days": 7})
    pouch.put(db_name, {"_id": "case:other-clinic:1", "type": "case", "complaint": "not ours"})
    engine = make_engine(pouch.url, db_name, state)
    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert (report.pulled, report.conflicts) == (4, 0)
    with state.transaction() as conn:
        received = dict(conn.execute("SELECT doc_id, body FROM sync_received").fetchall())
    assert sorted(received) == [
        "config:kh-01:triage",
        "kb:who-imci:0",
        "kb:who-imci:1",
        "kb:who-imci:2",
    ]
    assert engine.run_once().pulled == 0  # resumes from the checkpoint

    # Both sides edit the clinic configuration before the next sync.
    base_rev = pouch.get(db_name, "config:kh-01:triage")["_rev"]
    theirs = "2-" + "f" * 32  # sorts above ours: the server will pick theirs as winner
    with pouch.client() as client:
        client.post(
            f"/{db_name}/_bulk_docs",
            json={
                "new_edits": False,
                "docs": [
                    {
                        "_id": "config:kh-01:triage",
                        "_rev": theirs,
                        "type": "config",
                        "fever_days": 5,
                        "_revisions": {"start": 2, "ids": ["f" * 32, base_rev.split("-")[1]]},
                    }
                ],
            },
        ).raise_for_status()
    with state.transaction() as conn:
        mine = enqueue_change(conn, "config:kh-01:triage", "config", {"fever_days": 10})
    assert mine is not None and mine.rev.startswith("2-")
    pouch.put(db_name, {"_id": "kb:who-imci:3", "type": "kb", "text": "new chapter"})

    report = engine.run_once()
    assert report.state is SyncState.IDLE, report.reason
    assert report.pushed == 1 and report.pulled == 1 and report.conflicts == 1
    with state.transaction() as conn:
        assert local_state.open_conflicts(conn)[0]["remote_rev"] == theirs
        head = conn.execute(
            "SELECT rev FROM sync_revisions WHERE doc_id = ?", ("config:kh-01:triage",)
        ).fetchone()[0]
        assert head == mine.rev, "the local edit must be kept"
        body = conn.execute(
            "SELECT body FROM sync_received WHERE doc_id = ?", ("config:kh-01:triage",)
        ).fetchone()[0]
        assert '"fever_days":7' in body, "the pulled copy must not be overwritten"
    # Nothing lost on the server either: both edits are there as branches.
    assert pouch.leaf_revs(db_name, "config:kh-01:triage") == sorted([theirs, mine.rev])
    status = engine.status()
    assert status.conflicts == 1
    assert engine.run_once().conflicts == 0  # reported once, still listed in the status
    assert engine.status().conflicts == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong password", "refused the account 'admin' (HTTP 401"),
        ("missing database", "The database 'no-such-db' does not exist"),
    ],
)
def test_auth_and_missing_database_are_clear_errors(
    pouch: PouchServer, db_name: str, state: Database, case: str, expected: str
) -> None:
    enqueue_cases(state, 3)
    breaker = CircuitBreaker("sync", failure_threshold=1)
    engine = make_engine(
        pouch.url, "no-such-db" if case == "missing database" else db_name, state, breaker=breaker
    )
    if case == "wrong password":
        engine.config = ServerConfig(
            url=pouch.url, db=db_name, user="admin", password="wrong-password"
        )
    report = engine.run_once()
    assert report.state is SyncState.ERROR
    assert expected in (report.reason or "")
    assert report.pending == 3
    assert breaker.state is CircuitState.CLOSED, "a 4xx answer is not an outage"
    with pouch.client() as client:
        assert client.get("/").status_code == 200, "the server is still up"


def test_the_outbox_stays_bounded_and_later_changes_still_arrive(
    pouch: PouchServer, db_name: str, state: Database
) -> None:
    from medassist_desktop.core.sync.engine import SyncOptions

    expected = enqueue_cases(state, 120)
    engine = make_engine(pouch.url, db_name, state)
    engine.options = SyncOptions(batch_size=20, retention_days=0)
    first = engine.run_once()
    assert first.state is SyncState.IDLE, first.reason
    assert first.pruned == 120
    assert state.scalar("SELECT COUNT(*) FROM sync_outbox") == 0

    # New cases and a new revision of an old one: sent after the pruned rows, and a
    # run with nothing new prunes nothing and sends nothing again.
    expected.update(enqueue_cases(state, 30, start=110, version=2))
    second = engine.run_once()
    assert second.state is SyncState.IDLE, second.reason
    assert (second.pushed, second.pruned) == (30, 30)
    assert_server_has_exactly(pouch, db_name, expected)
    third = engine.run_once()
    assert (third.pushed, third.pruned) == (0, 0)

    # With the default retention nothing just acknowledged is deleted.
    kept = make_engine(pouch.url, db_name, state)
    expected.update(enqueue_cases(state, 5, start=500))
    assert kept.run_once().pruned == 0
    assert state.scalar("SELECT COUNT(*) FROM sync_outbox WHERE status = 'sent'") == 5
