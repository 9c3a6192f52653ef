"""The referral PDF leaves the app as a private file, written atomically, and is audited.

Real parts: the SQLCipher database on its executor thread, the case service, the case
form (offscreen Qt) and Qt's PDF writer; no model is loaded (the consult is not used).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from medassist_desktop.composition import AppServices
from medassist_desktop.context import AppContext
from medassist_desktop.core.assistant.pipeline import ConsultPipeline
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.errors import KnownError
from medassist_desktop.logging_setup import Redactor
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService, ModelHolder
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Database
from medassist_desktop.storage.executor import SerialExecutor
from medassist_desktop.ui.cases.case_form import CaseFormPage
from medassist_desktop.ui.referral import write_pdf
from medassist_desktop.ui.session import SessionManager
from medassist_desktop.workers.tasks import DatabaseTaskManager
from tests.support.consult import kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services, settings_for

CLINIC = "kh-01"
CHILD = "Chanthy Meas"


class Env:
    def __init__(self, data_dir: Path) -> None:
        opened: dict[str, Any] = {}

        def open_on_db_thread() -> Database:
            security = open_services(data_dir, MemoryKeyring(), CLINIC_ID=CLINIC)
            security.accounts.create_first_admin("admin", "admin-password-1")
            admin = security.accounts.login("admin", "admin-password-1")
            security.accounts.add_user(admin, "hoa", "482913", Role.HEALTH_WORKER, "Nurse Hoa")
            opened["security"] = security
            opened["session"] = security.accounts.login("hoa", "482913")
            return security.db

        self.executor = SerialExecutor(open_on_db_thread)
        self.executor.opened.result(timeout=60)
        self.security: SecurityServices = opened["security"]
        self.session: Session = opened["session"]
        self.cases = CaseService(
            self.security.db, self.security.account_store, self.security.audit_log, clinic_id=CLINIC
        )
        pipeline = ConsultPipeline(
            triage=TriageEngine(load_rules()),
            router=IntentRouter(None),
            retriever=kb_retriever_for(None, data_dir / "starter"),
            audit=self.security.audit_log,
        )
        self.consult = ConsultService(pipeline, ModelHolder())
        self.tasks = DatabaseTaskManager(self.executor)
        self.calls = SessionManager(
            AppServices(AppContext(settings_for(data_dir, CLINIC_ID=CLINIC), Redactor(), None), {})
        )
        self.calls.attach(self.security, self.tasks)
        self.calls.begin(self.session)

    def on_db(self, work: Any) -> Any:
        return self.executor.submit(work).result(timeout=30)

    def exports(self) -> list[dict[str, Any]]:
        rows = self.on_db(
            lambda db: db.query_all(
                "SELECT actor, resource, details FROM audit_log "
                "WHERE action = 'case.referral_export' ORDER BY id"
            )
        )
        return [{"actor": r[0], "resource": r[1], "details": json.loads(r[2])} for r in rows]


@pytest.fixture
def env(qapp: object, tmp_path: Path) -> Iterator[Env]:
    environment = Env(tmp_path / "data")
    yield environment
    environment.consult.close()
    environment.tasks.shutdown()


def test_the_referral_is_private_atomic_and_audited(env: Env, qtbot: QtBot, tmp_path: Path) -> None:
    case = env.on_db(
        lambda _db: env.cases.create_case(
            env.session,
            {"name": CHILD, "age_months": 30, "signs": ["lethargic"], "sex": "female"},
        )
    )
    page = CaseFormPage(env.cases, env.consult, env.calls, clinic=CLINIC)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.opened, timeout=10_000):
        page.open_case(case.id)
    folder = tmp_path / "usb"
    folder.mkdir()
    target = folder / "referral.pdf"
    target.write_bytes(b"an older summary")
    target.chmod(0o644)
    previous = os.umask(0)  # a permissive umask must not make the file readable by others
    try:
        path = page.export_referral(target)
    finally:
        os.umask(previous)
    assert path == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["referral.pdf"]  # no temp left
    text = " ".join(PdfReader(target).pages[0].extract_text().split())
    assert CHILD in text and "EMERGENCY" in text
    qtbot.waitUntil(lambda: len(env.exports()) == 1, timeout=10_000)
    [entry] = env.exports()
    assert entry["resource"] == f"case:{case.id}"
    assert entry["details"] == {
        "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "bytes": target.stat().st_size,
    }
    assert "referral.pdf" not in json.dumps(entry) and CHILD not in json.dumps(entry)


def test_a_pdf_that_cannot_be_written_leaves_nothing(qapp: object, tmp_path: Path) -> None:
    blocked = tmp_path / "referral.pdf"
    blocked.mkdir()  # a folder where the file should go: the rename fails
    (blocked / "keep").write_text("x")
    with pytest.raises(KnownError, match="Could not write the PDF"):
        write_pdf("<p>Referral</p>", blocked)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["referral.pdf"]
