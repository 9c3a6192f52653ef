"""Reading and decoding: encodings that must work, inputs that must be refused clearly."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from medassist_desktop.core.knowledge.decoding import decode_text, read_limited
from medassist_desktop.core.knowledge.documents import IngestError

MB = 1024 * 1024
CLINICAL_TEXT = (
    "Référez l’enfant à l’hôpital si l’état s’aggrave. "
    "Don’t give aspirin — it’s unsafe in dengue. Give paracetamol: 15 mg/kg, café au lait. "
)


def test_utf8_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(CLINICAL_TEXT, encoding="utf-8")
    raw = read_limited(path, MB)
    assert decode_text(path, raw.data) == (CLINICAL_TEXT, "utf-8")
    assert len(raw.sha256) == 64


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    ],
)
def test_byte_order_marks_decide_the_encoding(
    tmp_path: Path, bom: bytes, codec: str, name: str
) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + CLINICAL_TEXT.encode(codec))
    text, encoding = decode_text(path, read_limited(path, MB).data)
    assert text == CLINICAL_TEXT  # the BOM itself is not part of the text
    assert encoding == name


def test_windows_utf16_with_crlf_lines(tmp_path: Path) -> None:
    path = tmp_path / "exported.txt"
    path.write_bytes("First line\r\nSecond line\r\n".encode("utf-16"))  # BOM + native order
    text, _ = decode_text(path, path.read_bytes())
    assert text == "First line\nSecond line\n"


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_legacy_single_byte_text_is_detected(tmp_path: Path, codec: str) -> None:
    source = (
        "Le paludisme grave est une urgence. Référez l'enfant immédiatement à l'hôpital. "
        "La fièvre, les vomissements répétés et la léthargie sont des signes de danger. "
        "Donnez la première dose d'artésunate avant le transfert. Contrôlez la glycémie; "
        "prévenez l'hypoglycémie chez l'enfant. Évitez l'aspirine."
    )
    path = tmp_path / "guide.txt"
    path.write_bytes(source.encode(codec))
    text, encoding = decode_text(path, path.read_bytes())
    assert text == source
    assert encoding.replace("_", "-") in {"cp1252", "latin-1", "iso8859-1", "iso-8859-1"}


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    data = "<p>Señal de peligro: niño letárgico</p>".encode("cp1252")
    assert decode_text(path, data, declared_encoding="windows-1252")[0].endswith("letárgico</p>")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match=r"empty\.txt: the file is empty"):
        read_limited(path, MB)


def test_blank_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_bytes(b"  \n\n\t \r\n")
    with pytest.raises(IngestError, match="the file is empty"):
        read_limited(path, MB)


def test_utf16_file_with_only_spaces_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank16.txt"
    path.write_bytes("   \n ".encode("utf-16"))
    with pytest.raises(IngestError, match="the file is empty"):
        decode_text(path, path.read_bytes())


def test_binary_file_named_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    with pytest.raises(IngestError, match=r"photo\.txt: this is a binary file, not text"):
        decode_text(path, path.read_bytes())


def test_control_characters_without_nul_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    rng = random.Random(7)
    path.write_bytes(bytes(rng.choice([1, 2, 3, 4, 5, 6, 65, 66, 67]) for _ in range(4000)))
    with pytest.raises(IngestError, match="binary file"):
        decode_text(path, path.read_bytes())


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mystery.txt"
    rng = random.Random(3)
    path.write_bytes(bytes(rng.randint(0x80, 0xFF) for _ in range(3000)))
    with pytest.raises(IngestError) as info:
        decode_text(path, path.read_bytes())
    assert "mystery.txt: the text encoding cannot be recognised with confidence" in str(info.value)
    assert "UTF-8" in str(info.value)  # the hint says what to do


def test_damaged_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00")
    with pytest.raises(IngestError, match="UTF-16-LE but is damaged"):
        decode_text(path, path.read_bytes())


def test_200_mb_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * MB)  # sparse: costs no disk
    opened: list[Path] = []
    real_open = Path.open

    def spy_open(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy_open)
    with pytest.raises(IngestError) as info:
        read_limited(path, 50 * MB)
    assert "huge.txt: too large (200.0 MB; the limit is 50.0 MB)" in str(info.value)
    assert "kb_max_file_mb" in str(info.value)
    assert opened == []  # refused from its size alone


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt"
    path.write_bytes(b"a" * 1000)
    assert len(read_limited(path, 1000).data) == 1000
    with pytest.raises(IngestError, match="too large"):
        read_limited(path, 999)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"gone\.txt: file not found"):
        read_limited(tmp_path / "gone.txt", MB)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="not a regular file"):
        read_limited(folder, MB)
