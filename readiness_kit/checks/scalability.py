"""Scalability checks: horizontal scaling, database capacity and connections, Odoo sizing,
Redis memory and peak-event headroom.

Everything that depends on the peak factor or on connection / capacity maths reads
``readiness_kit.capacity`` so that the checks, the capacity table and its chart agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import (
    GIB,
    capacity_model,
    containers,
    headroom_at,
    node_pools,
    odoo_workloads,
    server_key,
    workloads,
)
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, fmt, is_system_namespace, resources, setting_values

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
HPA_DOC = "https://learn.microsoft.com/azure/aks/concepts-scale#horizontal-pod-autoscaler"
STORAGE_HEADROOM_PCT = 80


def _nothing() -> pd.DataFrame:
    """No subjects: the engine reports "No <applies_to> found in the evidence."."""
    return outcome([], [], [])


def _gib(value: pd.Series) -> pd.Series:
    return (value / GIB).map(lambda v: f"{v:.1f} GiB" if v == v else "none")


def _capacity(ctx: CheckContext, *resource: str) -> pd.DataFrame:
    """Capacity rows of the given resources as an ``outcome`` (one row per subject)."""
    model = capacity_model(ctx.ev, ctx.params)
    rows = pd.concat([headroom_at(model, r) for r in resource], ignore_index=True)
    if rows.empty:
        return _nothing()
    per = rows.groupby("subject", sort=False).agg(
        passed=("passed", "all"), assessed=("assessed", "all"), detail=("detail", " ".join))
    return outcome(per.index, per["passed"], per["detail"], assessed=per["assessed"])


# --- connections and peak headroom ---------------------------------------------------------


@check(
    id="SCL-ODOO-001",
    domain="scalability",
    severity="critical",
    title="Odoo's connection pools fit PostgreSQL max_connections at HPA maximum",
    rationale="Every Odoo process keeps its own pool of up to db_maxconn connections, so one "
    "pod can open (1 + workers + max_cron_threads) x db_maxconn connections and the HPA "
    "multiplies that by its maxReplicas. PostgreSQL refuses connections beyond "
    "max_connections minus the reserved slots (Azure keeps 15), and Odoo then fails requests "
    "with 'too many clients' exactly when traffic is highest.",
    remediation="Lower db_maxconn (8-16 per process is usual) and/or workers per pod, cap "
    "the HPA, put PgBouncer (built into Azure flexible server) in front of PostgreSQL, or "
    "raise max_connections with a larger SKU, so that the total at HPA maximum stays under "
    "the usable connections.",
    risk="At peak the database refuses connections: checkout and order capture fail with "
    "errors while the cluster is still scaling out",
    applies_to="PostgreSQL servers used by Odoo",
    requires=["odoo_config", "pg_settings", "k8s_objects"],
    references=[ODOO_DEPLOY,
                "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-limits",
                "https://www.postgresql.org/docs/current/runtime-config-connection.html"],
)
def odoo_connections_fit(ctx: CheckContext):
    return _capacity(ctx, "PostgreSQL connections")


@check(
    id="SCL-HPA-001",
    domain="scalability",
    severity="high",
    title="Odoo web and the ingress scale horizontally (HPA with max > min)",
    rationale="A shop peak arrives faster than people can react; the Horizontal Pod "
    "Autoscaler adds Odoo and Traefik pods as load grows and removes them afterwards. Without "
    "an HPA (or with maxReplicas = minReplicas) the replica count is fixed (AKS scaling "
    "concepts, Well-Architected performance efficiency).",
    remediation="Add an autoscaling/v2 HorizontalPodAutoscaler for each front-line "
    "Deployment (CPU utilisation target 60-70 %), with minReplicas >= 2 across zones and "
    "maxReplicas sized from the peak forecast; keep replicas out of the GitOps manifest so "
    "Flux does not fight the HPA.",
    risk="The shop cannot add web capacity during a sale: pages slow down and orders are "
    "lost while nodes sit idle",
    applies_to="Odoo web and Traefik Deployments",
    requires=["k8s_objects"],
    references=[HPA_DOC,
                "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"],
)
def frontline_hpa(ctx: CheckContext):
    wl = workloads(ctx.ev)
    odoo = odoo_workloads(ctx.ev)
    cont = containers(ctx.ev)
    traefik = set(cont.loc[cont["image"].str.contains(r"(?:^|/)traefik(?::|@|$)",
                                                      regex=True), "subject"])
    web = set(odoo.loc[odoo["role"].eq("web"), "subject"])
    sel = wl[wl["subject"].isin(web | traefik) & wl["kind"].eq("Deployment")]
    if sel.empty:
        return _nothing()
    has = sel["hpa_max"].notna()
    ok = has & (sel["hpa_max"] > sel["hpa_min"].fillna(1))
    detail = np.where(
        has, "HPA " + sel["hpa_subject"].fillna("") + ": min " +
        sel["hpa_min"].map(fmt).astype(str) + ", max " + sel["hpa_max"].map(fmt).astype(str),
        "no HorizontalPodAutoscaler: fixed at " + sel["replicas"].map(fmt).astype(str) +
        " replicas")
    return outcome(sel["subject"], ok, detail)


@check(
    id="SCL-HPA-002",
    domain="scalability",
    severity="high",
    title="HPA maximum covers the peak multiplier",
    rationale="The HPA cannot go beyond maxReplicas. At peak the shop needs the pods it runs "
    "today times the peak factor (targets.peak_multiplier, or the attested orders-per-hour "
    "forecast when that is higher); a lower maximum caps throughput below the forecast.",
    remediation="Raise maxReplicas to at least ceil(current pods x peak factor), check that "
    "PostgreSQL connections (SCL-ODOO-001) and node pool capacity (SCL-AKS-002) still fit, "
    "and load-test at that size before the event.",
    risk="On the peak day the shop tops out below the expected order volume: queues, "
    "timeouts and abandoned baskets",
    applies_to="autoscaled and Odoo web Deployments",
    requires=["k8s_objects"],
    references=[HPA_DOC, ODOO_DEPLOY],
)
def hpa_peak_headroom(ctx: CheckContext):
    return _capacity(ctx, "Pods at peak")


@check(
    id="SCL-AKS-001",
    domain="scalability",
    severity="high",
    title="The cluster autoscaler is enabled on user node pools",
    rationale="Pods the HPA adds need nodes. The AKS cluster autoscaler adds nodes when pods "
    "are pending and removes them afterwards; without it (or with maxCount = minCount) the "
    "HPA's new pods stay Pending at peak.",
    remediation="Enable the cluster autoscaler on every user pool (az aks nodepool update "
    "--enable-cluster-autoscaler --min-count N --max-count M) with a maximum sized for the "
    "peak, and check the subnet and vCPU quota allow it.",
    risk="New web pods cannot be scheduled during the sale, so the extra capacity never "
    "arrives",
    applies_to="AKS user node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/cluster-autoscaler"],
)
def user_pool_autoscaler(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    pools = pools[pools["mode"].astype(str).str.lower().eq("user")]
    if pools.empty:
        return _nothing()
    ok = pools["autoscaling"] & (pools["max_count"] > pools["min_count"])
    detail = np.where(
        pools["autoscaling"], "cluster autoscaler on: min " +
        pools["min_count"].map(fmt).astype(str) + ", max " +
        pools["max_count"].map(fmt).astype(str) +
        " nodes (" + pools["vm_size"] + ")",
        "cluster autoscaler off: fixed at " + pools["count"].map(fmt).astype(str) + " nodes (" +
        pools["vm_size"] + ")")
    return outcome(pools["subject"], ok, detail)


@check(
    id="SCL-AKS-002",
    domain="scalability",
    severity="high",
    title="User node pools can host the workloads at peak",
    rationale="The autoscaler can only add nodes up to maxCount. The CPU and memory requests "
    "of the application pods at peak (HPA targets at the larger of the peak need and their "
    "maxReplicas) must fit the allocatable capacity of the user pools at their maximum, or "
    "pods stay Pending.",
    remediation="Raise maxCount (and check subnet addresses and regional vCPU quota), use a "
    "larger VM size, or trim pod requests to what the workloads really use.",
    risk="The cluster runs out of room at peak and new pods wait for capacity that never "
    "comes",
    applies_to="AKS clusters",
    requires=["azure_resources", "k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/node-resource-reservations",
                "https://learn.microsoft.com/azure/aks/cluster-autoscaler"],
)
def node_capacity_at_peak(ctx: CheckContext):
    return _capacity(ctx, "Node pool vCPU", "Node pool memory")


# --- Odoo sizing ---------------------------------------------------------------------------


@check(
    id="SCL-ODOO-002",
    domain="scalability",
    severity="medium",
    title="Odoo workers match the pod's CPU request (workers ~ 2 x CPU + 1)",
    rationale="Odoo's deployment guide sizes HTTP workers at about (2 x CPU) + 1; more "
    "workers than that on the CPU a pod is guaranteed makes them compete for the same cores, "
    "and every worker still holds memory and connections. workers = 0 is the threaded "
    "development mode, not for production.",
    remediation="Set the Odoo container's CPU request to at least (workers - 1) / 2 cores, "
    "or reduce workers per pod and let the HPA add pods.",
    risk="Web workers are starved of CPU: response times climb at peak even though the HPA "
    "sees busy pods",
    applies_to="Odoo web Deployments",
    requires=["odoo_config", "k8s_objects"],
    references=[ODOO_DEPLOY + "#worker-number-calculation"],
)
def odoo_workers_vs_cpu(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    web = odoo[odoo["role"].eq("web")]
    if web.empty:
        return _nothing()
    cpu = web["odoo_cpu_request"]
    allowed = np.floor(2 * cpu + 1)
    ok = (web["workers"] >= 1) & (web["workers"] <= allowed)
    detail = np.where(
        web["workers"] < 1, "workers = 0: threaded mode, not a production setting",
        np.where(cpu.isna(), "workers " + web["workers"].map(fmt).astype(str) +
                 " but the Odoo container has no CPU request",
                 "workers " + web["workers"].map(fmt).astype(str) + " (" +
                 web["workers_source"] + ") on a CPU request of " + cpu.map(fmt).astype(str) +
                 " cores: 2 x CPU + 1 allows " + allowed.map(fmt).astype(str)))
    return outcome(web["subject"], ok, detail)


@check(
    id="SCL-ODOO-003",
    domain="scalability",
    severity="high",
    title="Odoo's per-process memory limit fits the pod memory limit",
    rationale="In multi-processing mode each worker (HTTP and cron) may grow to "
    "limit_memory_hard before Odoo kills it, so a pod can legitimately need "
    "limit_memory_hard x (workers + max_cron_threads). A pod memory limit below that lets the "
    "kernel OOM-kill the whole container first, dropping every request it was serving.",
    remediation="Set the Odoo container's memory limit to at least limit_memory_hard x "
    "(workers + max_cron_threads) (plus the gevent process), or lower workers / "
    "limit_memory_hard per pod and scale out with the HPA.",
    risk="Heavy reports or imports at peak get the whole pod OOM-killed, failing every "
    "order in flight on it",
    applies_to="Odoo Deployments in multi-processing mode",
    requires=["odoo_config", "k8s_objects"],
    references=[ODOO_DEPLOY + "#memory-size-calculation",
                "https://learn.microsoft.com/azure/aks/developer-best-practices-resource-"
                "management"],
)
def odoo_memory_fits_pod(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    if odoo.empty:
        return _nothing()
    procs = odoo["http_workers"] + odoo["max_cron_threads"]
    worst = odoo["limit_memory_hard"] * procs
    limit = odoo["odoo_mem_limit"]
    multi = odoo["workers"] > 0
    ok = limit.notna() & (worst <= limit)
    detail = ("limit_memory_hard " + _gib(odoo["limit_memory_hard"]) + " x " +
              procs.map(fmt).astype(str) + " processes (" +
              odoo["http_workers"].map(fmt).astype(str) +
              np.where(odoo["http_enabled"], " workers + ", " workers (--no-http) + ") +
              odoo["max_cron_threads"].map(fmt).astype(str) + " cron) = " +
              _gib(worst) + " vs pod memory limit " + _gib(limit))
    detail = detail.where(multi, "workers = 0 (threaded mode): Odoo enforces no per-process "
                          "memory limit")
    return outcome(odoo["subject"], ok, detail, assessed=multi)


@check(
    id="SCL-ODOO-004",
    domain="scalability",
    severity="medium",
    title="Cron runs once: web pods set max_cron_threads = 0 when a cron Deployment exists",
    rationale="When scheduled actions run in a dedicated cron Deployment, web pods must start "
    "with --max-cron-threads=0; otherwise every web pod also runs cron workers, which grow "
    "with the HPA, hold database connections and compete with shoppers for CPU. A cron "
    "Deployment with max_cron_threads = 0 runs no scheduled actions at all.",
    remediation="Start the web container with --max-cron-threads=0 and keep max_cron_threads "
    ">= 1 only in the cron Deployment (1 replica); recompute the connection budget.",
    risk="Cron jobs multiply with the web pods at peak, taking connections and CPU from "
    "checkout",
    applies_to="Odoo Deployments",
    requires=["odoo_config", "k8s_objects"],
    references=[ODOO_DEPLOY],
)
def cron_separated(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    if odoo.empty:
        return _nothing()
    cron_dep = odoo["role"].eq("cron").groupby([odoo["cluster"].fillna(""),
                                               odoo["namespace"]]).transform("any")
    cron_names = odoo["name"].where(odoo["role"].eq("cron")).groupby(
        [odoo["cluster"].fillna(""), odoo["namespace"]]).transform(
        lambda s: ", ".join(s.dropna()))
    threads = odoo["max_cron_threads"]
    is_web = odoo["role"].eq("web")
    ok = np.where(is_web & cron_dep, threads.eq(0), threads >= 1)
    n = threads.map(fmt).astype(str) + " (" + odoo["max_cron_threads_source"] + ")"
    detail = np.where(
        is_web,
        np.where(cron_dep, np.where(threads.eq(0), "max_cron_threads 0: cron left to " +
                                    cron_names,
                                    "max_cron_threads " + n + " in every web pod although " +
                                    cron_names + " runs cron: up to " +
                                    (threads * odoo["max_pods"]).map(fmt).astype(str) +
                                    " extra cron workers at HPA max"),
                 np.where(threads.eq(0), "max_cron_threads 0 and no cron Deployment: no "
                          "scheduled actions run",
                          "no cron Deployment; cron runs in the web pods (max_cron_threads " +
                          n + ")")),
        np.where(threads >= 1, "cron Deployment runs max_cron_threads " + n,
                 "cron Deployment with max_cron_threads 0: no scheduled actions run"))
    return outcome(odoo["subject"], ok, detail)


# --- Redis ---------------------------------------------------------------------------------


@check(
    id="SCL-REDIS-001",
    domain="scalability",
    severity="high",
    title="Redis has memory headroom for the peak",
    rationale="Sessions and cached data grow with concurrent shoppers. When used_memory "
    "reaches maxmemory, Redis evicts keys (logging customers out or dropping cache) or "
    "refuses writes; Azure Cache for Redis memory guidance keeps usage well below the limit.",
    remediation="Scale the cache up (a larger Premium size) or out (clustering) so that "
    "used memory x peak factor stays below maxmemory, and reserve memory with "
    "maxmemory-reserved / maxfragmentationmemory-reserved.",
    risk="At peak the cache fills up: shoppers are logged out or baskets vanish",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-best-practices-memory-management"],
)
def redis_memory_headroom(ctx: CheckContext):
    return _capacity(ctx, "Redis memory")


@check(
    id="SCL-REDIS-002",
    domain="scalability",
    severity="medium",
    title="Redis does not evict keys and has a usable eviction policy",
    rationale="evicted_keys > 0 means Redis already ran out of memory and threw data away; "
    "maxmemory-policy noeviction makes writes fail when memory is full. Either way the "
    "cache or session store is undersized for today's load, before any peak.",
    remediation="Scale the cache up, set TTLs on cached keys, and choose volatile-lru (or "
    "allkeys-lru for a pure cache) as maxmemory-policy; alert on evicted keys.",
    risk="Customers already lose sessions or cached data under today's load",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-best-practices-memory-management",
                "https://redis.io/docs/latest/develop/reference/eviction/"],
)
def redis_no_evictions(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "evicted_keys", "maxmemory_policy")
    if wide.empty:
        return _nothing()
    evicted = pd.to_numeric(wide["evicted_keys"], errors="coerce")
    policy = wide["maxmemory_policy"].astype(object).fillna("unknown").astype(str)
    ok = evicted.eq(0) & policy.ne("noeviction")
    detail = ("evicted_keys " + evicted.map(lambda v: f"{v:g}" if v == v else "unknown") +
              ", maxmemory_policy " + policy)
    return outcome("redis:" + wide["instance"], ok, detail, assessed=evicted.notna())


# --- PostgreSQL ----------------------------------------------------------------------------


@check(
    id="SCL-PG-001",
    domain="scalability",
    severity="high",
    title="PostgreSQL storage grows automatically and has headroom",
    rationale="A flexible server whose storage fills up goes read-only: Odoo can no longer "
    "write orders. Storage autogrow (Disabled by default) grows the disk before it fills; "
    f"below {STORAGE_HEADROOM_PCT}% use there is also room for the peak's extra orders, "
    "logs and WAL.",
    remediation="Enable storage autogrow (az postgres flexible-server update "
    "--storage-auto-grow Enabled), size the disk for a year of growth, and alert on "
    "storage_percent above 80 %.",
    risk="The database turns read-only when the disk fills, stopping order capture",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-storage"],
)
def pg_storage_headroom(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    if pg.empty:
        return _nothing()
    grow = dig(pg["props"], "storage.autoGrow", "Disabled").astype(str)
    size = pd.to_numeric(dig(pg["props"], "storage.storageSizeGB"), errors="coerce") * GIB
    dbs = ctx.ev.table("pg_databases")
    used = (server_key(pg["name"]).map(dbs.groupby(server_key(dbs["server"]))["size_bytes"]
                                       .sum()) if dbs is not None
            else pd.Series(np.nan, index=pg.index)).astype(float)
    pct = used / size * 100
    ok = grow.eq("Enabled") & (pct.isna() | (pct <= STORAGE_HEADROOM_PCT))
    usage = np.where(used.notna(), "; databases use " + _gib(used) + " (" +
                     pct.map(lambda v: f"{v:.0f}%" if v == v else "?") + ")",
                     "; database sizes not collected (pg_databases)")
    detail = ("storage " + _gib(size) + ", autoGrow " + grow +
              np.where(dig(pg["props"], "storage.autoGrow").isna(), " (default)", "") + usage)
    return outcome(pg["id"], ok, detail)


@check(
    id="SCL-PG-002",
    domain="scalability",
    severity="high",
    title="Production PostgreSQL does not run on a Burstable SKU",
    rationale="Burstable (B-series) compute runs on CPU credits: once they are spent at peak "
    "the server is throttled to its baseline share. Azure recommends General Purpose or "
    "Memory Optimized for production workloads, and Burstable servers cannot use high "
    "availability.",
    remediation="Scale the server to General Purpose (e.g. Standard_D4ds_v5) or Memory "
    "Optimized; a compute change restarts the server, so do it in a maintenance window.",
    risk="The database slows to a crawl once CPU credits run out during the sale",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-compute"],
)
def pg_not_burstable(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    if pg.empty:
        return _nothing()
    tier = dig(pg["sku_obj"], "tier", "unknown").astype(str)
    name = dig(pg["sku_obj"], "name", "?").astype(str)
    return outcome(pg["id"], tier.ne("Burstable") & tier.ne("unknown"),
                   "SKU " + name + " (" + tier + ")", assessed=tier.ne("unknown"))


# --- Kubernetes resources ------------------------------------------------------------------


@check(
    id="SCL-K8S-001",
    domain="scalability",
    severity="medium",
    title="Workloads declare CPU and memory requests and a memory limit",
    rationale="The scheduler places pods and the HPA computes utilisation from requests; "
    "without them pods pack onto nodes until they are OOM-killed or throttled, and the "
    "autoscaler cannot reason about capacity. AKS resource-management best practice is "
    "requests on every container and a memory limit (LimitRange defaults count).",
    remediation="Set resources.requests.cpu, resources.requests.memory and "
    "resources.limits.memory on every container, or give the namespace a LimitRange with "
    "defaultRequest and default.",
    risk="Unsized pods crowd out the shop at peak and the autoscalers scale on wrong numbers",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/developer-best-practices-resource-"
                "management"],
)
def requests_and_limits(ctx: CheckContext):
    cont = containers(ctx.ev)
    cont = cont[~is_system_namespace(cont["namespace"])]
    if cont.empty:
        return _nothing()
    gaps = (np.where(cont["cpu_request_source"].eq("missing"), "no CPU request, ", "") +
            np.where(cont["mem_request_source"].eq("missing"), "no memory request, ", "") +
            np.where(cont["mem_limit_source"].eq("missing"), "no memory limit, ", ""))
    gaps = pd.Series(gaps, index=cont.index).str.rstrip(", ")
    defaulted = (cont[["cpu_request_source", "mem_request_source", "mem_limit_source"]]
                 .eq("LimitRange").any(axis=1))
    text = np.where(gaps.ne(""), cont["container"].astype(str) + ": " + gaps, "")
    per = pd.DataFrame({"subject": cont["subject"], "ok": gaps.eq(""), "text": text,
                        "defaulted": defaulted}).groupby("subject", sort=False).agg(
        ok=("ok", "all"), n=("ok", "size"), defaulted=("defaulted", "any"),
        text=("text", lambda s: "; ".join(t for t in s if t)))
    detail = np.where(
        per["ok"], "requests and memory limit on " + per["n"].map(str) + " container(s)" +
        np.where(per["defaulted"], " (some from the namespace LimitRange)", ""),
        per["text"])
    return outcome(per.index, per["ok"], detail)
