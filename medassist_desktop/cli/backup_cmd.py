"""`medassist backup create|verify|restore`: encrypted backups to a folder (a USB stick).

Secrets come from stdin, one per line, never the command line: line 1 is the acting
admin's password (create, restore); the backup's passphrase or recovery key follows
when this computer cannot supply it (a passphrase clinic without
MEDASSIST_DB_PASSPHRASE set, or a keyring clinic restoring on a new laptop).
Exit 3 when a backup is damaged.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    open_services,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.core.security.secrets import PASSPHRASE_VAR, SecretStore
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser(
        "backup", help="encrypted backups", description="Encrypted backups of the database."
    )
    actions = backup.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    create = add_command(
        actions, "create", "back the database up into a new folder under PATH", Command(_create)
    )
    create.add_argument("--to", required=True, type=Path, metavar="PATH")
    create.add_argument(
        "--keep", type=int, default=7, help="keep this many backups of this clinic in PATH"
    )
    add_acting_admin(create)
    verify = add_command(
        actions,
        "verify",
        "check a backup's files, and with its key every page and row count (exit 3 if damaged)",
        Command(_verify),
    )
    verify.add_argument("backup", type=Path, metavar="BACKUP")
    verify.add_argument(
        "--key-stdin",
        action="store_true",
        help="read the backup's passphrase or recovery key from stdin",
    )
    restore = add_command(
        actions,
        "restore",
        "make BACKUP the clinic's database (the current one is moved aside, never overwritten)",
        Command(_restore),
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP")
    add_acting_admin(restore)


def _create(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.services.backup import create_backup

    assert context is not None
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        try:
            result = create_backup(services, session, context.loaded, args.to, keep=args.keep)
        finally:
            services.accounts.logout(session)
    report: dict[str, Any] = {
        "backup": str(result.folder),
        "unlock": result.manifest["unlock"],
        "rows": sum(result.manifest["tables"].values()),
        "pruned": [str(p) for p in result.pruned],
    }
    if result.recovery_key:
        report["recovery_key"] = result.recovery_key
    if args.json:
        print_json(report)
        return 0
    print(f"Backup written to {result.folder}")
    if result.recovery_key:
        print(
            "RECOVERY KEY (write it down and keep it away from this laptop; it is shown once\n"
            "and is needed to restore these backups on another computer):\n"
            f"    {result.recovery_key}"
        )
    return 0


def _verify(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.services.backup import backup_key_for, read_manifest, verify_backup

    assert context is not None
    manifest = read_manifest(args.backup)
    secret = _secret(manifest, secrets_reader(), ask=args.key_stdin)
    store = SecretStore(context.settings.clinic_id)
    key = backup_key_for(manifest, args.backup, store, secret)
    report = verify_backup(args.backup, key)
    if args.json:
        print_json(report)
    elif report["opened"]:
        print(f"{args.backup}: OK ({report['rows']} rows, every page checked)")
    else:
        print(
            f"{args.backup}: files OK. Give its passphrase or recovery key (--key-stdin) to "
            "check every page."
        )
    return 0


def _restore(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.errors import KnownError
    from medassist_desktop.services.backup import backup_key_for, read_manifest, restore_backup

    assert context is not None
    manifest = read_manifest(args.backup)
    reader = secrets_reader()
    password = reader.read(f"Password of {args.acting_admin}")
    store = SecretStore(context.settings.clinic_id)
    key = backup_key_for(manifest, args.backup, store, _secret(manifest, reader, ask=False))
    if key is None and manifest.get("unlock") != "none":
        key = backup_key_for(
            manifest, args.backup, store, reader.read("Passphrase or recovery key of the backup")
        )
    if key is None and manifest.get("unlock") != "none":
        raise KnownError(N_("The backup's key is needed to restore it."))
    moved = restore_backup(
        args.backup,
        key,
        context.loaded,
        store,
        admin_name=args.acting_admin,
        admin_password=password,
    )
    report = {
        "restored": str(args.backup),
        "previous_database": None if moved is None else str(moved),
    }
    if args.json:
        print_json(report)
    else:
        print(f"Restored {args.backup}.")
        if moved is not None:
            print(f"The previous database was kept as {moved}.")
    return 0


def _secret(manifest: dict[str, Any], reader: Any, *, ask: bool) -> str | None:
    """The passphrase from the environment for passphrase backups; else stdin if asked."""
    if manifest.get("unlock") == "passphrase":
        phrase = environ_snapshot().get(PASSPHRASE_VAR)
        if phrase:
            return phrase
    if ask:
        return str(reader.read("Passphrase or recovery key of the backup"))
    return None
