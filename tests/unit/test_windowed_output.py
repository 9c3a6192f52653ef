"""A windowed build starts with no stdout/stderr; the app must still start and print."""

from __future__ import annotations

import sys

import pytest

from medassist_desktop import app


def test_missing_streams_are_replaced_so_printing_and_logging_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    app._ensure_output_streams()
    assert sys.stdout is not None and sys.stderr is not None
    sys.stderr.write("self-test: OK\n")  # loguru and print need a real stream
    sys.stdout.write("x")


def test_streams_that_exist_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout, stderr = sys.stdout, sys.stderr
    app._ensure_output_streams()
    assert sys.stdout is stdout and sys.stderr is stderr
