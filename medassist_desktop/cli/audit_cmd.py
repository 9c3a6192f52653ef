"""`medassist audit verify|export`: check the hash chain; JSON lines for an inspector."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    open_services,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext

EXIT_TAMPERED = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = subparsers.add_parser(
        "audit", help="the audit trail (admin)", description="The tamper-evident audit trail."
    )
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = add_command(
        actions,
        "verify",
        f"walk the hash chain; exit {EXIT_TAMPERED} and name the first broken entry if any",
        Command(run=_verify),
    )
    export = add_command(actions, "export", "write the entries as JSON lines", Command(run=_export))
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    export.add_argument("--after-id", type=int, default=0, help="only entries after this id")
    accept = add_command(
        actions,
        "accept-rollback",
        "after an older copy of the database was put back on purpose (a restored backup): "
        "record that, with what was lost, and anchor the chain where it now ends",
        Command(run=_accept_rollback),
    )
    for parser in (verify, export, accept):
        add_acting_admin(parser)


def _verify(args: argparse.Namespace, context: AppContext | None) -> int:
    # A rolled-back chain must still be shown to the admin: open despite it.
    with open_services(context, allow_broken_audit=True) as services:
        session = sign_in_admin(services, args, secrets_reader())
        result = services.audit.verify(session)
        services.accounts.logout(session)
    report = {
        "ok": result.ok,
        "entries_checked": result.entries_checked,
        "first_broken_id": result.first_broken_id,
        "reason": result.reason,
    }
    if args.json:
        print_json(report)
    elif result.ok:
        print(f"Audit trail intact ({result.entries_checked} entries).")
    else:
        print(
            f"Audit trail BROKEN at entry {result.first_broken_id}: {result.reason} "
            f"({result.entries_checked} entries verified before it)."
        )
    return 0 if result.ok else EXIT_TAMPERED


def _export(args: argparse.Namespace, context: AppContext | None) -> int:
    buffer = io.StringIO()
    with open_services(context, allow_broken_audit=True) as services:
        session = sign_in_admin(services, args, secrets_reader())
        count = services.audit.export(session, buffer, after_id=args.after_id)
        services.accounts.logout(session)
    if args.output is None:
        sys.stdout.write(buffer.getvalue())
        return 0
    try:
        atomic_write_bytes(args.output, buffer.getvalue().encode("utf-8"))
    except OSError as exc:
        raise KnownError(
            N_("Cannot write {output} ({value}).", output=args.output, value=exc.strerror or exc)
        ) from exc
    if args.json:
        print_json({"exported": count, "file": str(args.output)})
    else:
        print(f"Exported {count} entries to {args.output}.")
    return 0


def _accept_rollback(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context, allow_broken_audit=True) as services:
        session = sign_in_admin(services, args, secrets_reader())
        problem = services.audit.accept_rollback(session)
        services.accounts.logout(session)
    if args.json:
        print_json({"accepted": problem})
    elif problem is None:
        print("The audit trail matches its anchor: nothing to accept.")
    else:
        print(f"Recorded and accepted: {problem}. The chain is anchored where it now ends.")
    return 0
