"""Properties over many generated cases: determinism, monotonicity in signs, level = max finding."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medassist_desktop.core.triage import Level
from medassist_desktop.core.triage.case import MIN_PREGNANCY_AGE_MONTHS, VITAL_LIMITS
from tests.unit.core.triage.cases import rules, triage

SIGNS = sorted(rules().signs)
# Ages around every band edge, plus anything else.
AGES = st.one_of(
    st.sampled_from([0, 1, 2, 5, 6, 11, 12, 59, 60, 95, 96, 143, 144, 600]),
    st.integers(min_value=0, max_value=1560),
)


def _vital(name: str) -> st.SearchStrategy[float | None]:
    low, high, _unit = VITAL_LIMITS[name]
    return st.one_of(st.none(), st.floats(min_value=low, max_value=high, allow_nan=False))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    age = draw(AGES)
    vitals = {name: draw(_vital(name)) for name in VITAL_LIMITS}
    if (
        vitals["systolic_bp"] is not None
        and vitals["diastolic_bp"] is not None
        and vitals["diastolic_bp"] >= vitals["systolic_bp"]
    ):
        vitals["diastolic_bp"] = None
    pregnant = (
        draw(st.booleans())
        if age >= MIN_PREGNANCY_AGE_MONTHS
        else draw(st.sampled_from([False, None]))
    )
    return {
        "age_months": age,
        "sex": "female" if pregnant else draw(st.sampled_from(["male", "female", None])),
        "pregnant": pregnant,
        "vitals": vitals,
        "signs": draw(st.lists(st.sampled_from(SIGNS), max_size=8)),
        "duration_days": draw(
            st.dictionaries(
                st.sampled_from(["cough", "fever", "diarrhoea"]),
                st.one_of(st.none(), st.floats(min_value=0, max_value=60, allow_nan=False)),
            )
        ),
    }


@settings(max_examples=300, deadline=None)
@given(cases(), st.sampled_from(SIGNS))
def test_adding_a_sign_never_lowers_the_level(data: dict[str, Any], extra: str) -> None:
    before = triage(data)
    after = triage({**data, "signs": [*data["signs"], extra]})
    assert after.level.rank >= before.level.rank
    # Every finding still holds: more evidence never retracts a danger sign.
    assert {f.rule for f in before.findings} <= {f.rule for f in after.findings}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_level_is_the_highest_finding_and_deterministic(data: dict[str, Any]) -> None:
    result = triage(data)
    highest = max((f.level for f in result.findings), key=lambda lv: lv.rank, default=Level.ROUTINE)
    assert result.level is highest
    assert (result.level is Level.ROUTINE) == (result.findings == ())
    assert triage(data) == result
    reordered = triage({**data, "signs": list(reversed(data["signs"]))})
    assert reordered == result


@settings(max_examples=200, deadline=None)
@given(cases(), st.text(alphabet="xyzqw_", min_size=3, max_size=12))
def test_unknown_signs_change_nothing_but_the_report(data: dict[str, Any], junk: str) -> None:
    result = triage({**data, "signs": [*data["signs"], "zz_" + junk]})
    plain = triage(data)
    assert result.findings == plain.findings and result.level is plain.level
    assert result.unknown_signs == ("zz_" + junk,)
