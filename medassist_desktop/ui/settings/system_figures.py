"""The System page's figures in words: CPU, memory and disk; the model's speed and where
the figure comes from (so an admin can tell a measurement from the clinic's own use).

Each text is a literal in its `QCoreApplication.translate` call, so lupdate finds it; the
numbers are written by `format_number`, in the window's language (2,5 GiB in Indonesian)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from medassist_desktop.core.health.resources import Resources
from medassist_desktop.services.model_speed import ModelSpeed
from medassist_desktop.ui.translations import format_number

GIB = 1024**3
MIB = 1024**2


def describe_resources(resources: Resources) -> str:
    cores = resources.cpu_cores
    if resources.cpu_physical_cores and resources.cpu_physical_cores != cores:
        cores_text = QCoreApplication.translate(
            "SystemFigures", "{logical} threads on {physical} cores"
        ).format(logical=format_number(cores), physical=format_number(resources.cpu_physical_cores))
    else:
        cores_text = QCoreApplication.translate("SystemFigures", "{logical} cores").format(
            logical=format_number(cores)
        )
    text = QCoreApplication.translate(
        "SystemFigures",
        "CPU: {cpu}% busy ({cores}); MedAssist {own}% of one core. "
        "Memory: {available} GiB free of {total} GiB; MedAssist uses {rss} MiB.",
    ).format(
        cpu=format_number(resources.cpu_percent),
        cores=cores_text,
        own=format_number(resources.process_cpu_percent),
        available=format_number(resources.memory_available_bytes / GIB, decimals=1),
        total=format_number(resources.memory_total_bytes / GIB, decimals=1),
        rss=format_number(resources.process_resident_bytes / MIB),
    )
    if resources.disk_free_bytes is not None:
        text += " " + QCoreApplication.translate(
            "SystemFigures", "Disk: {free} GiB free for the data."
        ).format(free=format_number(resources.disk_free_bytes / GIB, decimals=1))
    return text


def describe_speed(speed: ModelSpeed) -> str:
    model = speed.model or QCoreApplication.translate("SystemFigures", "(no model chosen)")
    if speed.tokens_per_second is None:
        if speed.unavailable_reason:
            return QCoreApplication.translate(
                "SystemFigures", "Model {model}: could not be measured ({reason})."
            ).format(model=model, reason=speed.unavailable_reason)
        return QCoreApplication.translate(
            "SystemFigures",
            "Model {model}: speed not measured yet on this computer (no answers written by it "
            "here yet). Use \u201cMeasure model speed\u201d for a short test run.",
        ).format(model=model)
    if speed.source == "measured":
        return QCoreApplication.translate(
            "SystemFigures", "Model {model}: {speed} tokens per second, measured just now."
        ).format(model=model, speed=format_number(speed.tokens_per_second, decimals=1))
    return QCoreApplication.translate(
        "SystemFigures",
        "Model {model}: {speed} tokens per second on this computer (median of its last "
        "{count} answers here).",
    ).format(
        model=model,
        speed=format_number(speed.tokens_per_second, decimals=1),
        count=format_number(speed.samples),
    )
