"""Operations checks OPS-ODOO-*: Odoo's own health in its database (versions, scheduled
actions, queue_job, business backlog) and the odoo.conf options operations depend on."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import ODOO_CONFIG, ODOO_DEPLOY, ODOO_SUPPORT, QUEUE_JOB
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    db_subject,
    fmt,
    listed,
    odoo_major,
    odoo_sources,
    option,
    text,
)

#: Odoo major releases (Odoo's release notes); each is supported for three years, i.e.
#: while it is one of the three latest majors.
ODOO_RELEASES = {13.0: "2019-10-02", 14.0: "2020-10-01", 15.0: "2021-10-05",
                 16.0: "2022-10-12", 17.0: "2023-11-08", 18.0: "2024-10-02",
                 19.0: "2025-09-17"}
SUPPORT_YEARS = 3
CRON_LATE_MIN_S = 3600
STUCK_JOB_S = 3600
ORDER_WAIT_MAX_S = 24 * 3600
MOVE_WAIT_MAX_S = 48 * 3600
_INTERVAL_S = {"minutes": 60, "hours": 3600, "days": 86400, "weeks": 7 * 86400,
               "months": 30 * 86400}


def _per_db(ev, table: str) -> pd.DataFrame:
    """Odoo databases (odoo_databases) as server, datname; else those in ``table``."""
    dbs = ev.table("odoo_databases")
    src = dbs if dbs is not None else ev.table(table)
    return src[["server", "datname"]].drop_duplicates().reset_index(drop=True)


def _lookup(keys: pd.DataFrame, values: pd.Series) -> pd.Series:
    idx = keys.set_index(["server", "datname"]).index
    return pd.Series(idx.map(values), index=keys.index, dtype=object)



@check(
    id="OPS-ODOO-001",
    domain="operations",
    severity="high",
    title="The Odoo version is still supported",
    rationale="Odoo supports its three latest major versions (about three years each): "
    "security fixes and the upgrade service stop after that. The version is read from the "
    "database itself (the base module), not from an image tag.",
    remediation="Plan the upgrade to a supported major (upgrade.odoo.com, or OpenUpgrade "
    "for community) before the peak season, with a rehearsal on a copy of production.",
    risk="Security fixes stop for the shop and its customer data",
    applies_to="Odoo databases",
    requires=["odoo_databases"],
    references=[ODOO_SUPPORT],
)
def odoo_version_supported(ctx: CheckContext):
    dbs = ctx.ev.table("odoo_databases")
    major = odoo_major(dbs["version"])
    released = pd.to_datetime(major.map(ODOO_RELEASES))
    ends = (released + pd.DateOffset(years=SUPPORT_YEARS)).dt.date
    known = ends.notna()
    ok = known & ends.map(lambda d: d == d and d is not None and d > ctx.as_of)
    detail = ("Odoo " + text(dbs["version"]) + ": supported until about " +
              ends.astype(str)).where(known, "Odoo " + text(dbs["version"], "?") +
                                      ": release not known")
    return outcome(db_subject(dbs, "odoo") + "/version", ok, detail, assessed=known)


@check(
    id="OPS-ODOO-002",
    domain="operations",
    severity="high",
    title="Scheduled actions run on time",
    rationale="An active cron whose next call is long overdue means the cron workers are "
    "missing, saturated or stuck: mail queues, stock rules and payment reconciliations stop. "
    "Odoo runs a cron when nextcall has passed; late by more than twice its interval (at "
    f"least {CRON_LATE_MIN_S // 60} min) fails.",
    remediation="Check that a deployment runs cron (max_cron_threads >= 1), that its "
    "workers are not all busy (logs: 'cron worker'), and unlock the job if a worker died "
    "holding it.",
    risk="E-mails, stock replenishment and payment follow-ups silently stop",
    applies_to="Odoo databases",
    requires=["odoo_crons"],
    references=["https://www.odoo.com/documentation/17.0/developer/reference/backend/"
                "actions.html#scheduled-actions-ir-cron", ODOO_DEPLOY],
)
def odoo_crons_on_time(ctx: CheckContext):
    crons = ctx.ev.table("odoo_crons")
    keys = _per_db(ctx.ev, "odoo_crons")
    active = crons[crons["active"].fillna(False).astype(bool)]
    interval = active["interval_number"].fillna(1) * text(active["interval_type"]).map(
        _INTERVAL_S).fillna(86400)
    allowed = np.maximum(2 * interval, CRON_LATE_MIN_S)
    late = active[active["lag_seconds"] > allowed]
    names = late.assign(q=text(late["name"], "?") + " (" + (late["lag_seconds"] / 60).map(
        "{:.0f}".format).astype(str) + " min late, every " + late["interval_number"].map(
        fmt).astype(str) + " " + text(late["interval_type"]) + ")").groupby(
        ["server", "datname"])["q"].agg("; ".join)
    found = _lookup(keys, names)
    n = _lookup(keys, active.groupby(["server", "datname"]).size()).fillna(0)
    detail = listed(found, "late: ", "") + pd.Series(
        np.where(found.isna(), n.map(fmt).astype(str) + " active crons, none late by more "
                 f"than 2 intervals (at least {CRON_LATE_MIN_S // 60} min)", ""),
        index=keys.index)
    return outcome(db_subject(keys, "odoo") + "/crons", found.isna(), detail)


@check(
    id="OPS-ODOO-003",
    domain="operations",
    severity="medium",
    title="No scheduled action keeps failing",
    rationale="Odoo 18 counts consecutive failures of each cron (failure_count) and "
    "deactivates it after repeated failures over days; before that, the failures only show "
    "in the logs. A failing cron is a business process that is not happening.",
    remediation="Read the server log for the cron's traceback, fix the cause, then reset it "
    "(Settings > Technical > Scheduled Actions: Run Manually).",
    risk="A business process (invoicing, sync, clean-up) fails every time it runs",
    applies_to="Odoo databases",
    requires=["odoo_crons"],
    references=["https://github.com/odoo/odoo/blob/18.0/odoo/addons/base/models/ir_cron.py"],
)
def odoo_crons_not_failing(ctx: CheckContext):
    crons = ctx.ev.table("odoo_crons")
    keys = _per_db(ctx.ev, "odoo_crons")
    counted = crons.groupby(["server", "datname"])["failure_count"].apply(
        lambda s: s.notna().any())
    failing = crons[crons["failure_count"].fillna(0) > 0]
    names = failing.assign(q=text(failing["name"], "?") + " (" + failing[
        "failure_count"].map(fmt).astype(str) + " failures)").groupby(
        ["server", "datname"])["q"].agg("; ".join)
    found = _lookup(keys, names)
    assessed = _lookup(keys, counted).fillna(False).astype(bool)
    detail = listed(found, "failing: ", "no cron with failures")
    detail = detail.where(assessed, "this Odoo version does not count cron failures "
                          "(failure_count, Odoo 18+)")
    return outcome(db_subject(keys, "odoo") + "/cron_failures", found.isna(), detail,
                   assessed=assessed)


def _jobs_outcome(ctx, state_filter, age_col, max_age, name, none_text):
    jobs = ctx.ev.table("odoo_jobs")
    dbs = ctx.ev.table("odoo_databases")
    keys = (dbs[dbs["queue_job"].astype(bool)][["server", "datname"]].reset_index(drop=True)
            if dbs is not None else _per_db(ctx.ev, "odoo_jobs"))
    hit = jobs[state_filter(jobs)]
    if max_age is not None:
        hit = hit[hit[age_col] > max_age]
    names = hit.assign(q=text(hit["channel"], "root") + ": " + hit["jobs"].map(fmt).astype(
        str) + " " + text(hit["state"]) + ", oldest " + (hit[age_col] / 3600).map(
        "{:.1f}".format).astype(str) + " h").groupby(["server", "datname"])["q"].agg("; ".join)
    found = _lookup(keys, names)
    return outcome(db_subject(keys, "odoo") + "/" + name, found.isna(),
                   listed(found, "", none_text))


@check(
    id="OPS-ODOO-004",
    domain="operations",
    severity="high",
    title="No queue_job job has failed",
    rationale="A queue_job job that exhausted its retries stays in state failed until "
    "someone requeues it: an order not exported, a payment not captured, an invoice not "
    "sent. The queue_job README: failed jobs need a person to look at them.",
    remediation="Open Queue Jobs filtered on Failed, read the exception, fix the cause and "
    "Requeue; alert on failed jobs per channel.",
    risk="Orders, payments or stock updates silently fail to reach their destination",
    applies_to="Odoo databases with queue_job",
    requires=["odoo_jobs"],
    references=[QUEUE_JOB],
)
def odoo_failed_jobs(ctx: CheckContext):
    return _jobs_outcome(ctx, lambda j: j["state"].eq("failed"), "oldest_created_seconds",
                         None, "failed_jobs", "no failed job")


@check(
    id="OPS-ODOO-005",
    domain="operations",
    severity="high",
    title=f"No queue_job job is stuck in started for more than {STUCK_JOB_S // 60} min",
    rationale="A job left in state started after its worker died (an OOM kill, a pod "
    "eviction) never finishes and blocks its channel's slot. queue_job's requeue of stuck "
    "jobs must be enabled; a job started longer ago than any job should take is stuck.",
    remediation="Enable the 'Jobs: requeue stuck jobs' cron (queue_job 16+) or requeue by "
    "hand, and give job workers limit_time_real longer than the longest job.",
    risk="Background work stalls behind jobs that will never finish",
    applies_to="Odoo databases with queue_job",
    requires=["odoo_jobs"],
    references=[QUEUE_JOB],
)
def odoo_stuck_jobs(ctx: CheckContext):
    return _jobs_outcome(ctx, lambda j: j["state"].eq("started"), "oldest_started_seconds",
                         STUCK_JOB_S, "stuck_jobs", "no job started more than "
                         f"{STUCK_JOB_S // 60} min ago")


@check(
    id="OPS-ODOO-006",
    domain="operations",
    severity="low",
    title="Orders and stock moves do not wait for days",
    rationale="Quotations sent but never confirmed (website orders awaiting payment) and "
    "stock moves waiting for availability are the business backlog the peak adds to; "
    "old ones point at a broken payment return, a stuck procurement rule or missing stock. "
    f"Fails when sale orders wait more than {ORDER_WAIT_MAX_S // 3600} h or stock moves more "
    f"than {MOVE_WAIT_MAX_S // 3600} h.",
    remediation="Review the waiting orders (payment provider callbacks, abandoned carts "
    "clean-up) and the waiting moves (procurement rules, replenishment) with the business.",
    risk="Customers wait for orders that are stuck in the back office",
    applies_to="Odoo databases with sales or inventory",
    requires=["odoo_business"],
    references=["https://www.odoo.com/documentation/17.0/applications/sales/sales.html",
                "https://www.odoo.com/documentation/17.0/applications/inventory_and_mrp/"
                "inventory.html"],
)
def odoo_business_backlog(ctx: CheckContext):
    biz = ctx.ev.table("odoo_business")
    keys = _per_db(ctx.ev, "odoo_business")
    limit = text(biz["signal"]).map({"sale_order": ORDER_WAIT_MAX_S,
                                     "stock_move": MOVE_WAIT_MAX_S}).astype(float).fillna(
        MOVE_WAIT_MAX_S)
    old = biz[biz["oldest_age_seconds"] > limit]
    names = old.assign(q=text(old["signal"]) + " " + text(old["state"]) + ": " + old[
        "records"].map(fmt).astype(str) + ", oldest " + (old["oldest_age_seconds"] / 3600).map(
        "{:.0f}".format).astype(str) + " h").groupby(["server", "datname"])["q"].agg("; ".join)
    found = _lookup(keys, names)
    waiting = _lookup(keys, biz.groupby(["server", "datname"])["records"].sum()).fillna(0)
    detail = listed(found, "waiting too long: ", "") + pd.Series(np.where(
        found.isna(), waiting.map(fmt).astype(str) + " orders/moves waiting, none for longer "
        f"than {ORDER_WAIT_MAX_S // 3600} h / {MOVE_WAIT_MAX_S // 3600} h", ""),
        index=keys.index)
    return outcome(db_subject(keys, "odoo") + "/backlog", found.isna(), detail)


@check(
    id="OPS-ODOO-007",
    domain="operations",
    severity="medium",
    title="odoo.conf uses gevent_port, not the removed longpolling_port",
    rationale="Odoo 16 replaced longpolling by websockets on the gevent port: "
    "longpolling_port is deprecated (an alias that later versions drop) and a configuration "
    "still built around it usually routes /longpolling instead of /websocket at the proxy.",
    remediation="Replace longpolling_port with gevent_port (default 8072) and route "
    "/websocket to it at the ingress (ARC-ING checks the route).",
    risk="Live updates (POS, chat, notifications) break after the next upgrade",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#livechat", ODOO_CONFIG],
)
def odoo_gevent_port(ctx: CheckContext):
    wide = odoo_sources(ctx.ev)
    legacy = option(wide, "longpolling_port").notna()
    detail = pd.Series(np.where(legacy, "longpolling_port = " + text(option(
        wide, "longpolling_port")) + " (deprecated since Odoo 16)", "gevent_port " +
        text(option(wide, "gevent_port"), "8072 (default)")), index=wide.index, dtype=object)
    return outcome("odoo:gevent_port" + wide["subject_suffix"], ~legacy, detail)

