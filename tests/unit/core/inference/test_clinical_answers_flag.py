"""Which models may write clinical answers: the manifest says, and only MedGemma does."""

from __future__ import annotations

from medassist_desktop.core.inference.models import load_manifest, writes_clinical_answers


def test_only_the_instruction_tuned_medgemma_models_write() -> None:
    manifest = load_manifest()
    flags = {entry.name: entry.clinical_answers for entry in manifest.entries}
    assert flags["gemma3-270m-q4_k_m"] is False
    assert {name for name, on in flags.items() if on} == {
        name for name in flags if name.startswith("medgemma") and "-it-" in name
    }
    embedded = manifest.get("gemma3-270m-q4_k_m")
    assert embedded is not None and embedded.sha256
    assert not writes_clinical_answers("gemma3-270m-q4_k_m")
    assert not writes_clinical_answers(None, embedded.sha256)
    assert writes_clinical_answers("medgemma-4b-it-q4_k_m")
    # A file the manifest does not know (a path, an arbitrary import) never writes.
    assert not writes_clinical_answers("/media/usb/some-model.gguf")
    assert not writes_clinical_answers(None, None)
