"""Inference: the local llama.cpp engine on its own thread, chat formats, context budget,
hardware probe, model management, and the cloud OpenAI-compatible engine with hybrid
fallback. Qt-free; `llama_cpp` is imported only inside functions, so importing this
package stays cheap.
"""

from medassist_desktop.core.inference.interface import (
    ChatMessage,
    GenerationParams,
    GenerationResult,
    InferenceEngine,
    TokenCallback,
)

__all__ = [
    "ChatMessage",
    "GenerationParams",
    "GenerationResult",
    "InferenceEngine",
    "TokenCallback",
]
