"""Patient cases for the GUI and `medassist cases`: save, find, drafts, consult records.

Every method takes the signed-in user's `Session` and checks it here (signed in, not
locked, account still enabled); health workers and admins may both use cases. Each
save is one transaction holding the change, its triage, its audit entry and its row
in the sync outbox, so after a crash either all of them are there or none is. Every
read of a case is audited (`AuditLog.log_case_access`).

The triage level is computed by the rules on every save (never by the model) and
stored, so the list can colour cases without running the rules again.

Drafts are the form as typed, autosaved so nothing typed is lost on a crash; they may
be incomplete or invalid. Saving a draft is not audited (it is the user's own typing,
and autosave runs often); restoring one is.
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from medassist_desktop.config import Settings
from medassist_desktop.core.cases import repository as repo
from medassist_desktop.core.cases.models import (
    Case,
    CaseDetails,
    CaseNotFoundError,
    CaseSummary,
    ConsultRecord,
    Draft,
    parse_case_details,
)
from medassist_desktop.core.security.accounts import AccountStore, User
from medassist_desktop.core.security.audit import AuditLog, Clock, Outcome
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.core.sync import shared
from medassist_desktop.core.triage import TriageEngine, TriageResult, evaluate, load_rules
from medassist_desktop.core.triage.catalogue import sign_codes
from medassist_desktop.core.triage.rules import Level
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n import resolve_language
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, N_, translate
from medassist_desktop.services.accounts import authorize
from medassist_desktop.services.security import SecurityServices
from medassist_desktop.storage.database import Connection, Database

MAX_QUESTION_LENGTH = 10_000
MAX_DRAFT_BYTES = 1_000_000


class CaseInputError(KnownError):
    """A draft, question or answer that cannot be stored as given."""


class CaseService:
    """What the case screens and `medassist cases` call; never the storage directly.

    Not thread-safe: use it on the thread that owns the database (the GUI's database
    executor, the CLI's main thread).
    """

    def __init__(
        self,
        db: Database,
        accounts: AccountStore,
        audit: AuditLog,
        *,
        clinic_id: str,
        triage: TriageEngine | None = None,
        telemetry: bool = False,
        clock: Clock = time.time,
        language: str = FALLBACK_LANGUAGE,
    ) -> None:
        self._db = db
        self._language = language
        self._accounts = accounts
        self._audit = audit
        self._clinic_id = clinic_id
        self._triage = triage if triage is not None else TriageEngine(load_rules())
        self._telemetry = telemetry
        self._clock = clock

    @classmethod
    def from_security(
        cls,
        services: SecurityServices,
        settings: Settings,
        *,
        triage: TriageEngine | None = None,
        clock: Clock = time.time,
    ) -> CaseService:
        """The service on an opened database, with the clinic and telemetry choice of settings."""
        return cls(
            services.db,
            services.account_store,
            services.audit_log,
            clinic_id=settings.clinic_id,
            triage=triage,
            telemetry=settings.enable_telemetry,
            clock=clock,
            language=resolve_language(settings.ui_language),
        )

    # --- triage (pure: no session, no database) ----------------------------------------

    @property
    def language(self) -> str:
        """The health worker's language (the referral summary and the form's labels use it)."""
        return self._language

    @property
    def sign_labels(self) -> dict[str, str]:
        """The rules' sign codes and their readable labels (the form's checkboxes), in the
        health worker's language."""
        return {
            code: translate(label, self._language)
            for code, label in self._triage.rule_set.signs.items()
        }

    @property
    def english_sign_labels(self) -> dict[str, str]:
        """The rules' own (English) label of each sign code: the referral summary renders
        them in its language, and as they are in its English copy."""
        return dict(self._triage.rule_set.signs)

    @property
    def sign_catalogue(self) -> list[dict[str, Any]]:
        """Every sign code with its label and examination group (`medassist triage --codes`),
        labels and group titles in the health worker's language."""
        return sign_codes(self._triage.rule_set, self._language)

    def preview_triage(self, details: CaseDetails | Mapping[str, Any]) -> TriageResult:
        """The rules' verdict on a form as it stands (for the live banner); saves nothing.

        Accepts the triage input with or without name/patient_id/notes. Raises
        `TriageInputError` naming the field when a value is impossible.
        """
        if isinstance(details, CaseDetails):
            return evaluate(details.triage_input(), self._triage.rule_set)
        data = {k: v for k, v in details.items() if k not in ("name", "patient_id", "notes")}
        return self._triage.triage(data)

    # --- cases -------------------------------------------------------------------------

    def create_case(
        self,
        session: Session,
        details: CaseDetails | Mapping[str, Any],
        *,
        discard_draft: bool = True,
    ) -> Case:
        """Save a new case (triaged now); the new-case form's draft goes with it."""
        checked = _details(details)
        user = self._authorize(session, "case.create")
        with self._db.transaction() as conn:
            case, _ = self._insert(conn, user, checked, uuid.uuid4().hex)
            if discard_draft:
                repo.delete_draft(conn, user.id, None)
        return case

    def create_cases(
        self,
        session: Session,
        items: Sequence[tuple[CaseDetails | Mapping[str, Any], str | None]],
    ) -> list[tuple[Case, bool]]:
        """Save a batch of new cases in one transaction: all of them or, after a crash or
        a power cut mid-batch, none.

        Each item may carry the client's own id for the case (a UUID, e.g. from a tablet
        or a spreadsheet export): a case already saved under that id is returned as it is
        (with False) instead of being saved twice, so a batch that was interrupted, or
        that the caller is unsure about, can simply be sent again.
        """
        checked = [(_details(details), _client_uid(uid)) for details, uid in items]
        user = self._authorize(session, "case.create")
        saved: list[tuple[Case, bool]] = []
        with self._db.transaction() as conn:
            for details, uid in checked:
                existing = None if uid is None else repo.find_case_by_uid(conn, uid)
                if existing is not None:
                    saved.append((existing, False))
                else:
                    saved.append(self._insert(conn, user, details, uid or uuid.uuid4().hex))
        return saved

    def _insert(
        self, conn: Connection, user: User, details: CaseDetails, uid: str
    ) -> tuple[Case, bool]:
        triage = evaluate(details.triage_input(), self._triage.rule_set)
        case_id = repo.insert_case(conn, details, triage, uid=uid, user_id=user.id, now=self._now())
        case = repo.fetch_case(conn, case_id)
        self._share_case(conn, case)
        self._count(conn, "case.create")
        self._audit.log_case_access(user.id, case_id, "create", {"level": triage.level.value})
        return case, True

    def update_case(
        self,
        session: Session,
        case_id: int,
        details: CaseDetails | Mapping[str, Any],
        *,
        discard_draft: bool = True,
    ) -> Case:
        """Save an edit of a case (triaged again); this user's draft of it goes with it."""
        checked = _details(details)
        triage = evaluate(checked.triage_input(), self._triage.rule_set)
        user = self._authorize(session, "case.update")
        now = self._now()
        with self._db.transaction() as conn:
            repo.update_case(conn, case_id, checked, triage, user_id=user.id, now=now)
            if discard_draft:
                repo.delete_draft(conn, user.id, case_id)
            case = repo.fetch_case(conn, case_id)
            self._share_case(conn, case)
            self._count(conn, "case.update")
            self._audit.log_case_access(user.id, case_id, "update", {"level": triage.level.value})
        return case

    def adopt_synced_version(
        self,
        session: Session,
        uid: str,
        details: CaseDetails | Mapping[str, Any],
        *,
        before_save: Callable[[Connection], None],
    ) -> Case:
        """Save the details of another copy of a case (the server's, kept in a sync
        conflict) as this case's new state, triaged again by this computer's rules.

        `before_save` runs first in the same transaction (the sync bookkeeping that makes
        the server's revision the parent of the revision queued here), so the case, its
        new revision and the settled conflict are saved together or not at all.
        """
        checked = _details(details)
        triage = evaluate(checked.triage_input(), self._triage.rule_set)
        user = self._authorize(session, "case.update")
        with self._db.transaction() as conn:
            before_save(conn)
            existing = repo.find_case_by_uid(conn, uid)
            if existing is None:
                raise CaseNotFoundError(N_("There is no case with the shared id {uid}.", uid=uid))
            repo.update_case(conn, existing.id, checked, triage, user_id=user.id, now=self._now())
            case = repo.fetch_case(conn, existing.id)
            self._share_case(conn, case)
            self._audit.log_case_access(
                user.id,
                case.id,
                "update",
                {"level": triage.level.value, "source": "sync.conflict"},
            )
        return case

    def get_case(self, session: Session, case_id: int) -> Case:
        """One case with its stored triage (audited as a view)."""
        user = self._authorize(session, "case.view")
        with self._db.transaction() as conn:
            case = repo.fetch_case(conn, case_id)
            self._audit.log_case_access(user.id, case_id, "view")
        return case

    def list_cases(
        self,
        session: Session,
        *,
        text: str = "",
        created_on_or_after: date | None = None,
        created_on_or_before: date | None = None,
        levels: Collection[Level | str] = (),
        limit: int = 200,
        offset: int = 0,
    ) -> list[CaseSummary]:
        """Cases, newest first, narrowed by part of the name or clinic patient id (or the
        case number), by the day they were created (local dates, inclusive) and by
        triage level. Audited as a search (without the search text, which may be a name).
        """
        user = self._authorize(session, "case.search")
        where = repo.CaseFilter(
            text=text,
            created_from=None if created_on_or_after is None else _day_start(created_on_or_after),
            created_before=(
                None
                if created_on_or_before is None
                else _day_start(created_on_or_before + timedelta(days=1))
            ),
            levels=[Level(level) for level in levels],
            limit=limit,
            offset=offset,
        )
        with self._db.transaction() as conn:
            found = repo.search_cases(conn, where)
            self._audit.log_case_access(user.id, "*", "search")
        return found

    # --- drafts ------------------------------------------------------------------------

    def save_draft(
        self, session: Session, form: Mapping[str, Any], *, case_id: int | None = None
    ) -> Draft:
        """Autosave the form as typed (`case_id` None: the new-case form). Not validated
        as a case; it must be JSON (text, numbers, lists, objects). Call it on change,
        not on a timer: each call counts as activity for the auto-lock."""
        data = _json_object(form, "draft")
        if len(json.dumps(data, ensure_ascii=False).encode("utf-8")) > MAX_DRAFT_BYTES:
            raise CaseInputError(N_("This draft is too large to keep (over 1 MB)."))
        user = self._authorize(session, "case.draft_save")
        now = self._now()
        with self._db.transaction() as conn:
            if case_id is not None:
                repo.case_uid(conn, case_id)  # the case must exist
            repo.upsert_draft(conn, user.id, case_id, data, now)
            draft = repo.fetch_draft(conn, user.id, case_id)
        assert draft is not None
        return draft

    def load_draft(self, session: Session, *, case_id: int | None = None) -> Draft | None:
        """This user's draft of the form (audited when there is one)."""
        user = self._authorize(session, "case.draft_restore")
        with self._db.transaction() as conn:
            draft = repo.fetch_draft(conn, user.id, case_id)
            if draft is not None:
                self._audit.log_case_access(
                    user.id, "new" if case_id is None else case_id, "draft_restore"
                )
        return draft

    def list_drafts(self, session: Session) -> list[Draft]:
        """This user's drafts, newest first (to offer them back after a crash)."""
        user = self._authorize(session, "case.draft_list")
        with self._db.transaction() as conn:
            return repo.fetch_drafts(conn, user.id)

    def discard_draft(self, session: Session, *, case_id: int | None = None) -> bool:
        """Forget this user's draft of the form; False when there was none."""
        user = self._authorize(session, "case.draft_discard")
        with self._db.transaction() as conn:
            return repo.delete_draft(conn, user.id, case_id)

    # --- consult records ---------------------------------------------------------------

    def record_consult(
        self, session: Session, case_id: int | None, question: str, answer: Any
    ) -> ConsultRecord:
        """Store a consult's question and answer (on a case, or general with None).

        `answer` is the consult pipeline's answer object: a mapping, a pydantic model, a
        dataclass, or anything with `as_dict()`; it is stored as JSON, unchanged.
        """
        question = question.strip()
        if not question:
            raise CaseInputError(N_("The question is empty."))
        if len(question) > MAX_QUESTION_LENGTH:
            raise CaseInputError(
                N_(
                    "The question is too long (over {max_question_length} characters).",
                    max_question_length=MAX_QUESTION_LENGTH,
                )
            )
        data = _json_object(_answer_data(answer), "answer")
        user = self._authorize(session, "case.consult")
        now = self._now()
        with self._db.transaction() as conn:
            case_uid = None if case_id is None else repo.case_uid(conn, case_id)
            consult_id = repo.insert_consult(
                conn,
                uid=uuid.uuid4().hex,
                case_id=case_id,
                question=question,
                answer=data,
                user_id=user.id,
                now=now,
            )
            record = repo.fetch_consult(conn, consult_id)
            self._share_consult(conn, record, case_uid)
            self._count(conn, "consult.record")
            self._audit_consult(user, record, "consult")
        return record

    def list_consults(self, session: Session, case_id: int) -> list[ConsultRecord]:
        """The consults recorded on a case, oldest first (audited as a view)."""
        user = self._authorize(session, "case.consult_view")
        with self._db.transaction() as conn:
            repo.case_uid(conn, case_id)
            records = repo.fetch_consults(conn, case_id)
            self._audit.log_case_access(user.id, case_id, "consult_view")
        return records

    def mark_consult_reviewed(self, session: Session, consult_id: int) -> ConsultRecord:
        """The health worker has read and reviewed this answer (audited). The first
        review is kept; marking it again changes nothing."""
        user = self._authorize(session, "case.consult_review")
        now = self._now()
        with self._db.transaction() as conn:
            record = repo.fetch_consult(conn, consult_id)
            if record.reviewed:
                return record
            repo.mark_reviewed(conn, consult_id, user.id, now)
            record = repo.fetch_consult(conn, consult_id)
            case_uid = None if record.case_id is None else repo.case_uid(conn, record.case_id)
            self._share_consult(conn, record, case_uid)
            self._count(conn, "consult.review")
            self._audit_consult(user, record, "consult_review")
        return record

    def record_referral_export(
        self, session: Session, case_id: int | None, *, sha256: str, size: int
    ) -> int:
        """Audit that a referral summary left the database as a file (`case.referral_export`).

        The file's name and folder are not recorded: they often hold the patient's name,
        and the audit trail is synced. Its sha256 identifies the file if it turns up.
        """
        user = self._authorize(session, "case.referral_export")
        return self._audit.append(
            user.id,
            "case.referral_export",
            f"case:{case_id}" if case_id is not None else "case:unsaved",
            Outcome.SUCCESS,
            details={"sha256": sha256, "bytes": size},
        )

    # --- plumbing ----------------------------------------------------------------------

    def _authorize(self, session: Session, action: str) -> User:
        # Outside any transaction: a refusal's audit entry must not be rolled back.
        return authorize(session, None, self._accounts, self._audit, action)

    def _now(self) -> str:
        return repo.timestamp(self._clock())

    def _audit_consult(self, user: User, record: ConsultRecord, action: str) -> None:
        if record.case_id is not None:
            self._audit.log_case_access(user.id, record.case_id, action)
        else:
            self._audit.append(
                user.id, f"consult.{action}", f"consult:{record.id}", Outcome.SUCCESS
            )

    def _share_case(self, conn: Connection, case: Case) -> None:
        shared.share(
            conn,
            shared.CASE,
            self._clinic_id,
            case.uid,
            {
                "number": case.id,
                "details": case.details().to_json_dict(),
                "triage": case.triage,
                "revision": case.revision,
                "created_at": case.created_at.isoformat(),
                "created_by": case.created_by,
                "updated_at": case.updated_at.isoformat(),
                "updated_by": case.updated_by,
            },
        )

    def _share_consult(self, conn: Connection, record: ConsultRecord, case_uid: str | None) -> None:
        body = record.as_dict()
        body["number"] = body.pop("id")
        body.pop("uid")
        body["case"] = (
            None if case_uid is None else shared.doc_id(shared.CASE, self._clinic_id, case_uid)
        )
        shared.share(conn, shared.CONSULT, self._clinic_id, record.uid, body)

    def _count(self, conn: Connection, event: str) -> None:
        if self._telemetry:
            day = datetime.fromtimestamp(self._clock(), UTC).date().isoformat()
            shared.count_usage(conn, self._clinic_id, event, day)


