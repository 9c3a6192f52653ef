"""The SQL of cases, drafts and consult records, on a connection inside the caller's
transaction (never committing), so a save, its audit entry and its outbox row are
written together or not at all.

Rows are read by position, so any row factory works. Timestamps are ISO 8601 in UTC
with a fixed width, so text comparison orders them in time.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from medassist_desktop.core.cases.models import (
    Case,
    CaseDetails,
    CaseNotFoundError,
    CaseSummary,
    ConsultNotFoundError,
    ConsultRecord,
    Draft,
)
from medassist_desktop.core.triage.engine import TriageResult
from medassist_desktop.core.triage.rules import Level
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.database import Connection

NEW_CASE_DRAFT = 0  # draft_key of the new-case form


def timestamp(epoch_seconds: float) -> str:
    """`2026-01-31T08:15:02.123+00:00`: UTC, milliseconds, one width (sorts as text)."""
    return datetime.fromtimestamp(epoch_seconds, UTC).isoformat(timespec="milliseconds")


def search_key(*parts: str | None) -> str:
    """Casefolded, NFC-normalised text to search in (Vietnamese capitals match too)."""
    return normalise_query(" ".join(p for p in parts if p))


def normalise_query(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- cases ------------------------------------------------------------------------------


def _case_columns(details: CaseDetails, triage: TriageResult) -> tuple[Any, ...]:
    """name .. rules_version, in the column order both INSERT and UPDATE use."""
    return (
        details.name,
        details.patient_id,
        search_key(details.name, details.patient_id),
        details.age_months,
        _dumps(details.to_json_dict()),
        triage.level.value,
        _dumps(triage.as_dict()),
        triage.rules_version,
    )


def insert_case(
    conn: Connection,
    details: CaseDetails,
    triage: TriageResult,
    *,
    uid: str,
    user_id: int,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO cases (uid, name, patient_id, search_key, age_months, details,"
        " triage_level, triage, rules_version, revision, created_at, created_by, updated_at,"
        " updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id",
        (uid, *_case_columns(details, triage), now, user_id, now, user_id),
    )
    return int(cursor.fetchone()[0])


def update_case(
    conn: Connection,
    case_id: int,
    details: CaseDetails,
    triage: TriageResult,
    *,
    user_id: int,
    now: str,
) -> None:
    cursor = conn.execute(
        "UPDATE cases SET name = ?, patient_id = ?, search_key = ?, age_months = ?,"
        " details = ?, triage_level = ?, triage = ?, rules_version = ?,"
        " revision = revision + 1, updated_at = ?, updated_by = ? WHERE id = ?",
        (*_case_columns(details, triage), now, user_id, case_id),
    )
    if cursor.rowcount != 1:
        raise CaseNotFoundError(N_("There is no case {case_id}.", case_id=case_id))


_CASE_COLUMNS = (
    "c.id, c.uid, c.details, c.triage_level, c.triage, c.revision, c.created_at,"
    " cu.username, c.updated_at, uu.username"
)
_CASE_FROM = (
    "cases AS c LEFT JOIN users AS cu ON cu.id = c.created_by"
    " LEFT JOIN users AS uu ON uu.id = c.updated_by"
)


def fetch_case(conn: Connection, case_id: int) -> Case:
    row = conn.execute(
        f"SELECT {_CASE_COLUMNS} FROM {_CASE_FROM} WHERE c.id = ?", (case_id,)
    ).fetchone()
    if row is None:
        raise CaseNotFoundError(
            N_("There is no case {case_id}.", case_id=case_id),
            hint=N_("List the cases to find its number."),
        )
    return _case(row)


def _case(row: Sequence[Any]) -> Case:
    data: dict[str, Any] = json.loads(row[2])
    data.update(
        id=int(row[0]),
        uid=str(row[1]),
        triage_level=Level(row[3]),
        triage=json.loads(row[4]),
        revision=int(row[5]),
        created_at=datetime.fromisoformat(row[6]),
        created_by=row[7],
        updated_at=datetime.fromisoformat(row[8]),
        updated_by=row[9],
    )
    return Case.model_validate(data, strict=False)


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed to. Empty: every case, newest first."""

    text: str = ""  # part of the name or clinic patient id, or the case number
    created_from: str | None = None  # UTC timestamps, inclusive / exclusive
    created_before: str | None = None
    levels: Collection[Level] = ()
    limit: int = 200
    offset: int = 0


def search_cases(conn: Connection, where: CaseFilter) -> list[CaseSummary]:
    clauses: list[str] = []
    params: list[Any] = []
    text = normalise_query(where.text)
    if text:
        number = text.removeprefix("#")
        if number.isdigit():
            clauses.append("(instr(search_key, ?) > 0 OR id = ?)")
            params += [text, int(number)]
        else:
            clauses.append("instr(search_key, ?) > 0")
            params.append(text)
    if where.created_from is not None:
        clauses.append("created_at >= ?")
        params.append(where.created_from)
    if where.created_before is not None:
        clauses.append("created_at < ?")
        params.append(where.created_before)
    if where.levels:
        levels = sorted({Level(level).value for level in where.levels})
        clauses.append(f"triage_level IN ({', '.join('?' * len(levels))})")
        params += levels
    sql = (
        "SELECT id, name, patient_id, age_months, triage_level, created_at, updated_at"
        " FROM cases"
        + (" WHERE " + " AND ".join(clauses) if clauses else "")
        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    )
    params += [max(0, where.limit), max(0, where.offset)]
    return [
        CaseSummary(
            id=int(r[0]),
            name=str(r[1]),
            patient_id=r[2],
            age_months=int(r[3]),
            triage_level=Level(r[4]),
            created_at=datetime.fromisoformat(r[5]),
            updated_at=datetime.fromisoformat(r[6]),
        )
        for r in conn.execute(sql, params).fetchall()
    ]


