"""Shared plumbing of the CLI commands: registration, output, errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from medassist_desktop.config.settings import SETTING_ENV_VARS, load_settings
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n import resolve_language

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext

EXIT_BUG = 70

Handler = Callable[[argparse.Namespace, "AppContext | None"], int]


@dataclass(frozen=True)
class Command:
    """A CLI command: its handler and whether it needs the full context (writable data dir)."""

    run: Handler
    needs_context: bool = True


def add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    command: Command,
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    parser.set_defaults(command_spec=command)
    return parser


def cli_language(environ: Mapping[str, str]) -> str:
    """The language the commands speak: the `ui_language` setting, as the window uses it.

    `UI_LANGUAGE` decides alone when set (commands that need no settings, such as
    `triage`, still follow it); otherwise the settings file, then the system's locale.
    Settings that cannot be read leave the choice to the system: the command itself
    then reports what is wrong with them.
    """
    variable = SETTING_ENV_VARS["ui_language"]
    if environ.get(variable, "").strip():
        try:
            return resolve_language(environ[variable].strip().lower())
        except ValueError:
            return resolve_language("auto")
    try:
        return resolve_language(load_settings(environ).settings.ui_language)
    except KnownError:
        return resolve_language("auto")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_error(message: str, *, as_json: bool) -> None:
    """Errors go to stderr as text; with --json, stdout also gets {"error": ...} for scripts."""
    print(f"medassist: {message}", file=sys.stderr)
    if as_json:
        print_json({"error": message})