def _details(details: CaseDetails | Mapping[str, Any]) -> CaseDetails:
    if isinstance(details, CaseDetails):
        return details
    return parse_case_details(dict(details))


def _client_uid(value: str | None) -> str | None:
    """A client-chosen case id, normalised (any UUID spelling -> 32 hex digits)."""
    if value is None:
        return None
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        raise CaseInputError(
            N_(
                "The case id {value!r} is not a UUID (e.g. 3f2b8c1e-6a4d-4f0e-9b7a-2c5d8e1f0a3b).",
                value=str(value)[:40],
            )
        ) from None


def _day_start(day: date) -> str:
    """The UTC timestamp of this computer's local midnight starting `day`."""
    local_midnight = datetime(day.year, day.month, day.day).astimezone()
    return local_midnight.astimezone(UTC).isoformat(timespec="milliseconds")


def _answer_data(answer: Any) -> Any:
    if isinstance(answer, Mapping):
        return dict(answer)
    model_dump = getattr(answer, "model_dump", None)
    if callable(model_dump):
        return model_dump(mode="json")
    as_dict = getattr(answer, "as_dict", None)
    if callable(as_dict):
        return as_dict()
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        return dataclasses.asdict(answer)
    raise CaseInputError(
        N_("A consult answer of type {name} cannot be stored.", name=type(answer).__name__)
    )


def _json_object(value: Any, what: str) -> dict[str, Any]:
    """A JSON round trip: proves it can be stored, and freezes it as plain data."""
    if not isinstance(value, Mapping):
        raise CaseInputError(
            N_("The {what} must be an object (a mapping of names to values).", what=what)
        )
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=_refuse)
    except (TypeError, ValueError) as exc:
        raise CaseInputError(
            N_("The {what} cannot be stored as JSON ({reason}).", what=what, reason=exc)
        ) from exc
    data: dict[str, Any] = json.loads(text)
    return data


def _refuse(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
