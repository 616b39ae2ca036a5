"""Operations checks: monitoring, logging, alerting, SLOs, on-call, patching, observability.

``alert_coverage`` and ``diagnostic_coverage`` are shared with the operations charts, so the
heatmap shows exactly what the checks judged.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    PG_PARAMETER_TABLES,
    arm_details,
    attestation_frame,
    attested_outcome,
    dig,
    gaps_for,
    join_sorted,
    lower_id,
    parent_resource_id,
    per_evidence,
    pg_setting,
    resources,
    setting_values,
    short_name,
    truthy,
)

AKS = "microsoft.containerservice/managedclusters"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
STORAGE = "microsoft.storage/storageaccounts"
REDIS = "microsoft.cache/redis"
KEY_VAULT = "microsoft.keyvault/vaults"
WORKSPACE = "microsoft.operationalinsights/workspaces"
METRIC_ALERT = "microsoft.insights/metricalerts"
ACTIVITY_ALERT = "microsoft.insights/activitylogalerts"
ACTION_GROUP = "microsoft.insights/actiongroups"
APP_INSIGHTS = "microsoft.insights/components"

#: AKS supports the three newest GA minor versions (N-2) plus LTS; Microsoft publishes the
#: end-of-support dates on the AKS release calendar. As of the demo review date (2026-11-27)
#: we treat minors older than 1.31 as out of support. Update this with the calendar:
#: https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
AKS_OLDEST_SUPPORTED_MINOR = (1, 31)
#: Security investigations and audits look back at least 90 days (CIS Azure 5.1.x, Azure
#: security benchmark LT-6); no parameter target exists for log retention.
LOG_RETENTION_MIN_DAYS = 90

LABELS = {AKS: "AKS", PG_FLEX: "PostgreSQL", REDIS: "Redis", STORAGE: "Storage",
          KEY_VAULT: "Key Vault"}

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
DIAGNOSTIC_TYPES = (AKS, PG_FLEX, STORAGE, KEY_VAULT)
#: Receivers that reach a person out of hours (email alone is not paging).
PAGING_RECEIVERS = {"smsReceivers": "SMS", "voiceReceivers": "voice",
                    "webhookReceivers": "webhook", "itsmReceivers": "ITSM",
                    "azureAppPushReceivers": "app push"}
OTHER_RECEIVERS = {"emailReceivers": "email", "armRoleReceivers": "ARM role",
                   "logicAppReceivers": "Logic App", "azureFunctionReceivers": "Function",
                   "automationRunbookReceivers": "runbook", "eventHubReceivers": "Event Hub"}
ODOO_GOOD_LOG_LEVELS = ("info", "warn")
ODOO_FILE_OFF = ("", "false", "none", "0")

AMON = "https://learn.microsoft.com/azure/azure-monitor/"
AKS_MON = "https://learn.microsoft.com/azure/aks/monitor-aks"


def _label(types: pd.Series) -> pd.Series:
    return types.map(LABELS).fillna(types)


# ---------------------------------------------------------------------- shared coverage
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


@per_evidence
def diagnostic_coverage(ev: Evidence) -> pd.DataFrame | None:
    """One row per AKS / PostgreSQL / Storage / Key Vault resource with its log export.

    Columns: id, name, type, label, covered (a setting sends enabled logs somewhere),
    categories, destination, read (settings were collected or no gap says otherwise).
    Storage logs live on the blob/file/queue/table services: those count for the account.
    """
    res = resources(ev, *DIAGNOSTIC_TYPES)
    ds = arm_details(ev, "diagnosticSettings")
    if res is None or ds is None:
        return None
    props = ds["props"]
    dest = dig(props, "workspaceId", None).fillna(dig(props, "storageAccountId", None)).fillna(
        dig(props, "eventHubAuthorizationRuleId", None)).fillna(
        dig(props, "marketplacePartnerId", None))
    logs = ds.assign(key=parent_resource_id(ds["resource_id"]), dest=dest,
                     log=dig(props, "logs", [])).explode("log")
    logs = logs[logs["log"].notna() & logs["dest"].notna()]
    category = dig(logs["log"], "category", None).fillna(dig(logs["log"], "categoryGroup", ""))
    logs = logs.assign(category=category.astype(str))
    logs = logs[truthy(dig(logs["log"], "enabled", False))]
    per = logs.groupby("key").agg(
        categories=("category", join_sorted),
        destination=("dest", lambda s: join_sorted(short_name(s))))
    out = res[["id", "name", "type"]].assign(key=lower_id(res["id"]))
    out = out.merge(per.reset_index(), on="key", how="left")
    out["covered"] = out["categories"].notna()
    out["label"] = _label(out["type"])
    out["gap"] = gaps_for(ev, "diagnosticSettings", out["id"])
    out["read"] = out["gap"].isna()
    return out.drop(columns="key")


def container_insights_enabled(aks: pd.DataFrame) -> pd.Series:
    """True for AKS clusters (rows of ``resources()``) with Container Insights: the omsagent
    add-on or ``azureMonitorProfile.containerInsights``."""
    return truthy(dig(aks["props"], "addonProfiles.omsagent.enabled", False)) | truthy(
        dig(aks["props"], "azureMonitorProfile.containerInsights.enabled", False))


# ---------------------------------------------------------------------------- monitoring
@check(
    id="OPS-MON-001",
    domain="operations",
    severity="high",
    title="AKS sends container logs and metrics to Container Insights",
    rationale="Without Container Insights (the omsagent / Azure Monitor agent add-on) pod "
    "logs, restarts and node pressure are invisible to the operations team; it is the "
    "baseline of the AKS monitoring guidance.",
    remediation="Enable the monitoring add-on (az aks enable-addons -a monitoring) pointing at "
    "the platform Log Analytics workspace, or azureMonitorProfile.containerInsights.",
    risk="Failures of the shop's pods would go unseen until customers report them",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[AKS_MON, AMON + "containers/container-insights-overview"],
)
def container_insights(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    workspace = dig(aks["props"], "addonProfiles.omsagent.config."
                                  "logAnalyticsWorkspaceResourceID", None).fillna(
        dig(aks["props"], "azureMonitorProfile.containerInsights."
                          "logAnalyticsWorkspaceResourceId", "")).astype(str)
    enabled = container_insights_enabled(aks)
    detail = ("Container Insights enabled, sending to " + short_name(workspace)).where(
        enabled, "Container Insights (omsagent add-on) is not enabled")
    return outcome(aks["id"], enabled, detail)


@check(
    id="OPS-MON-002",
    domain="operations",
    severity="medium",
    title="Diagnostic settings export AKS, PostgreSQL, Storage and Key Vault logs",
    rationale="Resource logs (PostgreSQL server logs, Key Vault AuditEvent, blob access, AKS "
    "control plane) are only kept when a diagnostic setting sends them to Log Analytics, a "
    "storage account or an event hub (Azure Monitor resource logs guidance).",
    remediation="Create a diagnostic setting per resource (Azure Policy 'Deploy diagnostic "
    "settings' initiatives at scale) sending allLogs/audit to the platform workspace; for "
    "storage, on blobServices/default.",
    risk="After an incident or breach there would be no logs to show what happened",
    applies_to="AKS clusters, PostgreSQL servers, storage accounts and key vaults",
    requires=["azure_resources", "azure_arm_details"],
    references=[AMON + "essentials/diagnostic-settings",
                AMON + "essentials/resource-logs"],
)
def diagnostic_settings(ctx: CheckContext):
    cov = diagnostic_coverage(ctx.ev)
    detail = (cov["label"] + " logs " + cov["categories"].fillna("") + " go to "
              + cov["destination"].fillna("")).where(
        cov["covered"], "no diagnostic setting exports " + cov["label"] + " logs")
    assessed = cov["covered"] | cov["read"]
    detail = detail.where(assessed, "diagnostic settings not collected ("
                          + cov["gap"].astype(str) + ")")
    return outcome(cov["id"], cov["covered"], detail, assessed)


@check(
    id="OPS-MON-003",
    domain="operations",
    severity="medium",
    title="Application Insights (workspace-based) instruments Odoo",
    rationale="Request rates, response times and exceptions of the storefront are the first "
    "signals of a peak-day problem; Application Insights with OpenTelemetry gives them. "
    "Classic (non workspace-based) components were retired in February 2024.",
    remediation="Create a workspace-based Application Insights component for Odoo (name or "
    "tag it 'odoo') and instrument Odoo with the Azure Monitor OpenTelemetry distro.",
    risk="Slow checkouts and errors would be noticed by customers before the team",
    applies_to="Application Insights components",
    requires=["azure_resources"],
    references=[AMON + "app/app-insights-overview",
                AMON + "app/convert-classic-resource"],
)
def app_insights_for_odoo(ctx: CheckContext):
    if ctx.ev.table("azure_resources").empty:
        return not_assessed("No Azure resources in the evidence.")
    comp = resources(ctx.ev, APP_INSIGHTS)
    text = (comp["name"].fillna("") + " " + comp["tags"].fillna("")).str.lower()
    odoo = comp[text.str.contains("odoo")]
    if odoo.empty:
        seen = ", ".join(comp["name"].astype(str)) or "none"
        return outcome(["odoo:application_insights"], [False],
                       [f"no Application Insights component named or tagged for Odoo "
                        f"(components seen: {seen})"])
    workspace = dig(odoo["props"], "WorkspaceResourceId", "").astype(str)
    based = workspace.ne("")
    detail = ("workspace-based, sending to " + short_name(workspace)).where(
        based, "classic (not workspace-based): retired, ingestion is not guaranteed")
    return outcome(odoo["id"], based, detail)


@check(
    id="OPS-LOG-001",
    domain="operations",
    severity="medium",
    title=f"Log Analytics keeps logs for at least {LOG_RETENTION_MIN_DAYS} days",
    rationale="Incidents, fraud and security investigations look back weeks; the 30-day "
    "default loses the evidence. CIS and the Microsoft cloud security benchmark (LT-6) ask "
    "for at least 90 days.",
    remediation="Set the workspace retentionInDays to 90 or more (or archive tables) "
    "(az monitor log-analytics workspace update --retention-time 90).",
    risk="Logs needed to investigate an incident would already be deleted",
    applies_to="Log Analytics workspaces",
    requires=["azure_resources"],
    references=[AMON + "logs/data-retention-configure",
                "https://learn.microsoft.com/security/benchmark/azure/"
                "mcsb-logging-threat-detection"],
)
def log_retention(ctx: CheckContext):
    ws = resources(ctx.ev, WORKSPACE)
    raw = dig(ws["props"], "retentionInDays", None)
    days = pd.to_numeric(raw, errors="coerce").fillna(30)
    detail = ("retention is " + days.astype(int).astype(str) + f" days (minimum "
              f"{LOG_RETENTION_MIN_DAYS})")
    detail = detail.where(raw.notna(), detail + "; not reported, Azure's default 30 assumed")
    return outcome(ws["id"], days >= LOG_RETENTION_MIN_DAYS, detail)


@check(
    id="OPS-LOG-002",
    domain="operations",
    severity="low",
    title="Odoo logs at info/warn level to stdout",
    rationale="In containers Odoo should log to stdout (no logfile) so Container Insights "
    "collects it; debug levels flood the workspace and may log personal data, error-only "
    "levels hide what led to an incident (Odoo deployment docs).",
    remediation="Set log_level = info (or warn) and leave logfile unset in odoo.conf.",
    risk="Odoo's logs would be missing or too noisy to diagnose an incident",
    applies_to="odoo.conf sources",
    requires=["odoo_config"],
    references=["https://www.odoo.com/documentation/17.0/developer/reference/cli.html",
                "https://www.odoo.com/documentation/17.0/administration/on_premise/"
                "deploy.html"],
)
def odoo_logging(ctx: CheckContext):
    wide = setting_values(ctx.ev, "odoo_config", "log_level", "logfile")
    level = wide["log_level"].astype(object).fillna("info").astype(str).str.strip().str.lower()
    logfile = wide["logfile"].astype(object).where(wide["logfile"].notna(), "")
    logfile = logfile.astype(str).str.strip()
    to_stdout = logfile.str.lower().isin(ODOO_FILE_OFF)
    suffix = (" (" + wide["source"] + ")") if wide["source"].nunique() > 1 else pd.Series(
        "", index=wide.index, dtype=object)
    level_detail = ("log_level " + level).where(wide["log_level"].notna(),
                                                "log_level not set (Odoo's default: info)")
    file_detail = ("logfile " + logfile + ": logs stay inside the container").where(
        ~to_stdout, "logs go to stdout")
    return pd.concat([
        outcome("odoo:log_level" + suffix, level.isin(ODOO_GOOD_LOG_LEVELS), level_detail),
        outcome("odoo:logfile" + suffix, to_stdout, file_detail),
    ], ignore_index=True)


# ------------------------------------------------------------------------------ alerting
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


# ---------------------------------------------------------------- SLO, incident, on-call
def _attested(ctx: CheckContext, key: str,
              good: Callable[[pd.DataFrame], pd.Series] | None = None,
              what: str = "") -> pd.DataFrame:
    df = attestation_frame(ctx.ev, key)
    ok = ~df["negative"] if good is None else good(df)
    detail = (what + df["value"] + " (" + df["by"] + ")").where(
        ok, what + df["value"].replace("", "none") + ": not an answer that shows it exists ("
        + df["by"] + ")")
    return attested_outcome(df, ok, detail)


@check(
    id="OPS-SLO-001",
    domain="operations",
    severity="medium",
    title="A measurable checkout availability SLO is defined",
    rationale="An SLO turns 'the shop must be up' into a number that alerting, error budgets "
    "and release decisions can use (Well-Architected OE:07 / RE:04).",
    remediation="Agree a checkout availability SLO (e.g. 99.9% monthly) with the business, "
    "measure it from Application Insights availability or request data, and alert on burn.",
    risk="Nobody could say whether the shop meets what the business needs",
    applies_to="SLO attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/reliability/metrics"],
    basis="attested",
)
def checkout_slo(ctx: CheckContext):
    return _attested(ctx, "slo.checkout_availability",
                     lambda df: df["value"].str.contains(r"\d+(?:\.\d+)?\s*%", regex=True),
                     "checkout availability SLO: ")


@check(
    id="OPS-INC-001",
    domain="operations",
    severity="high",
    title="A 24x7 on-call rota is in place",
    rationale="A retail platform trades evenings and weekends; someone must be reachable "
    "when alerts fire (Well-Architected OE:08 incident response).",
    remediation="Set up an on-call schedule in the paging tool covering trading hours (24x7 "
    "for online sales) and connect it to the Azure Monitor action group.",
    risk="An outage outside office hours would go unhandled",
    applies_to="on-call attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/operational-excellence/"
                "incident-response"],
    basis="attested",
)
def oncall_rota(ctx: CheckContext):
    return _attested(ctx, "oncall.rota", what="on-call rota: ")


@check(
    id="OPS-INC-002",
    domain="operations",
    severity="medium",
    title="The incident process has a named owner",
    rationale="Incident management needs an accountable owner for severity definitions, "
    "communication and post-incident reviews (Well-Architected OE:08).",
    remediation="Name the incident process owner (role) and publish the process.",
    risk="Incidents would be handled ad hoc, slowing recovery and repeating mistakes",
    applies_to="incident process attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/operational-excellence/"
                "incident-response"],
    basis="attested",
)
def incident_owner(ctx: CheckContext):
    return _attested(ctx, "incident.process_owner", what="incident process owner: ")


# ------------------------------------------------------------------------------ patching
def _minor(version: pd.Series) -> pd.Series:
    parts = version.astype(str).str.extract(r"^v?(\d+)\.(\d+)")
    return pd.to_numeric(parts[0], errors="coerce") * 1000 + pd.to_numeric(parts[1],
                                                                           errors="coerce")


@check(
    id="OPS-PAT-001",
    domain="operations",
    severity="high",
    title="AKS runs a supported Kubernetes version",
    rationale="Out-of-support AKS versions get no security patches and no platform support "
    "(AKS supports N-2 minors); upgrades across several minors are risky under time "
    "pressure.",
    remediation="Upgrade the control plane and node pools one minor at a time to a supported "
    "version (az aks upgrade), after checking deprecated APIs.",
    risk="The cluster would miss security fixes and Microsoft support during an incident",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
                "https://learn.microsoft.com/azure/aks/upgrade-aks-cluster"],
)
def aks_supported_version(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    control = dig(aks["props"], "currentKubernetesVersion", None).fillna(
        dig(aks["props"], "kubernetesVersion", "")).astype(str)
    pools = aks[["id", "props"]].assign(pool=dig(aks["props"], "agentPoolProfiles", []))
    pools = pools.explode("pool")
    pools = pools[pools["pool"].notna()]
    pool_version = dig(pools["pool"], "currentOrchestratorVersion", None).fillna(
        dig(pools["pool"], "orchestratorVersion", "")).astype(str)
    oldest_pool = pd.DataFrame({"id": pools["id"], "v": pool_version, "m": _minor(pool_version)})
    oldest_pool = oldest_pool.sort_values("m").drop_duplicates("id").set_index("id")
    pool_v = aks["id"].map(oldest_pool["v"]).astype(object).fillna("")
    oldest = pd.concat([_minor(control), _minor(pool_v)], axis=1).min(axis=1)
    floor = AKS_OLDEST_SUPPORTED_MINOR[0] * 1000 + AKS_OLDEST_SUPPORTED_MINOR[1]
    need = "{}.{}".format(*AKS_OLDEST_SUPPORTED_MINOR)
    pools_text = (", oldest node pool " + pool_v).where(pool_v.ne("") & pool_v.ne(control), "")
    detail = ("Kubernetes " + control + pools_text + f" (oldest supported minor {need})")
    detail = detail.where(oldest >= floor, detail + ": out of support")
    return outcome(aks["id"], oldest >= floor, detail, oldest.notna())


@check(
    id="OPS-PAT-002",
    domain="operations",
    severity="medium",
    title="AKS has an automatic upgrade channel",
    rationale="An auto-upgrade channel (patch or stable) keeps the cluster on supported "
    "patch releases inside a planned maintenance window instead of drifting out of support.",
    remediation="Set autoUpgradeProfile.upgradeChannel to patch (or stable) and define a "
    "maintenance window (aksManagedAutoUpgradeSchedule).",
    risk="The cluster would fall behind on fixes until a forced upgrade at a bad time",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
                "https://learn.microsoft.com/azure/aks/planned-maintenance"],
)
def aks_upgrade_channel(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    raw = dig(aks["props"], "autoUpgradeProfile.upgradeChannel", None)
    channel = raw.fillna("none").astype(str)
    detail = ("auto-upgrade channel " + channel).where(
        raw.notna(), "auto-upgrade channel not set (Azure treats it as none)")
    return outcome(aks["id"], channel.str.lower().ne("none"), detail)


@check(
    id="OPS-PAT-003",
    domain="operations",
    severity="medium",
    title="AKS node OS images are patched automatically",
    rationale="Node OS security patches arrive weekly. The NodeImage or SecurityPatch channel "
    "applies them with coordinated drains; None or Unmanaged leaves nodes unpatched or "
    "patched without reboots.",
    remediation="Set autoUpgradeProfile.nodeOSUpgradeChannel to NodeImage (or SecurityPatch) "
    "with a node OS maintenance window.",
    risk="Nodes running the shop would carry known vulnerabilities",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"],
)
def aks_node_os_channel(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    raw = dig(aks["props"], "autoUpgradeProfile.nodeOSUpgradeChannel", None)
    channel = raw.fillna("NodeImage").astype(str)
    detail = ("node OS upgrade channel " + channel).where(
        raw.notna(), "node OS upgrade channel not set (Azure's default NodeImage assumed)")
    return outcome(aks["id"], channel.isin(["NodeImage", "SecurityPatch"]), detail)


@check(
    id="OPS-PAT-004",
    domain="operations",
    severity="low",
    title="A patching cadence is agreed",
    rationale="Automatic channels need an agreed cadence for what they do not cover (minor "
    "Kubernetes upgrades, Odoo and PostgreSQL versions) so patching is planned around "
    "trading peaks.",
    remediation="Agree and publish the patching cadence (node images, Kubernetes minors, "
    "Odoo images) and freeze windows before peak events.",
    risk="Patches would be applied late or in the middle of a peak event",
    applies_to="patching attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/aks/planned-maintenance"],
    basis="attested",
)
def patching_cadence(ctx: CheckContext):
    return _attested(ctx, "patching.cadence", what="patching cadence: ")


# ----------------------------------------------------------- PostgreSQL, Redis insights
@check(
    id="OPS-PG-001",
    domain="operations",
    severity="low",
    title="PostgreSQL loads pg_stat_statements",
    rationale="pg_stat_statements records which queries use the time; without it a slow "
    "checkout during a peak cannot be traced to a query (PostgreSQL docs, Azure Query "
    "Store builds on it).",
    remediation="Add pg_stat_statements to shared_preload_libraries (server restart) and run "
    "CREATE EXTENSION pg_stat_statements in the Odoo database.",
    risk="Database slowdowns on a peak day could not be traced to their cause",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=["https://www.postgresql.org/docs/current/pgstatstatements.html",
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-query-store"],
)
def pg_stat_statements(ctx: CheckContext):
    s = pg_setting(ctx.ev, "shared_preload_libraries")
    loaded = s["value"].str.lower().str.contains("pg_stat_statements", regex=False)
    ext = ctx.ev.table("pg_extensions")
    created = ""
    if ext is not None:
        dbs = ext.loc[ext["extname"] == "pg_stat_statements", "datname"]
        created = "; extension created in " + (", ".join(sorted(dbs.dropna())) or "no database")
    detail = ("shared_preload_libraries = '" + s["value"] + "'" + created)
    detail = detail.where(loaded, detail + ": pg_stat_statements not loaded")
    return outcome(s["subject"], loaded, detail)


@check(
    id="OPS-PG-002",
    domain="operations",
    severity="medium",
    title="PostgreSQL logs slow statements (log_min_duration_statement)",
    rationale="Logging statements slower than a threshold (e.g. 1 s) shows the queries that "
    "hurt checkout; -1 disables it and 0 logs everything, flooding the logs.",
    remediation="Set log_min_duration_statement to a threshold such as 1000 ms and export "
    "PostgreSQL logs with a diagnostic setting.",
    risk="Slow queries that stall checkout would leave no trace",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=["https://www.postgresql.org/docs/current/runtime-config-logging.html",
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-logging"],
)
def pg_slow_statement_log(ctx: CheckContext):
    s = pg_setting(ctx.ev, "log_min_duration_statement")
    ms = pd.to_numeric(s["value"], errors="coerce")
    detail = ("log_min_duration_statement = " + s["value"] + " ms")
    detail = detail.where(~(ms < 0), detail + ": slow statement logging is off")
    detail = detail.where(~(ms == 0), detail + ": every statement is logged")
    return outcome(s["subject"], ms > 0, detail, ms.notna())
