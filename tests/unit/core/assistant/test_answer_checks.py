"""The pieces answers are quoted and checked by: passage units, numbers, echoed sentences."""

from __future__ import annotations

from medassist_desktop.core.assistant.extractive import (
    EXTRACTIVE_NOTICE,
    extractive_text,
    select_quotes,
)
from medassist_desktop.core.assistant.grounding import check_text, echoed_sentences
from medassist_desktop.core.assistant.numbers import check_numbers, mark_numbers, unit_numbers
from medassist_desktop.core.assistant.passage_units import passage_units
from medassist_desktop.core.assistant.prompt import ROLE_TEXT, RULES_TEXT
from medassist_desktop.core.knowledge.passages import Passage

PLAN_B = """## Plan B

Give the recommended amount of ORS over **4 hours**, in the clinic, watching the child.
The approximate amount in ml is the child's weight in kg multiplied by 75. If the weight is
not known, e.g. at night, use the age:

| Age | Weight | ORS over 4 hours |
| --- | --- | --- |
| up to 4 months | under 6 kg | 200 to 450 ml |
| 2 up to 5 years | 12 to 19 kg | 960 to 1600 ml |

- If the child vomits, wait 10 minutes,
  then continue more slowly.
"""


def passage(text: str = PLAN_B, title: str = "Diarrhoea plans") -> Passage:
    return Passage("c1", "d1", title, "who.pdf", "Plan B", 12, text, 1.0, 0.7)


def test_passage_units_are_sentences_and_rows_under_their_header() -> None:
    units = passage_units(PLAN_B)
    assert [u.kind for u in units] == ["sentence"] * 3 + ["row", "row", "sentence"]
    assert units[0].text.endswith("over 4 hours, in the clinic, watching the child.")
    assert units[2].text.startswith("If the weight is not known, e.g. at night")
    assert units[3].header == "| Age | Weight | ORS over 4 hours |"
    assert units[4].text == "| 2 up to 5 years | 12 to 19 kg | 960 to 1600 ml |"
    assert units[5].text == "If the child vomits, wait 10 minutes, then continue more slowly."
    [table] = [u for u in passage_units(PLAN_B, whole_tables=True) if u.kind == "table"]
    assert table.text.count("\n") == 1 and table.header == units[3].header


def test_unit_numbers_read_ranges_rates_and_temperatures() -> None:
    found = {n.written: n.values for n in unit_numbers("Give 960 to 1600 ml; RR 52/min; 38.5 °C")}
    assert found == {
        "960 to 1600 ml": {960.0, 1600.0},
        "52/min": {52.0},
        "38.5 °C": {38.5},
    }
    assert unit_numbers("see passage [1] and plan 2") == []


def test_numbers_must_appear_together_in_one_row_of_a_cited_passage() -> None:
    passages = {1: PLAN_B}
    right = "2 up to 5 years, 12 to 19 kg: 960 to 1600 ml [1]."
    assert check_numbers(right, passages).ok
    shuffled = "2 up to 5 years, under 6 kg: 960 to 1600 ml [1]."
    assert not check_numbers(shuffled, passages).ok
    invented = check_numbers("Give 75 ml per kg over 3 hours [1].", passages)
    assert invented.unsupported == ("3 hours",) or "3 hours" in invented.unsupported
    uncited = check_numbers("Give 960 to 1600 ml.", passages)
    assert uncited.unsupported == ("960 to 1600 ml",)
    # The patient's own figures may be restated.
    assert check_numbers("The child is 18 months old [1].", passages, case_numbers=[18]).ok


def test_marking_and_echo() -> None:
    marked = mark_numbers("Give 2000 ml now.", ["2000 ml"], " [?]")
    assert marked == "Give 2000 ml [?] now."
    answer = "Sure. " + RULES_TEXT.split(". ")[0] + ". Give ORS [1]."
    assert echoed_sentences(answer, ROLE_TEXT + "\n\n" + RULES_TEXT)
    assert not echoed_sentences("Give ORS over 4 hours [1].", ROLE_TEXT + "\n\n" + RULES_TEXT)
    checks = check_text(
        "Give 2000 ml [1].", instructions=ROLE_TEXT, passages_given=1, passage_texts={1: PLAN_B}
    )
    assert checks.numbers.unsupported == ("2000 ml",) and checks.problems()


def test_extractive_quotes_verbatim_with_citations_without_embeddings() -> None:
    other = passage("Measles spreads by droplets. Give vitamin A.", title="Measles")
    quotes = select_quotes("How much ORS over 4 hours by age?", [passage(), other])
    assert quotes and all(q.n == 1 for q in quotes)
    text = extractive_text(quotes, [passage(), other])
    assert text.startswith(EXTRACTIVE_NOTICE)
    assert "[1] Diarrhoea plans > Plan B, p. 12:" in text
    for quote in quotes:
        if quote.kind == "sentence":
            assert f'"{quote.text}" [1]' in text
        else:
            assert quote.text.splitlines()[-1] + " [1]" in text
    assert "Measles" not in text
    assert "No passage in the reference library" in extractive_text([], [])
