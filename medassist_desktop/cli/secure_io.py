"""Plumbing shared by the commands that open the encrypted database.

Passwords never come from the command line (they would land in shell history and
`ps`): they are read from stdin, one per line, or prompted for on a terminal.
Commands that change the clinic's set-up (users, sync, cloud, models, knowledge) name
the acting admin with `--as ADMIN`; commands that answer questions name any user with
`--as USER`. That person's password is the first line on stdin, and they go through
the same services (roles, audit) as at the window: a health worker asking for an admin
action gets "permission denied" and a `denied` audit entry.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from medassist_desktop.composition import AppServices
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.context import AppContext
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.services.security import SecurityServices

if TYPE_CHECKING:
    from medassist_desktop.services.admin_settings import AdminSettingsService
    from medassist_desktop.services.models_admin import ModelAdminService


class _SecretReader:
    """Hands out the secrets of one command in order: stdin lines, or terminal prompts."""

    def __init__(self) -> None:
        self._tty = sys.stdin is not None and sys.stdin.isatty()

    def read(self, prompt: str) -> str:
        if self._tty:
            return getpass.getpass(f"{prompt}: ")
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise KnownError(
                N_("Expected the {lower} on standard input (one per line).", lower=prompt.lower()),
                hint=N_("Pipe it in, e.g. `printf '%s\\n' \"$PW\" | medassist ...`."),
            )
        return line.rstrip("\r\n")


def add_acting_admin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="acting_admin",
        required=True,
        metavar="ADMIN",
        help="the admin doing this; their password is the first line on stdin",
    )


def add_acting_user(parser: argparse.ArgumentParser) -> None:
    """`--as USER`: any signed-in role may run the command (a health worker or an admin)."""
    parser.add_argument(
        "--as",
        dest="acting_user",
        required=True,
        metavar="USER",
        help="the user doing this; their password is the first line on stdin",
    )


def require_context(context: AppContext | None) -> AppContext:
    if context is None:  # pragma: no cover - these commands are registered with a context
        raise RuntimeError("command needs the application context")
    return context


@contextlib.contextmanager
def open_app(
    context: AppContext | None,
    *,
    create: bool = False,
    keyword_only: bool = False,
    allow_broken_audit: bool = False,
) -> Iterator[AppServices]:
    """The composition root with the database open on this thread; closed at the end."""
    app = AppServices(require_context(context), environ_snapshot(), keyword_only=keyword_only)
    app.open(create=create, allow_broken_audit=allow_broken_audit)
    try:
        yield app
    finally:
        app.close()


@contextlib.contextmanager
def open_services(
    context: AppContext | None, *, create: bool = False, allow_broken_audit: bool = False
) -> Iterator[SecurityServices]:
    """The open database with accounts and audit, for commands that need no other service."""
    with open_app(context, create=create, allow_broken_audit=allow_broken_audit) as app:
        yield app.security


def secrets_reader() -> _SecretReader:
    return _SecretReader()


def sign_in_admin(
    services: SecurityServices, args: argparse.Namespace, reader: _SecretReader
) -> Session:
    """Sign the acting admin in (audited; wrong passwords count toward the lockout)."""
    password = reader.read(f"Password of {args.acting_admin}")
    return services.accounts.login(args.acting_admin, password, ip_address="cli")


def sign_in_user(
    services: SecurityServices, args: argparse.Namespace, password: _SecretReader | str
) -> Session:
    """Sign the acting user in (`--as USER`), audited like a sign-in at the window.

    `password` is a reader, or the password already read (a command that reads more
    from stdin reads the password, line 1, first).
    """
    if not isinstance(password, str):
        password = password.read(f"Password of {args.acting_user}")
    return services.accounts.login(args.acting_user, password, ip_address="cli")


def admin_services(
    context: AppContext, services: SecurityServices
) -> tuple[AdminSettingsService, ModelAdminService]:
    """The admin services the Settings page uses, from the composition root, on this
    command's open database."""
    app = AppServices(context, environ_snapshot())
    app.attach(services)
    return app.admin_settings(), app.model_admin()
