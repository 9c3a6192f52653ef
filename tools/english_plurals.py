"""Make the English plural forms of the window's numerus messages.

Every `tr("... %n thing(s) ...", "", n)` in ui/ and workers/ is collected by lupdate
(`-pluralonly`) into resources/translations/medassist_en.ts; its two English forms are
derived from the source text ("(s)" -> "" and "s", "y(ies)" -> "y" and "ies") and the
file is compiled to medassist_en.qm, which the app loads (ui/translations.py). `make
translations` runs it.

    .venv/bin/python tools/english_plurals.py
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "medassist_en.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
_FORMS = (("y(ies)", "y", "ies"), ("(es)", "", "es"), ("(s)", "", "s"))


def english_forms(source: str) -> tuple[str, str]:
    """The singular and plural of a source text written with "(s)"-style endings."""
    singular, plural = source, source
    for marker, one, many in _FORMS:
        singular, plural = singular.replace(marker, one), plural.replace(marker, many)
    return singular, plural


def sources() -> list[str]:
    folders = [ROOT / "medassist_desktop" / "ui", ROOT / "medassist_desktop" / "workers"]
    return sorted(str(p) for folder in folders for p in folder.rglob("*.py"))


def main() -> int:
    TS.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - our own argv
        [
            str(BIN / "pyside6-lupdate"),
            "-pluralonly",
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "en",
            "-target-language",
            "en",
            *sources(),
            "-ts",
            str(TS),
        ],
        check=True,
    )
    tree = ET.parse(TS)  # noqa: S314 - the file lupdate just wrote
    for context in tree.getroot().findall("context"):
        for message in context.findall("message"):
            source = message.findtext("source") or ""
            if message.get("numerus") != "yes" or "%n" not in source:
                context.remove(message)  # not a count (lupdate misreads some calls)
            else:
                fill(message, source)
        if not context.findall("message"):
            tree.getroot().remove(context)
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    lrelease = [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)]
    subprocess.run(lrelease, check=True)  # noqa: S603 - our own argv
    return 0


def fill(message: ET.Element, source: str) -> None:
    """The two English forms (the same twice where the text has no "(s)" ending)."""
    translation = message.find("translation")
    if translation is None:
        translation = ET.SubElement(message, "translation")
    translation.attrib.pop("type", None)
    for child in list(translation):
        translation.remove(child)
    translation.text = None
    for form in english_forms(source):
        ET.SubElement(translation, "numerusform").text = form


if __name__ == "__main__":
    sys.exit(main())
