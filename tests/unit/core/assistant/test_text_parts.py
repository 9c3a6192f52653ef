"""The pipeline's text parts: level claims, grounding checks, citations, case summary, cache key."""

from __future__ import annotations

import pytest

from medassist_desktop.core.assistant.cache import AnswerCache, answer_key
from medassist_desktop.core.assistant.fallback import rules_answer, triage_header
from medassist_desktop.core.assistant.grounding import check_text, echo_share, repetition_share
from medassist_desktop.core.assistant.level_claims import claimed_level, suggested_level
from medassist_desktop.core.assistant.prompt import case_summary, cited_numbers, system_text
from medassist_desktop.core.knowledge.passages import Passage
from medassist_desktop.core.triage import Level, TriageEngine, load_rules, parse_case


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("This is a routine case.", Level.ROUTINE),
        ("Non-urgent: review in two days.", Level.ROUTINE),
        ("The condition is not severe.", Level.ROUTINE),
        ("It is not an emergency.", Level.ROUTINE),
        ("The child can be treated at home with ORS.", Level.ROUTINE),
        ("No danger signs are present.", Level.ROUTINE),
        ("Refer urgently to hospital.", Level.URGENT),
        ("This is an emergency: give oxygen [1].", Level.EMERGENCY),
        ("Emergency signs are present, though the cough alone is routine.", Level.ROUTINE),
        ("Give amoxicillin twice daily for 5 days [1].", None),
    ],
)
def test_claimed_level(text: str, level: Level | None) -> None:
    assert claimed_level(text) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("This is an emergency: give oxygen [1].", Level.EMERGENCY),
        ("Emergency signs are present, though the cough alone is routine.", Level.EMERGENCY),
        ("Refer urgently to hospital.", Level.URGENT),
        ("It is not an emergency; refer urgently.", Level.URGENT),
        ("This is a routine case.", Level.ROUTINE),
        ("Give amoxicillin twice daily for 5 days [1].", None),
    ],
)
def test_suggested_level_is_the_highest_claim(text: str, level: Level | None) -> None:
    assert suggested_level(text) == level


def test_citations_are_read_in_their_usual_shapes() -> None:
    assert cited_numbers("See [2] and [1, 3]; also [4-5] and [2].") == [2, 1, 3, 4, 5]
    assert cited_numbers("No brackets, [a], [] or [100]") == []


def test_grounding_checks_find_invented_citations_loops_and_echo() -> None:
    looping = "[4] (1)\n(2)\n(3)\n\n[5] (1)\n(2)\n(3)\n\n[6] (1)\n(2)\n(3)\n\n[7] (1)\n(2)\n(3)"
    checks = check_text(looping, instructions="Answer from the passages.", passages_given=3)
    assert checks.invalid_citations == (4, 5, 6, 7)
    assert checks.repetition > 0.5
    assert len(checks.problems()) == 2

    instructions = "Answer only from the numbered passages and cite them like [1]. Never guess."
    echo = check_text(instructions, instructions=instructions, passages_given=1)
    assert echo.instruction_echo == 1.0 and any("instructions" in p for p in echo.problems())

    good = "Give ORS after each loose stool [1]. Refer if the child cannot drink [2]."
    assert check_text(good, instructions=instructions, passages_given=2).problems() == []
    assert repetition_share(good) == 0.0 and echo_share(good, instructions) == 0.0


def test_case_summary_has_no_identifiers() -> None:
    case = parse_case(
        {
            "age_months": 30,
            "sex": "male",
            "vitals": {"temperature_c": 39.5, "spo2": 91},
            "signs": ["cough", "chest_indrawing"],
            "duration_days": {"cough": 4, "fever": 0},
            "complaint": "Brought by mother, phone 012 345 678, ID KH-2024-00123.",
        }
    )
    summary = case_summary(case)
    assert summary.startswith("Patient: 2 years 6 months old, male.")
    assert "temperature 39.5°C" in summary and "SpO2 91%" in summary
    assert "chest indrawing" in summary and "cough 4 days" in summary and "fever" not in summary
    assert "012 345 678" not in summary and "KH-2024-00123" not in summary


def test_system_text_states_the_triage_and_the_limits() -> None:
    case = parse_case({"age_months": 18, "signs": ["convulsions"]})
    triage = TriageEngine(load_rules()).triage({"age_months": 18, "signs": ["convulsions"]})
    text = system_text(case, triage, has_passages=True)
    assert "cite them like [1]" in text and "do not guess" in text
    assert "triaged this patient as EMERGENCY" in text and "never suggest" in text
    assert "does not cover" in system_text(None, None, has_passages=False)


