"""The peak-event capacity model: can the platform carry the peak the business expects?

``capacity_model(ev, params)`` returns one tidy row per resource and subject with the columns
``resource, subject, unit, baseline, peak_demand, capacity, headroom_pct, verdict,
explanation``. The scalability checks read their verdicts from here (one way to do each
thing) and ``charts.scalability`` draws it.

Peak factor
    ``max(targets.peak_multiplier, peak.expected_orders_per_hour /
    peak.baseline_orders_per_hour)``; the attested ratio is used only when both attestations
    are present (``attestations`` table, else ``params.attestations``). The larger of the two
    is taken so that a forecast can raise, but never lower, the agreed target.

Odoo processes and connections (per Odoo Deployment; ``--workers``, ``--max-cron-threads``,
``--db_maxconn`` container arguments override ``odoo.conf``)
    ``processes_per_pod = 1 + http_workers + max_cron_threads`` (multi-processing mode: the
    main / gevent process, the HTTP workers and the cron workers; ``http_workers`` is
    ``workers``, or 0 for a pod started with ``--no-http`` / ``http_enable = False`` such as a
    cron Deployment; ``workers = 0`` is threaded mode: one process). Each process has its
    own pool, so
    ``connections_per_pod = processes_per_pod * db_maxconn`` (Odoo default ``db_maxconn``
    64, ``max_cron_threads`` 2, ``workers`` 0).

PostgreSQL connections (per server in ``pg_settings``)
    ``baseline = sum(connections_per_pod * current pods)`` over the Odoo Deployments,
    ``peak_demand = sum(connections_per_pod * pods at HPA maxReplicas)`` (``spec.replicas``
    for a Deployment without an HPA), ``capacity = max_connections - reserved`` with
    ``reserved = superuser_reserved_connections (default 3) + reserved_connections
    (PostgreSQL 16+, default 0)``, and at least 15 on Azure Database for PostgreSQL flexible
    server, which keeps 15 connections for replication and monitoring. Observed connections
    (``pg_activity``) are quoted in the explanation.

Pods and Odoo worker processes (per Odoo web Deployment and per HPA target)
    ``baseline = current replicas`` (HPA ``status.currentReplicas``, else the Deployment's
    ``status.replicas``, else ``spec.replicas``), ``peak_demand = ceil(baseline * factor)``,
    ``capacity = HPA maxReplicas`` (``spec.replicas`` without an HPA). Worker processes are
    the same times ``http_workers`` per pod: the concurrent requests Odoo can serve.

    Without Kubernetes evidence (VMs), each odoo.conf counts as one instance. Client
    connections that are neither Odoo's nor this toolkit's (``pg_activity``: BI tools,
    integrations) are added to baseline and peak as observed.

Odoo workers vs CPU and pod memory (per Odoo Deployment with ``workers > 0``)
    ``workers + max_cron_threads`` against ``2 x CPU + 1`` (CPU limit, else request; the
    deployment guide's rule), and ``processes_per_pod x limit_memory_hard`` (every process
    at its hard limit) against the Odoo container's memory limit. Neither scales with the
    peak: they are per-pod design limits.

queue_job drain time (per Odoo database in ``odoo_jobs``)
    ``baseline = waiting jobs / throughput`` in minutes, throughput = done jobs / age of the
    oldest done job; ``peak_demand = baseline * factor``; ``capacity =
    targets.queue_drain_minutes`` (60 by default).

Redis memory (per instance in ``redis_info``)
    ``baseline = used_memory``, ``peak_demand = used_memory * factor`` (sessions and cache
    grow with concurrent shoppers), ``capacity = maxmemory`` (``total_system_memory`` when
    maxmemory is 0, i.e. unlimited).

Node pool vCPU and memory (per AKS cluster, user pools; all pools when none is a user pool)
    ``demand = sum(pod requests * pods)`` over Deployments and StatefulSets outside system
    namespaces (LimitRange defaults applied); baseline uses current pods, peak uses
    ``max(ceil(current * factor), HPA maxReplicas)`` for HPA targets (the nodes must host
    what the peak needs and what the HPAs may start). ``capacity = sum(maxCount (count
    without the autoscaler) * allocatable per node)``; allocatable per node is the median
    ``status.allocatable`` of the pool's Node objects when collected, else approximated from
    the VM size and the AKS node resource reservations: vCPU minus kube-reserved CPU (1
    core 60m, 2 cores 100m, 4 140m, 8 180m, 16 260m, 32 420m, 64 740m) and memory minus
    ``20 MiB * maxPods + 50 MiB`` kube-reserved minus the 100 MiB eviction threshold (the
    AKS 1.29+ rule). DaemonSets are not counted.

Verdict
    ``headroom_pct = (capacity - peak_demand) / capacity * 100``; ``insufficient`` below 0,
    ``tight`` below 20 %, else ``sufficient``; ``not_collected`` when an input is missing
    (the explanation says which).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.collectors.attestations import attestation_records
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    PLATFORM_NAMESPACES,
    POD_SPEC_PATHS,
    controller_pod_specs,
    dig,
    fmt,
    is_dict,
    is_system_namespace,
    k8s,
    lower_id,
    per_evidence,
    pod_containers,
    resources,
    setting_values,
    short_name,
    text,
    truthy,
)
from readiness_kit.params import Parameters

CAPACITY_COLUMNS = [
    "resource", "subject", "unit", "baseline", "peak_demand", "capacity", "headroom_pct",
    "verdict", "explanation",
]
TIGHT_PCT = 20.0
GIB = 1024**3
AZURE_PG_RESERVED = 15
AKS_CLUSTER = "microsoft.containerservice/managedclusters"
AKS_AGENT_POOL = "microsoft.containerservice/managedclusters/agentpools"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"

#: Odoo defaults (odoo/tools/config.py) for options absent from odoo.conf.
ODOO_DEFAULTS = {
    "workers": 0, "max_cron_threads": 2, "db_maxconn": 64,
    "limit_memory_hard": 2684354560, "limit_memory_soft": 2147483648,
    "gevent_port": 8072, "http_port": 8069,
}
_ARG_OPTIONS = {
    "workers": r"--workers[= ](\d+)",
    "max_cron_threads": r"--max[-_]cron[-_]threads[= ](\d+)",
    "db_maxconn": r"--db[-_]maxconn[= ](\d+)",
    "limit_memory_hard": r"--limit[-_]memory[-_]hard[= ](\d+)",
}
_ODOO_IMAGE = r"(?:^|/)odoo(?:[\w.-]*)(?::|@|$)"
#: Workload kinds whose pods the model counts (bare Pods are not workloads here).
_WORKLOAD_KINDS = tuple(k for k in POD_SPEC_PATHS if k != "Pod")

# --- Kubernetes quantities ---------------------------------------------------------------

_MEM_FACTORS = {
    "": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    "Ki": 1024, "Mi": 1024**2, "Gi": 1024**3, "Ti": 1024**4, "Pi": 1024**5, "Ei": 1024**6,
}


def cpu_cores(series: pd.Series) -> pd.Series:
    """Kubernetes CPU quantities ("500m", "2", 1.5) as cores (NaN when absent)."""
    parts = series.astype(object).where(series.notna(), "").astype(str).str.strip() \
        .str.extract(r"^([0-9]*\.?[0-9]+)(m?)$")
    value = pd.to_numeric(parts[0], errors="coerce")
    return value.where(parts[1] != "m", value / 1000).astype(float)


def memory_bytes(series: pd.Series) -> pd.Series:
    """Kubernetes memory quantities ("4Gi", "512Mi", "1e9") as bytes (NaN when absent)."""
    parts = series.astype(object).where(series.notna(), "").astype(str).str.strip() \
        .str.extract(r"^([0-9]*\.?[0-9]+(?:[eE][0-9]+)?)([KMGTPE]i?|k)?$")
    value = pd.to_numeric(parts[0], errors="coerce")
    return (value * parts[1].fillna("").map(_MEM_FACTORS)).astype(float)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(object), errors="coerce").astype(float)


# --- Peak factor -------------------------------------------------------------------------


def attestation_values(ev: Evidence, params: Parameters | None = None) -> pd.DataFrame:
    """Attestations as a table (key, value, attested_by, attested_at, note): the evidence
    table when collected, else the parameters file."""
    table = ev.table("attestations")
    if table is not None:
        return table
    rows = attestation_records(params.attestations if params else {})
    return pd.DataFrame(rows, columns=["key", "value", "attested_by", "attested_at", "note"])


def peak_factor(ev: Evidence, params: Parameters) -> tuple[float, str]:
    """The load multiplier at peak and a sentence saying where it comes from."""
    target = float(params.targets.peak_multiplier)
    att = attestation_values(ev, params).set_index("key")
    keys = ["peak.expected_orders_per_hour", "peak.baseline_orders_per_hour"]
    if not set(keys) <= set(att.index):
        return target, f"peak factor {target:g}x (targets.peak_multiplier; no attested forecast)"
    expected, baseline = pd.to_numeric(att.loc[keys, "value"], errors="coerce").tolist()
    if not (baseline and baseline > 0 and expected == expected):
        return target, f"peak factor {target:g}x (targets.peak_multiplier; attested forecast " \
                       "is not numeric)"
    ratio = expected / baseline
    who = att.loc[keys[0]]
    factor = max(target, ratio)
    return factor, (
        f"peak factor {factor:g}x: attested {expected:g} vs {baseline:g} orders/hour = "
        f"{ratio:g}x (attested by {who['attested_by']} on {who['attested_at']}), "
        f"target {target:g}x"
    )


# --- Odoo configuration --------------------------------------------------------------------


def odoo_options(ev: Evidence) -> pd.Series | None:
    """odoo.conf options as a Series keyed by option (of several sources, the first by name
    that sets an option wins), or None when odoo_config was not collected."""
    wide = setting_values(ev, "odoo_config")
    if wide is None:
        return None
    per_source = wide.set_index("source").astype(object)
    if per_source.empty:
        return pd.Series(dtype=object)
    return per_source.bfill().iloc[0].dropna()


def odoo_option(options: pd.Series | None, key: str, default=None):
    """One option as int when numeric, else the string; ``default`` when absent."""
    if options is None or key not in options.index or options[key] in (None, ""):
        return default if default is not None else ODOO_DEFAULTS.get(key)
    value = str(options[key]).strip()
    return int(value) if re.fullmatch(r"-?\d+", value) else value


# --- Kubernetes workloads ------------------------------------------------------------------


CONTAINER_COLUMNS = [
    "subject", "cluster", "kind", "namespace", "name", "container", "image", "args_text",
    "ports", "cpu_request", "cpu_limit", "cpu_request_source", "cpu_limit_source",
    "mem_request", "mem_limit", "mem_request_source", "mem_limit_source",
]
HPA_COLUMNS = ["hpa_subject", "cluster", "namespace", "target_kind", "target_name", "hpa_min",
               "hpa_max", "hpa_current", "metrics"]
WORKLOAD_COLUMNS = [
    "subject", "cluster", "kind", "namespace", "name", "replicas", "status_replicas",
    "cpu_request", "mem_request", "cpu_limit", "mem_limit", "hpa_subject", "hpa_min",
    "hpa_max", "hpa_current", "current", "max_pods", "system",
]
ODOO_COLUMNS = [
    *WORKLOAD_COLUMNS, "odoo_container", "image", "args_text", "ports", "odoo_cpu_request",
    "odoo_mem_request", "odoo_cpu_limit", "odoo_mem_limit", "odoo_cpu_request_source",
    "odoo_mem_limit_source", "workers", "workers_source", "http_enabled", "http_workers",
    "max_cron_threads",
    "max_cron_threads_source", "db_maxconn", "db_maxconn_source", "limit_memory_hard",
    "limit_memory_hard_source", "role", "version", "processes_per_pod", "connections_per_pod",
]
_TEXT = {"subject", "cluster", "kind", "namespace", "name", "container", "image", "args_text",
         "ports", "hpa_subject", "target_kind", "target_name", "metrics", "odoo_container",
         "role", "system", "cluster_id", "location", "pool", "mode", "vm_size", "autoscaling",
         "zones", "taints", "subnet_id", "pod_subnet_id", "max_surge", "network_plugin",
         "network_plugin_mode", "mode_reported", "pool_props"}
POOL_COLUMNS = [
    "cluster_id", "cluster", "location", "pool", "mode", "vm_size", "count", "autoscaling",
    "min_count", "max_count", "max_pods", "zones", "taints", "subnet_id", "pod_subnet_id",
    "max_surge", "network_plugin", "network_plugin_mode", "subject", "nodes_max",
    "mode_reported", "pool_props",
]


def _empty(columns: list[str]) -> pd.DataFrame:
    """A typed empty frame (text columns object, the rest float) so that callers can run
    the same Series operations on "nothing found" as on real rows."""
    return pd.DataFrame({c: pd.Series(dtype=object if c in _TEXT or c.endswith("_source")
                                      else float) for c in columns})


def _limitrange_defaults(ev: Evidence) -> pd.DataFrame:
    cols = ["cluster", "namespace", "lr_cpu_req", "lr_mem_req", "lr_cpu_lim", "lr_mem_lim"]
    lr = k8s(ev, "LimitRange")
    if lr is None or lr.empty:
        return pd.DataFrame(columns=cols)
    lr = lr.assign(limit=dig(lr["spec_obj"], "limits", [])).explode("limit")
    lr = lr[dig(lr["limit"], "type", "").eq("Container")]
    out = pd.DataFrame({
        "cluster": lr["cluster"], "namespace": lr["namespace"],
        "lr_cpu_lim": dig(lr["limit"], "default.cpu"),
        "lr_mem_lim": dig(lr["limit"], "default.memory"),
    })
    # The API server defaults defaultRequest to default when only default is given.
    out["lr_cpu_req"] = dig(lr["limit"], "defaultRequest.cpu").where(
        lambda s: s.notna(), out["lr_cpu_lim"])
    out["lr_mem_req"] = dig(lr["limit"], "defaultRequest.memory").where(
        lambda s: s.notna(), out["lr_mem_lim"])
    return out[cols].drop_duplicates(["cluster", "namespace"])


@per_evidence
def containers(ev: Evidence) -> pd.DataFrame | None:
    """One row per container of every workload (pod template), with effective requests and
    limits: the container's own values, else the namespace LimitRange defaults (as the
    admission controller would set them). ``*_source`` says which: spec | LimitRange |
    missing. ReplicaSets and Jobs a controller created are left out (``is_controlled``):
    their pods are counted at the Deployment / CronJob. Returns None when ``k8s_objects``
    was not collected."""
    wl = controller_pod_specs(ev)
    if wl is None:
        return None
    out = pod_containers(wl[wl["kind"].isin(_WORKLOAD_KINDS)])
    if out.empty:
        return _empty(CONTAINER_COLUMNS)
    c = out["container"]
    args = dig(c, "command", []).map(list) + dig(c, "args", []).map(list)
    frame = pd.DataFrame({
        "subject": out["subject"], "cluster": out["cluster"], "kind": out["kind"],
        "namespace": out["namespace"], "name": out["name"],
        "container": dig(c, "name"), "image": dig(c, "image", "").astype(str),
        "args_text": args.map(lambda a: " ".join(str(x) for x in a)),
        "ports": dig(c, "ports", []),
        "own_cpu_req": dig(c, "resources.requests.cpu"),
        "own_mem_req": dig(c, "resources.requests.memory"),
        "own_cpu_lim": dig(c, "resources.limits.cpu"),
        "own_mem_lim": dig(c, "resources.limits.memory"),
    })
    frame = frame.merge(_limitrange_defaults(ev), on=["cluster", "namespace"], how="left")
    for what in ("cpu", "mem"):
        parse = cpu_cores if what == "cpu" else memory_bytes
        own_req, own_lim = parse(frame[f"own_{what}_req"]), parse(frame[f"own_{what}_lim"])
        lr_req, lr_lim = parse(frame[f"lr_{what}_req"]), parse(frame[f"lr_{what}_lim"])
        # Pod defaulting (request = limit) runs before LimitRange admission.
        frame[f"{what}_request"] = own_req.fillna(own_lim).fillna(lr_req)
        frame[f"{what}_limit"] = own_lim.fillna(lr_lim)
        for kind, own, lr in (("request", own_req.fillna(own_lim), lr_req),
                              ("limit", own_lim, lr_lim)):
            frame[f"{what}_{kind}_source"] = np.select(
                [own.notna(), lr.notna()], ["spec", "LimitRange"], "missing")
    return frame[CONTAINER_COLUMNS]


@per_evidence
def hpas(ev: Evidence) -> pd.DataFrame | None:
    """HorizontalPodAutoscalers (and KEDA ScaledObjects) with their target workload."""
    h = k8s(ev, "HorizontalPodAutoscaler", "ScaledObject")
    if h is None:
        return None
    if h.empty:
        return _empty(HPA_COLUMNS)
    keda = h["kind"].eq("ScaledObject")
    out = pd.DataFrame({
        "hpa_subject": h["subject"], "cluster": h["cluster"], "namespace": h["namespace"],
        "target_kind": dig(h["spec_obj"], "scaleTargetRef.kind", "Deployment"),
        "target_name": dig(h["spec_obj"], "scaleTargetRef.name"),
        "hpa_min": _num(dig(h["spec_obj"], "minReplicas", 1)).where(
            ~keda, _num(dig(h["spec_obj"], "minReplicaCount", 0))),
        "hpa_max": _num(dig(h["spec_obj"], "maxReplicas")).where(
            ~keda, _num(dig(h["spec_obj"], "maxReplicaCount", 100))),
        "hpa_current": _num(dig(h["status_obj"], "currentReplicas")),
        "metrics": dig(h["spec_obj"], "metrics", []).where(~keda, dig(h["spec_obj"],
                                                                       "triggers", [])),
    })
    return out[HPA_COLUMNS].reset_index(drop=True)


#: Container columns a workload's pod adds up.
_POD_SUMS = ("cpu_request", "mem_request", "cpu_limit", "mem_limit")


@per_evidence
def workloads(ev: Evidence) -> pd.DataFrame | None:
    """Deployments and StatefulSets: replicas, current pods, HPA bounds and pod requests."""
    wl = k8s(ev, "Deployment", "StatefulSet")
    cont = containers(ev)
    if wl is None or cont is None:
        return None
    if wl.empty:
        return _empty(WORKLOAD_COLUMNS)
    # A pod's figure is the sum over its containers, unknown (NaN) if one of them is.
    sums = cont.groupby("subject")[list(_POD_SUMS)]
    pods = sums.sum().where(sums.count().eq(sums.size(), axis=0))
    out = pd.DataFrame({
        "subject": wl["subject"], "cluster": wl["cluster"], "kind": wl["kind"],
        "namespace": wl["namespace"], "name": wl["name"],
        "replicas": _num(dig(wl["spec_obj"], "replicas", 1)),
        "status_replicas": _num(dig(wl["status_obj"], "replicas")),
    }).merge(pods, left_on="subject", right_index=True, how="left")
    h = hpas(ev)
    h = (_empty(HPA_COLUMNS) if h is None else h).astype(
        {"cluster": object, "namespace": object, "target_kind": object, "target_name": object})
    out = out.astype({"cluster": object, "namespace": object, "kind": object, "name": object})
    h = h.drop_duplicates(["cluster", "namespace", "target_kind", "target_name"])
    out = out.merge(
        h.drop(columns=["metrics"], errors="ignore"),
        left_on=["cluster", "namespace", "kind", "name"],
        right_on=["cluster", "namespace", "target_kind", "target_name"], how="left",
    ).drop(columns=["target_kind", "target_name"])
    for col in ("hpa_min", "hpa_max", "hpa_current"):
        out[col] = out[col].astype(float)
    out["current"] = out["hpa_current"].fillna(out["status_replicas"]).fillna(out["replicas"])
    out["max_pods"] = out["hpa_max"].fillna(out["replicas"])
    out["system"] = is_system_namespace(out["namespace"])
    return out[WORKLOAD_COLUMNS].reset_index(drop=True)


@per_evidence
def odoo_workloads(ev: Evidence) -> pd.DataFrame | None:
    """Odoo Deployments/StatefulSets (image repository ``odoo*``) with their effective
    options (container arguments over odoo.conf over Odoo defaults), role (``cron`` when the
    name says so, else ``web``), ``version`` (major, from the image tag, else the
    ``app.kubernetes.io/version`` label), processes and connections per pod, and the Odoo
    container's own requests/limits (``odoo_*``). None when k8s_objects was not collected."""
    wl, cont = workloads(ev), containers(ev)
    if wl is None or cont is None:
        return None
    odoo = cont[cont["image"].str.contains(_ODOO_IMAGE, regex=True)
                & ~cont["image"].str.contains("exporter", regex=False)]
    odoo = odoo.drop_duplicates("subject")[
        ["subject", "container", "image", "args_text", "ports", "cpu_request", "mem_request",
         "cpu_limit", "mem_limit", "cpu_request_source", "mem_limit_source"]
    ].rename(columns={c: f"odoo_{c}" for c in ("container", "cpu_request", "mem_request",
                                               "cpu_limit", "mem_limit", "cpu_request_source",
                                               "mem_limit_source")})
    out = wl.merge(odoo, on="subject", how="inner")
    if out.empty:
        return _empty(ODOO_COLUMNS)
    options = odoo_options(ev)
    for key, pattern in _ARG_OPTIONS.items():
        override = pd.to_numeric(out["args_text"].str.extract(pattern)[0], errors="coerce")
        configured = pd.to_numeric(pd.Series([odoo_option(options, key)]), errors="coerce")
        out[key] = override.fillna(configured.iloc[0]).fillna(ODOO_DEFAULTS[key]).astype(float)
        out[f"{key}_source"] = np.where(override.notna(), "container args",
                                        "odoo.conf" if options is not None
                                        and key in options.index else "Odoo default")
    conf_http = str(odoo_option(options, "http_enable", "True")).strip().lower()
    out["http_enabled"] = ~out["args_text"].str.contains(r"--no-http\b", regex=True) & (
        conf_http not in ("false", "0", "no", "off"))
    out["http_workers"] = out["workers"].where(out["http_enabled"], 0.0)
    out["role"] = np.where(out["name"].str.contains("cron", case=False)
                           | ~out["http_enabled"], "cron", "web")
    out["version"] = pd.to_numeric(out["image"].str.extract(r":(?:v)?(\d+)\.\d")[0],
                                   errors="coerce")
    # An image pinned by digest alone carries no version: the chart's
    # app.kubernetes.io/version label says which Odoo it is.
    objs = k8s(ev, "Deployment", "StatefulSet")
    label = dig(objs["labels_obj"], ["app.kubernetes.io/version"], "").astype(str)
    label_version = pd.to_numeric(label.str.extract(r"^v?(\d+)(?:\.|$)")[0], errors="coerce")
    out["version"] = out["version"].fillna(out["subject"].map(
        pd.Series(label_version.to_numpy(), index=objs["subject"]).groupby(level=0).first()))
    multi = out["workers"] > 0
    out["processes_per_pod"] = np.where(multi, 1 + out["http_workers"] +
                                        out["max_cron_threads"], 1)
    out["connections_per_pod"] = out["processes_per_pod"] * out["db_maxconn"]
    return out[ODOO_COLUMNS].reset_index(drop=True)


