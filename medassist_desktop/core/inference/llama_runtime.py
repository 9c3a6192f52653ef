"""The one door to llama_cpp: CPU check first, logs routed to loguru, GGUF inspection.

Everything that touches llama_cpp goes through `import_llama()`, which refuses on
a CPU lacking the build's instruction sets *before* the native library loads
(it would die with SIGILL). llama.cpp's own log lines are routed into loguru
(area "llama.cpp") instead of being printed to stderr, and the error lines of a
failing call are captured so a refusal can say what llama.cpp saw.

llama.cpp's log hook is process-wide by nature, so this module holds the one
installed callback; nothing else here is global.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from loguru import logger

from medassist_desktop.core.inference.errors import ModelFileError
from medassist_desktop.core.inference.hardware import ensure_cpu_supported, probe_hardware
from medassist_desktop.core.inference.native_order import (
    guard_numpy_import,
    set_openmp_wait_policy,
)
from medassist_desktop.i18n.catalogue import N_

GGUF_MAGIC = b"GGUF"
GGUF_VERSIONS = (2, 3)
_log = logger.bind(area="llama.cpp")
_capture = threading.local()
_install_lock = threading.Lock()
_patch_lock = threading.Lock()
_callbacks: list[Any] = []  # keeps the ctypes callback alive for the life of the process


@functools.cache
def _cpu_checked() -> bool:
    ensure_cpu_supported(probe_hardware(check_gpu=False))
    return True


def import_llama() -> ModuleType:
    """`llama_cpp`, after the CPU check, with its logs routed to loguru.

    The native library must load before numpy (see native_order); when numpy came
    first anyway, that is logged, because a CUDA build may then crash while loading.
    """
    _cpu_checked()
    order = guard_numpy_import()
    set_openmp_wait_policy()
    import llama_cpp

    with _install_lock:
        if not _callbacks:
            _install_log_callback(llama_cpp)
            if order.numpy_came_first:
                _log.warning(
                    "numpy was imported before llama.cpp's library; a GPU build may crash "
                    "while loading a model (start through the medassist entry points)"
                )
    return llama_cpp


def _install_log_callback(llama_cpp: ModuleType) -> None:
    # ggml_log_level in this llama.cpp: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5
    # (llama-cpp-python's own _logger.py still maps the older order).
    levels = {0: "DEBUG", 1: "DEBUG", 2: "INFO", 3: "WARNING", 4: "ERROR"}
    last_level = ["DEBUG"]

    def on_log(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
        try:
            message = text.decode("utf-8", errors="replace").rstrip("\n")
            name = last_level[0] if level == 5 else levels.get(level, "DEBUG")
            last_level[0] = name
            lines = getattr(_capture, "lines", None)
            if lines is not None and name in ("ERROR", "WARNING") and message.strip():
                lines.append(message.strip())
            if message.strip():
                # llama.cpp's chatter (hundreds of lines per load) is DEBUG to us, and its
                # warnings and errors INFO: our code turns failures into messages of its own.
                _log.log("INFO" if name in ("WARNING", "ERROR") else "DEBUG", message)
        except Exception:  # never let an exception cross into C
            return

    callback = llama_cpp.llama_log_callback(on_log)
    _callbacks.append(callback)
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


@contextlib.contextmanager
def capture_llama_errors() -> Iterator[list[str]]:
    """Collect llama.cpp's warning and error lines logged by this thread in the block."""
    previous = getattr(_capture, "lines", None)
    lines: list[str] = []
    _capture.lines = lines
    try:
        yield lines
    finally:
        _capture.lines = previous


def describe_llama_errors(lines: list[str]) -> str:
    """The most telling line of what llama.cpp said, for a message."""
    interesting = [ln for ln in lines if "error" in ln.lower() or "fail" in ln.lower()] or lines
    if not interesting:
        return "no details from llama.cpp"
    text = interesting[0]
    for prefix in ("llama_model_load: error loading model:", "llama_model_load:"):
        text = text.removeprefix(prefix)
    return text.strip()


@contextlib.contextmanager
def load_progress_hook(on_progress: Callable[[float], bool]) -> Iterator[None]:
    """Report llama.cpp's load progress (0..1); returning False aborts the load.

    llama-cpp-python 0.3.36 builds the model parameters inside `Llama.__init__` and
    offers no hook, so for the duration of one load (on the engine thread) its
    default-parameter factory is wrapped to set llama.cpp's progress callback.
    """
    llama_cpp = import_llama()
    module = llama_cpp.llama_cpp
    original = module.llama_model_default_params

    def on_c_progress(progress: float, _user_data: ctypes.c_void_p) -> bool:
        try:
            return bool(on_progress(float(progress)))
        except Exception:
            return False

    callback = llama_cpp.llama_progress_callback(on_c_progress)

    def with_progress() -> Any:
        params = original()
        params.progress_callback = callback
        return params

    with _patch_lock:
        module.llama_model_default_params = with_progress
        try:
            yield
        finally:
            module.llama_model_default_params = original


