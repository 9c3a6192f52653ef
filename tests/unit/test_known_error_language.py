"""A known error carries a message id and arguments: English in the log, the chosen
language on the screen and in the CLI."""

from __future__ import annotations

import pickle

import pytest

from medassist_desktop.core.knowledge.documents import IngestError
from medassist_desktop.core.triage import TriageInputError, parse_case
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import N_
from medassist_desktop.storage.errors import DiskFullError


def test_message_and_hint_render_per_language_and_str_stays_english() -> None:
    error = DiskFullError(
        N_(
            "Not enough free disk space in {directory}: {value:.1f} GiB needed, "
            "{value2:.1f} GiB free.",
            directory="/data",
            value=2.25,
            value2=0.5,
        ),
        hint=N_("Free some space (or set MEDASSIST_DATA_DIR to a larger drive) and try again."),
    )
    assert str(error).startswith("Not enough free disk space in /data: 2.2 GiB needed")
    assert error.message.endswith("0.5 GiB free.")
    vietnamese = error.render("vi")
    assert vietnamese.startswith("Không đủ dung lượng đĩa trống trong /data: cần 2.2 GiB")
    assert "Hãy giải phóng dung lượng" in vietnamese
    assert error.render("id").startswith("Ruang disk kosong di /data tidak cukup")


def test_plain_text_from_elsewhere_is_shown_as_given() -> None:
    error = KnownError("the server said: quota exceeded")
    assert error.render("vi") == "the server said: quota exceeded" == str(error)


def test_triage_input_errors_name_the_field_in_every_language() -> None:
    with pytest.raises(TriageInputError) as caught:
        parse_case({"age_months": 18, "vitals": {"respiratory_rate": 400}})
    error = caught.value
    assert error.field == "vitals.respiratory_rate"
    assert str(error) == (
        "vitals.respiratory_rate=400 is not possible: it must be between 1 and 150 "
        "breaths per minute."
    )
    assert error.render("vi") == (
        "vitals.respiratory_rate=400 là không thể: phải nằm trong khoảng 1 đến 150 "
        "lần thở mỗi phút."
    )
    assert "napas per menit" in error.render("id")


def test_an_error_from_the_parsing_process_keeps_its_message_id() -> None:
    """Import errors travel from the parsing child process by pickle, still translatable."""
    from pathlib import Path

    error = IngestError(Path("chart.pdf"), N_("the PDF has no pages."))
    copy = pickle.loads(pickle.dumps((error.reason, error.hint_id)))  # noqa: S301 - our own bytes
    again = IngestError(Path("chart.pdf"), copy[0], hint=copy[1])
    assert again.render("vi") == "chart.pdf: tệp PDF không có trang nào."
