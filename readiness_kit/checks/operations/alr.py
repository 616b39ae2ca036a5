"""Operations checks OPS-ALR-*: alerting."""

from __future__ import annotations

import operator
from functools import reduce

import pandas as pd

from readiness_kit.checks.operations._shared import AKS, AMON, PG_FLEX, REDIS, _label
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    dig,
    join_sorted,
    lower_id,
    per_evidence,
    resources,
    text,
    truthy,
)

METRIC_ALERT = "microsoft.insights/metricalerts"
LOG_ALERT = "microsoft.insights/scheduledqueryrules"
PROMETHEUS_RULES = "microsoft.alertsmanagement/prometheusrulegroups"
ACTIVITY_ALERT = "microsoft.insights/activitylogalerts"
ACTION_GROUP = "microsoft.insights/actiongroups"
#: Metric alert signals per resource type: (type, signal, requirement, metric names).
#: Signals sharing a requirement satisfy it together (any one of them); a None requirement
#: is shown in the coverage chart but not required.
ALERT_SIGNALS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    (AKS, "CPU", "node or pod health", ("node_cpu_usage_percentage",
                                        "node_cpu_usage_millicores", "node_cpu_seconds_total",
                                        "container_cpu_usage_seconds_total")),
    (AKS, "Memory", "node or pod health", ("node_memory_working_set_percentage",
                                           "node_memory_rss_percentage",
                                           "node_memory_working_set_bytes",
                                           "container_memory_working_set_bytes")),
    (AKS, "Node/pod health", "node or pod health", ("kube_node_status_condition",
                                                    "kube_pod_status_ready",
                                                    "kube_pod_status_phase",
                                                    "kube_pod_container_status_restarts_total",
                                                    "kubepodinventory", "kubenodeinventory")),
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


def _rule_signals(kind: str, items: object) -> list[str]:
    """What an alert rule watches: metric names, log queries or Prometheus expressions of
    its enabled alert rules (recording rules do not alert)."""
    items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    if kind == METRIC_ALERT:
        return [str(i.get("metricName", "")) for i in items]
    if kind == LOG_ALERT:
        return [str(i.get("query", "")) for i in items]
    return [str(i.get("expression", "")) for i in items if i.get("alert")
            and str(i.get("enabled", True)).lower() != "false"]


def alert_rules(ev: Evidence) -> pd.DataFrame | None:
    """Every enabled alert rule as (name, kind, scope, target_type, signal text): metric
    alerts (one row per scope x criterion metric), log search alerts (scheduledQueryRules:
    scope x query text) and managed Prometheus rule groups (the AKS cluster they name x
    alert expression). ``actions`` says whether the rule notifies an action group."""
    rules = resources(ev, METRIC_ALERT, LOG_ALERT, PROMETHEUS_RULES)
    if rules is None:
        return None
    props = rules["props"]
    kind = rules["type"].map({METRIC_ALERT: "metric alert", LOG_ALERT: "log search alert",
                              PROMETHEUS_RULES: "Prometheus rule group"})
    enabled = truthy(dig(props, "enabled", True))
    target = text(dig(props, "targetResourceType", None).fillna(
        dig(props, "targetResourceTypes.0", ""))).str.lower()
    is_prom = rules["type"].eq(PROMETHEUS_RULES)
    aks = resources(ev, AKS)
    cluster_ids = pd.Series(lower_id(aks["id"]).tolist(),
                            index=text(aks["name"]).str.lower().tolist())
    cluster_ids = cluster_ids[~cluster_ids.index.duplicated()]
    prom_scope = text(dig(props, "clusterName", "")).str.lower().map(cluster_ids)
    scope = dig(props, "scopes", []).where(~is_prom, prom_scope.map(
        lambda v: [v] if isinstance(v, str) else []))
    signal = pd.Series(
        [_rule_signals(k, c) for k, c in zip(rules["type"], dig(props, "criteria.allOf", [])
                                             .where(~is_prom, dig(props, "rules", [])),
                                             strict=True)], index=rules.index, dtype=object)
    metric_actions = dig(props, "actions", []).map(
        lambda a: [x.get("actionGroupId") for x in a if isinstance(x, dict)]
        if isinstance(a, list) else [])
    log_actions = dig(props, "actions.actionGroups", []).map(
        lambda a: list(a) if isinstance(a, list) else [])
    prom_actions = dig(props, "rules", []).map(
        lambda rs: [g.get("actionGroupId") for r in rs if isinstance(r, dict)
                    for g in (r.get("actions") or []) if isinstance(g, dict)])
    actions = metric_actions.where(rules["type"].eq(METRIC_ALERT), log_actions.where(
        rules["type"].eq(LOG_ALERT), prom_actions))
    return pd.DataFrame({"id": rules["id"], "name": rules["name"], "kind": kind,
                         "enabled": enabled, "scope": scope, "target_type": target,
                         "signal": signal, "action_groups": actions.map(
                             lambda a: sorted({str(x) for x in a if x}))})


