"""`medassist sync configure | run | status | conflicts | resolve`: cloud sync from the
command line.

The sync machinery (httpx...) is imported inside the handlers, so other commands do not
pay for it. Every command opens the encrypted database (the outbox is in it): it must
have been set up with `medassist init`. `configure`, `run`, `conflicts` and `resolve`
are admin actions (`--as ADMIN`, the admin's password first on stdin), checked and
audited by the same services as the Settings page: pointing sync at another server
sends it every case, and a conflict shows patient details.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    admin_services,
    open_app,
    open_services,
    require_context,
    secrets_reader,
    sign_in_admin,
)

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = subparsers.add_parser(
        "sync", help="cloud sync (CouchDB replication)", description="Cloud sync."
    )
    actions = sync.add_subparsers(dest="sync_command", required=True, metavar="ACTION")
    configure = add_command(
        actions,
        "configure",
        "set the sync server, database and account (admin; stdin: the admin's password, "
        "then the sync password)",
        Command(run=_configure),
    )
    add_acting_admin(configure)
    configure.add_argument("--url", required=True, help="https:// address of the server")
    configure.add_argument("--db", required=True, help="database name on the server")
    configure.add_argument("--user", required=True, help="account name on the server")
    configure.add_argument(
        "--disable", action="store_true", help="save the settings but leave sync switched off"
    )
    run = add_command(
        actions, "run", "sync once now: push the outbox, pull updates", Command(run=_run)
    )
    run.add_argument(
        "--batch-size", type=int, default=100, help="documents per request (default 100)"
    )
    add_acting_admin(run)
    add_command(
        actions, "status", "the sync state, pending changes and conflicts", Command(run=_status)
    )
    listing = add_command(
        actions,
        "conflicts",
        "records changed both here and elsewhere, with both versions (admin)",
        Command(run=_conflicts),
    )
    add_acting_admin(listing)
    resolve = add_command(
        actions,
        "resolve",
        "settle a conflict by keeping this computer's or the server's version (admin)",
        Command(run=_resolve),
    )
    resolve.add_argument("doc_id", metavar="ID", help="the document id (see `sync conflicts`)")
    resolve.add_argument(
        "--keep", required=True, choices=("local", "server"), help="which version to keep"
    )
    resolve.add_argument(
        "--rev", help="the server's revision, when the document has more than one conflict"
    )
    add_acting_admin(resolve)


def _configure(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        admin_settings, _models = admin_services(context, services)
        admin_settings.authorize(session, "settings.sync")  # before asking for the secret
        password = reader.read("Sync password or API key")
        context.redactor.add_secret(password)
        saved = admin_settings.save_sync(
            session,
            enabled=not args.disable,
            url=args.url,
            db=args.db,
            user=args.user,
            password=password,
        )
        stored_in = services.clinic_secrets().location
        services.accounts.logout(session)
    result = _Configured(
        url=saved.saved["sync_url"],
        db=saved.saved["sync_db"],
        user=saved.saved["sync_user"],
        enabled=not args.disable,
        settings_file=saved.settings_file,
        hidden_by_environment=saved.hidden_by_environment,
    )
    report = {
        "configured": True,
        "url": result.url,
        "db": result.db,
        "user": result.user,
        "enabled": result.enabled,
        "settings_file": str(result.settings_file),
        "password_stored_in": stored_in,
        "hidden_by_environment": result.hidden_by_environment,
    }
    if args.json:
        print_json(report)
    else:
        print(
            f"Sync server {result.url}, database {result.db}, user {result.user} saved in "
            f"{result.settings_file}; the password is in {stored_in}."
        )
        if not result.enabled:
            print("Sync stays switched off (--disable).")
    for variable in result.hidden_by_environment:
        print(f"medassist: note: {variable} is set and overrides the saved value.", file=sys.stderr)
    return 0


@dataclass(frozen=True)
class _Configured:
    url: str
    db: str
    user: str
    enabled: bool
    settings_file: Path
    hidden_by_environment: list[str]


def _run(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.core.degradation import DegradationRegistry
    from medassist_desktop.core.sync.engine import SyncState
    from medassist_desktop.services import sync_service

    context = require_context(context)
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        services.authorize_admin(session, "sync.run")
        settings = context.settings
        sync_service.ensure_enabled(settings)
        store = services.clinic_secrets()
        config = sync_service.server_config(settings, store)
        context.redactor.add_secret(config.password)
        engine = sync_service.build_engine(
            settings,
            store,
            services.db,
            DegradationRegistry(),
            batch_size=args.batch_size,
            audit=services.audit_log,
        )
        report = engine.run_once()
        services.record(
            session,
            "sync.run",
            "sync",
            ok=report.state is SyncState.IDLE,
            details={"pushed": report.pushed, "pulled": report.pulled, "state": report.state.value},
        )
        services.accounts.logout(session)
    if args.json:
        print_json(report.as_dict())
    else:
        print(
            f"{report.state.value}: pushed {report.pushed}, pulled {report.pulled}, skipped "
            f"{report.skipped}, conflicts {report.conflicts}, rejected {report.rejected}, "
            f"pending {report.pending} ({report.duration_s:.1f} s)"
        )
    if report.audit_copy_reason:
        print(f"medassist: audit: {report.audit_copy_reason}", file=sys.stderr)
    if report.state is not SyncState.IDLE:
        print(f"medassist: {report.reason}", file=sys.stderr)
        return 1
    return 0


def _status(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.core.degradation import DegradationRegistry
    from medassist_desktop.services import sync_service

    context = require_context(context)
    with open_services(context) as services:
        settings = context.settings  # after the open: the clinic policy applied
        engine = sync_service.build_engine(
            settings, services.clinic_secrets(), services.db, DegradationRegistry()
        )
        status = engine.status()
    report = {
        "enabled": settings.sync_enabled,
        "url": settings.sync_url,
        "db": settings.sync_db,
        **status.as_dict(),
    }
    if args.json:
        print_json(report)
        return 0
    print(
        f"sync: {'on' if settings.sync_enabled else 'off'}, {status.state.value}"
        + (f" ({status.reason})" if status.reason else "")
    )
    print(
        f"last success: {status.last_success_at or 'never'}; pending {status.pending}, "
        f"conflicts {status.conflicts}, rejected {status.rejected}"
    )
    if status.audit_copy.reason:
        print(f"audit copy on the server: {status.audit_copy.reason}")
    for conflict in status.conflict_list:
        print(
            f"  conflict: {conflict['doc_id']} ours {conflict['local_rev']} "
            f"theirs {conflict['remote_rev']}"
        )
    return 0


def _conflicts(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    reader = secrets_reader()
    with open_app(context) as app:
        services = app.security
        session = sign_in_admin(services, args, reader)
        found = app.sync_conflicts().list(session)
        services.accounts.logout(session)
    if args.json:
        print_json({"conflicts": [conflict.as_dict() for conflict in found]})
        return 0
    if not found:
        print("No open sync conflicts.")
        return 0
    for conflict in found:
        print(
            f"{conflict.doc_id}  found {conflict.detected_at}\n"
            f"  this computer {conflict.head_rev}, server {conflict.remote_rev}"
        )
        for pair in conflict.fields():
            if pair.differs:
                print(f"  {pair.name}: here {pair.local!s}, server {pair.server!s}")
    return 0


def _resolve(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.core.sync.conflicts import Keep

    context = require_context(context)
    reader = secrets_reader()
    with open_app(context) as app:
        services = app.security
        session = sign_in_admin(services, args, reader)
        service = app.sync_conflicts()
        resolution = service.resolve(session, args.doc_id, Keep(args.keep), remote_rev=args.rev)
        services.accounts.logout(session)
    if args.json:
        print_json(resolution.as_dict())
    else:
        kept = "this computer's" if resolution.keep is Keep.LOCAL else "the server's"
        print(f"{resolution.doc_id}: kept {kept} version; now at {resolution.head_rev}.")
    return 0
