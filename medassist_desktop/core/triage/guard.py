"""How a model's answer is joined to the rules' triage: the rules' level always stands.

The consult pipeline runs triage before the model and attaches the result here.
The final level is the triage level, whatever the model's text says or whatever
level a parser reads out of it: a small local model can be wrong, the rules are
reviewed and tested. A model that suggests a different level is recorded (for the
audit log and for rule review), never obeyed. The one asymmetry: a model text that
sounds MORE urgent than the rules is surfaced as a note to check the patient again
(`model_suggests_higher`), because extra attention is safe and a missed sign is not;
the level itself still does not move.
"""

from __future__ import annotations

from dataclasses import dataclass

from medassist_desktop.core.triage.engine import TriageResult
from medassist_desktop.core.triage.rules import Level


@dataclass(frozen=True)
class TriagedAnswer:
    """A model answer with the triage it must be shown under."""

    text: str
    triage: TriageResult
    model_level: Level | None = None  # the lowest level the text reads as
    suggested_level: Level | None = None  # the highest level the text reads as

    @property
    def level(self) -> Level:
        """The level shown to the health worker: the rules' level, never the model's."""
        return self.triage.level

    @property
    def model_disagrees(self) -> bool:
        return self.model_level is not None and self.model_level is not self.triage.level

    @property
    def model_tried_to_lower(self) -> bool:
        return self.model_level is not None and self.model_level.rank < self.triage.level.rank

    @property
    def model_suggests_higher(self) -> bool:
        """The text reads as more urgent than the rules: show a note, keep the level."""
        return (
            self.suggested_level is not None and self.suggested_level.rank > self.triage.level.rank
        )


def attach_triage(
    triage: TriageResult,
    model_text: str,
    model_level: Level | str | None = None,
    suggested_level: Level | str | None = None,
) -> TriagedAnswer:
    """Join the model's text (and the lowest and highest levels it claimed) to the triage."""
    claimed = Level(model_level) if model_level is not None else None
    suggested = Level(suggested_level) if suggested_level is not None else None
    return TriagedAnswer(
        text=model_text, triage=triage, model_level=claimed, suggested_level=suggested
    )


def final_level(triage: TriageResult, model_level: Level | str | None = None) -> Level:
    """The level of a consult: the triage level, whatever `model_level` is."""
    return attach_triage(triage, "", model_level).level


__all__ = ["TriagedAnswer", "attach_triage", "final_level"]
