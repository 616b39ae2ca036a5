"""Security checks SEC-LOG-*: security logging."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import AKS
from readiness_kit.frames import (
    arm_details,
    dig,
    join_sorted,
    lower_id,
    parent_resource_id,
    resources,
    text,
    truthy,
    uncollected,
)


@check(
    id="SEC-LOG-001",
    domain="security",
    severity="high",
    title="AKS control-plane audit logs (kube-audit) are collected",
    rationale="The Kubernetes audit log records who read secrets, exec'd into pods or "
    "changed RBAC. AKS only keeps it when a diagnostic setting sends kube-audit or "
    "kube-audit-admin (or the audit category group) to Log Analytics or storage; without it "
    "an incident cannot be investigated.",
    remediation="Add a diagnostic setting on the cluster sending kube-audit-admin (or "
    "kube-audit) to the Log Analytics workspace, with retention that meets the incident "
    "response policy.",
    risk="After a breach nobody can tell who accessed the cluster or what they changed",
    applies_to="AKS clusters",
    requires=["azure_resources", "azure_arm_details"],
    references=[
        "https://learn.microsoft.com/azure/aks/monitor-aks",
        "https://learn.microsoft.com/azure/aks/monitor-aks-reference",
    ],
)
def aks_audit_logs(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    diag = arm_details(ctx.ev, "diagnosticSettings")
    diag = diag.assign(
        rid=parent_resource_id(diag["resource_id"]),
        destination=text(dig(diag["props"], "workspaceId", "")).ne("").map(
            {True: "Log Analytics", False: ""})
        .where(lambda s: s.ne(""), text(dig(diag["props"], "storageAccountId", "")).ne("")
               .map({True: "a storage account", False: ""}))
        .where(lambda s: s.ne(""), text(dig(diag["props"], "eventHubAuthorizationRuleId", ""))
               .ne("").map({True: "Event Hubs", False: ""})),
        log=dig(diag["props"], "logs", []),
    ).explode("log", ignore_index=True)
    category = text(dig(diag["log"], "category", "")).str.lower()
    group = text(dig(diag["log"], "categoryGroup", "")).str.lower()
    covers = (truthy(dig(diag["log"], "enabled", False)) & diag["destination"].ne("")
              & (category.isin({"kube-audit", "kube-audit-admin"})
                 | group.isin({"audit", "alllogs"})))
    shown = text(dig(diag["log"], "category", "")).where(
        category.ne(""), text(dig(diag["log"], "categoryGroup", "")))   # as ARM spells it
    hits = diag[covers].assign(what=(shown[covers]
                                     + " to " + diag["destination"][covers]
                                     + " (setting '" + text(diag["name"])[covers] + "')"))
    found = hits.groupby("rid")["what"].agg(join_sorted)
    rid = lower_id(aks["id"])
    covered = rid.map(found)
    settings = text(rid.map(diag.groupby("rid")["name"].agg(join_sorted)))
    detail = ("kube audit logs sent: " + text(covered)).where(
        covered.notna(), ("diagnostic settings (" + settings + ") do not send kube-audit "
                          "or kube-audit-admin").where(
            settings.ne(""), "no diagnostic setting on the cluster: audit logs are not kept"))
    # the cluster's diagnostic settings not read (a gap, or never collected): not judged
    missing = uncollected(ctx.ev, "diagnosticSettings", aks["id"])
    assessed = covered.notna() | settings.ne("") | missing.isna()
    detail = detail.where(assessed, "diagnostic settings not collected (" + text(missing) + ")")
    return outcome(aks["id"], covered.notna(), detail, assessed)
