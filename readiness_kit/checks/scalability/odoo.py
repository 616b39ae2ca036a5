"""Scalability checks SCL-ODOO-*: Odoo sizing."""

from __future__ import annotations

import numpy as np

from readiness_kit.capacity import odoo_workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import ODOO_DEPLOY, _capacity, _gib, _nothing
from readiness_kit.frames import fmt


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
