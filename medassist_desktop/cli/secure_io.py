"""Plumbing shared by the commands that open the encrypted database.

Passwords never come from the command line (they would land in shell history and
`ps`): they are read from stdin, one per line, or prompted for on a terminal.
Admin commands name the acting admin with `--as ADMIN`; that admin's password is
the first line on stdin.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator

from medassist_desktop.composition import AppServices
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.context import AppContext
from medassist_desktop.core.security.clinic_secrets import ClinicSecrets
from medassist_desktop.core.security.secrets import SecretStore
from medassist_desktop.core.security.sessions import Session
from medassist_desktop.errors import KnownError
from medassist_desktop.services.security import SecurityServices


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
                f"Expected the {prompt.lower()} on standard input (one per line).",
                hint="Pipe it in, e.g. `printf '%s\\n' \"$PW\" | medassist ...`.",
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


def require_context(context: AppContext | None) -> AppContext:
    if context is None:  # pragma: no cover - these commands are registered with a context
        raise RuntimeError("command needs the application context")
    return context


@contextlib.contextmanager
def open_app(
    context: AppContext | None, *, create: bool = False, keyword_only: bool = False
) -> Iterator[AppServices]:
    """The composition root with the database open on this thread; closed at the end."""
    app = AppServices(require_context(context), environ_snapshot(), keyword_only=keyword_only)
    app.open(create=create)
    try:
        yield app
    finally:
        app.close()


@contextlib.contextmanager
def open_services(
    context: AppContext | None, *, create: bool = False
) -> Iterator[SecurityServices]:
    """The open database with accounts and audit, for commands that need no other service."""
    with open_app(context, create=create) as app:
        yield app.security


def secrets_reader() -> _SecretReader:
    return _SecretReader()


def sign_in_admin(
    services: SecurityServices, args: argparse.Namespace, reader: _SecretReader
) -> Session:
    """Sign the acting admin in (audited; wrong passwords count toward the lockout)."""
    password = reader.read(f"Password of {args.acting_admin}")
    return services.accounts.login(args.acting_admin, password, ip_address="cli")


@contextlib.contextmanager
def open_clinic_secrets(context: AppContext | None) -> Iterator[ClinicSecrets]:
    """Where the sync password and cloud API key live: the OS keyring when it is usable
    (the database is not opened), else the encrypted database (it must exist)."""
    context = require_context(context)
    store = SecretStore(context.settings.clinic_id)
    if store.problem() is None or not context.settings.database_path(context.paths).exists():
        yield ClinicSecrets(store)  # without a keyring, saving says what to set up
        return
    with open_services(context) as services:
        yield services.clinic_secrets()
