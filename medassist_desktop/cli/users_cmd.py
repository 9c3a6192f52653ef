"""`medassist users add|list|disable|enable|reset-password` (an admin acts with --as)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.cli.secure_io import (
    add_acting_admin,
    add_acting_user,
    admin_services,
    open_services,
    require_context,
    secrets_reader,
    sign_in_admin,
)
from medassist_desktop.core.security.accounts import Role, User
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = subparsers.add_parser(
        "users",
        help="user accounts (admin)",
        description="User accounts. The acting admin's password is the first line on stdin.",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = add_command(
        actions,
        "add",
        "add a user (stdin: admin password, then the new password)",
        Command(run=_add),
    )
    add.add_argument("username")
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.HEALTH_WORKER.value)
    add.add_argument("--display-name", default="")
    list_parser = add_command(actions, "list", "list the users", Command(run=_list))
    disable = add_command(actions, "disable", "disable a user", Command(run=_disable))
    disable.add_argument("username")
    enable = add_command(actions, "enable", "enable a disabled user", Command(run=_enable))
    enable.add_argument("username")
    reset = add_command(
        actions,
        "reset-password",
        "set a new password and clear a lockout (stdin: admin password, then the new one)",
        Command(run=_reset),
    )
    reset.add_argument("username")
    for parser in (add, list_parser, disable, enable, reset):
        add_acting_admin(parser)
    change = add_command(
        actions,
        "change-password",
        "choose your own new password, e.g. after an admin reset "
        "(stdin: the current password, then the new one)",
        Command(run=_change_own),
    )
    add_acting_user(change)
    policy = add_command(
        actions,
        "policy",
        "the sign-in and lock policy, kept in the encrypted database (wins over the settings "
        "file and the environment); without values: show it",
        Command(run=_policy),
    )
    policy.add_argument("--max-login-attempts", type=int, metavar="N")
    policy.add_argument("--session-timeout-minutes", type=int, metavar="MINUTES")
    add_acting_admin(policy)


def user_dict(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "active": user.active,
        "locked_until": user.locked_until,
        "must_change_password": user.must_change_password,
        "last_login_at": user.last_login_at,
    }


def _show(args: argparse.Namespace, user: User, verb: str) -> int:
    if args.json:
        print_json(user_dict(user))
    else:
        print(
            f"{verb} {user.username} ({user.role.value}, {'active' if user.active else 'disabled'})"
        )
    return 0


def _add(args: argparse.Namespace, context: AppContext | None) -> int:
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        password = reader.read(f"New password for {args.username}")
        user = services.accounts.add_user(
            session, args.username, password, Role(args.role), args.display_name
        )
        services.accounts.logout(session)
    return _show(args, user, "Added")


def _list(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        users = services.accounts.list_users(session)
        services.accounts.logout(session)
    if args.json:
        print_json({"users": [user_dict(u) for u in users]})
        return 0
    for user in users:
        state = "active" if user.active else "disabled"
        print(f"{user.username:<24} {user.role.value:<14} {state:<9} {user.display_name}")
    return 0


def _disable(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        user = services.accounts.disable_user(session, args.username)
        services.accounts.logout(session)
    return _show(args, user, "Disabled")


def _enable(args: argparse.Namespace, context: AppContext | None) -> int:
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        user = services.accounts.enable_user(session, args.username)
        services.accounts.logout(session)
    return _show(args, user, "Enabled")


def _reset(args: argparse.Namespace, context: AppContext | None) -> int:
    reader = secrets_reader()
    with open_services(context) as services:
        session = sign_in_admin(services, args, reader)
        password = reader.read(f"New password for {args.username}")
        user = services.accounts.reset_password(session, args.username, password)
        services.accounts.logout(session)
    return _show(args, user, "Reset the password of")


def _change_own(args: argparse.Namespace, context: AppContext | None) -> int:
    reader = secrets_reader()
    with open_services(context) as services:
        current = reader.read(f"Password of {args.acting_user}")
        session = services.accounts.login(args.acting_user, current, ip_address="cli")
        new = reader.read("New password")
        services.accounts.change_own_password(session, current, new)
        services.accounts.logout(session)
        user = services.account_store.get(args.acting_user)
    return _show(args, user, "Changed the password of")


def _policy(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        admin_settings, _models = admin_services(context, services)
        current = admin_settings.read(session).values
        wanted = {
            "max_login_attempts": args.max_login_attempts,
            "session_timeout_minutes": args.session_timeout_minutes,
        }
        if any(value is not None for value in wanted.values()):
            values = {k: current[k] if v is None else v for k, v in wanted.items()}
            _check_policy(values)
            admin_settings.save_policy(session, **values)
            current = admin_settings.read(session).values
        services.accounts.logout(session)
    report = {k: current[k] for k in ("max_login_attempts", "session_timeout_minutes")}
    if args.json:
        print_json(report)
    else:
        print(
            f"Lock an account after {report['max_login_attempts']} wrong passwords; "
            f"lock a session after {report['session_timeout_minutes']} idle minutes."
        )
    return 0


def _check_policy(values: dict[str, int]) -> None:
    """The same ranges as the settings (a policy the next start would refuse is not saved)."""
    from medassist_desktop.config import Settings

    for name, value in values.items():
        field = Settings.model_fields[name]
        low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
        high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
        if (low is not None and value < low) or (high is not None and value > high):
            raise KnownError(
                N_(
                    "{name} must be from {low} to {high} (got {value}).",
                    name=name,
                    low=low,
                    high=high,
                    value=value,
                )
            )
