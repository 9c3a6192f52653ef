"""Shared plumbing of the CLI commands: registration, output, errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_error(message: str, *, as_json: bool) -> None:
    """Errors go to stderr as text; with --json, stdout also gets {"error": ...} for scripts."""
    print(f"medassist: {message}", file=sys.stderr)
    if as_json:
        print_json({"error": message})