# --- Azure helpers -------------------------------------------------------------------------


@per_evidence
def node_pools(ev: Evidence) -> pd.DataFrame | None:
    """One row per AKS agent pool, scoped to its cluster, with parsed sizes and zones.

    Pools come from the cluster's ``agentPoolProfiles`` and from separate agent pool rows
    (``managedClusters/agentPools``, as the agentPools API and some exports give them); a
    separate row wins over the profile of the same pool. ``mode`` is what ARM reported, or
    ``User`` (the agentPools API default) with ``mode_reported`` False when it was not."""
    aks = resources(ev, AKS_CLUSTER)
    if aks is None:
        return None
    aks = aks.assign(pool=dig(aks["props"], "agentPoolProfiles", [])).explode("pool")
    aks = aks[aks["pool"].map(is_dict).astype(bool)].reset_index(drop=True)
    rows = resources(ev, AKS_AGENT_POOL)
    cluster_of = text(rows["id"]).str.replace(r"/agentpools/[^/]+/?$", "", regex=True,
                                              case=False)
    clusters = resources(ev, AKS_CLUSTER).assign(key=lambda d: lower_id(d["id"]))
    rows = rows.assign(key=lower_id(cluster_of)).merge(
        clusters[["key", "id", "name", "location", "props"]].rename(
            columns={"id": "cid", "name": "cname", "location": "cloc", "props": "cprops"}),
        on="key", how="left")
    separate = pd.DataFrame({
        "id": rows["cid"].fillna(cluster_of), "name": rows["cname"].fillna(
            short_name(cluster_of)), "location": rows["cloc"],
        "props": rows["cprops"].map(lambda v: v if isinstance(v, dict) else {}),
        "pool": [{**p, "name": n} for p, n in zip(rows["props"], rows["name"], strict=True)]})
    both = pd.concat([separate, aks[["id", "name", "location", "props", "pool"]]],
                     ignore_index=True)
    both = both[~(lower_id(both["id"]) + "/" + text(dig(both["pool"], "name", "")).str.lower()
                  ).duplicated()].reset_index(drop=True)
    if both.empty:
        return _empty(POOL_COLUMNS)
    p = both["pool"]
    mode = dig(p, "mode", None)
    out = pd.DataFrame({
        "cluster_id": both["id"], "cluster": both["name"], "location": both["location"],
        "pool": dig(p, "name").astype(str),
        "mode": mode.fillna("User").astype(str),
        "mode_reported": mode.notna(),
        "vm_size": dig(p, "vmSize", "").astype(str),
        "count": _num(dig(p, "count", 0)),
        "autoscaling": truthy(dig(p, "enableAutoScaling", False)),
        "min_count": _num(dig(p, "minCount")),
        "max_count": _num(dig(p, "maxCount")),
        "max_pods": _num(dig(p, "maxPods")),
        "zones": dig(p, "availabilityZones", []).map(lambda z: sorted(str(x) for x in z)),
        "taints": dig(p, "nodeTaints", []).map(list),
        "subnet_id": dig(p, "vnetSubnetID"),
        "pod_subnet_id": dig(p, "podSubnetID"),
        "max_surge": dig(p, "upgradeSettings.maxSurge"),
        "network_plugin": dig(both["props"], "networkProfile.networkPlugin", "kubenet"),
        "network_plugin_mode": dig(both["props"], "networkProfile.networkPluginMode"),
        "pool_props": p,
    })
    out["subject"] = out["cluster_id"] + "/agentPools/" + out["pool"]
    out["nodes_max"] = out["max_count"].where(out["autoscaling"], out["count"]) \
        .fillna(out["count"])
    return out[POOL_COLUMNS]


