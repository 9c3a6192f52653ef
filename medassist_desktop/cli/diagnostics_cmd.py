"""`medassist diagnostics export -o FILE.zip --as ADMIN`: a bundle for support.

Settings, hardware, versions, health, the database check, sync state and the newest
logs, redacted again (secrets and this clinic's patient names removed). Admin only,
audited; the admin's password is the first line on stdin.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    open_services,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.config.paths import environ_snapshot

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diagnostics = subparsers.add_parser(
        "diagnostics", help="support bundle", description="Diagnostics for support."
    )
    actions = diagnostics.add_subparsers(
        dest="diagnostics_command", required=True, metavar="ACTION"
    )
    export = add_command(
        actions, "export", "write a redacted diagnostics zip for support", Command(_export)
    )
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.zip")
    add_acting_admin(export)


def _export(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.services.diagnostics import export_diagnostics

    assert context is not None
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        try:
            result = export_diagnostics(
                services, session, context.loaded, environ_snapshot(), args.output
            )
        finally:
            services.accounts.logout(session)
    if args.json:
        print_json({"path": str(result.path), "bytes": result.size_bytes, "files": result.files})
    else:
        print(f"Wrote {result.path} ({result.size_bytes // 1024} KiB, {len(result.files)} files)")
    return 0
