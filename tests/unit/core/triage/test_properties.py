"""Properties over many generated cases: determinism, level = max finding, and monotonicity:
adding a sign or worsening a vital sign never lowers the level."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medassist_desktop.core.triage import Level
from medassist_desktop.core.triage.case import AVPU_WORDS, MIN_PREGNANCY_AGE_MONTHS, VITAL_LIMITS
from tests.unit.core.triage.cases import rules, triage

SIGNS = sorted(rules().signs)
# Ages around every band edge, plus anything else.
AGES = st.one_of(
    st.sampled_from([0, 1, 2, 5, 6, 11, 12, 59, 60, 95, 96, 143, 144, 600]),
    st.integers(min_value=0, max_value=1560),
)


def _vital(name: str) -> st.SearchStrategy[Any]:
    if name == "avpu":
        return st.one_of(st.none(), st.sampled_from(AVPU_WORDS))
    low, high, _unit = VITAL_LIMITS[name]
    return st.one_of(st.none(), st.floats(min_value=low, max_value=high, allow_nan=False))


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    age = draw(AGES)
    vitals = {name: draw(_vital(name)) for name in [*VITAL_LIMITS, "avpu"]}
    if (
        vitals["systolic_bp"] is not None
        and vitals["diastolic_bp"] is not None
        and vitals["diastolic_bp"] >= vitals["systolic_bp"]
    ):
        vitals["diastolic_bp"] = None
    status = (
        draw(st.sampled_from(["pregnant", "postpartum", None]))
        if age >= MIN_PREGNANCY_AGE_MONTHS
        else None
    )
    extra: dict[str, Any] = {}
    if status == "pregnant":
        extra["gestation_weeks"] = draw(st.one_of(st.none(), st.integers(1, 45)))
    elif status == "postpartum":
        extra["postpartum_days"] = draw(st.integers(0, 42))
    if age <= 1 and draw(st.booleans()):
        extra["age_days"] = draw(st.integers(age * 30, age * 30 + 29))
    return {
        "age_months": age,
        "sex": "female" if status else draw(st.sampled_from(["male", "female", None])),
        "pregnant": status == "pregnant",
        **extra,
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


# A value further from normal in the same direction: (direction, normal value by age band).
_WORSE_DOWN = ("spo2", "glucose_mmol_l", "muac_mm")
_AVPU_ORDER = list(AVPU_WORDS)


def _normal(name: str, age: int) -> float:
    """A value inside every rule's normal range for this age (the centre of the bands)."""
    bands = {
        "respiratory_rate": (35, 30, 20, 16),
        "heart_rate": (130, 120, 100, 80),
        "temperature_c": (37.0,) * 4,
        "systolic_bp": (110,) * 4,
        "diastolic_bp": (70,) * 4,
    }[name]
    index = 0 if age < 12 else 1 if age < 60 else 2 if age < 144 else 3
    return bands[index]


@settings(max_examples=300, deadline=None)
@given(
    cases(),
    st.sampled_from(
        [*_WORSE_DOWN, "respiratory_rate", "heart_rate", "temperature_c", "systolic_bp", "avpu"]
    ),
    st.floats(min_value=0.05, max_value=0.6),
)
def test_worsening_a_vital_never_lowers_the_level(
    data: dict[str, Any], name: str, fraction: float
) -> None:
    vitals = dict(data["vitals"])
    current = vitals.get(name)
    if current is None:
        return
    if name == "avpu":
        worse: Any = _AVPU_ORDER[min(_AVPU_ORDER.index(current) + 1, len(_AVPU_ORDER) - 1)]
    else:
        low, high, _unit = VITAL_LIMITS[name]
        if name in _WORSE_DOWN:
            worse = current - (current - low) * fraction
        else:
            normal = _normal(name, data["age_months"])
            target = high if current >= normal else low
            worse = current + (target - current) * fraction
        if name == "systolic_bp" and vitals.get("diastolic_bp") is not None:
            worse = max(worse, current)  # raising systolic keeps diastolic below it
    before = triage(data)
    after = triage({**data, "vitals": {**vitals, name: worse}})
    assert after.level.rank >= before.level.rank, f"{name}: {current} -> {worse}"