# vCPU and GiB for VM sizes whose name does not encode the vCPU count (v2 and older).
_VM_TABLE = {
    "standard_ds2_v2": (2, 7), "standard_ds3_v2": (4, 14), "standard_ds4_v2": (8, 28),
    "standard_ds5_v2": (16, 56), "standard_d2_v2": (2, 7), "standard_d3_v2": (4, 14),
    "standard_d4_v2": (8, 28), "standard_d5_v2": (16, 56), "standard_ds11_v2": (2, 14),
    "standard_ds12_v2": (4, 28), "standard_ds13_v2": (8, 56), "standard_ds14_v2": (16, 112),
}
_GIB_PER_VCPU = {"D": 4, "E": 8, "F": 2, "B": 4, "A": 2, "L": 8, "M": 28}
# AKS kube-reserved CPU by core count (node-resource-reservations).
_KUBE_RESERVED_CPU = {1: 0.06, 2: 0.1, 4: 0.14, 8: 0.18, 16: 0.26, 32: 0.42, 64: 0.74}


def vm_capacity(vm_size: pd.Series) -> pd.Series:
    """vCPU and memory (GiB) for AKS VM sizes: a table for v2 names that do not encode the
    vCPU count, the name otherwise (``Standard_D8ds_v5`` -> 8 vCPU, D family 4 GiB per
    vCPU). NaN when unknown."""
    parsed = vm_size.fillna("").str.extract(r"^Standard_([A-Z])[A-Z]*?(\d+)", flags=re.I)
    tab = vm_size.fillna("").str.lower().map(_VM_TABLE)
    known = tab.map(lambda t: isinstance(t, tuple))
    vcpu = pd.to_numeric(parsed[1], errors="coerce")
    gib = vcpu * parsed[0].str.upper().map(_GIB_PER_VCPU)
    return pd.DataFrame({
        "vcpu": vcpu.where(~known, tab.map(lambda t: t[0] if isinstance(t, tuple) else None)),
        "gib": gib.where(~known, tab.map(lambda t: t[1] if isinstance(t, tuple) else None)),
    }).astype(float)