@per_evidence
def alert_coverage(ev: Evidence) -> pd.DataFrame | None:
    """One row per critical resource x alert signal with ``covered`` and the alert names.

    An enabled rule covers a resource when one of its scopes is the resource (or its
    resource group / subscription with a matching target resource type) and its signal
    names a metric of the signal: a metric alert's criterion metric, a log search alert's
    query, or a Prometheus alert expression of a rule group bound to the AKS cluster.
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

    rules = alert_rules(ev)
    a = rules[rules["enabled"]].explode("scope").explode("signal")
    a = a[a["scope"].notna() & a["signal"].notna()]
    a = a.assign(scope=lower_id(a["scope"]).astype(object),
                 text=text(a["signal"]).str.lower(),
                 label=a["name"] + pd.Series(" (" + a["kind"] + ")", index=a.index).where(
                     a["kind"].ne("metric alert"), ""))
    hits = keys.merge(a[["scope", "text", "target_type", "label", "kind"]], on="scope")
    hits = hits[(hits["scope"] == hits["key"]) | (hits["target_type"] == hits["type"])]
    metric_map = signals.explode("metric")
    hits = hits.merge(metric_map[["type", "signal", "metric"]], on="type")
    exact = hits["kind"].eq("metric alert")
    found = [m == t if e else m in t for m, t, e in zip(hits["metric"], hits["text"], exact,
                                                         strict=True)]
    hits = hits[pd.Series(found, index=hits.index, dtype=bool)]
    names = hits.groupby(["key", "signal"])["label"].agg(join_sorted)
    grid = grid.assign(key=lower_id(grid["id"]))
    grid = grid.merge(names.rename("alerts").reset_index(), on=["key", "signal"], how="left")
    grid["covered"] = grid["alerts"].notna()
    grid["label"] = _label(grid["type"])
    return grid.drop(columns="key")


@check(
    id="OPS-ALR-001",
    domain="operations",
    severity="high",
    title="Alerts cover AKS, PostgreSQL CPU/storage/connections and Redis memory",
    rationale="The failures that stop a shop on a peak day announce themselves in metrics: "
    "PostgreSQL storage filling or connections running out, Redis memory at its limit, "
    "nodes saturated. Azure Monitor baseline alerts (AMBA) recommend each of them.",
    remediation="Create metric alerts (AMBA), log search alerts or managed Prometheus alert "
    "rules on AKS node CPU/memory or pod readiness, "
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
    covered = ("alerts on " + per["covered"]).where(per["covered"] != "", "no alert rule")
    detail = (label + ": " + covered).where(per["passed"], label + ": " + covered
                                            + "; missing: " + per["missing"])
    return outcome(per["id"], per["passed"], detail)


def _active_receivers(receivers: object) -> int:
    if not isinstance(receivers, list):
        return 0
    return sum(1 for r in receivers if isinstance(r, dict)
               and str(r.get("status") or "Enabled").lower() != "disabled")


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
    # a receiver ARM reports with status Disabled (unsubscribed, rate-limited) notifies nobody
    counts = pd.DataFrame({label: dig(ag["props"], key, []).map(_active_receivers)
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
    # ARM's own example writes the scope without its leading slash ("subscriptions/<id>")
    sh["sub"] = lower_id(sh["scope"]).str.extract(r"^/?subscriptions/([^/]+)", expand=False)
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


@check(
    id="OPS-ALR-004",
    domain="operations",
    severity="medium",
    title="Every alert rule is enabled and notifies an action group",
    rationale="A metric, log search or Prometheus alert rule that is disabled, or fires "
    "without an action group, reaches nobody: it only shows in the portal (Azure Monitor "
    "alerts overview; AMBA routes every baseline alert to an action group).",
    remediation="Enable the rule and attach the on-call action group (properties.actions "
    "for metric alerts, actions.actionGroups for log search alerts, rules[].actions for "
    "Prometheus rule groups), or delete rules nobody acts on.",
    risk="Alerts fire into the void and the incident is found by customers",
    applies_to="alert rules (metric, log search and Prometheus)",
    requires=["azure_resources"],
    references=[AMON + "alerts/alerts-overview",
                AMON + "alerts/action-groups",
                "https://azure.github.io/azure-monitor-baseline-alerts/"],
)
def alert_rules_notify(ctx: CheckContext):
    rules = alert_rules(ctx.ev)
    routed = rules["action_groups"].map(len).gt(0)
    groups = rules["action_groups"].map(lambda g: ", ".join(x.rstrip("/").rsplit("/", 1)[-1]
                                                            for x in g))
    detail = (rules["kind"] + " " + rules["enabled"].map({True: "enabled", False: "disabled"})
              + (", notifies " + groups).where(routed, ", notifies no action group"))
    return outcome(rules["id"], rules["enabled"] & routed, detail)
