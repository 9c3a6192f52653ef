"""Where files live: platformdirs locations, or everything under MEDASSIST_DATA_DIR.

A clinic can move all data (database, logs, models, cache) to another drive by
setting one variable; without it each kind of file goes where the OS expects it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from medassist_desktop import APP_ID
from medassist_desktop.errors import DataDirError
from medassist_desktop.i18n.catalogue import N_

DATA_DIR_VAR = "MEDASSIST_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """The directories the app writes to."""

    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def default_config_file(self) -> Path:
        return self.config_dir / "config.json"

    @property
    def default_db_path(self) -> Path:
        return self.data_dir / "medassist.db"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @classmethod
    def resolve(cls, environ: Mapping[str, str]) -> AppPaths:
        """Pick the directories from the environment; creates nothing."""
        root = environ.get(DATA_DIR_VAR, "").strip()
        if root:
            base = Path(root).expanduser().absolute()
            return cls(
                data_dir=base,
                config_dir=base / "config",
                log_dir=base / "logs",
                cache_dir=base / "cache",
            )
        dirs = platformdirs.PlatformDirs(appname=APP_ID, appauthor=False)
        return cls(
            data_dir=Path(dirs.user_data_dir),
            config_dir=Path(dirs.user_config_dir),
            log_dir=Path(dirs.user_log_dir),
            cache_dir=Path(dirs.user_cache_dir),
        )

    def ensure_writable(self) -> None:
        """Create the directories and prove each can be written, before anything is saved.

        Failing here, with the directory named, beats failing later halfway through
        writing a database or a log.
        """
        for directory in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            try:
                directory.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
                    pass
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise DataDirError(
                    N_(
                        "Cannot write to the folder {directory} ({reason}).",
                        directory=directory,
                        reason=reason,
                    ),
                    hint=N_(
                        "Give this user write access to it, or set {data_dir_var} to a folder "
                        "that can be written.",
                        data_dir_var=DATA_DIR_VAR,
                    ),
                ) from exc

    def as_dict(self) -> dict[str, str]:
        return {
            "data_dir": str(self.data_dir),
            "config_dir": str(self.config_dir),
            "log_dir": str(self.log_dir),
            "cache_dir": str(self.cache_dir),
        }


def environ_snapshot() -> dict[str, str]:
    """A copy of the process environment, so loaders stay pure functions of their input."""
    return dict(os.environ)