def _kube_reserved_cpu(vcpu: pd.Series) -> pd.Series:
    steps = pd.Series(_KUBE_RESERVED_CPU)
    idx = np.searchsorted(steps.index.to_numpy(), vcpu.fillna(1).to_numpy(), side="left")
    idx = np.clip(idx, 0, len(steps) - 1)
    return pd.Series(steps.to_numpy()[idx], index=vcpu.index)


def pool_allocatable(pools: pd.DataFrame) -> pd.DataFrame:
    """Allocatable vCPU and memory (bytes) per node of each pool (see module docstring)."""
    cap = vm_capacity(pools["vm_size"])
    max_pods = pools["max_pods"].fillna(30)
    cpu = cap["vcpu"] - _kube_reserved_cpu(cap["vcpu"])
    mem = cap["gib"] * GIB - (20 * 2**20 * max_pods + 50 * 2**20) - 100 * 2**20
    return pd.DataFrame({"alloc_cpu": cpu, "alloc_mem": mem, "vcpu": cap["vcpu"],
                         "gib": cap["gib"]}, index=pools.index)


def server_key(series: pd.Series) -> pd.Series:
    """A server name or FQDN reduced to its first DNS label, lower-cased, to join
    ``pg_settings.server`` / ``pg_databases.server`` with ARM resource names."""
    return series.fillna("").astype(str).str.lower().str.split(".").str[0] \
        .str.replace(r"^postgres:", "", regex=True)