def check_gguf_header(path: Path) -> None:
    """Refuse a file that is not GGUF at all (a text file renamed .gguf), instantly."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ModelFileError(
            N_("Cannot read {path} ({value}).", path=path, value=exc.strerror or exc)
        ) from exc
    if len(head) < 8 or head[:4] != GGUF_MAGIC:
        raise ModelFileError(
            N_("{name} is not a GGUF model file.", name=path.name),
            hint=N_("Choose the .gguf file of a model (for example medgemma-4b-it-Q4_K_M.gguf)."),
        )
    (version,) = struct.unpack("<I", head[4:8])
    if version not in GGUF_VERSIONS:
        raise ModelFileError(
            N_(
                "{name} is GGUF version {version}, which this version of MedAssist cannot read.",
                name=path.name,
                version=version,
            ),
            hint=N_("The file may be damaged; copy it again."),
        )


def quantization_name(file_type: int | None) -> str:
    """general.file_type as people know it (15 -> Q4_K_M)."""
    if file_type is None:
        return "unknown"
    import gguf

    try:
        return gguf.LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
    except ValueError:
        return f"type {file_type}"


@dataclass(frozen=True)
class GgufInfo:
    """What llama.cpp read from a model file without loading its weights."""

    architecture: str
    name: str
    context_length: int | None
    file_type: int | None
    quantization: str
    description: str
    n_params: int
    metadata: dict[str, str] = field(repr=False)

    def summary(self) -> dict[str, Any]:
        return {
            "architecture": self.architecture,
            "name": self.name,
            "context_length": self.context_length,
            "quantization": self.quantization,
            "description": self.description,
            "parameters": self.n_params,
            "has_chat_template": "tokenizer.chat_template" in self.metadata,
        }


def _read_metadata(llama_cpp: ModuleType, model: Any) -> dict[str, str]:
    metadata: dict[str, str] = {}
    size = 1024
    buffer = ctypes.create_string_buffer(size)
    for index in range(llama_cpp.llama_model_meta_count(model)):
        n = llama_cpp.llama_model_meta_key_by_index(model, index, buffer, size)
        key = buffer.value.decode("utf-8", errors="replace") if n >= 0 else ""
        n = llama_cpp.llama_model_meta_val_str_by_index(model, index, buffer, size)
        if n >= size:  # long values (chat templates): grow and read again
            size = n + 1
            buffer = ctypes.create_string_buffer(size)
            n = llama_cpp.llama_model_meta_val_str_by_index(model, index, buffer, size)
        if key and n >= 0:
            metadata[key] = buffer.value.decode("utf-8", errors="replace")
    return metadata


def read_gguf_info(path: Path) -> GgufInfo:
    """Validate a GGUF with llama.cpp itself (vocabulary only, tensor bounds checked).

    Refuses a text file, a truncated file, a header with flipped bytes, and files
    that are not language models llama.cpp can run (a vision projector, say).
    About 0.4 s for the 270M file; the gguf package's reader took 10 s here.
    """
    check_gguf_header(path)
    llama_cpp = import_llama()
    params = llama_cpp.llama_model_default_params()
    params.vocab_only = True
    params.progress_callback = llama_cpp.llama_progress_callback()  # none, even mid-load
    with capture_llama_errors() as errors:
        model = llama_cpp.llama_model_load_from_file(str(path).encode("utf-8"), params)
    if not model:
        raise ModelFileError(
            N_(
                "{name} is damaged or not a language model this app can run ({errors}).",
                name=path.name,
                errors=describe_llama_errors(errors),
            ),
            hint=N_(
                "Copy the file again from its original source; a copy from a USB stick "
                "may be incomplete."
            ),
        )
    try:
        metadata = _read_metadata(llama_cpp, model)
        n_params = int(llama_cpp.llama_model_n_params(model))
    finally:
        llama_cpp.llama_model_free(model)
    arch = metadata.get("general.architecture", "unknown")
    file_type_text = metadata.get("general.file_type")
    file_type = int(file_type_text) if file_type_text and file_type_text.isdigit() else None
    context_text = metadata.get(f"{arch}.context_length", "")
    quantization = quantization_name(file_type)
    size_label = metadata.get("general.size_label", "")
    return GgufInfo(
        architecture=arch,
        name=metadata.get("general.name", path.stem),
        context_length=int(context_text) if context_text.isdigit() else None,
        file_type=file_type,
        quantization=quantization,
        description=" ".join(x for x in (arch, size_label, quantization) if x),
        n_params=n_params,
        metadata=metadata,
    )
