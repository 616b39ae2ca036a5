"""Operations checks OPS-ALR-*: alerting."""

from __future__ import annotations

import operator
from functools import reduce

import pandas as pd

from readiness_kit.checks.operations._shared import AKS, AMON, PG_FLEX, REDIS, _label
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import dig, join_sorted, lower_id, per_evidence, resources, truthy

METRIC_ALERT = "microsoft.insights/metricalerts"
ACTIVITY_ALERT = "microsoft.insights/activitylogalerts"
ACTION_GROUP = "microsoft.insights/actiongroups"
#: Metric alert signals per resource type: (type, signal, requirement, metric names).
#: Signals sharing a requirement satisfy it together (any one of them); a None requirement
#: is shown in the coverage chart but not required.
ALERT_SIGNALS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    (AKS, "CPU", "node or pod health", ("node_cpu_usage_percentage",
                                        "node_cpu_usage_millicores")),
    (AKS, "Memory", "node or pod health", ("node_memory_working_set_percentage",
                                           "node_memory_rss_percentage",
                                           "node_memory_working_set_bytes")),
    (AKS, "Node/pod health", "node or pod health", ("kube_node_status_condition",
                                                    "kube_pod_status_ready",
                                                    "kube_pod_status_phase")),
    (PG_FLEX, "CPU", "CPU", ("cpu_percent",)),
    (PG_FLEX, "Memory", None, ("memory_percent",)),
    (PG_FLEX, "Storage", "storage", ("storage_percent", "storage_used", "storage_free")),
    (PG_FLEX, "Connections", "connections", ("active_connections", "connections_failed")),
    (REDIS, "CPU", None, ("percentprocessortime", "serverload", "allpercentprocessortime",
                          "allserverload")),
    (REDIS, "Memory", "memory", ("usedmemorypercentage", "allusedmemorypercentage",
                                 "usedmemory", "allusedmemory")),
    (REDIS, "Connections", None, ("connectedclients", "allconnectedclients")),
]
#: Receivers that reach a person out of hours (email alone is not paging).
PAGING_RECEIVERS = {"smsReceivers": "SMS", "voiceReceivers": "voice",
                    "webhookReceivers": "webhook", "itsmReceivers": "ITSM",
                    "azureAppPushReceivers": "app push"}
OTHER_RECEIVERS = {"emailReceivers": "email", "armRoleReceivers": "ARM role",
                   "logicAppReceivers": "Logic App", "azureFunctionReceivers": "Function",
                   "automationRunbookReceivers": "runbook", "eventHubReceivers": "Event Hub"}


@per_evidence
def alert_coverage(ev: Evidence) -> pd.DataFrame | None:
    """One row per critical resource x alert signal with ``covered`` and the alert names.

    A metric alert covers a resource when it is enabled, one of its scopes is the resource
    (or its resource group / subscription with a matching targetResourceType) and one of its
    criteria uses a metric of the signal.
    """
    types = sorted({t for t, *_ in ALERT_SIGNALS})
    res = resources(ev, *types)
    if res is None:
        return None
    signals = pd.DataFrame(ALERT_SIGNALS, columns=["type", "signal", "requirement", "metric"])
    grid = res[["id", "name", "type"]].merge(signals.drop(columns="metric"), on="type")
    res_l = lower_id(res["id"])
    parts = res_l.str.split("/")
    keys = pd.DataFrame({"key": res_l, "type": res["type"], "scopes": [
        [rid, "/".join(p[:5]), "/".join(p[:3])] for rid, p in zip(res_l, parts, strict=True)]})
    keys = keys.explode("scopes").rename(columns={"scopes": "scope"})
    keys["scope"] = keys["scope"].astype(object)

    alerts = resources(ev, METRIC_ALERT)
    alerts = alerts[truthy(dig(alerts["props"], "enabled", True))]
    a = alerts.assign(scope=dig(alerts["props"], "scopes", []),
                      crit=dig(alerts["props"], "criteria.allOf", []),
                      target_type=dig(alerts["props"], "targetResourceType", "")
                      .astype(str).str.lower())
    a = a.explode("scope").explode("crit")
    a = a[a["scope"].notna() & a["crit"].notna()]
    a = a.assign(scope=lower_id(a["scope"]).astype(object),
                 metric=dig(a["crit"], "metricName", "").astype(str).str.lower())
    hits = keys.merge(a[["scope", "metric", "target_type", "name"]], on="scope")
    hits = hits[(hits["scope"] == hits["key"]) | (hits["target_type"] == hits["type"])]
    metric_map = signals.explode("metric")
    hits = hits.merge(metric_map[["type", "signal", "metric"]], on=["type", "metric"])
    names = hits.groupby(["key", "signal"])["name"].agg(join_sorted)
    grid = grid.assign(key=lower_id(grid["id"]))
    grid = grid.merge(names.rename("alerts").reset_index(), on=["key", "signal"], how="left")
    grid["covered"] = grid["alerts"].notna()
    grid["label"] = _label(grid["type"])
    return grid.drop(columns="key")