def test_rules_answer_quotes_and_cites() -> None:
    passage = Passage("c1", "d1", "Dengue", "dengue.md", "Warning signs", None, "x " * 500, 0.1)
    text = rules_answer("the model file is missing", [passage])
    assert text.startswith("The model is unavailable (the model file is missing).")
    assert '[1] Dengue > Warning signs: "x x' in text and text.count("x") < 400
    triage = TriageEngine(load_rules()).triage({"age_months": 30})
    header = triage_header(triage)
    assert "ROUTINE: no danger sign among the signs and vitals recorded" in header
    assert "not recorded: temperature, respiratory rate" in header
    assert "no danger sign found" not in header


def test_cache_key_changes_with_each_part() -> None:
    base = {
        "question": "dose of amoxicillin?",
        "case": {"age_months": 18},
        "kb_version": "kb1",
        "passage_ids": ["p1", "p2"],
        "model_sha256": "ab" * 32,
        "model_name": "gemma",
        "rules_version": "r1",
        "max_tokens": 64,
    }
    key = answer_key(**base)  # type: ignore[arg-type]
    assert answer_key(**base | {"question": "  dose of  amoxicillin? "}) == key  # type: ignore[arg-type]
    for name, other in [
        ("question", "dose of paracetamol?"),
        ("case", {"age_months": 19}),
        ("kb_version", "kb2"),
        ("passage_ids", ["p2", "p1"]),
        ("model_sha256", "cd" * 32),
        ("rules_version", "r2"),
        ("max_tokens", 65),
    ]:
        assert answer_key(**base | {name: other}) != key, name  # type: ignore[arg-type]


def test_cache_off_keeps_nothing() -> None:
    cache = AnswerCache(0)
    assert not cache.enabled and cache.get("k") is None and len(cache) == 0


def test_case_summary_carries_the_new_fields() -> None:
    newborn = parse_case({"age_months": 0, "age_days": 5, "vitals": {"glucose_mmol_l": 2.5}})
    assert case_summary(newborn).startswith("Patient: 5 days old.")
    assert "blood glucose 2.5 mmol/L" in case_summary(newborn)
    mother = parse_case(
        {"age_months": 300, "sex": "female", "postpartum_days": 3, "vitals": {"avpu": "voice"}}
    )
    assert "gave birth 3 days ago" in case_summary(mother)
    assert "AVPU voice" in case_summary(mother)
    pregnant = parse_case({"age_months": 300, "pregnant": True, "gestation_weeks": 34})
    assert "pregnant (34 weeks)" in case_summary(pregnant)


def test_the_cloud_prompt_is_the_allow_listed_summary_without_the_identifiers() -> None:
    from medassist_desktop.core.assistant.prompt import build_prompt
    from medassist_desktop.core.inference.deidentify import PatientIdentifiers
    from tests.support.consult import ScriptedEngine

    case = parse_case(
        {
            "age_months": 7,
            "sex": "female",
            "signs": ["cough", "chest_indrawing"],
            "vitals": {"respiratory_rate": 55},
            "complaint": "Lina coughing since Monday; aunt Chenda Sok says Lina won't feed",
        }
    )
    triage = TriageEngine(load_rules()).triage(case.model_dump(exclude_none=True))
    ids = PatientIdentifiers(names=("Lina Sok", "Chenda Sok"), ids=("KH-0042",))
    built = build_prompt(
        ScriptedEngine([]),
        question="Lina Sok (KH-0042): amoxicillin 250mg/5ml dose?",
        passages=[],
        case=case,
        triage=triage,
        answer_tokens=64,
        audience="cloud",
        identifiers=ids,
    )
    text = "\n".join(m.content for m in built.messages)
    for leaked in ("Lina", "Chenda", "Sok", "KH-0042", "7 months"):
        assert leaked not in text, leaked
    assert "age band 2-11 months, female" in text and "chest_indrawing" in text
    assert "respiratory rate 55/min" in text and "amoxicillin 250mg/5ml" in text
    local = build_prompt(
        ScriptedEngine([]), question="q", passages=[], case=case, triage=triage, answer_tokens=64
    )
    assert "7 months old" in local.messages[0].content  # the local model keeps the exact age