# --- The model -----------------------------------------------------------------------------


def _verdict(frame: pd.DataFrame) -> pd.DataFrame:
    cap = frame["capacity"].astype(float)
    peak = frame["peak_demand"].astype(float)
    head = ((cap - peak) / cap.where(cap > 0) * 100).round(1)
    head = head.where(~((cap <= 0) & peak.notna()), -100.0)
    known = cap.notna() & peak.notna()
    frame["headroom_pct"] = head.where(known)
    frame["verdict"] = np.select(
        [~known, head < 0, head < TIGHT_PCT], ["not_collected", "insufficient", "tight"],
        "sufficient")
    return frame


def _rows(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c for c in CAPACITY_COLUMNS
                                       if c not in ("headroom_pct", "verdict")])


def _missing(resource: str, subject: str, unit: str, why: str) -> dict:
    return {"resource": resource, "subject": subject, "unit": unit, "baseline": None,
            "peak_demand": None, "capacity": None, "explanation": why}


def _pg_connections(ev: Evidence, odoo: pd.DataFrame | None) -> pd.DataFrame:
    resource, unit = "PostgreSQL connections", "connections"
    wide = setting_values(ev, "pg_settings", "max_connections",
                          "superuser_reserved_connections", "reserved_connections")
    if wide is None:
        return _rows([_missing(resource, "postgres:*", unit, "pg_settings not collected")])
    if wide.empty:
        return _rows([])
    azure = resources(ev, PG_FLEX)
    azure_names = set(server_key(azure["name"])) if azure is not None else set()
    is_azure = server_key(wide["server"]).isin(azure_names) | wide["server"].str.contains(
        ".postgres.database.azure.com", regex=False)
    max_conn = _num(wide["max_connections"])
    reserved = _num(wide["superuser_reserved_connections"]).fillna(3) + \
        _num(wide["reserved_connections"]).fillna(0)
    reserved = reserved.where(~is_azure, reserved.clip(lower=AZURE_PG_RESERVED))
    subject = "postgres:" + server_key(wide["server"]) + "/max_connections"
    activity = ev.table("pg_activity")
    observed = (activity.assign(key=server_key(activity["server"]))
                .groupby("key")["connections"].sum()
                if activity is not None else pd.Series(dtype=float))
    observed = server_key(wide["server"]).map(observed)
    observed_text = observed.map(
        lambda v: f"; observed now {v:g} (pg_activity)" if v == v else "")
    cap_text = ("max_connections " + max_conn.map(fmt).astype(str) + " - " +
                reserved.map(fmt).astype(str) + " reserved" +
                np.where(is_azure, " (Azure keeps 15)", "") + " = " +
                (max_conn - reserved).map(fmt).astype(str))
    if odoo is None and ev.table("odoo_config") is not None:
        odoo = conf_instances(ev)  # no Kubernetes evidence: one instance per odoo.conf
    if odoo is None or odoo.empty or ev.table("odoo_config") is None:
        why = ("k8s_objects not collected" if odoo is None
               else "no Odoo Deployment found in k8s_objects" if odoo.empty
               else "odoo_config not collected")
        return _rows([_missing(resource, s, unit, f"{why}; {c}")
                      for s, c in zip(subject, cap_text, strict=True)])
    # Odoo talks to db_host when it names one of the servers, else to every server listed.
    db_host = odoo_option(odoo_options(ev), "db_host", "")
    target = server_key(pd.Series([str(db_host)])).iloc[0]
    uses = server_key(wide["server"]).eq(target) if target in set(
        server_key(wide["server"])) else pd.Series(True, index=wide.index)
    part = odoo.assign(
        base=odoo["connections_per_pod"] * odoo["current"],
        peak=odoo["connections_per_pod"] * odoo["max_pods"],
        text=lambda d: (d["name"] + ": (1 + " + d["http_workers"].map(fmt).astype(str) +
                        np.where(d["http_enabled"], " workers + ", " workers (--no-http) + ") +
                        d["max_cron_threads"].map(fmt).astype(str) +
                        " cron) x db_maxconn " + d["db_maxconn"].map(fmt).astype(str) + " = " +
                        d["connections_per_pod"].map(fmt).astype(str) + " per pod x " +
                        d["max_pods"].map(fmt).astype(str) +
                        np.where(d["hpa_max"].notna(), " pods at HPA max",
                                 np.where(d["kind"].eq("odoo.conf"),
                                          " instance (no Kubernetes evidence)", " replicas")) +
                        " = " + d["peak"].map(fmt).astype(str)),
    )
    others, others_text = other_clients(ev)
    odoo_text = "; ".join(part["text"]) + others_text
    extra = server_key(wide["server"]).map(others).fillna(0.0).to_numpy()
    frame = pd.DataFrame({
        "resource": resource, "subject": subject, "unit": unit,
        "baseline": np.where(uses, part["base"].sum(), 0.0) + extra,
        "peak_demand": np.where(uses, part["peak"].sum(), 0.0) + extra,
        "capacity": (max_conn - reserved).to_numpy(),
        "explanation": np.where(uses, odoo_text + " against " + cap_text + observed_text,
                                "Odoo connects to " + str(db_host) + "; " + cap_text +
                                observed_text),
    })
    return frame


