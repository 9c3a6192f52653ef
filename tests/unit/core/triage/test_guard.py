"""Nothing the model says can lower (or otherwise change) the rules' triage level."""

from __future__ import annotations

import pytest

from medassist_desktop.core.triage import Level, attach_triage, final_level
from tests.unit.core.triage.cases import case, triage


@pytest.mark.parametrize("claimed", [None, "routine", "urgent", Level.ROUTINE])
def test_model_cannot_lower_an_emergency(claimed: Level | str | None) -> None:
    emergency = triage(case(30, signs=["convulsions"]))
    answer = attach_triage(emergency, "This is a mild illness, routine care at home.", claimed)
    assert answer.level is Level.EMERGENCY
    assert final_level(emergency, claimed) is Level.EMERGENCY
    assert answer.model_tried_to_lower is (claimed is not None)


def test_model_cannot_raise_it_either_the_rules_decide() -> None:
    routine = triage(case(30, signs=["cough"]))
    answer = attach_triage(routine, "Go to hospital now!", "emergency")
    assert answer.level is Level.ROUTINE
    assert answer.model_disagrees and not answer.model_tried_to_lower


def test_agreeing_model_is_not_flagged() -> None:
    urgent = triage(case(30, signs=["chest_indrawing"]))
    answer = attach_triage(urgent, "Refer soon.", "urgent")
    assert answer.level is Level.URGENT
    assert not answer.model_disagrees
    assert answer.triage is urgent


def test_unknown_model_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="'critical'"):
        attach_triage(triage(case(30)), "text", "critical")


@pytest.mark.parametrize(
    ("signs", "suggested", "higher"),
    [
        (["chest_indrawing"], "emergency", True),  # urgent case, text says emergency
        (["cough"], "urgent", True),  # routine case, text says urgent
        (["cough"], "emergency", True),
        (["chest_indrawing"], "urgent", False),
        (["convulsions"], "emergency", False),
        (["convulsions"], "routine", False),
        (["cough"], None, False),
    ],
)
def test_a_higher_suggestion_is_noted_and_never_changes_the_level(
    signs: list[str], suggested: str | None, higher: bool
) -> None:
    result = triage(case(30, signs=signs))
    answer = attach_triage(result, "text", None, suggested)
    assert answer.model_suggests_higher is higher
    assert answer.level is result.level  # raise-only note: the level itself never moves
    assert not answer.model_tried_to_lower
