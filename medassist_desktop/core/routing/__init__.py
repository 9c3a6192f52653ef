"""Intent routing: which kind of question this is, how sure, and refusal of the rest.

`IntentRouter` (semantic with a keyword fallback) -> `RouteResult`
{"intent", "confidence", "alternatives", "method"}; out_of_scope questions get
`OUT_OF_SCOPE_REFUSAL` and never reach the model.
"""

from medassist_desktop.core.routing.intents import (
    OUT_OF_SCOPE_REFUSAL,
    Intent,
    IntentData,
    RouteResult,
    RoutingDataError,
    load_intent_data,
)
from medassist_desktop.core.routing.keyword import KeywordRouter
from medassist_desktop.core.routing.router import IntentRouter
from medassist_desktop.core.routing.semantic import SemanticRouter

__all__ = [
    "OUT_OF_SCOPE_REFUSAL",
    "Intent",
    "IntentData",
    "IntentRouter",
    "KeywordRouter",
    "RouteResult",
    "RoutingDataError",
    "SemanticRouter",
    "load_intent_data",
]