def conf_instances(ev: Evidence) -> pd.DataFrame:
    """Odoo instances from odoo.conf alone (VMs, or no Kubernetes evidence): one instance
    per file, with the processes and connections its options give (columns as
    ``odoo_workloads``; ``kind`` = ``odoo.conf``)."""
    wide = setting_values(ev, "odoo_config")
    rows = []
    for _, conf in (wide if wide is not None else pd.DataFrame()).iterrows():
        opts = conf.drop(labels=["source"]).dropna()
        workers, cron, maxconn = (float(odoo_option(opts, k)) for k in (
            "workers", "max_cron_threads", "db_maxconn"))
        http = str(odoo_option(opts, "http_enable", "True")).strip().lower() not in (
            "false", "0", "no", "off")
        http_workers = workers if http else 0.0
        processes = 1 + http_workers + cron if workers > 0 else 1.0
        rows.append({"subject": "odoo.conf:" + str(conf["source"]), "kind": "odoo.conf",
                     "name": str(conf["source"]), "workers": workers,
                     "http_enabled": http, "http_workers": http_workers,
                     "max_cron_threads": cron, "db_maxconn": maxconn,
                     "role": "web" if http and "cron" not in str(conf["source"]).lower()
                     else "cron",
                     "processes_per_pod": processes, "connections_per_pod": processes * maxconn,
                     "current": 1.0, "max_pods": 1.0, "hpa_max": np.nan})
    return pd.DataFrame(rows, columns=["subject", "kind", "name", "workers", "http_enabled",
                                       "http_workers", "max_cron_threads", "db_maxconn",
                                       "role", "processes_per_pod", "connections_per_pod",
                                       "current", "max_pods", "hpa_max"])


def other_clients(ev: Evidence) -> tuple[pd.Series, str]:
    """Client connections observed in ``pg_activity`` that are neither Odoo (application
    ``odoo*``, the odoo.conf ``db_user``, or without one a role named like odoo) nor this
    toolkit, per server key: BI tools,
    integrations, poolers. They hold their connections at peak too."""
    act = ev.table("pg_activity")
    if act is None or act.empty:
        return pd.Series(dtype=float), ""
    db_users = setting_values(ev, "odoo_config", "db_user")
    users = set() if db_users is None else set(db_users["db_user"].dropna().astype(str))
    app = act["application_name"].fillna("").astype(str)
    client = act["backend_type"].fillna("client backend").eq("client backend")
    user = act["usename"].fillna("").astype(str)
    # Odoo's own: its application name, the odoo.conf db_user, else roles named like odoo
    odoo = app.str.lower().str.startswith("odoo") | (
        user.isin(users) if users else user.str.contains("odoo", case=False))
    mine = app.eq("readiness-kit")
    other = act[client & ~odoo & ~mine]
    if other.empty:
        return pd.Series(dtype=float), ""
    per_server = other.groupby(server_key(other["server"]))["connections"].sum().astype(float)
    names = (other.assign(app=app[other.index].replace("", "(no name)"))
             .groupby("app")["connections"].sum().sort_values(ascending=False))
    listed = ", ".join(f"{a} {fmt(n)}" for a, n in names.head(5).items())
    return per_server, f"; + {fmt(per_server.sum())} other clients observed ({listed})"


def _pods(odoo: pd.DataFrame | None, wl: pd.DataFrame | None, factor: float,
          factor_text: str) -> pd.DataFrame:
    if wl is None:
        return _rows([_missing("Pods at peak", "Deployment/*", "pods",
                               "k8s_objects not collected")])
    web = set(odoo.loc[odoo["role"].eq("web"), "subject"]) if odoo is not None else set()
    sel = wl[(wl["subject"].isin(web) | wl["hpa_max"].notna()) & ~wl["system"].astype(bool)]
    if sel.empty:
        return _rows([])
    peak = np.ceil(sel["current"] * factor - 1e-9).clip(lower=0)
    pods = pd.DataFrame({
        "resource": "Pods at peak", "subject": sel["subject"], "unit": "pods",
        "baseline": sel["current"], "peak_demand": peak, "capacity": sel["max_pods"],
        "explanation": (sel["current"].map(fmt).astype(str) + " pods now x " +
                        f"{factor:g}" + " = " + peak.map(fmt).astype(str) + " needed vs " +
                        np.where(sel["hpa_max"].notna(),
                                 "HPA maxReplicas " + sel["max_pods"].map(fmt).astype(str),
                                 "no HPA: fixed " + sel["max_pods"].map(fmt).astype(str) +
                                 " replicas") + "; " + factor_text),
    })
    if odoo is None or odoo.empty:
        return pods
    ow = odoo[odoo["role"].eq("web") & (odoo["workers"] > 0)]  # threaded mode has none
    if ow.empty:
        return pods
    peak_w = np.ceil(ow["workers"] * ow["current"] * factor - 1e-9).clip(lower=0)
    workers = pd.DataFrame({
        "resource": "Odoo worker processes", "subject": ow["subject"], "unit": "processes",
        "baseline": ow["workers"] * ow["current"], "peak_demand": peak_w,
        "capacity": ow["workers"] * ow["max_pods"],
        "explanation": (ow["workers"].map(fmt).astype(str) + " workers x " +
                        ow["current"].map(fmt).astype(str) + " pods = " +
                        (ow["workers"] * ow["current"]).map(fmt).astype(str) + " now x " +
                        f"{factor:g}" + " = " + peak_w.map(fmt).astype(str) + " needed vs " +
                        (ow["workers"] * ow["max_pods"]).map(fmt).astype(str) +
                        " at " + ow["max_pods"].map(fmt).astype(str) + " pods"),
    })
    return pd.concat([pods, workers], ignore_index=True)


