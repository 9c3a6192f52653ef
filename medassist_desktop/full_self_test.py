"""`medassist-desktop --self-test --full`: the main job of the app, end to end, offline.

The light self-test proves the window, Qt and the resources are there. This one proves
what a clinic needs from an installed copy with no network and nothing set up yet:
triage of a known case (and its labels in every shipped language), a knowledge search
by meaning on the starter library (the embedding model and its shipped vectors), a few
tokens from the embedded local model (llama.cpp and the packaged GGUF), the encrypted
database, Argon2 and the keyring or passphrase path the keys come from. A bundle that
lacks a compiled library, a model package or its data fails here, on the packager's
machine, not at a clinic.

Everything happens in a temporary folder: the person's data folder, settings and
keyring entries are never touched (the keyring is only written under a throw-away
service name, and the entry is removed at once). Qt-free: the steps run before (and
without) any window.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medassist_desktop.composition import AppServices

# A case every version of the rules must call an emergency (IITT red: convulsions).
KNOWN_CASE = {"age_months": 24, "signs": ["convulsions"]}
# A question worded unlike the starter library, so only a search by meaning ranks well.
SEARCH_QUESTION = "a small child keeps having loose watery stools, what fluids should I give"
GENERATED_TOKENS = 8
# Used only for the throw-away database of this test (never a real clinic's passphrase).
SELF_TEST_PASSPHRASE = "self test lantern mango river " + "thirty"


@dataclass(frozen=True)
class StepResult:
    """One step: its name, whether it passed, how long it took and what it found."""

    name: str
    ok: bool
    ms: float
    detail: str

    def line(self) -> str:
        status = "ok" if self.ok else "FAIL"
        return f"self-test: {self.name:<10} {status:<4} {self.ms:8.0f} ms  {self.detail}"


Step = Callable[[], str]


def run_full_self_test(report: Callable[[str], None]) -> list[StepResult]:
    """Run every step (a failing step does not stop the others); `report` gets each line."""
    results: list[StepResult] = []
    with _scratch_services() as (services, folder):
        steps: list[tuple[str, Step]] = [
            ("triage", _triage),
            ("languages", _languages),
            ("argon2", _argon2),
            ("keyring", lambda: _keyring(folder)),
            ("database", lambda: _database(services)),
            ("knowledge", lambda: _knowledge(services)),
            ("model", lambda: _model(services)),
        ]
        for name, step in steps:
            started = time.perf_counter()
            try:
                detail, ok = step(), True
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then counted
                detail, ok = f"{type(exc).__name__}: {exc}", False
            result = StepResult(name, ok, (time.perf_counter() - started) * 1000, detail)
            report(result.line())
            results.append(result)
    return results


@contextlib.contextmanager
def _scratch_services() -> Iterator[tuple[AppServices, Path]]:
    """The app's own services on a fresh data folder in a temporary directory.

    The keys come from a passphrase (the path a Linux box without a keyring takes); the
    OS keyring itself is checked by its own step, under a throw-away name.
    """
    from keyring.backends import fail

    from medassist_desktop.composition import AppServices, SecurityOptions
    from medassist_desktop.config import load_settings
    from medassist_desktop.context import AppContext
    from medassist_desktop.logging_setup import Redactor

    with tempfile.TemporaryDirectory(prefix="medassist-full-self-test-") as name:
        folder = Path(name)
        environ = {
            "MEDASSIST_DATA_DIR": str(folder / "data"),
            "MEDASSIST_DB_PASSPHRASE": SELF_TEST_PASSPHRASE,
            "CLINIC_ID": "self-test",
        }
        loaded = load_settings(environ)
        loaded.paths.ensure_writable()
        options = SecurityOptions(keyring_backend=fail.Keyring())  # type: ignore[no-untyped-call]
        services = AppServices(AppContext(loaded, Redactor(), None), environ, options=options)
        try:
            yield services, folder
        finally:
            services.close()


def _triage() -> str:
    from medassist_desktop.core.triage import Level, TriageEngine, load_rules

    rules = load_rules()
    result = TriageEngine(rules).triage(KNOWN_CASE)
    if result.level is not Level.EMERGENCY:
        raise AssertionError(f"a child with convulsions was triaged {result.level.value}")
    return f"convulsions -> {result.level.value} ({result.findings[0].rule}, {rules.version})"


def _languages() -> str:
    """The compiled message catalogues: without them triage labels and errors fall back
    to English silently, which a clinic would only notice on screen."""
    from medassist_desktop.core.triage import TriageEngine, load_rules
    from medassist_desktop.i18n.catalogue import missing_catalogues, translate

    missing = missing_catalogues()
    if missing:
        raise AssertionError("missing: " + ", ".join(str(path) for path in missing))
    finding = TriageEngine(load_rules()).triage(KNOWN_CASE).findings[0]
    shown = {code: translate(finding.label, code) for code in ("id", "vi")}
    if any(text == finding.label for text in shown.values()):
        raise AssertionError(f"{finding.label!r} is not translated: {shown}")
    return ", ".join(f"{code}: {text}" for code, text in shown.items())


def _argon2() -> str:
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    hashed = hasher.hash("self-test")
    hasher.verify(hashed, "self-test")  # raises when it fails
    return "hash and verify (argon2id)"


def _keyring(folder: Path) -> str:
    """The OS keyring round trip where there is a secure one; else the passphrase path."""
    from medassist_desktop.core.security.secrets import SecretStore

    store = SecretStore(f"self-test-{secrets.token_hex(4)}")
    problem = store.problem()
    if problem is None:
        key = secrets.token_bytes(32)
        store.set_key("self-test", key)
        try:
            if store.get_key("self-test") != key:
                raise AssertionError("the keyring returned another value than was stored")
        finally:
            store.delete("self-test")
        return f"OS keyring round trip ({type(store.backend).__name__})"
    kdf_file = folder / "data" / "medassist.db.kdf.json"
    return f"no secure OS keyring ({problem}); passphrase path used ({kdf_file.name} written)"


def _database(services: AppServices) -> str:
    """Create the encrypted database with the passphrase, migrate it, write, read back."""
    from medassist_desktop.core.security.secrets import kdf_file_for

    security = services.open(create=True)
    db = security.db
    db.execute("CREATE TABLE self_test (x INTEGER)")
    db.execute("INSERT INTO self_test VALUES (42)")
    if db.scalar("SELECT x FROM self_test") != 42:
        raise AssertionError("the database did not return what was written")
    path = services.context.settings.database_path(services.context.paths)
    if path.read_bytes()[:16] == b"SQLite format 3\x00":
        raise AssertionError("the database file is not encrypted")
    if not kdf_file_for(path).is_file():
        raise AssertionError("the passphrase's key derivation file was not written")
    return "SQLCipher file created, migrated, written and read (encrypted)"


def _knowledge(services: AppServices) -> str:
    """Import the starter library (its shipped vectors) and search it by meaning."""
    knowledge = services.knowledge()
    result = knowledge.search_prepared(SEARCH_QUESTION, k=3)
    if result.mode != "hybrid":
        raise AssertionError(f"the search was not by embedding: {result.degraded_reason}")
    if not result.passages:
        raise AssertionError("the starter library search found nothing")
    top = result.passages[0]
    if not any(passage.similarity is not None for passage in result.passages):
        raise AssertionError("no passage was ranked by its embedding")
    documents = len(knowledge.store.documents())
    return f"{documents} starter documents; top hit {top.title!r} (similarity {top.similarity})"


def _model(services: AppServices) -> str:
    """Assemble the embedded model and generate a few tokens with llama.cpp."""
    from medassist_desktop.core.inference.engine import LlamaEngine
    from medassist_desktop.core.inference.interface import ChatMessage
    from medassist_desktop.core.inference.loading import params_from_settings, prepare_load

    settings, paths = services.context.settings, services.context.paths
    request = prepare_load(settings, paths, model_name=settings.model_name)
    engine = LlamaEngine()
    try:
        engine.load(request)
        params = params_from_settings(settings, max_tokens=GENERATED_TOKENS, temperature=0.0)
        result = engine.generate_async([ChatMessage("user", "Say hello.")], params, None).result()
    finally:
        engine.close()
    if result.tokens < 1:
        raise AssertionError("the model generated no token")
    return f"{result.tokens} tokens from {result.model_name} ({result.tokens_per_second} tokens/s)"
