"""`medassist triage [FILE|-]`: danger-sign triage of one case or an array of cases.

The input is JSON: one case object, or an array of them (then the output is an
array in the same order, and a case that cannot be triaged gets {"error": ...}
naming the field while the others are still evaluated). Pure: no model, no
database, nothing written, so it works before the app is set up.

`medassist triage --codes` lists the vocabulary instead: every sign code with its
label and group, every input field with its unit and limits, so that other tools
can build forms that the rules understand.

Labels are in the chosen language (`UI_LANGUAGE`); every JSON key, level, rule id,
sign code and source stays as it is, and the JSON of a result adds `language` and
`level_label`, so a script reads the same fields whatever the language.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medassist_desktop.cli.common import Command, add_command, print_json
from medassist_desktop.core.triage import (
    TriageEngine,
    TriageInputError,
    TriageResult,
    load_rules,
)
from medassist_desktop.core.triage.catalogue import (
    ROUTINE_TEXT,
    catalogue,
    level_label,
    localised_result,
    not_assessed_text,
)
from medassist_desktop.errors import KnownError
from medassist_desktop.i18n.catalogue import FALLBACK_LANGUAGE, N_, gettext_noop, translate

# The words of the text output (the JSON has keys instead).
LEVEL_LINE = gettext_noop("Level: {level}")
FINDINGS_LINE = gettext_noop("Findings:")
UNKNOWN_LINE = gettext_noop("Unknown sign codes (not evaluated): {codes}")
RULES_LINE = gettext_noop("Rules: {version}")
CASE_LINE = gettext_noop("Case {number}:")
CASE_ERROR = gettext_noop("case {number}")
ERROR_LINE = gettext_noop("error: {message}")

if TYPE_CHECKING:
    from medassist_desktop.context import AppContext


class TriageFileError(KnownError):
    """The triage input cannot be read or is not JSON."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "triage",
        "danger-sign triage (WHO IITT, IMCI, ETAT and PCPNC rules) of a case in JSON, or an "
        "array of cases; --codes lists the sign codes and fields",
        Command(run=_triage, needs_context=False),
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="a JSON file with one case object or an array of cases; '-' or nothing: stdin",
    )
    parser.add_argument(
        "--codes",
        action="store_true",
        help="list every sign code (label, group) and input field (unit, limits) and exit",
    )


def read_cases(source: str) -> Any:
    """The decoded JSON of FILE or stdin, with a clear error when it is not JSON."""
    where = "standard input" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise TriageFileError(
            N_("Cannot read {where} ({value}).", where=where, value=exc.strerror or exc)
        ) from exc
    except UnicodeDecodeError as exc:
        raise TriageFileError(N_("{where} is not UTF-8 text.", where=where)) from exc
    if not text.strip():
        raise TriageFileError(
            N_("{where} is empty.", where=where),
            hint=N_("Give one case as a JSON object, or an array of cases."),
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TriageFileError(
            N_(
                "{where} is not valid JSON: {msg} at line {lineno}, column {colno}.",
                where=where,
                msg=exc.msg,
                lineno=exc.lineno,
                colno=exc.colno,
            )
        ) from exc


def _triage(args: argparse.Namespace, _context: AppContext | None) -> int:
    language = getattr(args, "language", FALLBACK_LANGUAGE)
    if args.codes:
        return _print_codes(as_json=args.json, language=language)
    data = read_cases(args.file)
    engine = TriageEngine(load_rules())
    if not isinstance(data, list):
        result = localised_result(engine.triage(data).as_dict(), language)
        if args.json:
            print_json(result)
        else:
            print(format_dict(result, language))
        return 0

    outputs: list[dict[str, Any]] = []
    failures = 0
    for index, item in enumerate(data):
        try:
            outputs.append(localised_result(engine.triage(item).as_dict(), language))
        except TriageInputError as exc:
            failures += 1
            outputs.append({"error": exc.render(language)})
            where = translate(CASE_ERROR, language).format(number=index + 1)
            print(f"medassist: {where}: {exc.render(language)}", file=sys.stderr)
    if args.json:
        print_json(outputs)
    else:
        for index, output in enumerate(outputs):
            print(translate(CASE_LINE, language).format(number=index + 1))
            if "error" in output:
                print("  " + translate(ERROR_LINE, language).format(message=output["error"]))
            else:
                print("  " + format_dict(output, language).replace("\n", "\n  "))
    # Every valid case was evaluated and printed; the exit status tells scripts some were not.
    return 1 if failures else 0


def format_result(result: TriageResult, language: str = FALLBACK_LANGUAGE) -> str:
    return format_dict(result.as_dict(), language)


def format_dict(result: dict[str, Any], language: str = FALLBACK_LANGUAGE) -> str:
    """Human text: the level, then one line per finding with its rule and source."""
    level = level_label(result["level"], language)
    lines = [translate(LEVEL_LINE, language).format(level=level)]
    if result["findings"]:
        lines.append(translate(FINDINGS_LINE, language))
        lines.extend(
            f"  - [{f['level']}] {translate(f['label'], language)} ({f['rule']}; {f['source']})"
            for f in result["findings"]
        )
    else:
        lines.append(translate(ROUTINE_TEXT, language) + ".")
    if result.get("not_assessed"):
        missing = not_assessed_text(result["not_assessed"], language)
        lines.append(missing[:1].upper() + missing[1:] + ".")
    if result["unknown_signs"]:
        codes = ", ".join(result["unknown_signs"])
        lines.append(translate(UNKNOWN_LINE, language).format(codes=codes))
    lines.append(translate(RULES_LINE, language).format(version=result["rules_version"]))
    return "\n".join(lines)


def _print_codes(*, as_json: bool, language: str = FALLBACK_LANGUAGE) -> int:
    codes = catalogue(load_rules(), language)
    if as_json:
        print_json(codes)
        return 0
    print(f"Sign codes (rules {codes['rules_version']}):")
    group = None
    for sign in codes["signs"]:
        if sign["group_title"] != group:
            group = sign["group_title"]
            print(f"  {group}:")
        same = f" (same as {sign['same_as']})" if "same_as" in sign else ""
        print(f"    {sign['code']}: {sign['label']}{same}")
    print("Fields:")
    for field in codes["fields"]:
        if "values" in field:
            limits = "one of " + ", ".join(field["values"])
        elif "min" in field:
            limits = f"{field['min']:g}-{field['max']:g} {field['unit']}"
        else:
            limits = field["type"]
        note = f" ({field['note']})" if "note" in field else ""
        print(f"  {field['name']}: {limits}{note}")
    return 0
