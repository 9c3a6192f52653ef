"""Cases on the real encrypted database: saved with triage, audit and outbox in one
transaction; found by name, id, date and level; drafts; consult records; sessions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.cases import CaseNotFoundError, ConsultNotFoundError
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.errors import SessionLockedError
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.triage import Level, TriageInputError
from medassist_desktop.services.cases import CaseInputError, CaseService
from medassist_desktop.services.security import SecurityServices
from tests.support.keyrings import MemoryKeyring
from tests.support.security import FakeClock, open_services

ADMIN_PW = "admin-password-1"
WORKER_PW = "482913"
CLINIC = "kh-01"
DAY = 86_400.0

SICK_CHILD: dict[str, Any] = {
    "name": "Sok Dara",
    "patient_id": "KH-0042",
    "age_months": 14,
    "sex": "male",
    "vitals": {"respiratory_rate": 58, "temperature_c": 38.6},
    "signs": ["cough", "lethargic"],
    "duration_days": {"cough": 2},
    "complaint": "cough, very sleepy",
}
WELL_ADULT: dict[str, Any] = {"name": "Nguyễn Thị Ánh", "age_months": 360, "sex": "female"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock) -> Iterator[SecurityServices]:
    opened = open_services(
        tmp_path / "data",
        MemoryKeyring(),
        clock=clock,
        CLINIC_ID=CLINIC,
        SESSION_TIMEOUT_MINUTES="10",
    )
    opened.accounts.create_first_admin("admin", ADMIN_PW)
    admin = opened.accounts.login("admin", ADMIN_PW)
    opened.accounts.add_user(admin, "hoa", WORKER_PW, Role.HEALTH_WORKER)
    yield opened
    opened.close()


@pytest.fixture
def cases(services: SecurityServices, clock: FakeClock) -> CaseService:
    return CaseService(
        services.db, services.account_store, services.audit_log, clinic_id=CLINIC, clock=clock
    )


@pytest.fixture
def worker(services: SecurityServices) -> Session:
    return services.accounts.login("hoa", WORKER_PW)


def audit_rows(services: SecurityServices, prefix: str = "case.") -> list[tuple[str, str, str]]:
    return [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in services.db.query_all(
            "SELECT actor, action, resource FROM audit_log WHERE action LIKE ? ORDER BY id",
            (prefix + "%",),
        )
    ]


def outbox(services: SecurityServices, doc_type: str) -> list[dict[str, Any]]:
    rows = services.db.query_all(
        "SELECT doc_id, rev, body FROM sync_outbox WHERE doc_type = ? ORDER BY seq", (doc_type,)
    )
    return [{"doc_id": r[0], "rev": r[1], **json.loads(r[2])} for r in rows]


def test_create_view_update_with_triage_audit_and_outbox(
    services: SecurityServices, cases: CaseService, worker: Session, clock: FakeClock
) -> None:
    created = cases.create_case(worker, SICK_CHILD)
    assert created.triage_level is Level.EMERGENCY
    assert {
        "imci.pink.lethargic_or_unconscious",
        "imci.pink.cough_with_danger_sign",
    } <= {f["rule"] for f in created.triage["findings"]}
    assert created.revision == 1 and created.created_by == "hoa" and created.name == "Sok Dara"
    assert created.created_at == datetime.fromtimestamp(clock.now).astimezone()

    clock.advance(60)
    seen = cases.get_case(worker, created.id)
    assert seen == created

    clock.advance(60)
    better = {**SICK_CHILD, "signs": ["cough"], "vitals": {"respiratory_rate": 30}}
    updated = cases.update_case(worker, created.id, better)
    assert updated.triage_level is Level.ROUTINE and updated.revision == 2
    assert updated.created_at == created.created_at and updated.updated_at > created.updated_at
    assert updated.uid == created.uid

    assert audit_rows(services) == [
        ("hoa", "case.create", f"case:{created.id}"),
        ("hoa", "case.view", f"case:{created.id}"),
        ("hoa", "case.update", f"case:{created.id}"),
    ]
    docs = outbox(services, "case")
    assert [d["doc_id"] for d in docs] == [f"case:{CLINIC}:{created.uid}"] * 2
    assert [d["rev"][:2] for d in docs] == ["1-", "2-"]
    assert docs[0]["triage"]["level"] == "emergency" and docs[1]["triage"]["level"] == "routine"
    assert docs[1]["details"]["name"] == "Sok Dara" and docs[1]["clinic"] == CLINIC
    # Every audit entry is queued for the clinic's server too, in its own transaction.
    audit_docs = outbox(services, "audit")
    assert {d["action"] for d in audit_docs} >= {"case.create", "case.view", "case.update"}
    assert services.audit_log.verify().ok


def test_a_save_and_its_audit_and_outbox_rows_are_one_transaction(
    services: SecurityServices, cases: CaseService, worker: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    class DiskGoneError(Exception):
        pass

    def fail(*_args: object) -> int:
        raise DiskGoneError

    monkeypatch.setattr(services.audit_log, "log_case_access", fail)
    with pytest.raises(DiskGoneError):
        cases.create_case(worker, SICK_CHILD)
    assert services.db.scalar("SELECT COUNT(*) FROM cases") == 0
    assert outbox(services, "case") == []


def test_invalid_cases_are_refused_naming_the_field(
    services: SecurityServices, cases: CaseService, worker: Session
) -> None:
    with pytest.raises(TriageInputError) as caught:
        cases.create_case(worker, {**SICK_CHILD, "vitals": {"spo2": 140}})
    assert caught.value.field == "vitals.spo2"
    with pytest.raises(TriageInputError) as caught:
        cases.create_case(worker, {k: v for k, v in SICK_CHILD.items() if k != "name"})
    assert caught.value.field == "name"
    assert services.db.scalar("SELECT COUNT(*) FROM cases") == 0
    assert audit_rows(services) == []
    with pytest.raises(CaseNotFoundError):
        cases.update_case(worker, 999, SICK_CHILD)
    with pytest.raises(CaseNotFoundError):
        cases.get_case(worker, 999)


def test_search_by_name_id_date_and_level(
    services: SecurityServices, cases: CaseService, clock: FakeClock
) -> None:
    made: list[tuple[int, float]] = []
    for n, data in enumerate([SICK_CHILD, WELL_ADULT, {**WELL_ADULT, "name": "Lê Văn Bình"}]):
        session = services.accounts.login("hoa", WORKER_PW)
        made.append((cases.create_case(session, data).id, clock.now))
        clock.advance(DAY * (n + 1))
    session = services.accounts.login("hoa", WORKER_PW)

    def ids(**query: Any) -> list[int]:
        return [summary.id for summary in cases.list_cases(session, **query)]

    sick, anh, binh = (case_id for case_id, _ in made)
    assert ids() == [binh, anh, sick]  # newest first
    assert ids(text="NGUYỄN THỊ") == [anh]  # casefolded, diacritics kept
    assert ids(text="kh-0042") == [sick]  # clinic patient id
    assert ids(text=f"#{anh}") == [anh]
    assert ids(levels=[Level.EMERGENCY]) == [sick]
    assert ids(levels=["routine"]) == [binh, anh]
    day_of_anh = datetime.fromtimestamp(made[1][1]).date()
    assert ids(created_on_or_after=day_of_anh, created_on_or_before=day_of_anh) == [anh]
    assert ids(created_on_or_after=day_of_anh) == [binh, anh]
    assert ids(limit=1, offset=1) == [anh]
    rows = cases.list_cases(session, text="dara")
    assert rows[0].triage_level is Level.EMERGENCY and rows[0].patient_id == "KH-0042"
    assert audit_rows(services)[-1] == ("hoa", "case.search", "case:*")


def test_unauthenticated_calls_are_refused_and_write_nothing(
    services: SecurityServices, cases: CaseService, worker: Session, clock: FakeClock
) -> None:
    case = cases.create_case(worker, SICK_CHILD)
    services.accounts.logout(worker)
    idle = services.accounts.login("hoa", WORKER_PW)
    clock.advance(11 * 60)  # past the 10-minute auto-lock
    before = services.db.scalar("SELECT COUNT(*) FROM sync_outbox")
    for session in (worker, idle):
        calls = [
            lambda s=session: cases.create_case(s, SICK_CHILD),
            lambda s=session: cases.update_case(s, case.id, WELL_ADULT),
            lambda s=session: cases.get_case(s, case.id),
            lambda s=session: cases.list_cases(s),
            lambda s=session: cases.save_draft(s, {"name": "x"}),
            lambda s=session: cases.load_draft(s),
            lambda s=session: cases.record_consult(s, case.id, "q?", {"text": "a"}),
        ]
        for call in calls:
            with pytest.raises(SessionLockedError):
                call()
    assert services.db.scalar("SELECT COUNT(*) FROM cases") == 1
    assert cases.get_case(services.accounts.login("admin", ADMIN_PW), case.id).revision == 1
    # Only the admin's sign-in and view were added since.
    added = services.db.query_all(
        "SELECT doc_type, body FROM sync_outbox ORDER BY seq LIMIT -1 OFFSET ?", (before,)
    )
    assert [json.loads(r[1])["action"] for r in added] == ["auth.login", "case.view"]


def test_drafts_per_user_and_form(
    services: SecurityServices, cases: CaseService, worker: Session
) -> None:
    admin = services.accounts.login("admin", ADMIN_PW)
    typed = {"name": "Sok", "age_years": "1", "age_months": "2", "vitals": {"spo2": "9"}}
    cases.save_draft(worker, typed)  # incomplete and invalid as a case: kept as typed
    cases.save_draft(worker, {**typed, "name": "Sok Dara"})  # autosave replaces it
    cases.save_draft(admin, {"name": "other user's form"})
    draft = cases.load_draft(worker)
    assert draft is not None and draft.form["name"] == "Sok Dara" and draft.case_id is None
    assert cases.load_draft(admin).form == {"name": "other user's form"}  # type: ignore[union-attr]

    created = cases.create_case(worker, SICK_CHILD)  # the new-case draft became the case
    assert cases.load_draft(worker) is None
    cases.save_draft(worker, {"complaint": "edit in progress"}, case_id=created.id)
    assert [d.case_id for d in cases.list_drafts(worker)] == [created.id]
    with pytest.raises(CaseNotFoundError):
        cases.save_draft(worker, {"x": 1}, case_id=999)
    with pytest.raises(CaseInputError):
        cases.save_draft(worker, {"when": object()})
    assert cases.discard_draft(worker, case_id=created.id) is True
    assert cases.discard_draft(worker, case_id=created.id) is False
    assert ("hoa", "case.draft_restore", "case:new") in audit_rows(services)


@dataclass
class PipelineAnswer:
    text: str
    engine: str
    citations: list[str]


def test_consult_records_and_review(
    services: SecurityServices, cases: CaseService, worker: Session
) -> None:
    case = cases.create_case(worker, SICK_CHILD)
    answer = PipelineAnswer("Refer urgently.", "local", ["who-imci-2014 p.5"])
    first = cases.record_consult(worker, case.id, " What should I do? ", answer)
    assert first.question == "What should I do?" and first.answer["engine"] == "local"
    assert not first.reviewed
    general = cases.record_consult(worker, None, "Dose of ORS?", {"text": "...", "engine": "rules"})
    assert general.case_id is None

    reviewed = cases.mark_consult_reviewed(worker, first.id)
    assert reviewed.reviewed and reviewed.reviewed_by == "hoa"
    admin = services.accounts.login("admin", ADMIN_PW)
    assert cases.mark_consult_reviewed(admin, first.id) == reviewed  # first review kept
    assert cases.list_consults(worker, case.id) == [reviewed]
    with pytest.raises(ConsultNotFoundError):
        cases.mark_consult_reviewed(worker, 999)
    with pytest.raises(CaseNotFoundError):
        cases.record_consult(worker, 999, "q", {"text": "a"})
    with pytest.raises(CaseInputError):
        cases.record_consult(worker, case.id, "  ", {"text": "a"})

    actions = [row[1:] for row in audit_rows(services) if "consult" in row[1]]
    assert actions == [
        ("case.consult", f"case:{case.id}"),
        ("case.consult_review", f"case:{case.id}"),
        ("case.consult_view", f"case:{case.id}"),
    ]
    assert ("consult.consult", f"consult:{general.id}") in [
        row[1:] for row in audit_rows(services, "consult.")
    ]
    docs = outbox(services, "consult")
    assert [d["rev"][:2] for d in docs if d["number"] == first.id] == ["1-", "2-"]
    assert docs[-1]["case"] == f"case:{CLINIC}:{case.uid}" and docs[-1]["reviewed_by"] == "hoa"


def test_telemetry_only_when_opted_in_and_without_patient_data(
    services: SecurityServices, worker: Session, clock: FakeClock
) -> None:
    quiet = CaseService(
        services.db, services.account_store, services.audit_log, clinic_id=CLINIC, clock=clock
    )
    quiet.create_case(worker, SICK_CHILD)
    assert outbox(services, "telemetry") == []
    opted_in = CaseService(
        services.db,
        services.account_store,
        services.audit_log,
        clinic_id=CLINIC,
        telemetry=True,
        clock=clock,
    )
    case = opted_in.create_case(worker, SICK_CHILD)
    opted_in.update_case(worker, case.id, WELL_ADULT)
    docs = outbox(services, "telemetry")
    assert docs[-1]["counts"] == {"case.create": 1, "case.update": 1}
    assert len({d["doc_id"] for d in docs}) == 1  # one document per day and installation
    text = json.dumps(docs)
    assert "Sok" not in text and "KH-0042" not in text and "hoa" not in text


def test_preview_triage_is_pure(cases: CaseService, services: SecurityServices) -> None:
    result = cases.preview_triage({**SICK_CHILD, "notes": "n"})
    assert result.level is Level.EMERGENCY
    assert cases.preview_triage({"age_months": 30}).level is Level.ROUTINE
    with pytest.raises(TriageInputError):
        cases.preview_triage({"age_months": 30, "vitals": {"heart_rate": 1000}})
    assert audit_rows(services) == []


def test_a_batch_is_saved_in_one_transaction(
    services: SecurityServices,
    cases: CaseService,
    worker: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batch = [({**WELL_ADULT, "name": f"Patient {n}"}, None) for n in range(5)]
    calls = 0
    real = services.audit_log.log_case_access

    def fail_on_the_fourth(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise OSError("power cut")
        real(*args, **kwargs)

    monkeypatch.setattr(services.audit_log, "log_case_access", fail_on_the_fourth)
    with pytest.raises(OSError, match="power cut"):
        cases.create_cases(worker, batch)
    assert services.db.scalar("SELECT COUNT(*) FROM cases") == 0
    assert outbox(services, "case") == []

    monkeypatch.setattr(services.audit_log, "log_case_access", real)
    saved = cases.create_cases(worker, batch)
    assert [case.name for case, _ in saved] == [f"Patient {n}" for n in range(5)]
    assert all(created for _, created in saved)
    assert [r[1] for r in audit_rows(services)].count("case.create") == 5


def test_a_batch_sent_again_with_client_ids_saves_nothing_twice(
    services: SecurityServices, cases: CaseService, worker: Session
) -> None:
    ids = [
        "3f2b8c1e-6a4d-4f0e-9b7a-2c5d8e1f0a3b",
        "{6A1D3C2B-0E4F-4A5B-8C7D-9E0F1A2B3C4D}",  # another spelling of a UUID
    ]
    first = cases.create_cases(worker, [(SICK_CHILD, ids[0]), (WELL_ADULT, ids[1])])
    assert [created for _, created in first] == [True, True]
    assert first[1][0].uid == "6a1d3c2b0e4f4a5b8c7d9e0f1a2b3c4d"
    queued = len(outbox(services, "case"))

    again = cases.create_cases(
        worker, [(SICK_CHILD, ids[0]), ({**WELL_ADULT, "name": "New"}, None), (WELL_ADULT, ids[1])]
    )
    assert [created for _, created in again] == [False, True, False]
    assert [again[0][0].id, again[2][0].id] == [first[0][0].id, first[1][0].id]
    assert services.db.scalar("SELECT COUNT(*) FROM cases") == 3
    assert len(outbox(services, "case")) == queued + 1

    with pytest.raises(CaseInputError, match="not a UUID"):
        cases.create_cases(worker, [(SICK_CHILD, "case-1")])
