"""A client for the parts of the CouchDB replication protocol that sync needs, over httpx.

Push: `_revs_diff` (what does the server lack?), `_bulk_docs` with `new_edits: false`
(store our revisions as they are). Pull: `_changes?since=` and `_bulk_get?revs=true`.
Checkpoints: `_local/<replication id>` documents. Apache CouchDB, its hosted
offerings and pouchdb-server speak this protocol.

Every request is authenticated (basic auth; pouchdb-server crashes on an anonymous
request once an admin exists), TLS certificates are verified, plain http is refused
except to the loopback interface. Requests go through the retry policy (transient
failures only) inside the circuit breaker, so one failed operation is one failure
for the breaker however many tries it took. The reachability probe bypasses both:
it is the cheap question "is the server there at all?".

What the server sends is not trusted either: proxy settings from the environment are
ignored (`trust_env=False`: a proxy variable must not receive plain-HTTP loopback
traffic or the account's basic-auth header), an answer larger than
`max_response_bytes` is refused while it is read, and `_bulk_get` keeps only the
documents at the revisions that were asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from loguru import logger

from medassist_desktop.config.urls import check_server_url
from medassist_desktop.core.sync.breaker import CircuitBreaker
from medassist_desktop.core.sync.errors import (
    InsecureServerURLError,
    RemoteDatabaseMissingError,
    ServerAuthError,
    ServerRejectedError,
)
from medassist_desktop.core.sync.resilience import (
    RetryPolicy,
    TransientHTTPError,
    is_transient_status,
    parse_retry_after,
)
from medassist_desktop.i18n.catalogue import N_

log = logger.bind(area="sync")

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
REACHABILITY_TIMEOUT = 3.0
USER_AGENT = "MedAssist-Desktop-sync/1"
# One answer: a page of changes or of documents (cases with notes of up to 20 KB each).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class PayloadTooLargeError(Exception):
    """HTTP 413: the server will not take a request this big; send less per request."""


class ResponseTooLargeError(ServerRejectedError):
    """The server's answer is larger than any answer of the protocol should be."""


@dataclass(frozen=True)
class ServerConfig:
    """Where to sync: server URL, database and account. The password is never printed."""

    url: str
    db: str
    user: str
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "url", check_server_url(self.url))
        except ValueError as exc:
            raise InsecureServerURLError(
                N_("The sync server address cannot be used: {reason}.", reason=exc)
            ) from None

    def replication_id(self, node_id: str, direction: str) -> str:
        """Stable per (this install, server, database, direction), as CouchDB's replicator."""
        key = f"medassist-v1|{node_id}|{self.url}|{self.db}|{direction}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Reachability:
    reachable: bool
    reason: str | None = None
    status: int | None = None


