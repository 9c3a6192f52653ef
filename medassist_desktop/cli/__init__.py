"""`medassist`: headless commands for admins and scripts.

Each command prints human text, or one JSON document on stdout with `--json`.
Exit codes: 0 success, 1 a known problem (message on stderr), 2 a usage error,
70 a bug (an error id on stderr, the traceback in the log file).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from loguru import logger

import medassist_desktop.core.inference.native_first  # noqa: F401 - before numpy
from medassist_desktop import __version__
from medassist_desktop.cli import (
    ask_cmd,
    audit_cmd,
    backup_cmd,
    cases_cmd,
    cloud_cmd,
    config_cmd,
    db_cmd,
    diagnostics_cmd,
    generate_cmd,
    health_cmd,
    kb_cmd,
    models_cmd,
    route_cmd,
    sync_cmd,
    triage_cmd,
    users_cmd,
)
from medassist_desktop.cli.common import EXIT_BUG, Command, cli_language, print_error
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.context import build_context
from medassist_desktop.errors import KnownError, new_error_id
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.logging_setup import Redactor, configure_early_logging

# Each module adds its subcommands.
COMMAND_MODULES = (
    config_cmd,
    db_cmd,
    users_cmd,
    audit_cmd,
    models_cmd,
    generate_cmd,
    sync_cmd,
    cloud_cmd,
    triage_cmd,
    route_cmd,
    ask_cmd,
    cases_cmd,
    kb_cmd,
    health_cmd,
    backup_cmd,
    diagnostics_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medassist", description="MedAssist Desktop headless commands."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Command = args.command_spec
    as_json = bool(getattr(args, "json", False))
    configure_early_logging(Redactor())
    environ = environ_snapshot()
    # Messages for the person in their language; the log stays English.
    args.language = language = cli_language(environ)
    try:
        if command.needs_context:
            context = build_context(environ, console_level="WARNING")
            return command.run(args, context)
        return command.run(args, None)
    except KnownError as exc:
        print_error(exc.render(language), as_json=as_json)
        return exc.exit_code
    except KeyboardInterrupt:
        print_error(N_("Interrupted.").render(language), as_json=False)
        return 130
    except BrokenPipeError:
        # The reader went away (`medassist ... | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception:
        error_id = new_error_id()
        logger.exception(
            "Unexpected error {error_id} in command {name}", error_id=error_id, name=args.command
        )
        message = N_(
            "An unexpected error occurred (error id {error_id}). Details are in the log file.",
            error_id=error_id,
        )
        print_error(message.render(language), as_json=as_json)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
