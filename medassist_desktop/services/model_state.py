"""The local model's state, as every part of the app names it.

One enum and one status record, shared by the model's owner (`ModelHolder`), the
consult service and the GUI's status bar. Kept apart from the holder (which imports
the inference engine) so the window can show the state without loading that stack.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class ModelState(StrEnum):
    NOT_LOADED = "not_loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class ModelStatus:
    state: ModelState
    model_name: str | None = None
    sha256: str | None = None
    reason: str | None = None  # why the model is unavailable, for a person
    progress: float = 0.0  # 0.0 .. 1.0 while loading

    @property
    def percent(self) -> int:
        return int(self.progress * 100)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


__all__ = ["ModelState", "ModelStatus"]
