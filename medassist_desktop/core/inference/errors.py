"""Known problems of local inference, each with a message a health worker or admin can act on."""

from __future__ import annotations

from medassist_desktop.errors import KnownError


class InferenceError(KnownError):
    """Base of the known inference problems."""


class UnsupportedCpuError(InferenceError):
    """The CPU lacks instruction sets this llama.cpp build uses (would die of SIGILL)."""


class ModelNotFoundError(InferenceError):
    """The configured model is neither known, imported, nor an existing file."""


class ModelFileError(InferenceError):
    """A model file is damaged, truncated, not GGUF, or not a language model."""


class ModelLoadError(InferenceError):
    """llama.cpp could not load a file that passed validation (memory, unsupported type)."""


class NotEnoughMemoryError(InferenceError):
    """The model needs more memory than the machine has available."""


class ModelNotLoadedError(InferenceError):
    """Generation was asked for before a model was loaded (or after it was unloaded)."""


class OperationCancelledError(InferenceError):
    """A load, import or generation was cancelled by the person who started it."""