def find_case_by_uid(conn: Connection, uid: str) -> Case | None:
    row = conn.execute("SELECT id FROM cases WHERE uid = ?", (uid,)).fetchone()
    return None if row is None else fetch_case(conn, int(row[0]))


def case_uid(conn: Connection, case_id: int) -> str:
    row = conn.execute("SELECT uid FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise CaseNotFoundError(N_("There is no case {case_id}.", case_id=case_id))
    return str(row[0])


# --- drafts -----------------------------------------------------------------------------


def upsert_draft(
    conn: Connection, user_id: int, case_id: int | None, form: dict[str, Any], now: str
) -> None:
    conn.execute(
        "INSERT INTO case_drafts (user_id, draft_key, case_id, form, saved_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, draft_key) DO UPDATE SET"
        " form = excluded.form, saved_at = excluded.saved_at",
        (user_id, case_id or NEW_CASE_DRAFT, case_id, _dumps(form), now),
    )


def fetch_draft(conn: Connection, user_id: int, case_id: int | None) -> Draft | None:
    row = conn.execute(
        "SELECT user_id, case_id, form, saved_at FROM case_drafts"
        " WHERE user_id = ? AND draft_key = ?",
        (user_id, case_id or NEW_CASE_DRAFT),
    ).fetchone()
    return None if row is None else _draft(row)


def fetch_drafts(conn: Connection, user_id: int) -> list[Draft]:
    rows = conn.execute(
        "SELECT user_id, case_id, form, saved_at FROM case_drafts WHERE user_id = ?"
        " ORDER BY saved_at DESC",
        (user_id,),
    ).fetchall()
    return [_draft(row) for row in rows]


def delete_draft(conn: Connection, user_id: int, case_id: int | None) -> bool:
    cursor = conn.execute(
        "DELETE FROM case_drafts WHERE user_id = ? AND draft_key = ?",
        (user_id, case_id or NEW_CASE_DRAFT),
    )
    return cursor.rowcount > 0


def _draft(row: Sequence[Any]) -> Draft:
    return Draft(
        user_id=int(row[0]),
        case_id=None if row[1] is None else int(row[1]),
        form=json.loads(row[2]),
        saved_at=datetime.fromisoformat(row[3]),
    )


# --- consult records --------------------------------------------------------------------


def insert_consult(
    conn: Connection,
    *,
    uid: str,
    case_id: int | None,
    question: str,
    answer: dict[str, Any],
    user_id: int,
    now: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO consults (uid, case_id, question, answer, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (uid, case_id, question, _dumps(answer), now, user_id),
    )
    return int(cursor.fetchone()[0])


def mark_reviewed(conn: Connection, consult_id: int, user_id: int, now: str) -> bool:
    """Record the first review; False when it was already reviewed."""
    cursor = conn.execute(
        "UPDATE consults SET reviewed_by = ?, reviewed_at = ? WHERE id = ? AND reviewed_at IS NULL",
        (user_id, now, consult_id),
    )
    return cursor.rowcount > 0


_CONSULT_SELECT = (
    "SELECT k.id, k.uid, k.case_id, k.question, k.answer, k.created_at, cu.username,"
    " ru.username, k.reviewed_at FROM consults AS k"
    " LEFT JOIN users AS cu ON cu.id = k.created_by"
    " LEFT JOIN users AS ru ON ru.id = k.reviewed_by"
)


def fetch_consult(conn: Connection, consult_id: int) -> ConsultRecord:
    row = conn.execute(f"{_CONSULT_SELECT} WHERE k.id = ?", (consult_id,)).fetchone()
    if row is None:
        raise ConsultNotFoundError(
            N_("There is no consult record {consult_id}.", consult_id=consult_id)
        )
    return _consult(row)


def fetch_consults(conn: Connection, case_id: int) -> list[ConsultRecord]:
    rows = conn.execute(
        f"{_CONSULT_SELECT} WHERE k.case_id = ? ORDER BY k.id", (case_id,)
    ).fetchall()
    return [_consult(row) for row in rows]


def _consult(row: Sequence[Any]) -> ConsultRecord:
    return ConsultRecord(
        id=int(row[0]),
        uid=str(row[1]),
        case_id=None if row[2] is None else int(row[2]),
        question=str(row[3]),
        answer=json.loads(row[4]),
        created_at=datetime.fromisoformat(row[5]),
        created_by=row[6],
        reviewed_by=row[7],
        reviewed_at=None if row[8] is None else datetime.fromisoformat(row[8]),
    )
