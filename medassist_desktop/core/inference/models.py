"""Which models exist, which are on this computer, and bringing new ones in.

Three sources of models:
- the manifest (`models/manifest.json`): known models with file name, size, sha256
  when known, RAM needed and where an admin gets them;
- the embedded default (a manifest entry of kind "package"), assembled on first use;
- the registry of imported models, `<data>/models/registry.json`, written atomically.

`ModelStore.resolve(name)` turns the MODEL_NAME setting (a manifest name, an
imported name, or a path to a .gguf) into a file to load, and checks the file's
sha256 then (`model_integrity`), so the checksum a consult records is the loaded file's.

A file takes a manifest name only when its sha256 is the manifest's. Any other file,
even one named like a manifest model, is registered as "unverified-<file name>": the
MedGemma entries have no published checksum, so a file name proves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from loguru import logger

from medassist_desktop.atomic_io import atomic_write_text
from medassist_desktop.config.paths import AppPaths
from medassist_desktop.core.inference.errors import (
    ModelFileError,
    ModelNotFoundError,
)
from medassist_desktop.core.inference.llama_runtime import (
    GgufInfo,
    check_gguf_header,
    read_gguf_info,
)
from medassist_desktop.core.inference.model_files import (
    ByteProgress,
    copy_into_temp,
    ensure_embedded_model,
    publish,
    sha256_file,
)
from medassist_desktop.core.inference.model_integrity import HashCache, verify_model_file
from medassist_desktop.i18n.catalogue import N_

REGISTRY_FILE = "registry.json"
UNVERIFIED_PREFIX = "unverified-"
_log = logger.bind(area="models")


def manifest_path() -> Path:
    """`models/manifest.json` in the source tree, or inside the PyInstaller bundle."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    root = Path(bundle_root) if bundle_root else Path(__file__).resolve().parents[3]
    return root / "models" / "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    name: str
    display_name: str
    file_name: str
    size_bytes: int | None
    approx_size_gb: float
    sha256: str | None
    architecture: str
    quantization: str
    parameters: str
    context_length: int
    ram_needed_gb: float
    source: dict[str, str]
    how_to_get: str
    notes: str = ""
    # True only for instruction-tuned medical models (MedGemma): the others may run the
    # app but never write a clinical answer; the consult then quotes the library.
    clinical_answers: bool = False

    @property
    def embedded(self) -> bool:
        return self.source.get("kind") == "package"


@dataclass(frozen=True)
class Manifest:
    default: str
    entries: tuple[ManifestEntry, ...]

    def get(self, name: str) -> ManifestEntry | None:
        return next((e for e in self.entries if e.name == name.lower()), None)

    def by_sha256(self, sha256: str) -> ManifestEntry | None:
        return next((e for e in self.entries if e.sha256 == sha256), None)

    def claimed_by(self, file_name: str, size: int) -> ManifestEntry | None:
        """The entry a file claims to be, by its file name or its exact size."""
        for entry in self.entries:
            if entry.file_name.lower() == file_name.lower():
                return entry
        return next((e for e in self.entries if e.size_bytes == size), None)


def load_manifest(path: Path | None = None) -> Manifest:
    path = path or manifest_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = tuple(ManifestEntry(**entry) for entry in data["models"])
        return Manifest(default=str(data["default"]), entries=entries)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(
            N_(
                "The model manifest {path} is missing or damaged ({reason}).", path=path, reason=exc
            ),
            hint=N_("Reinstall MedAssist Desktop."),
        ) from exc


def writes_clinical_answers(
    name: str | None, sha256: str | None = None, manifest: Manifest | None = None
) -> bool:
    """Whether the model of this name (or file hash) may write clinical answers.

    A model the manifest does not list (an arbitrary imported GGUF) may not: a general
    or base model writes fluent, confident dosing text that no check can make safe.
    """
    if not name and not sha256:
        return False
    try:
        known = manifest or load_manifest()
    except ModelFileError:
        return False
    entry = (known.get(name) if name else None) or (known.by_sha256(sha256) if sha256 else None)
    return bool(entry and entry.clinical_answers)


