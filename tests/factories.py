"""Shared builders for the check, chart and capacity tests.

Evidence rows in the shapes the sources return (Resource Graph rows through the collector's
own ``normalise_arg_row``, Kubernetes objects), the ``CheckContext`` / ``Review`` around
them, and small readers for check results. Test modules keep only the fixtures of their own
story (a PostgreSQL server with HA, an Odoo web Deployment...) and build them from these.

Import with ``from factories import ...`` (``tests/`` is on ``sys.path`` through
``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import yaml

from readiness_kit.checks import REGISTRY, CheckContext, run_check, run_checks
from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.collectors.kubernetes.normalise import normalise_object
from readiness_kit.evidence import evidence_from_records
from readiness_kit.params import Parameters
from readiness_kit.review import Review

SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
AS_OF = dt.date(2026, 11, 27)
CLUSTER = "aks-retail-prod"
GIB = 1024**3
ODOO_IMAGE = "acrretailprod.azurecr.io/odoo:17.0-20261102"


# --- contexts, runs and results --------------------------------------------------------------


def params_for(tenant: str = "t", **params) -> Parameters:
    return Parameters(tenant=tenant, **params)


def ctx_for(tables: dict[str, list[dict]], **params) -> CheckContext:
    """Evidence from records plus parameters (``targets={...}``, ``hosting_model=...``)."""
    return CheckContext(ev=evidence_from_records(tables), params=params_for(**params),
                        as_of=AS_OF)


def run(check_id: str, tables: dict[str, list[dict]], **params) -> pd.DataFrame:
    """One registered check over ``tables``: its findings rows."""
    return run_check(REGISTRY[check_id], ctx_for(tables, **params))


def last_segment(subject: pd.Series) -> pd.Series:
    """``.../flexibleServers/pg-a`` -> ``pg-a``; a subject without ``/`` stays whole."""
    return subject.str.rstrip("/").str.rsplit("/", n=1).str[-1]


def by_subject(result: pd.DataFrame, column: str = "status") -> dict[str, str]:
    """Last path segment of each subject -> ``column`` (status unless told)."""
    return dict(zip(last_segment(result["subject"]), result[column], strict=True))


def statuses(result: pd.DataFrame) -> dict[str, str]:
    """Whole subject -> status."""
    return dict(zip(result["subject"], result["status"], strict=True))


def detail_of(result: pd.DataFrame, name: str) -> str:
    """The detail of the subject that is ``name`` or whose last path segment is."""
    hit = result["subject"].eq(name) | last_segment(result["subject"]).eq(name)
    return result.loc[hit, "detail"].iloc[0]


def review_for(tables: dict[str, list[dict]], *domains: str, **params) -> Review:
    """A Review of ``tables`` with the checks of ``domains`` (all when none) run; scores and
    gate are placeholders (chart tests read findings and evidence)."""
    ctx = ctx_for(tables, **{"tenant": "demo-retail", **params})
    checks = [c for c in REGISTRY.values() if not domains or c.domain in domains]
    return Review(params=ctx.params, ev=ctx.ev, findings=run_checks(ctx, checks),
                  waivers=pd.DataFrame(), scores=pd.DataFrame(), gate="conditional",
                  gate_reasons=[], as_of=ctx.as_of)


def annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


# --- Azure Resource Graph rows ---------------------------------------------------------------


def rid(rg: str, provider: str, name: str, sub: str = SUB) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{name}"


def arm(provider: str, name: str, properties: dict | None = None, *,
        rg: str = "rg-retail-prod-data", sub: str = SUB, location: str = "westeurope",
        arg_table: str = "resources", id: str | None = None, **fields) -> dict:
    """An ``azure_resources`` record as the collector makes it from a Resource Graph row
    (``sku``, ``zones``, ``tags``, ``kind``, ``identity`` go in ``fields``)."""
    row = {"id": id or rid(rg, provider, name, sub), "name": name, "type": provider,
           "location": location, **fields}
    if properties is not None:
        row["properties"] = properties
    return normalise_arg_row(row, arg_table=arg_table)


# --- Kubernetes objects ----------------------------------------------------------------------


def kobj(kind: str, namespace: str | None, name: str, spec: dict | None = None, *,
         status: dict | None = None, api: str = "apps/v1", labels: dict | None = None,
         annotations: dict | None = None, cluster: str = CLUSTER) -> dict:
    """A ``k8s_objects`` record."""
    return {"cluster": cluster, "api_version": api, "kind": kind, "namespace": namespace,
            "name": name, "labels": labels or {}, "annotations": annotations or {},
            "spec": spec or {}, "status": status or {}}


def container(name: str, image: str, *, resources: dict | None = None,
              args: list[str] | None = None, ports: list[dict] | None = None,
              security: dict | None = None) -> dict:
    c: dict = {"name": name, "image": image}
    for key, value in (("resources", resources), ("args", args), ("ports", ports),
                       ("securityContext", security)):
        if value:
            c[key] = value
    return c


def deployment(namespace: str, name: str, image: str | None = None, replicas: int = 1, *,
               containers: list[dict] | None = None, container_name: str | None = None,
               resources: dict | None = None, args: list[str] | None = None,
               ports: list[dict] | None = None, pod: dict | None = None,
               pod_labels: dict | None = None, status: dict | None = None,
               cluster: str = CLUSTER) -> dict:
    """A Deployment whose pod runs ``containers`` (default: one container ``container_name``
    or ``name`` running ``image``, default ``acr.azurecr.io/<name>:1.0``); ``pod`` adds
    pod-spec fields (securityContext, topologySpreadConstraints...)."""
    if containers is None:
        containers = [container(container_name or name, image or f"acr.azurecr.io/{name}:1.0",
                                resources=resources, args=args, ports=ports)]
    spec = {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": pod_labels or {"app": name}},
                         "spec": {"containers": containers, **(pod or {})}}}
    return kobj("Deployment", namespace, name, spec, cluster=cluster,
                status={"replicas": replicas, "readyReplicas": replicas} if status is None
                else status)


def hpa(namespace: str, target: str, min_r: int, max_r: int = 6, current: int | None = None, *,
        cluster: str = CLUSTER) -> dict:
    """An autoscaling/v2 HorizontalPodAutoscaler on Deployment ``target`` (CPU 70 %)."""
    return kobj("HorizontalPodAutoscaler", namespace, target, {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
        "minReplicas": min_r, "maxReplicas": max_r,
        "metrics": [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]},
        status={"currentReplicas": current or min_r, "desiredReplicas": current or min_r},
        api="autoscaling/v2", cluster=cluster)


# --- other long tables -----------------------------------------------------------------------


def odoo_conf(source: str = "ConfigMap/odoo-prod/odoo-conf", **options) -> list[dict]:
    """``odoo_config`` rows of one source; an option given as None is left out."""
    return [{"source": source, "section": "options", "key": k, "value": v}
            for k, v in options.items() if v is not None]


def pg_settings(server: str, **values) -> list[dict]:
    """``pg_settings`` rows of one server."""
    return [{"server": server, "name": k, "setting": v, "unit": None, "category": "x",
             "source": "configuration file", "pending_restart": False}
            for k, v in values.items()]


def attestation(key: str, value: str, by: str = "Marta Keller (Platform Lead)",
                at: dt.date = dt.date(2026, 11, 20), note: str | None = None) -> dict:
    return {"key": key, "value": value, "attested_by": by, "attested_at": at, "note": note}


# --- real Azure bodies (tests/fixtures/azure) ------------------------------------------------

AZURE_BODIES = Path(__file__).parent / "fixtures" / "azure"
#: Read-only secrets an ARM create/list-keys response may carry but a Resource Graph row never
#: does (ARG leaves them out); the loader drops them as ARG would.
_ARG_OMITS = ("properties.accessKeys",)


def _set_path(obj: dict, path: str, value: object) -> None:
    """``a.b.0.c`` = value in a nested body (list items by index)."""
    keys = path.split(".")
    for key in keys[:-1]:
        obj = obj[int(key)] if isinstance(obj, list) else obj.setdefault(key, {})
    if isinstance(obj, list):
        obj[int(keys[-1])] = value
    else:
        obj[keys[-1]] = value


def body_file(name: str) -> dict:
    """A corpus file with its variant applied: ``{"_source": ..., "body": {...}, ...}``.

    A variant file names its ``base`` file and ``set`` (dotted path -> value): the only
    properties it changes, so the rest of the body stays as the public example gives it."""
    raw = json.loads((AZURE_BODIES / (name.removesuffix(".json") + ".json")).read_text())
    if "base" not in raw:
        return raw
    base = body_file(raw["base"])
    body = copy.deepcopy(base["body"])
    for path, value in raw["set"].items():
        _set_path(body, path, copy.deepcopy(value))
    return {**base, **{k: v for k, v in raw.items() if k not in ("base", "set")}, "body": body}


def _arg_row(doc: dict) -> dict:
    """The Resource Graph row of a corpus body (id, name, type, location, sku, zones, tags,
    identity, kind, properties, arg_table)."""
    body = copy.deepcopy(doc["body"])
    table = doc.get("_arg_table", "resources")
    if "_as_properties_of" in doc:      # PolicyResources: the state record is the properties
        props = {k: v for k, v in body.items() if not k.startswith("@odata")}
        rtype = doc["_as_properties_of"]["type"]
        rid = f"{props['resourceId']}/providers/{rtype}/{props['policyAssignmentName']}"
        return {"id": rid, "name": props["policyAssignmentName"], "type": rtype,
                "location": props.get("resourceLocation"), "properties": props,
                "arg_table": table}
    if "_as_resource_container" in doc:  # ResourceContainers: a subscription
        tags = body.pop("tags", None)
        rid = body.pop("id")
        return {"id": rid, "name": body.get("displayName"),
                "type": doc["_as_resource_container"]["type"], "tags": tags,
                "properties": body, "arg_table": table}
    for path in _ARG_OMITS:
        head, _, leaf = path.partition(".")
        if isinstance(body.get(head), dict):
            body[head].pop(leaf, None)
    rid = body["id"]
    rtype = body.get("type")
    if not rtype and "/agentPools/" in rid:  # agent pool GET/list bodies carry no type
        rtype = "Microsoft.ContainerService/managedClusters/agentPools"
    row = {"id": rid, "name": body.get("name") or rid.rstrip("/").rsplit("/", 1)[-1],
           "type": rtype, "location": body.get("location"), "arg_table": table}
    for key in ("kind", "sku", "zones", "tags", "identity", "properties"):
        if key in body:
            row[key] = body[key]
    return row


def real_body(name: str, /, *, set: dict | None = None, **fields) -> dict:
    """An ``azure_resources`` record built from a public Azure REST API example body
    (``tests/fixtures/azure/<name>.json``) as Resource Graph returns it, through the
    collector's own ``normalise_arg_row``. ``set`` changes nested properties
    (``{"properties.highAvailability.mode": "SameZone"}``) and ``fields`` top-level columns
    (``id=``, ``location=``, ``tags=``) for the story of one test."""
    doc = body_file(name)
    if set:
        doc = {**doc, "body": copy.deepcopy(doc["body"])}
        for path, value in set.items():
            _set_path(doc["body"], path, value)
    row = {**_arg_row(doc), **fields}
    return normalise_arg_row(row, arg_table=row.pop("arg_table"))


def renamed(record: dict, name: str) -> dict:
    """A corpus record under another name: the public examples reuse one name per service
    (``clustername1``, ``cache1``), so a test holding several renames them; only the id's
    last segment and ``name`` change."""
    return {**record, "id": record["id"].rstrip("/").rsplit("/", 1)[0] + "/" + name,
            "name": name}


def real_detail(name: str, *, parent: str | None = None, set: dict | None = None) -> dict:
    """An ``azure_arm_details`` record (diagnosticSettings, blobServices, configurations,
    containers) from a corpus body; ``parent`` re-homes it under another resource id (the
    sub-resource path after the parent is kept)."""
    doc = body_file(name)
    body = copy.deepcopy(doc["body"])
    for path, value in (set or {}).items():
        _set_path(body, path, value)
    rid = body["id"]
    detail_type = body["type"].rsplit("/", 1)[-1]
    if parent:  # keep what follows /subscriptions/s/resourceGroups/g/providers/NS/type/name
        rid = parent.rstrip("/") + "/" + "/".join(rid.split("/")[9:])
    return {"resource_id": rid, "detail_type": detail_type, "name": body.get("name"),
            "properties": json.dumps(body.get("properties", {}), sort_keys=True)}

# --- Kubernetes fixture files ----------------------------------------------------------------

K8S_FIXTURES = Path(__file__).parent / "fixtures" / "kubernetes"


def k8s_docs(*files: str) -> list[dict]:
    """The API objects of fixture files under ``tests/fixtures/kubernetes/`` (multi-document
    YAML; ``List`` documents give their ``items``), freshly parsed so a test may edit them."""
    docs: list[dict] = []
    for name in files:
        for doc in yaml.safe_load_all((K8S_FIXTURES / name).read_text()):
            if not doc:
                continue
            docs.extend((doc.get("items") or []) if doc.get("kind", "").endswith("List")
                        else [doc])
    return docs


def k8s_doc(docs: list[dict], kind: str, name: str) -> dict:
    """The object of ``kind`` and ``name`` in ``docs`` (to edit it into a failing variant)."""
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


def k8s_record(obj: dict, cluster: str = CLUSTER) -> dict:
    """A ``k8s_objects`` record from an API object as the server returns it, through the
    collector's own ``normalise_object`` (the one both live and folder collection use:
    Secret/ConfigMap contents counted and dropped, secret-looking values redacted,
    ``owner`` and ``created_at`` from the metadata)."""
    return normalise_object(obj, cluster)


def k8s_records(docs: list[dict], cluster: str = CLUSTER) -> list[dict]:
    return [k8s_record(d, cluster) for d in docs]


def k8s_fixture(*files: str, cluster: str = CLUSTER) -> list[dict]:
    """``k8s_objects`` records of fixture files (see ``k8s_docs``)."""
    return k8s_records(k8s_docs(*files), cluster)


#: The fixture files of a shop where every workload control is in place ...
K8S_GOOD = ("odoo-helm-release.yaml", "nodes.yaml", "traefik.yaml", "monitoring.yaml")
#: ... and of a tenant namespace with the mistakes the checks exist to catch.
K8S_RISKY = ("risky-workloads.yaml",)


def run_k8s(check_id: str, docs: list[dict] | tuple[str, ...], **params) -> pd.DataFrame:
    """One check over Kubernetes fixture objects (file names, or API objects from
    ``k8s_docs`` edited by the test)."""
    objs = k8s_docs(*docs) if docs and isinstance(docs[0], str) else list(docs)
    return run(check_id, {"k8s_objects": k8s_records(objs)}, **params)
