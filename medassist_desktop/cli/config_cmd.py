"""`medassist config show`: the effective settings and where each came from."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.config import load_settings
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.logging_setup import Redactor

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    config = subparsers.add_parser("config", help="settings", description="Settings.")
    actions = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    # Reading settings must work even when the data folder cannot be written.
    add_command(
        actions,
        "show",
        "print the effective settings with their source (default, file, env)",
        Command(run=_show, needs_context=False),
    )


def _show(args: argparse.Namespace, _context: AppContext | None) -> int:
    loaded = load_settings(environ_snapshot())
    report = Redactor().redact_value("settings", loaded.describe())
    if args.json:
        print_json(report)
        return 0
    width = max(len(name) for name in report["settings"])
    for name, entry in report["settings"].items():
        print(f"{name:<{width}}  {entry['value']!s:<40}  ({entry['source']})")
    print(f"\nsettings file: {report['config_file'] or 'none'}")
    for name, path in report["paths"].items():
        print(f"{name}: {path}")
    return 0
