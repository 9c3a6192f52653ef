"""`medassist health`: liveness, readiness and startup probes for monitoring and support.

Exit status: 0 healthy, 1 degraded (working on a fallback), 2 unhealthy. Nothing is
changed: the database is opened read-only, no model is loaded. No sign-in is needed:
the report holds states and reasons, never patient data or secrets.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.config.paths import environ_snapshot
from medassist_desktop.core.health.probes import HealthStatus, Probe, ProbeReport, worst

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "health",
        "is the app alive, ready and started? (exit 0 healthy, 1 degraded, 2 unhealthy)",
        Command(run=_health),
    )
    parser.add_argument(
        "--probe",
        choices=[probe.value for probe in Probe],
        help="only this probe (default: all three)",
    )


def _health(args: argparse.Namespace, context: AppContext | None) -> int:
    from medassist_desktop.composition import AppServices

    assert context is not None
    service = AppServices(context, environ_snapshot()).health()
    reports = [service.probe(Probe(args.probe))] if args.probe else service.all_probes()
    status = worst([report.status for report in reports])
    if args.json:
        if args.probe:
            print_json(reports[0].as_dict())
        else:
            print_json(
                {
                    "status": status.value,
                    "probes": {report.probe.value: report.as_dict() for report in reports},
                }
            )
    else:
        for report in reports:
            _print_report(report)
    return status.severity


_MARK = {
    HealthStatus.HEALTHY: "ok",
    HealthStatus.DEGRADED: "DEGRADED",
    HealthStatus.UNHEALTHY: "FAIL",
}


def _print_report(report: ProbeReport) -> None:
    print(f"{report.probe.value}: {report.status.value} ({report.duration_ms:.1f} ms)")
    for check in report.checks:
        print(f"  {_MARK[check.status]:<8} {check.name:<16} {check.reason}")
