"""`medassist init` (first run) and `medassist db check` (integrity)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    open_services,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.core.security.accounts import check_password, check_username
from medassist_desktop.core.security.errors import PermissionDenied
from medassist_desktop.core.security.secrets import PASSPHRASE_VAR, SecretsError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext

EXIT_DAMAGED = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = add_command(
        subparsers,
        "init",
        "first run: create the encrypted database, its key, and the first admin "
        "(password on stdin)",
        Command(run=_init),
    )
    init.add_argument("--admin", required=True, metavar="USERNAME", help="the first admin")
    init.add_argument("--display-name", default="", help="the admin's full name")

    db = subparsers.add_parser("db", help="the database", description="The database.")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    add_command(
        actions,
        "check",
        f"check the database's integrity (exit {EXIT_DAMAGED} when damaged)",
        Command(run=_check),
    )
    change = add_command(
        actions,
        "change-passphrase",
        "re-encrypt a passphrase-protected database under a new passphrase (admin; the "
        f"current one in {PASSPHRASE_VAR}; stdin: the admin's password, then the new "
        "passphrase twice)",
        Command(run=_change_passphrase),
    )
    rotate = add_command(
        actions,
        "rotate-key",
        "re-encrypt the database with a new key (admin): a new random key in the keyring, "
        "or a new salt for the same passphrase",
        Command(run=_rotate_key),
    )
    for parser in (change, rotate):
        add_acting_admin(parser)


def _init(args: argparse.Namespace, context: AppContext | None) -> int:
    # Read and check the input before anything is created: a bad password leaves no
    # half-initialised database behind.
    check_username(args.admin)
    password = secrets_reader().read(f"New password for {args.admin}")
    check_password(password, username=args.admin)
    with open_services(context, create=True) as services:
        if not services.accounts.needs_setup():
            raise PermissionDenied(
                N_("MedAssist is already set up in {path}.", path=services.db.path),
                hint=N_("Add users with `medassist users add ... --as ADMIN`."),
            )
        admin = services.accounts.create_first_admin(args.admin, password, args.display_name)
        report = {
            "database": str(services.db.path),
            "encrypted": services.db.encrypted,
            "key_source": services.keys.source,
            "schema_version": services.db.user_version,
            "admin": admin.username,
        }
    if args.json:
        print_json(report)
    else:
        print(f"Created {report['database']} (key from {report['key_source']}).")
        print(f"First admin: {admin.username}")
    return 0


def _check(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context) as services:
        report = services.check_database()
    if args.json:
        print_json(report)
    else:
        state = "OK" if report["ok"] else "DAMAGED"
        print(
            f"{report['database']}: {state} (schema {report['schema_version']}, "
            f"encrypted: {report['encrypted']}, key from {report['key_source']})"
        )
        for problem in report["problems"]:
            print(f"  {problem}")
    return 0 if report["ok"] else EXIT_DAMAGED


def _change_passphrase(args: argparse.Namespace, context: AppContext | None) -> int:
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        services.authorize_admin(session, "db.change_passphrase")
        new = reader.read("New passphrase")
        again = reader.read("The new passphrase again")
        if new != again:
            raise SecretsError(
                N_("The two passphrases are different."), hint=N_("Type the same one twice.")
            )
        services.change_passphrase(session, new)
        services.accounts.logout(session)
        path = services.db.path
    if args.json:
        print_json({"database": str(path), "key_source": "passphrase", "changed": True})
    else:
        print(f"{path} is now protected by the new passphrase; set {PASSPHRASE_VAR} to it.")
    return 0


def _rotate_key(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        services.authorize_admin(session, "db.rekey")
        if services.keys.source == "passphrase":
            phrase = environ_snapshot().get(PASSPHRASE_VAR, "")
            services.change_passphrase(session, phrase)  # same passphrase, new salt: new key
        else:
            services.rotate_database_key(session)
        services.accounts.logout(session)
        source, path = services.keys.source, services.db.path
    if args.json:
        print_json({"database": str(path), "key_source": source, "rotated": True})
    else:
        print(f"{path} is re-encrypted with a new key (from {source}).")
    return 0