class CouchDBClient:
    """One database on one server. Not thread-safe: one sync run uses one client."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        retry_policy: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        reach_timeout: float = REACHABILITY_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.config = config
        self.max_response_bytes = max_response_bytes
        self._retry = retry_policy if retry_policy is not None else RetryPolicy()
        self._breaker = breaker
        self._reach_timeout = reach_timeout
        self._db_path = "/" + quote(config.db, safe="")
        self._http = httpx.Client(
            base_url=config.url,
            auth=httpx.BasicAuth(config.user, config.password),
            timeout=timeout,
            verify=True,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CouchDBClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- reachability -------------------------------------------------------------------

    def check_reachable(self) -> Reachability:
        """A cheap authenticated `GET /` with a short timeout; never retried."""
        try:
            response = self._http.get("/", timeout=self._reach_timeout)
        except httpx.TransportError as exc:
            return Reachability(
                False, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            )
        if response.status_code >= 500:
            return Reachability(
                False, f"server answered HTTP {response.status_code}", response.status_code
            )
        return Reachability(True, None, response.status_code)

    # --- push -----------------------------------------------------------------------------

    def revs_diff(self, revs: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
        """For each document, the revisions among `revs` that the server does not have."""
        answer = self._request(
            "POST",
            f"{self._db_path}/_revs_diff",
            json={k: list(v) for k, v in revs.items()},
            what="_revs_diff",
        )
        return {
            doc_id: {str(rev) for rev in entry.get("missing", [])}
            for doc_id, entry in (answer or {}).items()
        }

    def bulk_docs_replicated(self, docs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Store documents with their own revisions; returns the per-document errors."""
        answer = self._request(
            "POST",
            f"{self._db_path}/_bulk_docs",
            json={"docs": list(docs), "new_edits": False},
            what="_bulk_docs",
        )
        return [item for item in (answer or []) if isinstance(item, dict) and "error" in item]

    def live_leaves(self, doc_id: str) -> set[str]:
        """The revisions of the document's branches that are not deleted (`open_revs=all`)."""
        answer = self._request(
            "GET",
            f"{self._db_path}/{quote(doc_id, safe='')}",
            params={"open_revs": "all"},
            allow_404=True,
            what="leaf revisions",
        )
        return {
            str(item["ok"]["_rev"])
            for item in answer or []
            if isinstance(item, dict)
            and isinstance(item.get("ok"), dict)
            and not item["ok"].get("_deleted")
        }

    def delete_leaf(self, doc_id: str, rev: str) -> str:
        """End one branch of a document: a deletion on top of its leaf `rev` (an ordinary
        edit, so the server makes the tombstone's revision). Returns that revision."""
        answer = self._request(
            "POST",
            f"{self._db_path}/_bulk_docs",
            json={"docs": [{"_id": doc_id, "_rev": rev, "_deleted": True}]},
            what="_bulk_docs",
        )
        result = answer[0] if isinstance(answer, list) and answer else {}
        if not isinstance(result, dict) or "error" in result:
            detail = result.get("reason") or result.get("error") if isinstance(result, dict) else ""
            raise ServerRejectedError(
                N_(
                    "The sync server refused to end the revision {rev} of {doc_id}: {detail}.",
                    rev=rev,
                    doc_id=doc_id,
                    detail=detail,
                ),
                status=409,
            )
        return str(result.get("rev", ""))

    # --- pull -----------------------------------------------------------------------------

    def changes(
        self, since: Any, limit: int, *, style: str | None = None
    ) -> tuple[list[dict[str, Any]], Any]:
        """One page of the changes feed after `since` (explicit, never longpoll).

        `style="all_docs"` lists every leaf revision of each document, not only the
        winner: how conflicts are seen.
        """
        params: dict[str, str | int] = {
            "since": "0" if since is None else str(since),
            "limit": limit,
        }
        if style is not None:
            params["style"] = style
        answer = self._request("GET", f"{self._db_path}/_changes", params=params, what="_changes")
        results = list(answer.get("results", []))
        return results, answer.get("last_seq", since)

    def bulk_get(self, items: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        """The documents at the given revisions, with `_revisions`; missing ones are left out."""
        if not items:
            return []
        answer = self._request(
            "POST",
            f"{self._db_path}/_bulk_get",
            params={"revs": "true"},
            json={"docs": [{"id": doc_id, "rev": rev} for doc_id, rev in items]},
            what="_bulk_get",
        )
        asked = set(items)
        docs: list[dict[str, Any]] = []
        for result in answer.get("results", []):
            for entry in result.get("docs", []):
                if "ok" in entry:
                    doc = entry["ok"]
                    if not isinstance(doc, dict) or (doc.get("_id"), doc.get("_rev")) not in asked:
                        log.warning(
                            "pull: the server sent a document that was not asked for ({id}); "
                            "ignored",
                            id=doc.get("_id") if isinstance(doc, dict) else type(doc).__name__,
                        )
                        continue
                    docs.append(doc)
                else:
                    log.warning(
                        "pull: {id} not served: {error}",
                        id=result.get("id"),
                        error=entry.get("error"),
                    )
        return docs

    # --- reading documents by id ---------------------------------------------------------

    def docs_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """The current (winning) revision of each document in `ids`, bodies included, with
        `_conflicts` listing other leaf revisions: `_all_docs` with `keys`, one request.
        None for a document the server does not hold or holds deleted; rows for ids that
        were not asked for are ignored."""
        if not ids:
            return {}
        answer = self._request(
            "POST",
            f"{self._db_path}/_all_docs",
            params={"include_docs": "true", "conflicts": "true"},
            json={"keys": list(ids)},
            what="_all_docs",
        )
        found: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
        for row in answer.get("rows", []) if isinstance(answer, dict) else []:
            if not isinstance(row, dict) or row.get("key") not in found:
                continue
            doc, value = row.get("doc"), row.get("value")
            deleted = isinstance(value, dict) and bool(value.get("deleted"))
            if isinstance(doc, dict) and not deleted and doc.get("_id") == row["key"]:
                found[str(row["key"])] = doc
        return found

    # --- checkpoints ------------------------------------------------------------------------

    def get_local(self, name: str) -> dict[str, Any] | None:
        answer = self._request(
            "GET",
            f"{self._db_path}/_local/{quote(name, safe='')}",
            allow_404=True,
            what="checkpoint read",
        )
        return answer if isinstance(answer, dict) else None

    def put_local(self, name: str, body: Mapping[str, Any], rev: str | None) -> str:
        """Write a `_local` document; returns its new revision. A stale `rev` is refreshed."""
        path = f"{self._db_path}/_local/{quote(name, safe='')}"
        payload = dict(body)
        if rev is not None:
            payload["_rev"] = rev
        try:
            answer = self._request("PUT", path, json=payload, what="checkpoint write")
        except ServerRejectedError as exc:
            if exc.status != 409:
                raise
            current = self.get_local(name)
            payload["_rev"] = current.get("_rev") if current else None
            if payload["_rev"] is None:
                del payload["_rev"]
            answer = self._request("PUT", path, json=payload, what="checkpoint write")
        return str(answer.get("rev", ""))

    # --- plumbing ----------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        allow_404: bool = False,
        what: str,
    ) -> Any:
        def attempt() -> Any:
            request = self._http.build_request(method, path, json=json, params=params)
            streamed = self._http.send(request, stream=True)
            try:
                response = self._read_capped(streamed, what)
            finally:
                streamed.close()
            return self._answer(response, allow_404=allow_404, what=what)

        def with_retries() -> Any:
            return self._retry.call(attempt, what=what)

        if self._breaker is None:
            return with_retries()
        return self._breaker.call(with_retries)

    def _read_capped(self, response: httpx.Response, what: str) -> httpx.Response:
        """The response read whole, refused as soon as it is larger than `max_response_bytes`."""
        limit = self.max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLargeError(
                N_(
                    "The sync server's answer to {what} is {declared} bytes, more than the "
                    "{limit} allowed.",
                    what=what,
                    declared=int(declared),
                    limit=limit,
                ),
                status=response.status_code,
            )
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise ResponseTooLargeError(
                    N_(
                        "The sync server's answer to {what} is more than {limit} bytes.",
                        what=what,
                        limit=limit,
                    ),
                    status=response.status_code,
                )
        # The body is decoded already: the copy must not claim an encoding or a length.
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=response.request
        )

    def _answer(self, response: httpx.Response, *, allow_404: bool, what: str) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            return response.json() if response.content else None
        detail = _error_detail(response)
        if status == 404 and allow_404:
            return None
        if status == 413:
            raise PayloadTooLargeError(f"{what}: HTTP 413 {detail}")
        if status in (401, 403):
            raise ServerAuthError(
                N_(
                    "The sync server refused the account {user!r} (HTTP {status}: {detail}).",
                    user=self.config.user,
                    status=status,
                    detail=detail,
                ),
                hint=N_(
                    "Check the user name and run `medassist sync configure` again to store "
                    "the right password."
                ),
            )
        if status == 404:
            raise RemoteDatabaseMissingError(
                N_(
                    "The database {db!r} does not exist on {url} ({detail}).",
                    db=self.config.db,
                    url=self.config.url,
                    detail=detail,
                ),
                hint=N_("Ask the server's administrator to create it, or correct the name."),
            )
        if is_transient_status(status):
            raise TransientHTTPError(
                status,
                f"{what}: HTTP {status} {detail}",
                retry_after=parse_retry_after(response.headers.get("retry-after")),
            )
        raise ServerRejectedError(
            N_(
                "The sync server refused {what}: HTTP {status2} {detail}.",
                what=what,
                status2=status,
                detail=detail,
            ),
            status=status,
        )


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or ""
    if isinstance(body, dict):
        parts = [str(body.get(k)) for k in ("error", "reason") if body.get(k)]
        if parts:
            return ": ".join(parts)
    return response.reason_phrase or ""


ClientFactory = Callable[[ServerConfig], CouchDBClient]