@dataclass(frozen=True)
class ImportedModel:
    name: str
    file_name: str
    sha256: str
    size_bytes: int
    imported_at: str
    source_path: str
    manifest_name: str | None
    sha256_source: Literal["manifest", "recorded"]
    gguf: dict[str, Any] = field(default_factory=dict)


class ModelRegistry:
    """Imported models, kept as a JSON file in the data folder (atomic writes)."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self.path = models_dir / REGISTRY_FILE
        self._lock = threading.Lock()

    def load(self) -> list[ImportedModel]:
        if not self.path.is_file():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [ImportedModel(**item) for item in data["models"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelFileError(
                N_(
                    "The list of imported models {path} is damaged ({reason}).",
                    path=self.path,
                    reason=exc,
                ),
                hint=N_("Move it aside and import the models again."),
            ) from exc

    def find(self, name: str) -> ImportedModel | None:
        return next((m for m in self.load() if m.name == name.lower()), None)

    def save(self, models: list[ImportedModel]) -> None:
        payload = {"version": 1, "models": [asdict(m) for m in models]}
        atomic_write_text(self.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")

    def put(self, model: ImportedModel) -> None:
        with self._lock:
            models = [m for m in self.load() if m.name != model.name]
            self.save([*models, model])

    def file_of(self, model: ImportedModel) -> Path:
        return self.models_dir / model.file_name


@dataclass(frozen=True)
class ResolvedModel:
    """A model file ready to load."""

    name: str
    path: Path
    sha256: str | None
    kind: Literal["embedded", "imported", "path"]
    entry: ManifestEntry | None = None


@dataclass(frozen=True)
class VerifyResult:
    name: str
    path: str
    ok: bool
    message: str
    sha256: str | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-.") or "model"


class ModelStore:
    """The models of one installation: manifest + embedded default + imported registry."""

    def __init__(self, paths: AppPaths, manifest: Manifest | None = None) -> None:
        self.paths = paths
        self.manifest = manifest or load_manifest()
        self.registry = ModelRegistry(paths.models_dir)
        self.hashes = HashCache(paths.cache_dir)

    # -- resolving ----------------------------------------------------------------------
    def embedded_entry(self) -> ManifestEntry:
        entry = next((e for e in self.manifest.entries if e.embedded), None)
        if entry is None:
            raise ModelFileError(N_("The model manifest lists no embedded model."))
        return entry

    def embedded_path(self) -> Path:
        return self.paths.cache_dir / "models" / self.embedded_entry().file_name

    def ensure_embedded(self, on_progress: ByteProgress | None = None) -> Path:
        entry = self.embedded_entry()
        assert entry.sha256 is not None, "the embedded model's checksum is always known"
        return ensure_embedded_model(
            self.paths.cache_dir,
            module_name=entry.source["module"],
            file_name=entry.file_name,
            sha256=entry.sha256,
            on_progress=on_progress,
        )

    def resolve(self, name: str, *, on_progress: ByteProgress | None = None) -> ResolvedModel:
        """The file for a MODEL_NAME value; assembles the embedded model when needed."""
        imported = self.registry.find(name)
        if imported is not None:
            path = self.registry.file_of(imported)
            if not path.is_file() or path.stat().st_size != imported.size_bytes:
                raise ModelFileError(
                    N_(
                        "The model file of {name} is missing or damaged ({path}).",
                        name=imported.name,
                        path=path,
                    ),
                    hint=N_(
                        "Import it again: medassist models import {source_path}",
                        source_path=imported.source_path,
                    ),
                )
            entry = self.manifest.get(imported.manifest_name or "")
            sha256 = verify_model_file(
                path, imported.sha256, self.hashes, name=imported.name, on_progress=on_progress
            )
            return ResolvedModel(imported.name, path, sha256, "imported", entry)
        entry = self.manifest.get(name)
        if entry is not None and entry.embedded:
            return self._resolve_embedded(entry, on_progress)
        if entry is not None:
            raise ModelNotFoundError(
                N_("{display_name} is not on this computer yet.", display_name=entry.display_name),
                hint=entry.how_to_get,
            )
        candidate = Path(name).expanduser()
        if candidate.suffix.lower() == ".gguf":
            if not candidate.is_file():
                raise ModelNotFoundError(
                    N_("The model file {candidate} does not exist.", candidate=candidate)
                )
            check_gguf_header(candidate)
            sha256 = self.hashes.sha256(candidate, on_progress=on_progress)
            return ResolvedModel(candidate.stem, candidate.resolve(), sha256, "path")
        known = ", ".join([e.name for e in self.manifest.entries] + self.imported_names())
        raise ModelNotFoundError(
            N_("Unknown model {name!r}.", name=name),
            hint=N_("Known models: {known}; or give the path of a .gguf file.", known=known),
        )

    def _resolve_embedded(
        self, entry: ManifestEntry, on_progress: ByteProgress | None
    ) -> ResolvedModel:
        """The embedded model, checked; a damaged assembled copy is assembled again."""
        path = self.ensure_embedded(on_progress)
        try:
            sha256 = verify_model_file(
                path, entry.sha256, self.hashes, name=entry.name, on_progress=on_progress
            )
        except ModelFileError:
            _log.warning("The assembled embedded model {} is damaged: assembling it again", path)
            path.unlink(missing_ok=True)
            path = self.ensure_embedded(on_progress)
            sha256 = verify_model_file(
                path, entry.sha256, self.hashes, name=entry.name, on_progress=on_progress
            )
        return ResolvedModel(entry.name, path, sha256, "embedded", entry)

    def imported_names(self) -> list[str]:
        return [m.name for m in self.registry.load()]

    # -- listing ------------------------------------------------------------------------
    def list_models(self, active: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        imported = {m.manifest_name: m for m in self.registry.load() if m.manifest_name}
        for entry in self.manifest.entries:
            own = imported.get(entry.name)
            if entry.embedded:
                path: Path | None = self.embedded_path()
                present = True  # assembled on first use from the installed package
            elif own is not None:
                path = self.registry.file_of(own)
                present = path.is_file()
            else:
                path, present = None, False
            rows.append(
                {
                    "name": entry.name,
                    "display_name": entry.display_name,
                    "kind": "embedded" if entry.embedded else "known",
                    "present": present,
                    "active": entry.name == active.lower(),
                    "file": str(path) if path else None,
                    "size_gb": round(
                        (own.size_bytes if own else entry.size_bytes or 0) / 1024**3, 2
                    )
                    or entry.approx_size_gb,
                    "sha256": own.sha256 if own else entry.sha256,
                    "ram_needed_gb": entry.ram_needed_gb,
                    "quantization": entry.quantization,
                    "clinical_answers": entry.clinical_answers,
                    "how_to_get": entry.how_to_get,
                }
            )
        for model in self.registry.load():
            if model.manifest_name:
                continue
            path = self.registry.file_of(model)
            rows.append(
                {
                    "name": model.name,
                    "display_name": model.gguf.get("name", model.name),
                    "kind": "imported",
                    "present": path.is_file(),
                    "active": model.name == active.lower(),
                    "file": str(path),
                    "size_gb": round(model.size_bytes / 1024**3, 2),
                    "sha256": model.sha256,
                    "ram_needed_gb": None,
                    "clinical_answers": False,  # not in the manifest: it only quotes
                    "quantization": model.gguf.get("quantization"),
                    "how_to_get": f"imported from {model.source_path}",
                }
            )
        return rows

    # -- importing ----------------------------------------------------------------------
    def import_file(
        self,
        source: Path,
        *,
        on_progress: ByteProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportedModel:
        """Copy, verify and register a model file. On any refusal nothing is registered."""
        source = source.expanduser()
        if not source.is_file():
            raise ModelNotFoundError(N_("There is no file at {source}.", source=source))
        check_gguf_header(source)
        size = source.stat().st_size
        temp, sha256 = copy_into_temp(
            [source],
            self.paths.models_dir,
            total=size,
            on_progress=on_progress,
            cancel=cancel,
            what="The import",
        )
        try:
            info = read_gguf_info(temp)  # structure first: the clearer message
            entry, sha_source = self._match_manifest(source, size, sha256)
            self._check_claims(source, entry, info)
            model = self._register(
                source=source,
                temp=temp,
                entry=entry,
                sha256=sha256,
                sha_source=sha_source,
                size=size,
                info=info,
            )
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _log.info(
            "Imported model {} from {} (sha256 {}, {})",
            model.name,
            source,
            sha256,
            sha_source,
        )
        return model

    def _match_manifest(
        self, source: Path, size: int, sha256: str
    ) -> tuple[ManifestEntry | None, Literal["manifest", "recorded"]]:
        exact = self.manifest.by_sha256(sha256)
        if exact is not None:
            return exact, "manifest"
        claimed = self.manifest.claimed_by(source.name, size)
        if claimed is not None and claimed.sha256 is not None:
            raise ModelFileError(
                N_(
                    "{name} looks like {display_name} but is damaged (checksum mismatch).",
                    name=source.name,
                    display_name=claimed.display_name,
                ),
                hint=N_("Copy it again from the original source and import it again."),
            )
        # Named like a manifest model but with no checksum to prove it: not that model.
        return None, "recorded"

    @staticmethod
    def _check_claims(source: Path, entry: ManifestEntry | None, info: GgufInfo) -> None:
        if entry is not None and info.architecture != entry.architecture:
            raise ModelFileError(
                N_(
                    "{name} is named like {display_name} but holds a {architecture} model "
                    "({name2}).",
                    name=source.name,
                    display_name=entry.display_name,
                    architecture=info.architecture,
                    name2=info.name,
                ),
                hint=N_("Check you copied the right file."),
            )

    def _register(
        self,
        *,
        source: Path,
        temp: Path,
        entry: ManifestEntry | None,
        sha256: str,
        sha_source: Literal["manifest", "recorded"],
        size: int,
        info: GgufInfo,
    ) -> ImportedModel:
        existing = {m.name: m for m in self.registry.load()}
        name = entry.name if entry else UNVERIFIED_PREFIX + slug(source.stem)
        if not entry:
            base, n = name, 2
            while name in existing and existing[name].sha256 != sha256:
                name, n = f"{base}-{n}", n + 1
        file_name = entry.file_name if entry else f"{name}.gguf"
        model = ImportedModel(
            name=name,
            file_name=file_name,
            sha256=sha256,
            size_bytes=size,
            imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            source_path=str(source.resolve()),
            manifest_name=entry.name if entry else None,
            sha256_source=sha_source,
            gguf=info.summary(),
        )
        publish(temp, self.paths.models_dir / file_name)
        self.registry.put(model)
        return model

    # -- verifying ----------------------------------------------------------------------
    def verify(
        self, names: list[str] | None = None, *, on_progress: ByteProgress | None = None
    ) -> list[VerifyResult]:
        """Re-hash model files on this computer against their known checksums."""
        results: list[VerifyResult] = []
        embedded = self.embedded_entry()
        targets: list[tuple[str, Path, str | None]] = []
        if self.embedded_path().is_file():
            targets.append((embedded.name, self.embedded_path(), embedded.sha256))
        targets += [(m.name, self.registry.file_of(m), m.sha256) for m in self.registry.load()]
        if names:
            targets = [t for t in targets if t[0] in {n.lower() for n in names}]
        for name, path, expected in targets:
            if not path.is_file():
                results.append(VerifyResult(name, str(path), False, "file missing"))
                continue
            actual = sha256_file(path, on_progress=on_progress)
            ok = expected is None or actual == expected
            message = "ok" if ok else "damaged (checksum mismatch): import it again"
            results.append(VerifyResult(name, str(path), ok, message, actual))
        return results
