"""`medassist models list|import PATH|verify|use NAME`: the models on this computer.

`import`, `verify` and `use` are admin actions (`--as ADMIN`, password first on stdin),
checked and audited by the same service as the Settings page: the model writes the
clinical answers, so swapping it must be signed for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    models = subparsers.add_parser("models", help="AI models", description="AI models.")
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    add_command(
        actions,
        "list",
        "known and imported models, the one in use, and what fits this computer",
        Command(run=_list),
    )
    importer = add_command(
        actions, "import", "copy a .gguf model file in (checked before use)", Command(run=_import)
    )
    importer.add_argument("path", type=Path, help="the .gguf file, e.g. on a USB stick")
    verify = add_command(
        actions, "verify", "re-check model files against their sha256", Command(run=_verify)
    )
    verify.add_argument("names", nargs="*", help="models to check (default: all)")
    use = add_command(
        actions, "use", "make NAME the model the app loads (saved in settings)", Command(run=_use)
    )
    use.add_argument("name", help="a model name from `models list`, or a .gguf path")
    for parser in (importer, verify, use):
        add_acting_admin(parser)


def _store(context: AppContext) -> Any:
    from medassist_desktop.core.inference.models import ModelStore

    return ModelStore(context.paths)


class _Progress:
    """Percent on stderr: rewritten in place on a terminal, every 10% otherwise."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label, self.quiet, self.last = label, quiet, -1

    def __call__(self, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if self.quiet or percent == self.last:
            return
        if sys.stderr.isatty():
            print(f"\r{self.label} {percent:3d}%", end="", file=sys.stderr, flush=True)
        elif percent // 10 != self.last // 10 or percent == 100:
            print(f"{self.label} {percent}%", file=sys.stderr, flush=True)
        self.last = percent

    def done(self) -> None:
        if not self.quiet and sys.stderr.isatty() and self.last >= 0:
            print(file=sys.stderr)


def _list(args: argparse.Namespace, context: AppContext | None) -> int:
    assert context is not None
    from medassist_desktop.core.inference.hardware import GIB, probe_hardware

    hardware = probe_hardware(check_gpu=False)
    if not hardware.missing_cpu_flags():  # llama.cpp itself is only loaded on a capable CPU
        hardware = probe_hardware(check_gpu=True)
    rows = _store(context).list_models(context.settings.model_name)
    available_gb = hardware.ram_available_bytes / GIB
    for row in rows:
        needed = row["ram_needed_gb"]
        row["fits_in_memory"] = None if needed is None else needed <= available_gb
    if args.json:
        print_json({"models": rows, "hardware": hardware.as_dict()})
        return 0
    for row in rows:
        mark = "*" if row["active"] else " "
        state = "present" if row["present"] else "not on this computer"
        fits = {True: "", False: "  (needs more memory than is free)", None: ""}[
            row["fits_in_memory"]
        ]
        print(f"{mark} {row['name']:<32} {row['display_name']:<48} {state}{fits}")
    missing = hardware.missing_cpu_flags()
    print(
        f"\nThis computer: {hardware.cores_physical} cores, "
        f"{hardware.ram_total_bytes / GIB:.1f} GiB RAM ({available_gb:.1f} GiB free), "
        f"GPU offload: {'yes' if hardware.gpu_offload else 'no'}"
        + (f", CPU LACKS {', '.join(missing).upper()}" if missing else "")
    )
    print("* = in use. Get a model: medassist models list --json shows where.")
    return 0


def _import(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        _settings, models = admin_services(context, services)
        models.authorize(session, "model.import")
        progress = _Progress("Importing", quiet=args.json)
        try:
            model = _store(context).import_file(args.path, on_progress=progress)
        except Exception as exc:
            models.record(
                session, "model.import", args.path.name, ok=False, details={"error": str(exc)}
            )
            raise
        finally:
            progress.done()
        models.record(
            session,
            "model.import",
            model.name,
            ok=True,
            details={"sha256": model.sha256, "sha256_source": model.sha256_source},
        )
        services.accounts.logout(session)
    if args.json:
        print_json({"imported": model.__dict__})
        return 0
    checked = "matches the manifest" if model.sha256_source == "manifest" else "recorded"
    print(f"Imported {model.name} ({model.gguf.get('name')}, {model.gguf.get('quantization')}).")
    print(f"sha256 {model.sha256} ({checked}).")
    print(f"Use it with: medassist models use {model.name} --as ADMIN")
    return 0


def _verify(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        _settings, models = admin_services(context, services)
        models.authorize(session, "model.verify")
        progress = _Progress("Checking", quiet=args.json)
        try:
            results = _store(context).verify(args.names or None, on_progress=progress)
        finally:
            progress.done()
        models.record(
            session,
            "model.verify",
            ",".join(r.name for r in results) or "none",
            ok=all(r.ok for r in results),
            details={"bad": [r.name for r in results if not r.ok]},
        )
        services.accounts.logout(session)
    if args.json:
        print_json({"results": [r.__dict__ for r in results]})
    else:
        for r in results:
            print(f"{'OK ' if r.ok else 'BAD'} {r.name:<32} {r.message}  {r.path}")
        if not results:
            print("No model files on this computer yet.")
    return 0 if all(r.ok for r in results) else 1


def _use(args: argparse.Namespace, context: AppContext | None) -> int:
    context = require_context(context)
    with open_services(context) as services:
        session = sign_in_admin(services, args, secrets_reader())
        _settings, models = admin_services(context, services)
        saved = models.use(session, args.name)
        services.accounts.logout(session)
    value = saved.saved["model_name"]
    override = saved.hidden_by_environment[0] if saved.hidden_by_environment else None
    if args.json:
        print_json(
            {
                "model_name": value,
                "settings_file": str(saved.settings_file),
                "overridden_by": override,
            }
        )
        return 0
    print(f"The app will load {value} (saved in {saved.settings_file}).")
    if override:
        print(f"Note: {override} is set in the environment and wins over the file.")
    return 0
