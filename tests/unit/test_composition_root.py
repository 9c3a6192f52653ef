"""Services are built in one place, the composition root: no module under ui/ constructs one.

A widget that builds its own service wires its own database, audit log or model, and
the GUI and the CLI drift apart; pages ask `sessions.app` (an `AppServices`) instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


def test_the_root_builds_each_service_once_on_one_database(tmp_path: Path) -> None:
    from medassist_desktop.composition import AppServices, NotReadyError, SecurityOptions
    from medassist_desktop.context import AppContext
    from medassist_desktop.core.security.accounts import Role
    from medassist_desktop.logging_setup import Redactor
    from medassist_desktop.storage.errors import StorageError
    from tests.support.keyrings import MemoryKeyring
    from tests.support.security import CHEAP_KDF, cheap_hasher, settings_for

    loaded = settings_for(tmp_path)
    options = SecurityOptions(MemoryKeyring(), cheap_hasher(), CHEAP_KDF)
    app = AppServices(AppContext(loaded, Redactor(), None), {}, options=options, keyword_only=True)
    with pytest.raises(NotReadyError):
        app.cases()
    security = app.open(create=True)
    try:
        assert app.security is security
        assert app.cases() is app.cases() and app.knowledge() is app.knowledge()
        consult = app.consult()
        assert consult is app.consult()
        assert consult.model is app.model()  # consults answer with the one model holder
        security.accounts.create_first_admin("admin", "admin-password-1")
        admin = security.accounts.login("admin", "admin-password-1")
        security.accounts.add_user(admin, "hoa", "482913", Role.HEALTH_WORKER, "Nurse Hoa")
        nurse = security.accounts.login("hoa", "482913")
        case = app.cases().create_case(nurse, {"name": "Sok Dara", "age_months": 36})
        assert app.cases().get_case(nurse, case.id).name == "Sok Dara"
    finally:
        app.close()
    with pytest.raises(StorageError, match="closed"):
        security.db.scalar("SELECT 1")
