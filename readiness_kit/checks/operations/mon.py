"""Operations checks OPS-MON-*: monitoring."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.operations._shared import (
    AKS,
    AMON,
    KEY_VAULT,
    PG_FLEX,
    REDIS,
    STORAGE,
    _label,
)
from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    arm_details,
    dig,
    flag,
    join_sorted,
    lower_id,
    on_off,
    parent_resource_id,
    per_evidence,
    resources,
    short_name,
    text,
    truthy,
    uncollected,
)

APP_INSIGHTS = "microsoft.insights/components"
DIAGNOSTIC_TYPES = (AKS, PG_FLEX, STORAGE, KEY_VAULT, REDIS)
AKS_MON = "https://learn.microsoft.com/azure/aks/monitor-aks"


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
    # ARM returns "" for a destination that is not set (getDiagnosticSetting example):
    # only a Log Analytics workspace makes the logs queryable and alertable.
    workspace = text(dig(props, "workspaceId", ""))
    elsewhere = pd.concat([text(dig(props, k, "")).ne("").map({True: label, False: ""})
                           for k, label in (("storageAccountId", "storage account"),
                                            ("eventHubAuthorizationRuleId", "event hub"),
                                            ("marketplacePartnerId", "partner solution"))],
                          axis=1).agg(lambda r: ", ".join(v for v in r if v), axis=1) \
        if len(ds) else pd.Series(dtype=object)
    dest = short_name(workspace).where(workspace.ne(""), None)
    logs = ds.assign(key=parent_resource_id(ds["resource_id"]), dest=dest, other=elsewhere,
                     log=dig(props, "logs", [])).explode("log")
    logs = logs[logs["log"].notna()]
    category = dig(logs["log"], "category", None).fillna(dig(logs["log"], "categoryGroup", ""))
    logs = logs.assign(category=category.astype(str))
    logs = logs[truthy(dig(logs["log"], "enabled", False))]
    elsewhere = logs[logs["dest"].isna()].groupby("key")["other"].agg(join_sorted)
    logs = logs[logs["dest"].notna()]
    per = logs.groupby("key").agg(
        categories=("category", join_sorted),
        destination=("dest", join_sorted))
    out = res[["id", "name", "type"]].assign(key=lower_id(res["id"]))
    out = out.merge(per.reset_index(), on="key", how="left")
    out["elsewhere"] = out["key"].map(elsewhere)
    out["covered"] = out["categories"].notna()
    out["label"] = _label(out["type"])
    out["gap"] = uncollected(ev, "diagnosticSettings", out["id"])
    out["read"] = out["gap"].isna()
    return out.drop(columns="key")


def container_insights_enabled(aks: pd.DataFrame) -> pd.Series:
    """True for AKS clusters (rows of ``resources()``) with Container Insights: the omsagent
    add-on or ``azureMonitorProfile.containerInsights``."""
    return truthy(dig(aks["props"], "addonProfiles.omsagent.enabled", False)) | truthy(
        dig(aks["props"], "azureMonitorProfile.containerInsights.enabled", False))


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
    title="Diagnostic settings send AKS, PostgreSQL, Redis, Storage and Key Vault logs to "
    "Log Analytics",
    rationale="Resource logs (PostgreSQL server logs, Redis connection audit, Key Vault "
    "AuditEvent, blob access, AKS control plane) are only kept when a diagnostic setting "
    "exports them; only a Log Analytics workspace makes them queryable and usable by log "
    "alerts (Azure Monitor resource logs guidance, Microsoft cloud security benchmark LT-3).",
    remediation="Create a diagnostic setting per resource (Azure Policy 'Deploy diagnostic "
    "settings' initiatives at scale) sending allLogs/audit to the platform workspace; for "
    "storage, on blobServices/default.",
    risk="After an incident or breach there would be no logs to show what happened",
    applies_to="AKS clusters, PostgreSQL servers, Redis caches, storage accounts and key "
    "vaults",
    requires=["azure_resources", "azure_arm_details"],
    references=[AMON + "essentials/diagnostic-settings",
                AMON + "essentials/resource-logs"],
)
def diagnostic_settings(ctx: CheckContext):
    cov = diagnostic_coverage(ctx.ev)
    detail = (cov["label"] + " logs " + cov["categories"].fillna("") + " go to Log Analytics "
              + cov["destination"].fillna("")).where(
        cov["covered"], ("logs go to " + text(cov["elsewhere"]) + " only, not to a Log "
                         "Analytics workspace").where(
            cov["elsewhere"].notna(), "no diagnostic setting exports " + cov["label"]
            + " logs"))
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
    id="OPS-MON-004",
    domain="operations",
    severity="medium",
    title="AKS sends Prometheus metrics to Azure Monitor managed Prometheus",
    rationale="Managed Prometheus collects the kube-state and node metrics the recommended "
    "AKS alert rules and Grafana dashboards are written against, without running a "
    "Prometheus server in the cluster (AKS monitoring guidance, Well-Architected AKS "
    "operational excellence).",
    remediation="`az aks update --enable-azure-monitor-metrics --azure-monitor-workspace-"
    "resource-id <workspace>` and enable the recommended Prometheus alert rule groups.",
    risk="Cluster saturation and failing pods show up only when the shop slows down",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[AKS_MON, AMON + "containers/kubernetes-monitoring-enable",
                AMON + "essentials/prometheus-metrics-overview"],
)
def managed_prometheus(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    on, note = flag(aks["props"], "azureMonitorProfile.metrics.enabled", False,
                    "Azure Monitor metrics are off unless enabled")
    return outcome(aks["id"], on, "managed Prometheus metrics " + on_off(on) + note)
