"""`medassist cloud configure --as ADMIN`: the OpenAI-compatible endpoint for hybrid inference.

An admin action, checked and audited by the Settings page's service: the endpoint
receives the clinic's questions, so pointing it elsewhere must not be open to anyone
at the keyboard.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    admin_services,
    open_services,
    require_context,
    secrets_reader,
    sign_in_admin,
)

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
        "set the OpenAI-compatible endpoint and model (admin; stdin: the admin's password, "
        "then the API key, an empty line for none)",
        Command(run=_configure),
    )
    add_acting_admin(configure)
    configure.add_argument("--url", required=True, help="base URL, e.g. https://host/v1")
    configure.add_argument("--model", required=True, help="model name on that endpoint")
    configure.add_argument(
        "--disable", action="store_true", help="save the settings but keep answering locally"
    )


def _configure(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        admin_settings, _models = admin_services(context, services)
        admin_settings.authorize(session, "settings.cloud")  # before asking for the key
        api_key = reader.read("API key (an empty line for none)")
        if api_key:
            context.redactor.add_secret(api_key)
        saved = admin_settings.save_cloud(
            session,
            enabled=not args.disable,
            url=args.url,
            model=args.model,
            api_key=api_key,
            clear_key=not api_key,
        )
        stored_in = services.clinic_secrets().location
        services.accounts.logout(session)
    report = {
        "configured": True,
        "url": saved.saved["cloud_url"],
        "model": saved.saved["cloud_model"],
        "enabled": not args.disable,
        "api_key_stored": bool(api_key),
        "api_key_stored_in": stored_in if api_key else None,
        "settings_file": str(saved.settings_file),
        "hidden_by_environment": saved.hidden_by_environment,
    }
    if args.json:
        print_json(report)
    else:
        state = "on" if report["enabled"] else "off"
        print(
            f"Cloud inference {state}: {report['url']}, model {report['model']}; settings saved "
            f"in {saved.settings_file}" + (f"; API key in {stored_in}." if api_key else ".")
        )
    for variable in saved.hidden_by_environment:
        print(f"medassist: note: {variable} is set and overrides the saved value.", file=sys.stderr)
    return 0
