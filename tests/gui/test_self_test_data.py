"""The self-test also proves the versioned data files (triage rules, routing data) are present."""

from __future__ import annotations

from pathlib import Path

import pytest

import medassist_desktop
from medassist_desktop.ui.self_test import check_packaged_data


def test_packaged_data_is_found() -> None:
    assert check_packaged_data() == []


def test_missing_data_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(medassist_desktop, "__file__", str(tmp_path / "__init__.py"))
    problems = check_packaged_data()
    assert len(problems) == 1 and problems[0].startswith("routing data missing")