@check(
    id="OPS-ALR-001",
    domain="operations",
    severity="high",
    title="Metric alerts cover AKS, PostgreSQL CPU/storage/connections and Redis memory",
    rationale="The failures that stop a shop on a peak day announce themselves in metrics: "
    "PostgreSQL storage filling or connections running out, Redis memory at its limit, "
    "nodes saturated. Azure Monitor baseline alerts (AMBA) recommend each of them.",
    remediation="Create metric alerts (AMBA) on AKS node CPU/memory or pod readiness, "
    "PostgreSQL cpu_percent, storage_percent and active_connections, and Redis "
    "usedmemorypercentage, routed to the on-call action group.",
    risk="The database or cache could run out of capacity with nobody alerted",
    applies_to="AKS clusters, PostgreSQL servers and Redis caches",
    requires=["azure_resources"],
    references=["https://azure.github.io/azure-monitor-baseline-alerts/",
                AMON + "alerts/alerts-metric-overview"],
)
def metric_alert_coverage(ctx: CheckContext):
    grid = alert_coverage(ctx.ev)
    req = grid[grid["requirement"].notna()]
    met = req.groupby(["id", "requirement"], sort=False).agg(
        met=("covered", "any"),
        alerts=("alerts", join_sorted)).reset_index()
    met["covered"] = (met["requirement"] + " (" + met["alerts"] + ")").where(met["met"], "")
    met["missing"] = met["requirement"].where(~met["met"], "")
    per = met.groupby("id", sort=False).agg(
        passed=("met", "all"),
        covered=("covered", lambda s: "; ".join(x for x in s if x)),
        missing=("missing", lambda s: ", ".join(x for x in s if x))).reset_index()
    label = per["id"].map(grid.drop_duplicates("id").set_index("id")["label"])
    covered = ("alerts on " + per["covered"]).where(per["covered"] != "", "no metric alert")
    detail = (label + ": " + covered).where(per["passed"], label + ": " + covered
                                            + "; missing: " + per["missing"])
    return outcome(per["id"], per["passed"], detail)


@check(
    id="OPS-ALR-002",
    domain="operations",
    severity="high",
    title="Action groups can page someone (SMS, voice, webhook or ITSM)",
    rationale="An alert that only sends email is read the next morning. Paging needs SMS, "
    "voice, a push notification or a webhook/ITSM integration into the on-call tool "
    "(PagerDuty, Opsgenie, ServiceNow).",
    remediation="Add a webhook (on-call tool integration) or SMS/voice receivers to the "
    "action group used by production alerts; keep email as a copy.",
    risk="A night-time outage would not wake anyone until customers complain",
    applies_to="action groups",
    requires=["azure_resources"],
    references=[AMON + "alerts/action-groups"],
)
def action_groups_page(ctx: CheckContext):
    ag = resources(ctx.ev, ACTION_GROUP)
    if ag.empty:
        subs = ctx.ev.table("azure_resources")["subscription_id"].dropna().unique()
        return outcome(["/subscriptions/" + s for s in subs], [False] * len(subs),
                       ["no action groups: alerts notify nobody"] * len(subs))
    counts = pd.DataFrame({label: dig(ag["props"], key, []).map(len)
                           for key, label in {**PAGING_RECEIVERS, **OTHER_RECEIVERS}.items()})
    paging = counts[list(PAGING_RECEIVERS.values())].sum(axis=1) > 0
    enabled = truthy(dig(ag["props"], "enabled", True))
    pieces = [(counts[k].astype(str) + " " + k + ", ").where(counts[k] > 0, "")
              for k in counts.columns]
    receivers = reduce(operator.add, pieces).astype(str).str.rstrip(", ")
    receivers = receivers.where(receivers != "", "none")
    detail = ("receivers: " + receivers).where(
        paging, "receivers: " + receivers + "; no SMS, voice, webhook, ITSM or push "
        "receiver: nobody is paged")
    detail = detail.where(enabled, "action group is disabled; " + detail)
    return outcome(ag["id"], paging & enabled, detail)


@check(
    id="OPS-ALR-003",
    domain="operations",
    severity="medium",
    title="A Service Health alert notifies the team of Azure incidents",
    rationale="Azure announces regional incidents and planned maintenance through Service "
    "Health; an activity log alert on the ServiceHealth category with an action group is "
    "the way to hear about them in time (Azure Service Health guidance).",
    remediation="Create an activity log alert (category ServiceHealth, the regions and "
    "services in use) at subscription scope routed to the on-call action group.",
    risk="An Azure outage would be diagnosed as a shop problem, wasting recovery time",
    applies_to="subscriptions",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/service-health/"
                "alerts-activity-log-service-notifications-portal"],
)
def service_health_alert(ctx: CheckContext):
    subs = ctx.ev.table("azure_resources")["subscription_id"].dropna().unique()
    la = resources(ctx.ev, ACTIVITY_ALERT)
    la = la[truthy(dig(la["props"], "enabled", True))]
    cond = la.assign(c=dig(la["props"], "condition.allOf", [])).explode("c")
    cond = cond[cond["c"].notna()]
    is_sh = (dig(cond["c"], "field", "").astype(str).str.lower().eq("category")
             & dig(cond["c"], "equals", "").astype(str).str.lower().eq("servicehealth"))
    sh = la[la["id"].isin(cond.loc[is_sh, "id"])]
    notifies = dig(sh["props"], "actions.actionGroups", []).map(len) > 0
    sh = sh.assign(scope=dig(sh["props"], "scopes", []), notifies=notifies).explode("scope")
    sh["sub"] = lower_id(sh["scope"]).str.extract(r"^/subscriptions/([^/]+)", expand=False)
    best = sh.sort_values("notifies", ascending=False).drop_duplicates("sub").set_index("sub")
    table = pd.DataFrame({"sub": subs})
    key = table["sub"].str.lower()
    name = key.map(best["name"]).astype(object)
    notify = key.isin(best.index[best["notifies"].astype(bool)])
    detail = ("activity log alert " + name + " notifies an action group on Service Health "
              "events").where(notify, ("activity log alert " + name
                                       + " has no action group").fillna(
        "no Service Health activity log alert: Azure incidents and maintenance reach nobody"))
    return outcome("/subscriptions/" + table["sub"], notify, detail)
