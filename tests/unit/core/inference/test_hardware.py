"""Hardware probe and runtime planning: CPU features, threads, GPU layers, context, memory."""

from __future__ import annotations

import pytest

from medassist_desktop.config.settings import ModelDevice
from medassist_desktop.core.inference.errors import UnsupportedCpuError
from medassist_desktop.core.inference.hardware import (
    GIB,
    HardwareInfo,
    ModelFacts,
    _flags_from_proc_cpuinfo,
    ensure_cpu_supported,
    pick_threads,
    plan_runtime,
    probe_hardware,
)

GEMMA_270M_METADATA = {
    "general.architecture": "gemma3",
    "gemma3.context_length": "32768",
    "gemma3.block_count": "18",
    "gemma3.attention.head_count": "4",
    "gemma3.attention.head_count_kv": "1",
    "gemma3.attention.key_length": "256",
    "gemma3.attention.value_length": "256",
    "gemma3.embedding_length": "640",
}


def machine(**changes: object) -> HardwareInfo:
    base: dict[str, object] = {
        "machine": "x86_64",
        "cpu_brand": "Test CPU",
        "cores_physical": 4,
        "cores_logical": 8,
        "cpu_flags": frozenset({"sse4_2", "avx", "avx2", "fma", "f16c"}),
        "ram_total_bytes": 8 * GIB,
        "ram_available_bytes": 6 * GIB,
        "gpu_offload": False,
    }
    base.update(changes)
    return HardwareInfo(**base)  # type: ignore[arg-type]


def test_proc_cpuinfo_flags_are_parsed() -> None:
    text = "processor\t: 0\nmodel name\t: Old Celeron\nflags\t\t: fpu sse sse2 ssse3\n\n"
    brand, flags = _flags_from_proc_cpuinfo(text)
    assert brand == "Old Celeron" and flags == {"fpu", "sse", "sse2", "ssse3"}


def test_cpu_without_avx2_gets_a_clear_error_not_a_crash() -> None:
    old = machine(cpu_brand="Old Celeron", cpu_flags=frozenset({"sse2", "avx"}))
    assert old.missing_cpu_flags() == ["avx2", "fma", "f16c"]
    with pytest.raises(UnsupportedCpuError) as info:
        ensure_cpu_supported(old)
    message = str(info.value)
    assert "Old Celeron" in message and "AVX2, FMA, F16C" in message
    assert "Triage rules" in message  # says what still works


def test_arm_machines_are_not_held_to_x86_flags() -> None:
    ensure_cpu_supported(machine(machine="arm64", cpu_flags=frozenset()))


def test_this_machine_is_probed() -> None:
    info = probe_hardware(check_gpu=False)
    assert info.cores_logical >= info.cores_physical >= 1
    assert 0 < info.ram_available_bytes <= info.ram_total_bytes
    assert info.gpu_offload is None
    assert set(info.as_dict()) >= {"cpu_flags", "missing_cpu_flags", "ram_total_bytes"}


def test_threads_leave_one_core_free_unless_set() -> None:
    assert pick_threads(machine(cores_physical=4), 0) == 3
    assert pick_threads(machine(cores_physical=1), 0) == 1
    assert pick_threads(machine(cores_physical=64), 0) == 16
    assert pick_threads(machine(), 6) == 6


def test_model_facts_from_gguf_metadata() -> None:
    facts = ModelFacts.from_metadata(253_113_024, GEMMA_270M_METADATA)
    assert facts.n_ctx_train == 32768
    assert facts.kv_bytes_per_token == 18 * 1 * (256 + 256) * 2


@pytest.mark.parametrize(
    ("device", "gpu", "layers", "where", "reason"),
    [
        (ModelDevice.AUTO, True, -1, "gpu", "all layers on the GPU"),
        (ModelDevice.GPU, True, -1, "gpu", "all layers on the GPU"),
        (ModelDevice.CPU, True, 0, "cpu", "MODEL_DEVICE=cpu"),
        (ModelDevice.GPU, False, 0, "cpu", "no GPU backend in this build"),
        (ModelDevice.AUTO, False, 0, "cpu", "no GPU backend in this build"),
    ],
)
def test_gpu_layers_follow_model_device(
    device: ModelDevice, gpu: bool, layers: int, where: str, reason: str
) -> None:
    facts = ModelFacts.from_metadata(GIB, GEMMA_270M_METADATA)
    plan = plan_runtime(
        machine(gpu_offload=gpu), facts, device=device, requested_threads=0, requested_ctx=4096
    )
    assert (plan.n_gpu_layers, plan.device) == (layers, where)
    assert any(reason in r for r in plan.reasons)


def test_context_is_capped_by_the_model_and_by_free_memory() -> None:
    facts = ModelFacts(file_size_bytes=2 * GIB, n_ctx_train=8192, kv_bytes_per_token=500_000)
    roomy = plan_runtime(
        machine(ram_available_bytes=64 * GIB),
        facts,
        device=ModelDevice.CPU,
        requested_threads=0,
        requested_ctx=32768,
    )
    assert roomy.n_ctx == 8192 and roomy.fits_in_memory
    tight = plan_runtime(
        machine(ram_available_bytes=4 * GIB),
        facts,
        device=ModelDevice.CPU,
        requested_threads=0,
        requested_ctx=8192,
    )
    assert tight.n_ctx < 8192 and tight.fits_in_memory
    assert facts.memory_needed(tight.n_ctx) <= 4 * GIB
    assert any("reduced" in r for r in tight.reasons)


def test_a_model_too_big_for_memory_is_flagged_with_the_reason() -> None:
    facts = ModelFacts(file_size_bytes=17 * GIB, n_ctx_train=131072, kv_bytes_per_token=1000)
    plan = plan_runtime(
        machine(ram_available_bytes=6 * GIB),
        facts,
        device=ModelDevice.AUTO,
        requested_threads=0,
        requested_ctx=4096,
    )
    assert not plan.fits_in_memory
    assert "NOT ENOUGH MEMORY" in plan.reasons[-1] and "6.0 GiB available" in plan.reasons[-1]
