"""Services are built in one place, the composition root: no module under ui/ constructs one.

A widget that builds its own service wires its own database, audit log or model, and
the GUI and the CLI drift apart; pages ask `sessions.app` (an `AppServices`) instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import medassist_desktop

PACKAGE = Path(medassist_desktop.__file__).parent
BUILDER_PREFIXES = ("build_", "open_")
FACTORY_METHODS = {"from_security", "from_settings"}


def service_builders() -> set[str]:
    """Classes of services/ that are services (…Service, …Services, …Holder) and its builders."""
    names: set[str] = set()
    for path in (PACKAGE / "services").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.ClassDef)
                and node.name.endswith(("Service", "Services", "Holder"))
            ) or (isinstance(node, ast.FunctionDef) and node.name.startswith(BUILDER_PREFIXES)):
                names.add(node.name)
    return names


def constructions(source: str, builders: set[str]) -> list[str]:
    """`Name(...)`, `module.Name(...)` and `Anything.from_security(...)` calls in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in builders or name in FACTORY_METHODS:
            found.append(f"{name} (line {node.lineno})")
    return found


def test_the_services_package_has_builders_to_look_for() -> None:
    builders = service_builders()
    assert {"CaseService", "ConsultService", "ModelHolder", "build_consult_service"} <= builders
    assert "open_security" in builders


def test_the_check_finds_a_widget_building_a_service() -> None:
    source = (
        "def page(security, settings):\n"
        "    cases = CaseService.from_security(security, settings)\n"
        "    return services.consult.build_consult_service(settings)\n"
    )
    assert constructions(source, service_builders()) == [
        "from_security (line 2)",
        "build_consult_service (line 3)",
    ]


def test_no_service_is_constructed_under_ui() -> None:
    builders = service_builders()
    offenders = {
        str(path.relative_to(PACKAGE)): found
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        if (found := constructions(path.read_text(encoding="utf-8"), builders))
    }
    assert offenders == {}, "build services in medassist_desktop/composition.py: " + str(offenders)
