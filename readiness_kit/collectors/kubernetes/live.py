"""Live collection from a Kubernetes API server with the official ``kubernetes`` client.

Read-only by construction: the only requests are ``GET`` of discovery documents (``/api``,
``/api/v1``, ``/apis``, ``/apis/<group>/<version>``) and of collection lists
(``/api/v1/pods``, ``/apis/apps/v1/deployments``...). Every call carries
``_request_timeout``; the client's own urllib3 retry policy retries throttling and 5xx
(honouring ``Retry-After``) but never a read timeout.

Lists page with ``limit`` / ``continue``; an expired continue token (410 Gone) restarts the
kind's list from the beginning (a consistent snapshot), a few times at most. A kind the
identity may not list (403), that the server does not serve (404), or that times out
becomes a named collection gap; the other kinds are still read.

Secrets and ConfigMaps are listed as a metadata Table (``Accept: application/json;as=Table;
v=v1;g=meta.k8s.io`` with ``includeObject=Metadata``): the server answers with names,
labels, annotations, the type and the number of keys, and never sends their data.

Built-in list responses omit each item's ``apiVersion`` / ``kind`` (only the list carries
them); they are filled in from the request before normalisation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import urllib3
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException
from kubernetes.config.config_exception import ConfigException
from urllib3.util.retry import Retry

from readiness_kit.collectors.kubernetes.kinds import GROUPS, KINDS, Kind
from readiness_kit.collectors.kubernetes.normalise import normalise_object, object_key
from readiness_kit.errors import ParametersError

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io"
JSON = "application/json"
PAGE_SIZE = 500
MAX_LIST_RESTARTS = 3


@dataclass
class Served:
    group_version: str
    plural: str
    namespaced: bool

    def path(self) -> str:
        base = "/api/v1" if self.group_version == "v1" else f"/apis/{self.group_version}"
        return f"{base}/{self.plural}"


@dataclass
class LiveRead:
    """Rows read from a cluster and what could not be read (``(what, reason)`` pairs)."""

    cluster: str
    context: str | None
    records: list[dict] = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    reachable: bool = True
    undiscovered: set[str] = field(default_factory=set)  # groups whose discovery failed


def _retry_policy() -> Retry:
    return Retry(total=5, connect=2, read=0, status=3, backoff_factor=0.5,
                 status_forcelist=(429, 500, 502, 503, 504),
                 allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                 raise_on_status=False)


def api_client(kubeconfig: Path | None, context: str | None) -> tuple[client.ApiClient, str,
                                                                       str | None]:
    """An ApiClient for ``context`` of ``kubeconfig`` (kubectl's default file when None), or
    the in-cluster service account when neither is given and the process runs in a pod.
    Returns (client, cluster name, context name)."""
    configuration = client.Configuration()
    in_cluster = (kubeconfig is None and context is None
                  and "KUBERNETES_SERVICE_HOST" in os.environ)
    if in_cluster:
        config.load_incluster_config(client_configuration=configuration)
        cluster, ctx_name = os.environ.get("KUBERNETES_SERVICE_HOST", "in-cluster"), None
    else:
        file = str(kubeconfig) if kubeconfig else None
        try:
            contexts, active = config.list_kube_config_contexts(config_file=file)
            chosen = next((c for c in contexts if c["name"] == context), None) if context \
                else active
            if chosen is None:
                names = ", ".join(sorted(c["name"] for c in contexts)) or "none"
                raise ParametersError(f"context {context!r} is not in the kubeconfig "
                                      f"(contexts: {names})", path=file or "kubeconfig")
            config.load_kube_config(config_file=file, context=chosen["name"],
                                    client_configuration=configuration,
                                    persist_config=False)
        except ConfigException as exc:
            raise ParametersError(f"kubeconfig: {exc}", path=file or "kubeconfig") from None
        ctx_name = chosen["name"]
        cluster = (chosen.get("context") or {}).get("cluster") or ctx_name
    configuration.retries = _retry_policy()
    return client.ApiClient(configuration), cluster, ctx_name


class _Api:
    """GET-only access through the client's request pipeline (auth, TLS, retries)."""

    def __init__(self, api: client.ApiClient, timeout: float):
        self.api = api
        self.timeout = (min(10.0, timeout), timeout)

    def get(self, path: str, query: list[tuple[str, Any]] | None = None,
            accept: str = JSON) -> dict:
        method, url, headers, _, _ = self.api.param_serialize(
            "GET", path, query_params=query or [], header_params={"Accept": accept},
            auth_settings=["BearerToken"])
        response = self.api.call_api(method, url, header_params=headers,
                                     _request_timeout=self.timeout)
        response.read()
        return self.api.response_deserialize(response, {"200": "object"}).data


def _reason(exc: Exception, timeout: float) -> str:
    if isinstance(exc, ApiException):
        message = ""
        body = getattr(exc, "body", None)
        if body:
            try:
                message = json.loads(body).get("message", "")
            except (ValueError, AttributeError):
                message = ""
        text = f"{exc.status} {exc.reason}".strip()
        return f"{text}: {message}" if message else text
    cause = getattr(exc, "reason", None) or exc
    if isinstance(cause, urllib3.exceptions.NewConnectionError):  # a ConnectTimeoutError too
        return f"cannot connect to the API server: {cause}"
    if isinstance(cause, urllib3.exceptions.TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    return f"{type(cause).__name__}: {cause}"


def discover(api: _Api, read: LiveRead) -> dict[tuple[str, str], Served]:
    """Which wanted kinds the server serves, at which group-version and resource name."""
    served: dict[tuple[str, str], Served] = {}

    def take(group: str, group_version: str, doc: dict) -> None:
        for res in doc.get("resources") or []:
            if "/" in res.get("name", "") or "list" not in (res.get("verbs") or []):
                continue
            served.setdefault((group, res["kind"]), Served(group_version, res["name"],
                                                           bool(res.get("namespaced"))))

    if "v1" in (api.get("/api").get("versions") or []):
        read.paths.append("/api/v1")
        take("", "v1", api.get("/api/v1"))
    wanted_kinds: dict[str, set[str]] = {}
    for k in KINDS:
        wanted_kinds.setdefault(k.group, set()).add(k.kind)
    for group in api.get("/apis").get("groups") or []:
        name = group.get("name")
        if name not in GROUPS or not name:
            continue
        preferred = (group.get("preferredVersion") or {}).get("groupVersion")
        versions = [v.get("groupVersion") for v in group.get("versions") or []]
        for gv in dict.fromkeys([preferred, *versions]):
            if not gv or wanted_kinds[name] <= {k for g, k in served if g == name}:
                continue
            try:
                take(name, gv, api.get(f"/apis/{gv}"))
                read.paths.append(f"/apis/{gv}")
            except (ApiException, urllib3.exceptions.HTTPError) as exc:
                read.gaps.append((f"API discovery of {gv}", _reason(exc, api.timeout[1])))
                read.undiscovered.add(name)
    return served


def _list_items(api: _Api, kind: Kind, where: Served, page_size: int) -> list[dict]:
    """Every object of ``kind`` (all namespaces), paging; restarts on 410 Gone."""
    path = where.path()
    accept = TABLE_ACCEPT if kind.metadata_only else JSON
    for _attempt in range(MAX_LIST_RESTARTS + 1):
        objects: list[dict] = []
        token: str | None = None
        try:
            while True:
                query: list[tuple[str, Any]] = [("limit", page_size)]
                if kind.metadata_only:
                    query.append(("includeObject", "Metadata"))
                if token:
                    query.append(("continue", token))
                page = api.get(path, query, accept)
                objects.extend(_page_objects(page, kind, where))
                token = (page.get("metadata") or {}).get("continue")
                if not token:
                    return objects
        except ApiException as exc:
            if exc.status == 410 and token:
                continue  # continue token expired: list again from the start
            raise
    raise ApiException(status=410, reason="Gone: the list kept expiring "
                                          f"({MAX_LIST_RESTARTS} restarts)")


def _page_objects(page: dict, kind: Kind, where: Served) -> list[dict]:
    """Objects of one List (or metadata Table) page, each with apiVersion and kind."""
    if page.get("kind") == "Table":
        columns = [c.get("name", "").lower() for c in page.get("columnDefinitions") or []]
        type_at = columns.index("type") if "type" in columns else None
        data_at = columns.index("data") if "data" in columns else None
        out = []
        for row in page.get("rows") or []:
            cells = row.get("cells") or []
            meta = (row.get("object") or {}).get("metadata") or {}
            obj = {"apiVersion": where.group_version, "kind": kind.kind, "metadata": meta}
            obj["_table"] = (cells[type_at] if type_at is not None else None,
                             int(cells[data_at]) if data_at is not None else 0)
            out.append(obj)
        return out
    items = page.get("items") or []
    return [{"apiVersion": where.group_version, "kind": kind.kind, **item} if not
            item.get("kind") else item for item in items]


def read_cluster(api_client_: client.ApiClient, cluster: str, context: str | None, *,
                 timeout: float = 30.0, page_size: int = PAGE_SIZE,
                 progress: Callable[[str], None] = lambda _m: None) -> LiveRead:
    """Discover and list every kind in ``KINDS``; gaps for what could not be read."""
    read = LiveRead(cluster=cluster, context=context)
    api = _Api(api_client_, timeout)
    try:
        served = discover(api, read)
    except (ApiException, urllib3.exceptions.HTTPError) as exc:
        read.reachable = False
        read.gaps.append(("API discovery (/api, /apis)", _reason(exc, timeout)))
        return read
    by_key: dict[tuple, dict] = {}
    for kind in KINDS:
        label = f"{kind.kind} ({kind.group or 'core'})"
        where = served.get((kind.group, kind.kind))
        if where is None:
            if kind.group in read.undiscovered:
                read.gaps.append((f"list {label}", "its API group could not be discovered"))
            elif not kind.optional:
                read.gaps.append((f"list {label}", "not served by this cluster's API"))
            continue
        try:
            items = _list_items(api, kind, where, page_size)
        except (ApiException, urllib3.exceptions.HTTPError) as exc:
            read.gaps.append((f"list {label} ({where.path()})", _reason(exc, timeout)))
            continue
        read.paths.append(where.path())
        for obj in items:
            table = obj.pop("_table", None)
            record = normalise_object(obj, cluster, secret_type=table[0] if table else None,
                                      key_count=table[1] if table else None)
            by_key[object_key(record)] = record
        progress(f"kubernetes: {kind.kind} {len(items)} objects")
    read.records = [by_key[k] for k in sorted(by_key)]
    return read
