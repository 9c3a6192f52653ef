"""From settings to a load request: which file, and how to run it on this machine.

Shared by the CLI, the Qt worker and the benchmarks, so all of them pick the
model, threads, GPU layers and context size the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from medassist_desktop.config.paths import AppPaths
from medassist_desktop.config.settings import Settings
from medassist_desktop.core.inference.hardware import (
    HardwareInfo,
    ModelFacts,
    RuntimePlan,
    ensure_cpu_supported,
    plan_runtime,
    probe_hardware,
)
from medassist_desktop.core.inference.interface import GenerationParams
from medassist_desktop.core.inference.llama_runtime import GgufInfo, read_gguf_info
from medassist_desktop.core.inference.model_files import ByteProgress
from medassist_desktop.core.inference.models import ModelStore, ResolvedModel


@dataclass(frozen=True)
class LoadRequest:
    model: ResolvedModel
    plan: RuntimePlan
    gguf: GgufInfo
    hardware: HardwareInfo


def prepare_load(
    settings: Settings,
    paths: AppPaths,
    *,
    model_name: str | None = None,
    hardware: HardwareInfo | None = None,
    on_file_progress: ByteProgress | None = None,
) -> LoadRequest:
    """Check the CPU, find (or assemble) the model file, read it, and plan the load.

    Blocking (file checks, up to a second); call it off the GUI thread.
    """
    hardware = hardware or probe_hardware(check_gpu=False)
    ensure_cpu_supported(hardware)
    if hardware.gpu_offload is None:
        hardware = probe_hardware(check_gpu=True)
    store = ModelStore(paths)
    model = store.resolve(model_name or settings.model_name, on_progress=on_file_progress)
    gguf = read_gguf_info(model.path)
    facts = ModelFacts.from_metadata(model.path.stat().st_size, gguf.metadata)
    plan = plan_runtime(
        hardware,
        facts,
        device=settings.model_device,
        requested_threads=settings.model_threads,
        requested_ctx=settings.model_context_tokens,
    )
    return LoadRequest(model=model, plan=plan, gguf=gguf, hardware=hardware)


def params_from_settings(settings: Settings, **overrides: object) -> GenerationParams:
    values: dict[str, object] = {"max_tokens": settings.model_max_tokens, **overrides}
    return GenerationParams(**values)  # type: ignore[arg-type]
