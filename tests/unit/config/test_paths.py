"""Where files live."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from medassist_desktop.config.paths import AppPaths
from medassist_desktop.errors import DataDirError


def test_data_dir_variable_relocates_everything(tmp_path: Path) -> None:
    paths = AppPaths.resolve({"MEDASSIST_DATA_DIR": str(tmp_path / "clinic")})
    root = tmp_path / "clinic"
    for directory in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        assert directory == root or root in directory.parents
    assert paths.default_db_path == root / "medassist.db"
    assert paths.default_config_file == root / "config" / "config.json"


def test_platform_defaults_without_the_variable() -> None:
    paths = AppPaths.resolve({})
    assert paths.data_dir == Path(platformdirs.user_data_dir("MedAssist", appauthor=False))
    assert paths.log_dir == Path(platformdirs.user_log_dir("MedAssist", appauthor=False))
    assert len({paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir}) == 4


def test_resolve_creates_nothing(tmp_path: Path) -> None:
    AppPaths.resolve({"MEDASSIST_DATA_DIR": str(tmp_path / "later")})
    assert not (tmp_path / "later").exists()


def test_ensure_writable_creates_the_folders(tmp_path: Path) -> None:
    paths = AppPaths.resolve({"MEDASSIST_DATA_DIR": str(tmp_path / "d")})
    paths.ensure_writable()
    assert paths.log_dir.is_dir() and paths.cache_dir.is_dir() and paths.config_dir.is_dir()
    assert not any(p.name.startswith(".write-test-") for p in paths.data_dir.rglob("*"))


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    paths = AppPaths.resolve({"MEDASSIST_DATA_DIR": str(blocker / "data")})
    with pytest.raises(DataDirError, match="Cannot write to the folder") as info:
        paths.ensure_writable()
    assert "MEDASSIST_DATA_DIR" in str(info.value)
