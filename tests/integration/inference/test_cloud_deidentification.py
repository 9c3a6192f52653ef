"""A consult on a saved case sends the cloud no part of the patient's name, id or address.

Real parts: the SQLCipher database and case service (the case is saved and read back),
the consult pipeline with the hybrid engine and the real `CloudChatEngine`, over HTTP
to a recording OpenAI-compatible server on 127.0.0.1 that keeps every request's raw
bytes as they arrived on the socket. The local model is a scripted engine: the local
answer is not what this test is about.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from medassist_desktop.core.assistant.answer import ConsultAnswer
from medassist_desktop.core.assistant.pipeline import ConsultOptions, ConsultPipeline
from medassist_desktop.core.assistant.translate import TRANSLATE_INSTRUCTION
from medassist_desktop.core.degradation import DegradationRegistry
from medassist_desktop.core.inference.cloud import CloudChatEngine, is_cloud_failure
from medassist_desktop.core.inference.deidentify import fold_diacritics
from medassist_desktop.core.inference.hybrid import HybridEngine
from medassist_desktop.core.inference.interface import GenerationParams, InferenceEngine
from medassist_desktop.core.knowledge.passages import Retriever
from medassist_desktop.core.routing import IntentRouter
from medassist_desktop.core.security.accounts import Role
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.triage import TriageEngine, load_rules
from medassist_desktop.services.cases import CaseService
from medassist_desktop.services.consult import ConsultService, ModelHolder
from medassist_desktop.services.security import SecurityServices
from tests.support.consult import SCRIPTED_SHA256, ScriptedEngine, kb_retriever_for
from tests.support.keyrings import MemoryKeyring
from tests.support.security import open_services

NAME = "Nguyễn Văn An"
PATIENT_ID = "VN-2024-0042"
SAVED_CASE: dict[str, Any] = {
    "name": NAME,
    "patient_id": PATIENT_ID,
    "age_months": 26,
    "sex": "male",
    "vitals": {"temperature_c": 38.9, "respiratory_rate": 48},
    "signs": ["cough", "fast_breathing"],
    "duration_days": {"cough": 4},
    "complaint": (
        "An, born 12 March 2022, cough 4 days; mother Nguyễn Thị Hoa (0912 345 678) lives "
        "Phường 7, Quận 3. Nguyen Van An had amoxicillin 125mg/5ml last year."
    ),
    "notes": "Family of Nguyễn Văn An, CCCD 001099012345, Zalo 0912345678.",
}
QUESTION = "Is amoxicillin 125mg/5ml right for An (Nguyen Van An) with fast breathing?"
CLOUD_WORDS = ["Cloud ", "says ", "give ", "amoxicillin ", "[1]."]


class RecordingServer:
    """An OpenAI-compatible chat endpoint that records each request's raw bytes."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                recorded.append(self.requestline.encode() + b"\r\n" + bytes(self.headers) + body)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in CLOUD_WORDS:
                    chunk = {"choices": [{"delta": {"content": word}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return kb_retriever_for(None, tmp_path_factory.mktemp("no-embeddings"))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[SecurityServices]:
    opened = open_services(tmp_path / "data", MemoryKeyring(), CLINIC_ID="vn-01")
    yield opened
    opened.close()


def name_leaks(text: str) -> list[str]:
    """The parts of the patient's name (with or without diacritics) found as words."""
    folded = fold_diacritics(text)
    leaks = []
    for part in {*NAME.split(), *fold_diacritics(NAME).split()}:
        flags = 0 if len(part) <= 3 else re.IGNORECASE  # "An" the name, not "an" the article
        if re.search(rf"(?<!\w){re.escape(fold_diacritics(part))}(?!\w)", folded, flags):
            leaks.append(part)
    return leaks


def consult_on_saved_case(
    services: SecurityServices, retriever: Retriever, question: str, language: str = "en"
) -> tuple[ConsultAnswer, list[bytes], ScriptedEngine]:
    """Save the case, ask `question` about it through the hybrid engine; the answer, the
    requests the cloud received and the local engine."""
    services.accounts.create_first_admin("admin", "admin-password-1")
    admin = services.accounts.login("admin", "admin-password-1")
    services.accounts.add_user(admin, "hoa", "482913", Role.HEALTH_WORKER)
    worker = services.accounts.login("hoa", "482913")
    cases = CaseService(services.db, services.account_store, services.audit_log, clinic_id="vn-01")
    saved = cases.create_case(worker, SAVED_CASE)
    case = cases.get_case(worker, saved.id).details().to_json_dict()
    assert case["name"] == NAME and case["notes"]

    with RecordingServer() as server:
        cloud = CloudChatEngine(server.url, "remote-model", "key", first_byte_timeout=10.0)

        def hybrid(engine: InferenceEngine) -> InferenceEngine:
            return HybridEngine(
                engine,
                cloud,
                breaker=CircuitBreaker("cloud", is_failure=is_cloud_failure),
                degradation=DegradationRegistry(),
                cloud_enabled=lambda: True,
            )

        pipeline = ConsultPipeline(
            triage=TriageEngine(load_rules()),
            router=IntentRouter(None),
            retriever=retriever,
            audit=services.audit_log,
            options=ConsultOptions(
                top_k=2, params=GenerationParams(max_tokens=64), language=language
            ),
        )
        local = ScriptedEngine(["local"])
        service = ConsultService(
            pipeline,
            ModelHolder.given(local, name="s", sha256=SCRIPTED_SHA256, clinical_answers=True),
            wrap_engine=hybrid,
        )
        answer = service.ask(question, case, actor_id=worker.user_id)
        cloud.close()
    return answer, server.requests, local


def sent_content(request: bytes) -> tuple[str, str]:
    wire = request.decode("utf-8")
    sent = json.loads(wire[wire.index("{") :])
    return wire, "\n".join(m["content"] for m in sent["messages"])


def test_a_cloud_consult_on_a_saved_case_sends_no_part_of_the_name(
    services: SecurityServices, retriever: Retriever
) -> None:
    answer, requests, local = consult_on_saved_case(services, retriever, QUESTION)
    assert answer.engine == "cloud" and answer.text.endswith("".join(CLOUD_WORDS))
    assert len(requests) == 1
    wire, content = sent_content(requests[0])
    assert name_leaks(wire) == [] and name_leaks(content) == []
    for identifier in (PATIENT_ID, "0912", "345 678", "12 March", "2022", "Phường 7", "001099"):
        assert identifier not in content and identifier not in wire
    assert "26 months" not in content and "2 years" not in content  # an age band instead
    assert "age band 1-4 years" in content and "fast_breathing" in content
    assert "amoxicillin 125mg/5ml" in content  # doses survive
    assert "respiratory rate 48/min" in content
    # The local model saw the full clinical summary (still without the name).
    assert local.calls == [] or name_leaks(str(local.calls)) == []


def test_a_question_in_vietnamese_is_rendered_in_english_by_the_cloud_without_the_name(
    services: SecurityServices, retriever: Retriever
) -> None:
    question = (
        "Amoxicillin 125mg/5ml có đúng cho An (Nguyễn Văn An, VN-2024-0042) bị thở nhanh không?"
    )
    answer, requests, local = consult_on_saved_case(services, retriever, question, "vi")
    assert local.calls == []
    # First the rendering, then the answer: both de-identified.
    assert len(requests) == 2
    wire, content = sent_content(requests[0])
    assert TRANSLATE_INSTRUCTION in content and "thở nhanh" in content
    assert "amoxicillin 125mg/5ml" in content.casefold()
    for request in requests:
        wire, content = sent_content(request)
        assert name_leaks(wire) == [] and name_leaks(content) == []
        assert PATIENT_ID not in wire
    assert answer.translation == "translated" and answer.engine == "cloud"
    assert answer.retrieval_question == "".join(CLOUD_WORDS).strip()
