"""Atomic writes: a failure leaves the old file and no temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from medassist_desktop.atomic_io import atomic_write_text, atomic_writer


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "registry.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write(b"half")
        raise RuntimeError("power cut")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["registry.json"]
