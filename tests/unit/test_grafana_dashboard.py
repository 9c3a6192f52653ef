"""The shipped Grafana dashboard only charts metrics the app really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from medassist_desktop.core.health.metrics import AppMetrics

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "monitoring" / "grafana-dashboard.json"


def test_every_metric_in_the_dashboard_exists(tmp_path: Path) -> None:
    exported = set()
    for family in AppMetrics(tmp_path).registry.collect():
        exported |= {sample.name for sample in family.samples} | {family.name}
        # Labelled series appear once observed; their names follow from the type.
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}
        exported |= {family.name + suffix for suffix in suffixes.get(family.type, ())}
    panels = json.loads(DASHBOARD.read_text())["panels"]
    used = {
        name
        for panel in panels
        for target in panel["targets"]
        for name in re.findall(r"\bmedassist_[a-z_]+", target["expr"])
    }
    assert len(used) >= 12
    assert used <= exported, sorted(used - exported)
