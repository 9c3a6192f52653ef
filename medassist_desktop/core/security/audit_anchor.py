"""The audit chain's anchor outside the database: the last entry id and hash, keyed.

Inside the database the chain catches an edited or deleted entry, and `audit_head`
catches entries cut off the end. Neither catches someone who replaces the whole file
with an older copy (no key needed: the copy is a valid database), nor someone with the
key who wipes the chain and its head together. The anchor lives where the file does
not: in the OS keyring next to the keys, or, where the key comes from a passphrase, in
`<db>.audit-anchor.json` beside the key derivation file. At every open the chain must
reach the anchored entry with the anchored hash; a shorter or different chain was
rolled back or truncated.

The anchor is a lower bound written after commits (at open, at close, and at most
every `ANCHOR_INTERVAL_S` while entries are appended), so a crash between a commit
and the anchor write can never make an intact chain look rolled back.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from medassist_desktop.atomic_io import atomic_write_bytes
from medassist_desktop.core.security.secrets import SecretStore

ANCHOR_NAME = "audit-anchor"
ANCHOR_INTERVAL_S = 30.0


class AnchorStorage(Protocol):
    """Where the anchor text is kept; `location` says where, for messages."""

    @property
    def location(self) -> str: ...

    def read(self) -> str | None: ...

    def write(self, text: str) -> None: ...

    def clear(self) -> None: ...


class KeyringAnchorStorage:
    """Beside the database and audit keys, in the OS keyring of the clinic."""

    def __init__(self, store: SecretStore) -> None:
        self._store = store

    @property
    def location(self) -> str:
        return f"keyring service {self._store.service}"

    def read(self) -> str | None:
        return self._store.get(ANCHOR_NAME)

    def write(self, text: str) -> None:
        self._store.set(ANCHOR_NAME, text)

    def clear(self) -> None:
        self._store.delete(ANCHOR_NAME)


class FileAnchorStorage:
    """`<db>.audit-anchor.json`: beside the key derivation file, readable by this user only."""

    def __init__(self, db_path: Path) -> None:
        self.path = anchor_file_for(db_path)

    @property
    def location(self) -> str:
        return str(self.path)

    def read(self) -> str | None:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write(self, text: str) -> None:
        atomic_write_bytes(self.path, text.encode("utf-8"))

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def anchor_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".audit-anchor.json")


@dataclass(frozen=True)
class Anchor:
    last_id: int
    last_hash: str


class AnchorAlteredError(Exception):
    """The anchor's MAC does not match: someone edited it (or it is damaged)."""


class AuditAnchor:
    """Reads and writes the anchor, MAC'd with the audit key (it cannot be forged lower)."""

    def __init__(self, storage: AnchorStorage, key: bytes) -> None:
        self._storage = storage
        self._key = key

    @property
    def location(self) -> str:
        return self._storage.location

    def _mac(self, last_id: int, last_hash: str) -> str:
        message = json.dumps(["anchor", last_id, last_hash], separators=(",", ":")).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def load(self) -> Anchor | None:
        """The anchor, None when none was written yet; `AnchorAlteredError` when forged."""
        text = self._storage.read()
        if text is None:
            return None
        try:
            data = json.loads(text)
            anchor = Anchor(int(data["last_id"]), str(data["last_hash"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorAlteredError(f"the anchor is unreadable ({exc})") from exc
        if not hmac.compare_digest(self._mac(anchor.last_id, anchor.last_hash), mac):
            raise AnchorAlteredError("the anchor's MAC does not match")
        return anchor

    def save(self, anchor: Anchor) -> None:
        data = {
            "last_id": anchor.last_id,
            "last_hash": anchor.last_hash,
            "mac": self._mac(anchor.last_id, anchor.last_hash),
        }
        self._storage.write(json.dumps(data, sort_keys=True))
