"""The window's one error text renders a known error in the window's language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from medassist_desktop.core.security.errors import AccountLockedError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.workers.errors import describe_error, window_language


@pytest.fixture
def restore_locale() -> Iterator[None]:
    previous = QLocale()
    yield
    QLocale.setDefault(previous)


def locked() -> AccountLockedError:
    return AccountLockedError(
        N_(
            "Too many wrong passwords: this account is locked for {minutes} more minute(s).",
            minutes=4,
        ),
        locked_until=0.0,
        hint=N_("Wait, or ask a clinic admin to reset the password."),
    )


@pytest.mark.usefixtures("restore_locale")
def test_known_error_follows_the_window_locale(qtbot: QtBot) -> None:
    QLocale.setDefault(QLocale("vi"))
    assert window_language() == "vi"
    assert describe_error(locked()) == (
        "Nhập sai mật khẩu quá nhiều lần: tài khoản này bị khóa thêm 4 phút. "
        "Hãy chờ, hoặc nhờ quản trị viên của cơ sở đặt lại mật khẩu."
    )
    QLocale.setDefault(QLocale("id"))
    assert describe_error(locked()).startswith("Terlalu banyak kata sandi salah")
    QLocale.setDefault(QLocale("fr"))  # not shipped: English
    assert window_language() == "en"
    assert describe_error(locked()) == str(locked())