def _odoo_cpu_memory(odoo: pd.DataFrame | None) -> pd.DataFrame:
    """Per Odoo Deployment in multi-processing mode: workers against 2 x CPU + 1 (the
    Odoo deployment guide's rule, CPU = the container's limit, else its request), and the
    pod's processes at ``limit_memory_hard`` against the container memory limit."""
    if odoo is None or odoo.empty or "odoo_cpu_limit" not in odoo:
        return _rows([])
    multi = odoo[odoo["workers"] > 0]
    if multi.empty:
        return _rows([])
    cpu = multi["odoo_cpu_limit"].fillna(multi["odoo_cpu_request"])
    cpu_rows = pd.DataFrame({
        "resource": "Odoo workers vs CPU", "subject": multi["subject"], "unit": "workers",
        "baseline": multi["http_workers"] + multi["max_cron_threads"],
        "peak_demand": multi["http_workers"] + multi["max_cron_threads"],
        "capacity": (2 * cpu + 1).where(cpu.notna()),
        "explanation": (multi["http_workers"].map(fmt).astype(str) + " workers + " +
                        multi["max_cron_threads"].map(fmt).astype(str) + " cron threads vs "
                        "2 x " + cpu.map(fmt).astype(str) + " CPU + 1 = " +
                        (2 * cpu + 1).map(fmt).astype(str) + " (CPU "
                        + np.where(multi["odoo_cpu_limit"].notna(), "limit", "request") + ")"),
    })
    mem_limit = multi["odoo_mem_limit"] / GIB
    hard = multi["limit_memory_hard"] / GIB
    need = multi["processes_per_pod"] * hard
    mem_rows = pd.DataFrame({
        "resource": "Odoo pod memory", "subject": multi["subject"], "unit": "GiB",
        "baseline": need.round(2), "peak_demand": need.round(2),
        "capacity": mem_limit.round(2),
        "explanation": (multi["processes_per_pod"].map(fmt).astype(str) +
                        " processes x limit_memory_hard " + hard.map("{:.2f}".format) +
                        " GiB = " + need.map("{:.2f}".format) + " GiB vs container memory "
                        "limit " + mem_limit.map("{:.2f}".format) + " GiB"),
    })
    return pd.concat([cpu_rows, mem_rows], ignore_index=True)


QUEUE_WAITING = ("pending", "enqueued", "wait_dependencies")


def _queue_drain(ev: Evidence, params: Parameters, factor: float) -> pd.DataFrame:
    """queue_job backlog per Odoo database: minutes to drain the waiting jobs (x factor at
    peak) at the throughput observed (done jobs over the age of the oldest done one; queue_job
    keeps done jobs until its cleanup cron removes them), against
    ``targets.queue_drain_minutes``."""
    jobs = ev.table("odoo_jobs")
    servers = ev.table("pg_settings")
    if jobs is None and (servers is None or servers.empty):
        return _rows([])  # no PostgreSQL evidence at all: the connections row says so
    if jobs is None:
        return _rows([_missing("queue_job drain time", "odoo:*", "minutes",
                               "odoo_jobs not collected")])
    if jobs.empty:
        return _rows([])
    target = float(params.targets.queue_drain_minutes)
    key = ["server", "datname"]
    waiting = jobs[jobs["state"].isin(QUEUE_WAITING)].groupby(key)["jobs"].sum()
    done = jobs[jobs["state"].eq("done")].groupby(key).agg(
        done=("jobs", "sum"), window=("oldest_created_seconds", "max"))
    per = pd.concat([waiting.rename("waiting"), done], axis=1).fillna(
        {"waiting": 0, "done": 0}).reset_index()
    rate = per["done"] / (per["window"] / 60)  # jobs per minute
    rate = rate.where((per["done"] > 0) & (per["window"] > 0))
    now = per["waiting"] / rate
    return pd.DataFrame({
        "resource": "queue_job drain time",
        "subject": "odoo:" + per["server"].astype(str) + "/" + per["datname"].astype(str),
        "unit": "minutes", "baseline": now.round(1), "peak_demand": (now * factor).round(1),
        "capacity": np.where(rate.notna(), target, np.nan),
        "explanation": np.where(
            rate.notna(),
            per["waiting"].map(fmt).astype(str) + " jobs waiting / " +
            rate.map("{:.2f}".format) + " jobs per minute (" + per["done"].map(fmt).astype(str)
            + " done in the last " + (per["window"] / 60).map("{:.0f}".format) +
            " min) = " + now.map("{:.1f}".format) + f" min, x {factor:g} at peak vs target "
            f"{target:g} min (targets.queue_drain_minutes)",
            per["waiting"].map(fmt).astype(str) + " jobs waiting; no done jobs to measure "
            "the throughput from"),
    })


def _redis(ev: Evidence, factor: float, factor_text: str) -> pd.DataFrame:
    wide = setting_values(ev, "redis_info", "used_memory", "maxmemory", "total_system_memory")
    if wide is None:
        return _rows([_missing("Redis memory", "redis:*", "GiB", "redis_info not collected")])
    if wide.empty:
        return _rows([])
    used = _num(wide["used_memory"]) / GIB
    cap = _num(wide["maxmemory"]) / GIB
    cap = cap.where(cap > 0, _num(wide["total_system_memory"]) / GIB)
    return pd.DataFrame({
        "resource": "Redis memory", "subject": "redis:" + wide["instance"], "unit": "GiB",
        "baseline": used.round(2), "peak_demand": (used * factor).round(2),
        "capacity": cap.round(2),
        "explanation": ("used_memory " + used.map("{:.2f}".format).astype(str) + " GiB x " +
                        f"{factor:g}" + " = " + (used * factor).map("{:.2f}".format).astype(str) +
                        " GiB vs maxmemory " + cap.map("{:.2f}".format).astype(str) + " GiB; " +
                        factor_text),
    })


def _observed_allocatable(ev: Evidence, pools: pd.DataFrame) -> pd.DataFrame:
    """Median allocatable vCPU / memory (bytes) per node of each pool from Node objects
    (label ``kubernetes.azure.com/agentpool``), aligned to ``pools``; NaN where unknown."""
    out = pd.DataFrame({"alloc_cpu": np.nan, "alloc_mem": np.nan}, index=pools.index)
    nodes = k8s(ev, "Node")
    if nodes is None or nodes.empty:
        return out
    pool = dig(nodes["labels_obj"], ["kubernetes.azure.com/agentpool"]).where(
        lambda s: s.notna(), dig(nodes["labels_obj"], "agentpool"))
    per = pd.DataFrame({
        "cluster": nodes["cluster"].fillna("").astype(str), "pool": pool,
        "alloc_cpu": cpu_cores(dig(nodes["status_obj"], "allocatable.cpu")),
        "alloc_mem": memory_bytes(dig(nodes["status_obj"], "allocatable.memory")),
    }).dropna(subset=["pool"]).groupby(["cluster", "pool"])[["alloc_cpu", "alloc_mem"]].median()
    if per.empty:
        return out
    # With one AKS cluster every Node belongs to it, whatever the k8s cluster is called.
    if pools["cluster_id"].nunique() == 1:
        per = per.groupby(level="pool").median()
        keys = pools["pool"]
    else:
        keys = pd.MultiIndex.from_arrays([pools["cluster"].astype(str), pools["pool"]])
    found = per.reindex(keys)
    return pd.DataFrame(found.to_numpy(), index=pools.index, columns=["alloc_cpu", "alloc_mem"])


