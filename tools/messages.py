"""Keep the message catalogues of the Qt-free layers current: extract, update, compile.

    python tools/messages.py            # extract to the .pot, merge into each .po, compile .mo
    python tools/messages.py --check    # fail when the .pot or a .mo is out of date

What goes into the catalogue:
- every `N_("...")` and `gettext_noop("...")` in the package outside ui/ and workers/
  (the window's own strings go through Qt's translator instead);
- the clinical wording of the shipped triage rules: sign labels, sign group titles and
  finding labels of the rules file the app uses.

The `.mo` files are committed beside their `.po` files, so the app and the bundle need
nothing but the standard library's gettext to read them. Babel is a development tool.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "medassist_desktop"
LOCALE_DIR = PACKAGE / "i18n" / "locale"
DOMAIN = "medassist"
LANGUAGES = ("id", "vi")
RULES_FILE = PACKAGE / "core" / "triage" / "rules" / "who_iitt_v2.json"
KEYWORDS = {"N_": None, "gettext_noop": None}
METHOD_MAP = [
    ("ui/**.py", "ignore"),
    ("workers/**.py", "ignore"),
    ("app.py", "ignore"),
    ("**.py", "python"),
]


def _rules_messages() -> Iterator[tuple[str, str]]:
    """(text, where) for the clinical wording of the shipped rules file."""
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    where = RULES_FILE.relative_to(ROOT).as_posix()
    for code, label in rules["signs"].items():
        yield label, f"{where}:signs.{code}"
    for group in rules.get("sign_groups", []):
        yield group["title"], f"{where}:sign_groups.{group['id']}"
    for rule in rules["rules"]:
        yield rule["label"], f"{where}:rules.{rule['id']}"


def extract() -> Catalog:
    """The template: every marked message of the Qt-free layers and the rules' wording."""
    template = Catalog(project="MedAssist Desktop", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        where = (f"medassist_desktop/{filename}", lineno)
        template.add(message, locations=[where], auto_comments=comments, context=context)
    for text, where in _rules_messages():
        template.add(text, locations=[(where, 0)])
    return template


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False)
    return buffer.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def read_catalog(language: str) -> Catalog:
    with _po_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update() -> None:
    template = extract()
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    (LOCALE_DIR / f"{DOMAIN}.pot").write_bytes(_po_bytes(template))
    for language in LANGUAGES:
        po_path = _po_path(language)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            catalog = read_catalog(language)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="MedAssist Desktop")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        po_path.write_bytes(_po_bytes(catalog))
        po_path.with_suffix(".mo").write_bytes(_mo_bytes(read_catalog(language)))


def check() -> list[str]:
    """What is out of date: messages missing from a .po, .mo files older than their .po."""
    problems = []
    wanted = {message.id for message in extract() if message.id}
    for language in LANGUAGES:
        catalog = read_catalog(language)
        have = {message.id for message in catalog if message.id}
        missing = sorted(wanted - have)
        if missing:
            problems.append(f"{language}: {len(missing)} message(s) not in the .po: {missing[:5]}")
        mo_path = _po_path(language).with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != _mo_bytes(catalog):
            problems.append(f"{language}: {mo_path.name} does not match its .po")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report what is out of date")
    args = parser.parse_args()
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
