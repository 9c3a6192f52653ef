"""`medassist cloud configure`: the OpenAI-compatible endpoint for hybrid inference."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import open_clinic_secrets
from medassist_desktop.cli.sync_cmd import read_secret
from medassist_desktop.config.paths import environ_snapshot

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cloud = subparsers.add_parser(
        "cloud", help="cloud inference (hybrid mode)", description="Cloud inference."
    )
    actions = cloud.add_subparsers(dest="cloud_command", required=True, metavar="ACTION")
    configure = add_command(
        actions,
        "configure",
        "set the OpenAI-compatible endpoint and model; the API key is read from stdin "
        "(an empty line: no key)",
        Command(run=_configure),
    )
    configure.add_argument("--url", required=True, help="base URL, e.g. https://host/v1")
    configure.add_argument("--model", required=True, help="model name on that endpoint")
    configure.add_argument(
        "--disable", action="store_true", help="save the settings but keep answering locally"
    )


def _configure(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.services import cloud_service

    assert context is not None
    api_key = read_secret("API key (empty for none): ")
    if api_key:
        context.redactor.add_secret(api_key)
    with open_clinic_secrets(context) as store:
        result = cloud_service.configure_cloud(
            context.loaded,
            environ_snapshot(),
            store,
            url=args.url,
            model=args.model,
            api_key=api_key,
            enable=not args.disable,
        )
        stored_in = store.location
    report = {
        "configured": True,
        "url": result.url,
        "model": result.model,
        "enabled": result.enabled,
        "api_key_stored": result.api_key_stored,
        "api_key_stored_in": stored_in if result.api_key_stored else None,
        "settings_file": str(result.settings_file),
        "hidden_by_environment": result.hidden_by_environment,
    }
    if args.json:
        print_json(report)
    else:
        state = "on" if result.enabled else "off"
        print(
            f"Cloud inference {state}: {result.url}, model {result.model}; settings saved in "
            f"{result.settings_file}" + (f"; API key in {stored_in}." if api_key else ".")
        )
    for variable in result.hidden_by_environment:
        print(f"medassist: note: {variable} is set and overrides the saved value.", file=sys.stderr)
    return 0
