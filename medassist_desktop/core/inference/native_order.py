"""Load llama.cpp's native library before numpy, whoever imports numpy first.

On a CUDA build of llama-cpp-python, a process that has imported numpy before
llama.cpp's shared library dies with SIGSEGV inside `llama_model_load_from_file`
(with GPU layers and without). Importing `llama_cpp` first avoids it, and what
that import does first is load `libllama` (and, through it, ggml and the GPU
runtime); numpy comes later, from `llama_cpp.llama`. So the library load order is
what matters, and it is made safe here in one place:

- `guard_numpy_import()` installs an import hook that, the moment anything asks
  for numpy, first loads `libllama` with `ctypes` exactly as `llama_cpp` does (same
  file, same flags: the later `import llama_cpp` gets the same handle). Until numpy
  is wanted it costs nothing, so the path to the first window stays light; a CLI
  command that never touches numpy never loads llama.cpp.
- The entry points (GUI, CLI, benchmarks) call it before anything else, and
  `import_llama()` calls it too, for callers that skip the entry points.

The same place sets OpenMP's wait policy, which the CPU build reads once, when its
library loads. llama.cpp's threads meet at an OpenMP barrier after every operation;
with libgomp's default, waiting threads spin first, and a spinning thread that the
OS preempts stalls the others: 2 threads on the 2-core reference machine decoded
4.9 tokens/s at load average ~3 and 1.0 when busy, against 54 and 46 with
OMP_WAIT_POLICY=PASSIVE (benchmarks/results/inference_threads.json). Passive
threads sleep at each barrier, which costs some speed against an ideal spin but
never collapses. A value set by the user is kept; one thread uses no barriers.

The CPU check runs before the library loads (a build for AVX2 would die with
SIGILL on an older CPU); on a CPU that fails it nothing is preloaded, and the
model refuses to load with a clear message later anyway.
"""

from __future__ import annotations

import ctypes
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

_lock = threading.Lock()


@dataclass
class NativeOrderState:
    """What happened, for diagnostics and tests."""

    hook_installed: bool = False
    library: str | None = None  # the file loaded ahead of numpy
    numpy_came_first: bool = False  # numpy was already imported when the guard was set
    skipped_reason: str | None = None
    handle: ctypes.CDLL | None = field(default=None, repr=False)  # keeps the library loaded


# The library load order is process-wide by nature, so its record is too.
STATE = NativeOrderState()


def llama_library_path() -> Path | None:
    """`llama_cpp/lib/libllama.*` of the installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec("llama_cpp")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations))) / "lib"
    names = {
        "linux": ("libllama.so",),
        "darwin": ("libllama.so", "libllama.dylib"),
        "win32": ("llama.dll", "libllama.dll"),
    }
    platform = "linux" if sys.platform.startswith(("linux", "freebsd")) else sys.platform
    for name in names.get(platform, ()):
        if (base / name).is_file():
            return base / name
    return None


def set_openmp_wait_policy() -> None:
    """Before llama.cpp's OpenMP runtime loads (it reads the variable once)."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _cpu_can_run_llama() -> str | None:
    """None when the CPU has the build's instruction sets, else why not."""
    from medassist_desktop.core.inference.hardware import probe_hardware

    missing = probe_hardware(check_gpu=False).missing_cpu_flags()
    return f"CPU lacks {', '.join(missing)}" if missing else None


def preload_llama_library() -> None:
    """Load `libllama` now (once), as `import llama_cpp` would, unless the CPU cannot run it."""
    with _lock:
        if STATE.handle is not None or STATE.skipped_reason is not None:
            return
        if "llama_cpp" in sys.modules:
            STATE.skipped_reason = "llama_cpp already imported"
            return
        path = llama_library_path()
        if path is None:
            STATE.skipped_reason = "llama_cpp is not installed"
            return
        reason = _cpu_can_run_llama()
        if reason is not None:
            STATE.skipped_reason = reason
            return
        set_openmp_wait_policy()
        if sys.platform == "win32":
            os.add_dll_directory(str(path.parent))  # as llama_cpp does, for ggml's DLLs
            STATE.handle = ctypes.CDLL(str(path), winmode=ctypes.RTLD_GLOBAL)
        else:
            STATE.handle = ctypes.CDLL(str(path))  # llama_cpp's own mode, so it gets this handle
        STATE.library = str(path)


class _NumpyGuard(importlib.abc.MetaPathFinder):
    """Finds nothing itself; it loads llama.cpp's library just before numpy is found."""

    def __init__(self) -> None:
        self._busy = threading.local()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,  # noqa: ARG002 - the finder protocol's signature
        target: ModuleType | None = None,  # noqa: ARG002
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "numpy" or STATE.handle is not None or getattr(self._busy, "active", False):
            return None
        self._busy.active = True
        try:
            preload_llama_library()
        except Exception as exc:  # noqa: BLE001 - never break numpy's import; reported later
            STATE.skipped_reason = f"preload failed: {exc}"
        finally:
            self._busy.active = False
        return None  # (it stays in sys.meta_path: removing it here would skip the next finder)


def guard_numpy_import() -> NativeOrderState:
    """Make sure llama.cpp's library loads before numpy does. Idempotent and cheap."""
    with _lock:
        if STATE.hook_installed or STATE.handle is not None:
            return STATE
        if "numpy" in sys.modules:
            if "llama_cpp" not in sys.modules:  # else llama_cpp's own import came first
                STATE.numpy_came_first = True
            return STATE
        sys.meta_path.insert(0, _NumpyGuard())
        STATE.hook_installed = True
        return STATE
