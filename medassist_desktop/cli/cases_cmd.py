"""`medassist cases add|list|show`: patient cases for scripting and bulk entry.

The user acts with `--as USER` (a health worker or an admin); their password is the
first line on stdin (for `add -`, the case JSON follows it). Every command signs in,
works through the same `CaseService` as the GUI (so it is audited the same way),
and signs out.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import open_app, secrets_reader
from medassist_desktop.core.triage.catalogue import not_assessed_text
from medassist_desktop.core.triage.rules import Level
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, N_, translate

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext
    from medassist_desktop.core.cases.models import Case, CaseDetails


class CasesInputError(KnownError):
    """The cases given to `medassist cases add` cannot be saved as given."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cases = subparsers.add_parser(
        "cases",
        help="patient cases",
        description="Patient cases. The acting user's password is the first line on stdin.",
    )
    actions = cases.add_subparsers(dest="cases_command", required=True, metavar="ACTION")
    add = add_command(
        actions,
        "add",
        "save a case (the triage input plus name and optional patient_id and uuid) or an "
        "array of them, all in one transaction; prints the case id(s)",
        Command(run=_add),
    )
    add.add_argument(
        "file",
        metavar="FILE",
        help="a JSON file, or '-' for stdin (after the password line)",
    )
    list_parser = add_command(actions, "list", "list cases, newest first", Command(run=_list))
    list_parser.add_argument("--search", default="", help="part of a name or patient id, or #ID")
    list_parser.add_argument(
        "--level",
        action="append",
        choices=[level.value for level in Level],
        default=[],
        help="only this triage level (repeatable)",
    )
    list_parser.add_argument("--from", dest="date_from", type=date.fromisoformat, metavar="DATE")
    list_parser.add_argument("--to", dest="date_to", type=date.fromisoformat, metavar="DATE")
    list_parser.add_argument("--limit", type=int, default=200)
    show = add_command(actions, "show", "one case with its triage", Command(run=_show))
    show.add_argument("case_id", type=int, metavar="ID")
    for parser in (add, list_parser, show):
        parser.add_argument(
            "--as",
            dest="acting_user",
            required=True,
            metavar="USER",
            help="the user doing this; their password is the first line on stdin",
        )


def _validated(data: Any) -> list[tuple[CaseDetails, str | None]]:
    """Every case checked before any is saved: a bad one saves nothing (no half import).

    Each case may carry `uuid`, the sender's own id for it: sending the same case again
    (after an interrupted run) returns the saved case instead of saving it twice.
    """
    from medassist_desktop.core.cases.models import parse_case_details
    from medassist_desktop.core.triage.case import TriageInputError

    items = data if isinstance(data, list) else [data]
    if not items:
        raise CasesInputError(N_("The array of cases is empty."))
    checked: list[tuple[CaseDetails, str | None]] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        where = f"case {index}: " if isinstance(data, list) else ""
        fields = dict(item) if isinstance(item, dict) else item
        client_uid = fields.pop("uuid", None) if isinstance(fields, dict) else None
        if client_uid is not None and not _is_uuid(client_uid):
            problems.append(
                where + "uuid must be a UUID (e.g. 3f2b8c1e-6a4d-4f0e-9b7a-2c5d8e1f0a3b)."
            )
            continue
        try:
            checked.append((parse_case_details(fields), client_uid))
        except TriageInputError as exc:
            problems.append(where + exc.message)
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        raise CasesInputError(N_("Nothing was saved. {shown}", shown=shown))
    return checked


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _add(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.cli.triage_cmd import read_cases

    reader = secrets_reader()
    password = reader.read(f"Password of {args.acting_user}")
    details = _validated(read_cases(args.file))
    with open_app(context) as app:
        services = app.security
        session = services.accounts.login(args.acting_user, password, ip_address="cli")
        try:
            saved = app.cases().create_cases(session, details)
        finally:
            services.accounts.logout(session)
    ids = [case.id for case, _ in saved]
    already = [case.id for case, created in saved if not created]
    if args.json:
        report: dict[str, Any] = {"id": ids[0]} if len(ids) == 1 else {"ids": ids}
        report["already_saved"] = already
        print_json(report)
    else:
        for case, created in saved:
            print(case.id if created else f"{case.id} (already saved)")
    return 0


def _list(args: argparse.Namespace, context: AppContext | None) -> int:
    password = secrets_reader().read(f"Password of {args.acting_user}")
    with open_app(context) as app:
        services = app.security
        session = services.accounts.login(args.acting_user, password, ip_address="cli")
        try:
            found = app.cases().list_cases(
                session,
                text=args.search,
                created_on_or_after=args.date_from,
                created_on_or_before=args.date_to,
                levels=args.level,
                limit=max(1, args.limit),
            )
        finally:
            services.accounts.logout(session)
    if args.json:
        print_json({"cases": [summary.as_dict() for summary in found]})
        return 0
    for summary in found:
        print(
            f"{summary.id:>6}  {summary.triage_level.value:<9}  "
            f"{summary.created_at.astimezone():%Y-%m-%d %H:%M}  {summary.name}"
            + (f" ({summary.patient_id})" if summary.patient_id else "")
        )
    return 0


def _show(args: argparse.Namespace, context: AppContext | None) -> int:
    password = secrets_reader().read(f"Password of {args.acting_user}")
    with open_app(context) as app:
        services = app.security
        session = services.accounts.login(args.acting_user, password, ip_address="cli")
        try:
            case = app.cases().get_case(session, args.case_id)
        finally:
            services.accounts.logout(session)
    if args.json:
        print_json(case.model_dump(mode="json"))
    else:
        _print_case(case, getattr(args, "language", FALLBACK_LANGUAGE))
    return 0


def _print_case(case: Case, language: str = FALLBACK_LANGUAGE) -> None:
    print(f"Case {case.id}: {case.name}" + (f" ({case.patient_id})" if case.patient_id else ""))
    print(f"  age {case.age_months} months" + (f", {case.sex}" if case.sex else ""))
    print(f"  triage: {case.triage_level.value.upper()} (rules {case.triage['rules_version']})")
    for finding in case.triage["findings"]:
        print(f"    - [{finding['level']}] {translate(str(finding['label']), language)}")
    if case.triage.get("not_assessed"):
        print(f"    {not_assessed_text(case.triage['not_assessed'], language)}")
    if case.complaint:
        print(f"  complaint: {case.complaint}")
    print(f"  saved {case.updated_at.astimezone():%Y-%m-%d %H:%M} by {case.updated_by or '?'}")
    sys.stdout.flush()