def _nodes(ev: Evidence, wl: pd.DataFrame | None, factor: float) -> pd.DataFrame:
    pools = node_pools(ev)
    if pools is None or wl is None:
        why = "azure_resources not collected" if pools is None else "k8s_objects not collected"
        return _rows([_missing("Node pool vCPU", "aks:*", "vCPU", why),
                      _missing("Node pool memory", "aks:*", "GiB", why)])
    if pools.empty:
        return _rows([])
    user = pools[pools["mode"].str.lower().eq("user")]
    pools = user if not user.empty else pools
    alloc = pool_allocatable(pools)
    observed = _observed_allocatable(ev, pools)
    pools = pools.assign(
        cap_cpu=observed["alloc_cpu"].fillna(alloc["alloc_cpu"]) * pools["nodes_max"],
        cap_mem=observed["alloc_mem"].fillna(alloc["alloc_mem"]) * pools["nodes_max"] / GIB,
        source=np.where(observed["alloc_cpu"].notna(), "Node status", "VM size estimate"))
    m = pools.groupby(["cluster_id", "cluster"], as_index=False).agg(
        cap_cpu=("cap_cpu", lambda s: s.sum(min_count=len(s))),
        cap_mem=("cap_mem", lambda s: s.sum(min_count=len(s))),
        pools=("pool", ", ".join), nodes=("nodes_max", "sum"),
        source=("source", lambda s: " / ".join(dict.fromkeys(s))))
    app = wl[~wl["system"].astype(bool)]
    peak_pods = pd.Series(np.where(
        app["hpa_max"].notna(),
        np.maximum(np.ceil(app["current"] * factor - 1e-9), app["hpa_max"].fillna(0)),
        app["current"]), index=app.index)
    # k8s_objects name their cluster; with a single AKS cluster every object belongs to it.
    key = (pd.Series(m["cluster"].iloc[0], index=app.index) if m["cluster"].nunique() == 1
           else app["cluster"])
    demand = pd.DataFrame({
        "cpu_base": app["cpu_request"] * app["current"],
        "cpu_peak": app["cpu_request"] * peak_pods,
        "mem_base": app["mem_request"] * app["current"] / GIB,
        "mem_peak": app["mem_request"] * peak_pods / GIB,
        "unrequested": app["cpu_request"].isna().astype(int),
    }).groupby(key).sum()
    m = m.merge(demand, left_on="cluster", right_index=True, how="left").fillna(
        {"cpu_base": 0, "cpu_peak": 0, "mem_base": 0, "mem_peak": 0, "unrequested": 0})
    note = np.where(m["unrequested"] > 0, "; " + m["unrequested"].map(fmt).astype(str) +
                    " workloads without requests not counted", "")
    common = (" at peak (HPA targets at max(now x " + f"{factor:g}" + ", HPA max)) vs " +
              m["nodes"].map(fmt).astype(str) + " nodes max in pools " + m["pools"] +
              " (allocatable per node from " + m["source"] + ")")
    cpu = pd.DataFrame({
        "resource": "Node pool vCPU", "subject": m["cluster_id"], "unit": "vCPU",
        "baseline": m["cpu_base"].round(2), "peak_demand": m["cpu_peak"].round(2),
        "capacity": m["cap_cpu"].round(2),
        "explanation": ("CPU requests " + m["cpu_peak"].map("{:.1f}".format).astype(str) + " vCPU" +
                        common + " = " + m["cap_cpu"].map("{:.1f}".format).astype(str) +
                        " allocatable vCPU" + note),
    })
    mem = pd.DataFrame({
        "resource": "Node pool memory", "subject": m["cluster_id"], "unit": "GiB",
        "baseline": m["mem_base"].round(2), "peak_demand": m["mem_peak"].round(2),
        "capacity": m["cap_mem"].round(2),
        "explanation": ("memory requests " + m["mem_peak"].map("{:.1f}".format).astype(str) +
                        " GiB" + common + " = " +
                        m["cap_mem"].map("{:.1f}".format).astype(str) +
                        " allocatable GiB" + note),
    })
    return pd.concat([cpu, mem], ignore_index=True)


@per_evidence
def capacity_model(ev: Evidence, params: Parameters) -> pd.DataFrame:
    """The peak-event capacity table (see the module docstring for every formula)."""
    factor, factor_text = peak_factor(ev, params)
    odoo = odoo_workloads(ev)
    wl = workloads(ev)
    parts = [
        _pg_connections(ev, odoo),
        _pods(odoo, wl, factor, factor_text),
        _odoo_cpu_memory(odoo),
        _redis(ev, factor, factor_text),
        _queue_drain(ev, params, factor),
        _nodes(ev, wl, factor),
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return _empty(CAPACITY_COLUMNS).astype(
            {c: object for c in ("resource", "unit", "verdict", "explanation")})
    frame = pd.concat(parts, ignore_index=True)
    for col in ("baseline", "peak_demand", "capacity"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return _verdict(frame)[CAPACITY_COLUMNS]


def headroom_at(model: pd.DataFrame, resource: str) -> pd.DataFrame:
    """Rows of one resource, ready for a check: subject, passed, assessed, detail."""
    rows = model[model["resource"] == resource]
    verdict = rows["verdict"].astype(str)
    used = (rows["peak_demand"] / rows["capacity"].where(rows["capacity"] > 0) * 100).map(
        lambda v: f"{v:.0f}% of capacity" if v == v else "no capacity").astype(str)
    detail = (rows["resource"] + ": peak demand " + rows["peak_demand"].map(fmt).astype(str) +
              " vs capacity " + rows["capacity"].map(fmt).astype(str) + " " + rows["unit"] +
              " (" + verdict + ", " + used + "). " + rows["explanation"].astype(str))
    detail = detail.where(verdict != "not_collected",
                          rows["resource"] + " not assessed: " + rows["explanation"].astype(str))
    return pd.DataFrame({"subject": rows["subject"], "passed": verdict != "insufficient",
                         "assessed": verdict != "not_collected", "detail": detail})


__all__ = [
    "CAPACITY_COLUMNS", "PLATFORM_NAMESPACES", "ODOO_DEFAULTS", "attestation_values",
    "capacity_model", "containers", "cpu_cores", "fmt", "headroom_at", "hpas", "is_dict",
    "memory_bytes",
    "node_pools", "odoo_options", "odoo_option", "odoo_workloads", "peak_factor",
    "pool_allocatable", "server_key", "vm_capacity", "workloads",
]
