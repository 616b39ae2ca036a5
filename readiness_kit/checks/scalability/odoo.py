"""Scalability checks SCL-ODOO-*: Odoo sizing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import ODOO_DEFAULTS, QUEUE_WAITING, conf_instances, odoo_workloads
from readiness_kit.checks.anchors import ODOO_CONFIG, QUEUE_JOB
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import ODOO_DEPLOY, _capacity, _gib, _nothing
from readiness_kit.frames import db_subject, fmt, odoo_sources, option, text


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
    requires=["odoo_config", "pg_settings"],  # without k8s_objects: one instance per file
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
    requires=["odoo_config"],  # without k8s_objects, each odoo.conf is a deployment
    references=[ODOO_DEPLOY],
)
def cron_separated(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    if odoo is None:  # VMs or no Kubernetes evidence: the odoo.conf files (web, cron)
        odoo = conf_instances(ctx.ev).assign(cluster="", namespace="odoo.conf",
                                             max_cron_threads_source="odoo.conf")
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


# --- odoo.conf options and live Odoo evidence ---------------------------------------------

QUEUE_BACKLOG_MAX_AGE_S = 15 * 60
QUEUE_BACKLOG_MAX_JOBS = 1000
LIMIT_TIME_CPU_MAX = 600
LIMIT_TIME_REAL_MAX = 1200


def _conf_outcome(wide, subject_option: str, ok, detail):
    return outcome("odoo:" + subject_option + wide["subject_suffix"], ok, detail)


@check(
    id="SCL-ODOO-005",
    domain="scalability",
    severity="high",
    title="queue_job has no backlog: waiting jobs are few and recent",
    rationale="OCA queue_job runs exports, marketplace syncs and invoicing in the background; "
    "a backlog means the job runner (its channels' capacity) cannot keep up, and at peak the "
    f"backlog grows with the orders. Fails when jobs have waited more than "
    f"{QUEUE_BACKLOG_MAX_AGE_S // 60} min or more than {QUEUE_BACKLOG_MAX_JOBS} are waiting "
    "in a database; the capacity model gives the drain time at peak.",
    remediation="Raise the channel capacity ([queue_job] channels = root:N in odoo.conf) and "
    "the workers that run jobs, split heavy channels, and check that the job runner is "
    "started (server_wide_modules = web,queue_job).",
    risk="Stock, payment and marketplace updates fall hours behind the orders",
    applies_to="Odoo databases with queue_job",
    requires=["odoo_jobs"],
    references=[QUEUE_JOB],
)
def odoo_queue_backlog(ctx: CheckContext):
    jobs = ctx.ev.table("odoo_jobs")
    waiting = jobs[jobs["state"].isin(QUEUE_WAITING)]
    dbs = ctx.ev.table("odoo_databases")
    keys = (dbs[dbs["queue_job"].astype(bool)] if dbs is not None else jobs)[
        ["server", "datname"]].drop_duplicates().reset_index(drop=True)
    per = waiting.groupby(["server", "datname"]).agg(
        n=("jobs", "sum"), oldest=("oldest_created_seconds", "max"))
    worst = (waiting.sort_values("oldest_created_seconds", ascending=False)
             .drop_duplicates(["server", "datname"]).set_index(["server", "datname"]))
    if keys.empty:
        return _nothing()
    idx = keys.set_index(["server", "datname"]).index
    n = pd.Series(idx.map(per["n"]), index=keys.index).fillna(0).astype(float)
    oldest = pd.Series(idx.map(per["oldest"]), index=keys.index).astype(float)
    channel = pd.Series(idx.map(worst["channel"]), index=keys.index, dtype=object)
    ok = (n <= QUEUE_BACKLOG_MAX_JOBS) & ~(oldest > QUEUE_BACKLOG_MAX_AGE_S)
    detail = (n.map(fmt) + " jobs waiting" + np.where(
        n > 0, ", oldest " + (oldest / 60).map("{:.0f}".format) + " min (channel " +
        channel.fillna("?").astype(str) + ")", "") +
        f"; at most {QUEUE_BACKLOG_MAX_JOBS} jobs and {QUEUE_BACKLOG_MAX_AGE_S // 60} min")
    return outcome(db_subject(keys, "odoo") + "/queue_job", ok, detail)


@check(
    id="SCL-ODOO-006",
    domain="scalability",
    severity="medium",
    title="Odoo request time limits are set (limit_time_cpu, limit_time_real)",
    rationale="limit_time_cpu and limit_time_real stop a worker stuck on one request; Odoo's "
    "deployment guide sets them (defaults 60 s and 120 s). Disabled (0) or very long limits "
    "let a few slow reports occupy every worker at peak. Fails when a limit is 0 or above "
    f"{LIMIT_TIME_CPU_MAX} s CPU / {LIMIT_TIME_REAL_MAX} s real.",
    remediation="Set limit_time_cpu = 60 and limit_time_real = 120 for web workers (longer "
    "only on a dedicated cron / job deployment), and move long work to queue_job.",
    risk="A handful of slow requests tie up every worker and the shop stops answering",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#builtin-server", ODOO_CONFIG],
)
def odoo_time_limits(ctx: CheckContext):
    wide = odoo_sources(ctx.ev)
    if wide.empty:
        return _nothing()
    cpu = pd.to_numeric(option(wide, "limit_time_cpu"), errors="coerce").fillna(60)
    real = pd.to_numeric(option(wide, "limit_time_real"), errors="coerce").fillna(120)
    ok = cpu.between(1, LIMIT_TIME_CPU_MAX) & real.between(1, LIMIT_TIME_REAL_MAX)
    detail = ("limit_time_cpu " + text(option(wide, "limit_time_cpu"), "60 (default)") +
              ", limit_time_real " + text(option(wide, "limit_time_real"), "120 (default)") +
              f"; between 1 and {LIMIT_TIME_CPU_MAX} / {LIMIT_TIME_REAL_MAX} s")
    return _conf_outcome(wide, "limit_time", ok, detail)


@check(
    id="SCL-ODOO-007",
    domain="scalability",
    severity="medium",
    title="Odoo's soft memory limit is below its hard limit",
    rationale="A worker over limit_memory_soft is recycled after its request; one over "
    "limit_memory_hard is killed mid-request. The soft limit must be the lower one (Odoo "
    "defaults 2048 MiB and 2560 MiB) or workers are killed instead of recycled.",
    remediation="Set limit_memory_soft below limit_memory_hard (e.g. 2 GiB and 2.5 GiB) and "
    "size the pod's memory limit for every process at the hard limit (SCL-ODOO-003).",
    risk="Workers are killed in the middle of checkouts instead of being recycled between "
    "requests",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#worker-number-calculation", ODOO_CONFIG],
)
def odoo_memory_limits(ctx: CheckContext):
    wide = odoo_sources(ctx.ev)
    if wide.empty:
        return _nothing()
    soft = pd.to_numeric(option(wide, "limit_memory_soft"), errors="coerce").fillna(
        ODOO_DEFAULTS["limit_memory_soft"])
    hard = pd.to_numeric(option(wide, "limit_memory_hard"), errors="coerce").fillna(
        ODOO_DEFAULTS["limit_memory_hard"])
    ok = (soft > 0) & (soft < hard)
    detail = ("limit_memory_soft " + _gib(soft) + ", limit_memory_hard " + _gib(hard) +
              np.where(option(wide, "limit_memory_soft").isna(), " (soft: default)", ""))
    return _conf_outcome(wide, "limit_memory", ok, detail)


@check(
    id="SCL-ODOO-008",
    domain="scalability",
    severity="high",
    title="Odoo web servers run in multi-processing mode (workers > 0)",
    rationale="With workers = 0 Odoo runs threaded in one process: one Python interpreter "
    "(the GIL) serves every request, the memory and time limits do not apply and the "
    "websocket shares the HTTP port. The deployment guide requires multi-processing mode in "
    "production.",
    remediation="Set workers to about 2 x CPU + 1 per pod (and max_cron_threads = 0 on web "
    "pods when a cron deployment exists).",
    risk="The shop serves one request at a time per pod and stalls under load",
    applies_to="odoo.conf files of web deployments",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#worker-number-calculation"],
)
def odoo_multiprocessing(ctx: CheckContext):
    wide = odoo_sources(ctx.ev)
    web = wide[wide["role"].eq("web")]
    if web.empty:
        return _nothing()
    workers = pd.to_numeric(option(web, "workers"), errors="coerce").fillna(0)
    detail = ("workers = " + workers.map(fmt)).where(
        workers > 0, "workers = " + text(option(web, "workers"), "0 (default)") +
        ": threaded mode")
    return _conf_outcome(web, "workers", workers > 0, detail)


@check(
    id="SCL-ODOO-009",
    domain="scalability",
    severity="high",
    title="queue_job's runner is loaded where queue_job is installed",
    rationale="OCA queue_job's job runner starts only when queue_job is in "
    "server_wide_modules; a database with the module installed but no runner enqueues jobs "
    "that never run. The queue_job README: server_wide_modules = web,queue_job and a "
    "[queue_job] channels section.",
    remediation="Add queue_job to server_wide_modules in the odoo.conf of the deployment "
    "that runs jobs (and set [queue_job] channels = root:N).",
    risk="Background jobs (stock syncs, invoices, exports) are queued and never run",
    applies_to="Odoo databases with queue_job",
    requires=["odoo_config", "odoo_databases"],
    references=[QUEUE_JOB],
)
def odoo_queue_runner_loaded(ctx: CheckContext):
    dbs = ctx.ev.table("odoo_databases")
    dbs = dbs[dbs["queue_job"].astype(bool) &
              text(dbs["modules"]).str.split(",").map(lambda m: "queue_job" in m)]
    if dbs.empty:
        return _nothing()
    wide = odoo_sources(ctx.ev)
    mods = text(option(wide, "server_wide_modules"), "base,web")
    loaded = mods.str.replace(" ", "").str.split(",").map(lambda m: "queue_job" in m)
    where = ", ".join(wide.loc[loaded, "source"]) or "no odoo.conf"
    ok = bool(loaded.any())
    detail = ("queue_job installed; runner loaded by " + where if ok else
              "queue_job installed, but no odoo.conf loads it (server_wide_modules: " +
              "; ".join(wide["source"] + " " + mods) + ")")
    return outcome(db_subject(dbs, "odoo") + "/queue_job_runner", [ok] * len(dbs),
                   [detail] * len(dbs))
