"""A stub Kubernetes API server on 127.0.0.1 speaking the real wire protocol over HTTPS.

What it serves, as kube-apiserver does:
- discovery: ``/api`` (APIVersions), ``/api/v1`` and ``/apis/<group>/<version>``
  (APIResourceList), ``/apis`` (APIGroupList with preferred versions);
- collection lists ``GET /api/v1/<plural>`` and ``/apis/<g>/<v>/<plural>`` with ``limit`` and
  opaque ``continue`` tokens (base64 JSON like the real ones), ``remainingItemCount``;
  built-in items come without ``apiVersion``/``kind`` (only the list has them), custom
  resources with;
- ``Accept: application/json;as=Table;v=v1;g=meta.k8s.io`` with ``includeObject=Metadata``:
  a Table whose rows hold PartialObjectMetadata (Secrets: Name, Type, Data, Age columns);
- errors as ``Status`` bodies: 401 without the bearer token, 403 for ``forbidden`` plurals,
  404 for unknown paths and for ``discovery_404`` group-versions, 410 ``Expired`` for a
  continue token of an ``expire_once`` plural (once), 429 with ``Retry-After`` for a
  ``throttle_once`` plural (once), and a response delayed by ``slow_seconds`` for ``slow``.

Every request is logged (method, path, query, Accept). ``secret_data_sent`` turns true if a
response ever carried a Secret's ``data`` / ``stringData``.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import trustme
import yaml

#: (groupVersion, kind) -> (plural, namespaced) for everything the stub can serve.
RESOURCES: dict[tuple[str, str], tuple[str, bool]] = {
    ("v1", "Namespace"): ("namespaces", False), ("v1", "Node"): ("nodes", False),
    ("v1", "Pod"): ("pods", True), ("v1", "Service"): ("services", True),
    ("v1", "ConfigMap"): ("configmaps", True), ("v1", "Secret"): ("secrets", True),
    ("v1", "ServiceAccount"): ("serviceaccounts", True),
    ("v1", "PersistentVolumeClaim"): ("persistentvolumeclaims", True),
    ("v1", "ResourceQuota"): ("resourcequotas", True), ("v1", "LimitRange"): ("limitranges", True),
    ("v1", "Event"): ("events", True), ("v1", "Endpoints"): ("endpoints", True),
    ("apps/v1", "Deployment"): ("deployments", True),
    ("apps/v1", "StatefulSet"): ("statefulsets", True),
    ("apps/v1", "DaemonSet"): ("daemonsets", True),
    ("apps/v1", "ReplicaSet"): ("replicasets", True),
    ("batch/v1", "CronJob"): ("cronjobs", True), ("batch/v1", "Job"): ("jobs", True),
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ("horizontalpodautoscalers", True),
    ("autoscaling/v1", "HorizontalPodAutoscaler"): ("horizontalpodautoscalers", True),
    ("policy/v1", "PodDisruptionBudget"): ("poddisruptionbudgets", True),
    ("networking.k8s.io/v1", "Ingress"): ("ingresses", True),
    ("networking.k8s.io/v1", "IngressClass"): ("ingressclasses", False),
    ("networking.k8s.io/v1", "NetworkPolicy"): ("networkpolicies", True),
    ("storage.k8s.io/v1", "StorageClass"): ("storageclasses", False),
    ("rbac.authorization.k8s.io/v1", "Role"): ("roles", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("clusterroles", False),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ("rolebindings", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("clusterrolebindings", False),
    ("traefik.io/v1alpha1", "IngressRoute"): ("ingressroutes", True),
    ("traefik.io/v1alpha1", "Middleware"): ("middlewares", True),
    ("traefik.containo.us/v1alpha1", "IngressRoute"): ("ingressroutes", True),
    ("traefik.containo.us/v1alpha1", "Middleware"): ("middlewares", True),
    ("cert-manager.io/v1", "Certificate"): ("certificates", True),
    ("cert-manager.io/v1", "ClusterIssuer"): ("clusterissuers", False),
    ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"): ("kustomizations", True),
    ("helm.toolkit.fluxcd.io/v2", "HelmRelease"): ("helmreleases", True),
    ("source.toolkit.fluxcd.io/v1", "GitRepository"): ("gitrepositories", True),
    ("monitoring.coreos.com/v1", "PrometheusRule"): ("prometheusrules", True),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): ("servicemonitors", True),
    ("cilium.io/v2", "CiliumNetworkPolicy"): ("ciliumnetworkpolicies", True),
}
BUILT_IN = {"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io",
            "storage.k8s.io", "rbac.authorization.k8s.io"}
VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
RESOURCE_VERSION = "48151623"


def _group(gv: str) -> str:
    return gv.rpartition("/")[0]


def status(code: int, reason: str, message: str, **extra) -> dict:
    return {"kind": "Status", "apiVersion": "v1", "metadata": extra.pop("metadata", {}),
            "status": "Failure", "message": message, "reason": reason, "code": code, **extra}


def _token(rv: str, start: str) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": int(rv), "start": start + "\x00"})
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _start(token: str) -> str:
    return json.loads(base64.urlsafe_b64decode(token.encode()))["start"].rstrip("\x00")


@dataclass
class StubCluster:
    objects: list[dict]
    token: str = "stub-reader-token"
    forbidden: set[str] = field(default_factory=set)        # plurals -> 403
    discovery_404: set[str] = field(default_factory=set)    # groupVersions -> 404
    expire_once: set[str] = field(default_factory=set)      # plurals -> 410 on a continue
    throttle_once: set[str] = field(default_factory=set)    # plurals -> 429 once
    slow: set[str] = field(default_factory=set)             # plurals answered late
    slow_seconds: float = 3.0
    extra_group_versions: set[str] = field(default_factory=set)  # served with no objects
    log: list[dict] = field(default_factory=list)
    secret_data_sent: bool = False

    def __post_init__(self) -> None:
        self.store: dict[tuple[str, str], list[dict]] = {}
        for obj in self.objects:
            plural, _ = RESOURCES[(obj["apiVersion"], obj["kind"])]
            self.store.setdefault((obj["apiVersion"], plural), []).append(obj)
        for items in self.store.values():
            items.sort(key=lambda o: (o["metadata"].get("namespace", ""),
                                      o["metadata"]["name"]))
        gvs = {gv for gv, _ in RESOURCES if _group(gv) in BUILT_IN}
        gvs |= {gv for gv, _ in self.store} | self.extra_group_versions | self.discovery_404
        self.group_versions = sorted(gvs)
        self._lock = threading.Lock()

    # --- discovery -------------------------------------------------------------------
    def api_groups(self) -> dict:
        groups: dict[str, list[str]] = {}
        for gv in self.group_versions:
            if "/" in gv:
                groups.setdefault(_group(gv), []).append(gv)
        out = []
        for name, gvs in sorted(groups.items()):
            gvs = sorted(gvs, reverse=True)  # v2 before v1: the preferred version first
            versions = [{"groupVersion": gv, "version": gv.split("/")[1]} for gv in gvs]
            out.append({"name": name, "versions": versions, "preferredVersion": versions[0]})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": out}

    def resource_list(self, gv: str) -> dict:
        resources = []
        for (rgv, kind), (plural, namespaced) in sorted(RESOURCES.items()):
            if rgv != gv:
                continue
            resources.append({"name": plural, "singularName": kind.lower(),
                              "namespaced": namespaced, "kind": kind, "verbs": VERBS,
                              "storageVersionHash": base64.b64encode(plural.encode()).decode()})
            if kind in ("Deployment", "StatefulSet", "Pod"):
                resources.append({"name": f"{plural}/status", "singularName": "",
                                  "namespaced": True, "kind": kind,
                                  "verbs": ["get", "patch", "update"]})
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                "resources": resources}

    # --- lists -----------------------------------------------------------------------
    def page(self, gv: str, kind: str, plural: str, query: dict, accept: str):
        items = self.store.get((gv, plural), [])
        limit = int(query.get("limit", ["0"])[0] or 0)
        token = query.get("continue", [""])[0]
        if token and plural in self.expire_once:
            with self._lock:
                self.expire_once.discard(plural)
            fresh = _token(RESOURCE_VERSION, _start(token))
            return 410, status(410, "Expired", "The provided continue parameter is too old to "
                               "display a consistent list result. You can start a new list "
                               "without the continue parameter.", metadata={"continue": fresh})
        start = 0
        if token:
            after = _start(token)
            keys = [f"{o['metadata'].get('namespace', '')}/{o['metadata']['name']}"
                    for o in items]
            start = next((i for i, k in enumerate(keys) if k > after), len(keys))
        chunk = items[start:start + limit] if limit else items[start:]
        rest = len(items) - start - len(chunk)
        meta: dict = {"resourceVersion": RESOURCE_VERSION}
        if rest > 0:
            last = chunk[-1]["metadata"]
            meta["continue"] = _token(RESOURCE_VERSION,
                                      f"{last.get('namespace', '')}/{last['name']}")
            meta["remainingItemCount"] = rest
        if "as=Table" in accept:
            return 200, self._table(kind, chunk, meta, query.get("includeObject", ["Metadata"])[0])
        builtin = _group(gv) in BUILT_IN
        out = [{k: v for k, v in o.items() if not (builtin and k in ("apiVersion", "kind"))}
               for o in chunk]
        if kind == "Secret" and any("data" in o or "stringData" in o for o in out):
            self.secret_data_sent = True
        return 200, {"kind": f"{kind}List", "apiVersion": gv, "metadata": meta, "items": out}

    def _table(self, kind: str, chunk: list[dict], meta: dict, include: str) -> dict:
        columns = [{"name": "Name", "type": "string", "format": "name", "priority": 0,
                    "description": "Name must be unique within a namespace."}]
        if kind == "Secret":
            columns.append({"name": "Type", "type": "string", "format": "", "priority": 0,
                            "description": "Used to facilitate programmatic handling of "
                                           "secret data."})
        columns += [{"name": "Data", "type": "string", "format": "", "priority": 0,
                     "description": "Data contains the secret data."},
                    {"name": "Age", "type": "string", "format": "", "priority": 0,
                     "description": "CreationTimestamp is a timestamp representing the "
                                    "server time when this object was created."}]
        rows = []
        for o in chunk:
            count = len(set(o.get("data") or {}) | set(o.get("binaryData") or {}))
            cells = [o["metadata"]["name"]] + ([o.get("type", "Opaque")] if kind == "Secret"
                                               else []) + [count, "41d"]
            row: dict = {"cells": cells}
            if include == "Metadata":
                row["object"] = {"kind": "PartialObjectMetadata",
                                 "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}
            elif include == "Object":
                row["object"] = o
                if kind == "Secret" and "data" in o:
                    self.secret_data_sent = True
            rows.append(row)
        return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
                "columnDefinitions": columns, "rows": rows}

    # --- dispatch --------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict, headers) -> tuple[int, dict, dict]:
        accept = headers.get("Accept", "")
        self.log.append({"method": method, "path": path, "query": query, "accept": accept})
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, status(401, "Unauthorized", "Unauthorized"), {}
        if method != "GET":
            return 405, status(405, "MethodNotAllowed", f"{method} is not served here"), {}
        parts = [p for p in path.split("/") if p]
        if parts == ["api"]:
            return 200, {"kind": "APIVersions", "versions": ["v1"],
                         "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                         "serverAddress": "10.0.0.1:443"}]}, {}
        if parts == ["apis"]:
            return 200, self.api_groups(), {}
        if parts[:2] == ["api", "v1"]:
            gv, rest = "v1", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            gv, rest = f"{parts[1]}/{parts[2]}", parts[3:]
        else:
            return 404, status(404, "NotFound", "the server could not find the requested "
                                                "resource"), {}
        if gv not in self.group_versions or gv in self.discovery_404:
            return 404, status(404, "NotFound", "the server could not find the requested "
                                                "resource"), {}
        if not rest:
            return 200, self.resource_list(gv), {}
        plural = rest[-1]
        kind = next((k for (rgv, k), (p, _) in RESOURCES.items() if rgv == gv and p == plural),
                    None)
        if kind is None or len(rest) not in (1, 3):
            return 404, status(404, "NotFound", "the server could not find the requested "
                                                "resource"), {}
        group = _group(gv)
        if plural in self.forbidden:
            return 403, status(403, "Forbidden", f'{plural}{"." + group if group else ""} is '
                               'forbidden: User "system:serviceaccount:readiness:reader" cannot '
                               f'list resource "{plural}" in API group "{group}" at the '
                               "cluster scope", details={"kind": plural}), {}
        if plural in self.throttle_once:
            with self._lock:
                self.throttle_once.discard(plural)
            return 429, status(429, "TooManyRequests", "Too many requests, please try again "
                               "later.", details={"retryAfterSeconds": 1}), {"Retry-After": "1"}
        if plural in self.slow:
            time.sleep(self.slow_seconds)
        code, body = self.page(gv, kind, plural, query, accept)
        return code, body, {}


class _Handler(BaseHTTPRequestHandler):
    cluster: StubCluster  # set per server

    def log_message(self, *_args) -> None:  # keep test output clean
        return None

    def _serve(self) -> None:
        url = urlsplit(self.path)
        code, body, headers = self.server.cluster.answer(  # type: ignore[attr-defined]
            self.command, url.path, parse_qs(url.query), self.headers)
        data = json.dumps(body).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client gave up (timeout test)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class StubServer:
    """``with StubServer(cluster) as server: server.kubeconfig(path)``."""

    def __init__(self, cluster: StubCluster):
        self.cluster = cluster
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.cluster = cluster  # type: ignore[attr-defined]
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def kubeconfig(self, path: Path, *, context: str = "aks-stub-admin",
                   cluster: str = "aks-stub", token: str | None = None) -> Path:
        ca = base64.b64encode(self.ca.cert_pem.bytes()).decode()
        doc = {
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": cluster, "cluster": {
                "server": f"https://127.0.0.1:{self.port}",
                "certificate-authority-data": ca}}],
            "users": [{"name": "readiness-reader",
                       "user": {"token": token or self.cluster.token}}],
            "contexts": [{"name": context, "context": {"cluster": cluster,
                                                       "user": "readiness-reader"}}],
        }
        path.write_text(yaml.safe_dump(doc))
        return path


class _JsonLikeLoader(yaml.SafeLoader):
    """Timestamps stay text, as the API server's JSON has them."""


_JsonLikeLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def objects_from_dumps(folder: Path) -> list[dict]:
    """The objects of ``kubectl get -o yaml`` List dumps (what the stub serves)."""
    out = []
    for file in sorted(folder.glob("*.yaml")):
        for doc in yaml.load_all(file.read_text(), Loader=_JsonLikeLoader):  # noqa: S506
            out.extend(doc["items"] if doc.get("kind") == "List" else [doc])
    return out
