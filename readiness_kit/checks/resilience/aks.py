"""Resilience checks RES-AKS-*: AKS zones and backup."""

from __future__ import annotations

import pandas as pd

from readiness_kit.capacity import node_pools
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    APRL,
    BACKUP_TABLE,
    _zones_text,
    backup_items,
)
from readiness_kit.frames import dig, fmt, lower_id, reported, resources, text, uncollected

AKS = "microsoft.containerservice/managedclusters"


@check(
    id="RES-AKS-001",
    domain="resilience",
    severity="high",
    title="AKS node pools span the target number of availability zones",
    rationale="A node pool pinned to fewer zones loses all of its capacity when one of them "
    "fails; AKS best practice and APRL ask for pools spread over zones 1, 2 and 3.",
    remediation="Create node pools with availabilityZones [1, 2, 3] (zones cannot be added to "
    "an existing pool: create a new pool, cordon and drain the old one).",
    risk="A zone outage could remove the nodes that run the shop",
    applies_to="AKS node pools",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/availability-zones",
        APRL + "ContainerService/managedClusters/",
    ],
)
def aks_pool_zones(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    need = ctx.params.targets.min_availability_zones
    count = pools["zones"].map(len)
    mode = pools["mode"].where(pools["mode_reported"], "(mode not reported)")
    detail = (mode + " pool " + pools["pool"] + " spans zones " + _zones_text(pools["zones"])
              + " (" + count.astype(str) + " of " + str(need) + " required)")
    return outcome(pools["subject"], count >= need, detail)


@check(
    id="RES-AKS-002",
    domain="resilience",
    severity="high",
    title="AKS cluster is protected by Azure Backup and its last backup is healthy",
    rationale="Persistent volumes and cluster state (ConfigMaps, Secrets references, CRDs) "
    "must be restorable after a bad upgrade or deletion. Azure Backup for AKS is the "
    "supported mechanism; a protected item with failing backups protects nothing.",
    remediation="Install the backup extension and configure a backup instance in a Backup "
    "vault (or protected item in a Recovery Services vault); alert on failed backup jobs.",
    risk="Cluster workloads and volumes could not be restored after a failed upgrade",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-backup-overview",
        "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup",
    ],
)
def aks_backup_healthy(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    items = backup_items(ctx.ev, ctx.as_of)
    best = items.sort_values("healthy", ascending=False).drop_duplicates("key")
    merged = aks.assign(key=lower_id(aks["id"])).merge(
        best[["key", "healthy", "detail"]], on="key", how="left")
    # Backup items live in Resource Graph's recoveryservicesresources table: without it (or
    # with a gap over the cluster) the absence of an item proves nothing.
    missing = uncollected(ctx.ev, BACKUP_TABLE, merged["id"])
    found = merged["detail"].notna()
    assessed = found | missing.isna()
    detail = merged["detail"].fillna(
        "no Azure Backup protected item or backup instance for this cluster").where(
        assessed, "backup items not assessed: " + text(missing))
    return outcome(merged["id"], merged["healthy"].fillna(False), detail, assessed)


@check(
    id="RES-AKS-003",
    domain="resilience",
    severity="high",
    title="AKS control plane runs on a tier with an uptime SLA (Standard or Premium)",
    rationale="The Free tier has no financially backed API server SLA and a control plane "
    "sized for test clusters; the Standard and Premium tiers give 99.95 % with zones and "
    "scale the API server with the cluster (AKS pricing tiers, APRL aks-1).",
    remediation="`az aks update --tier standard` (no downtime).",
    risk="The cluster's control plane can be unavailable during a sale with no SLA behind "
    "it, so scaling and deployments stop",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers",
                APRL + "ContainerService/managedClusters/"],
)
def aks_sla_tier(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    tier, note = reported(dig(aks["sku_obj"], "tier", None), "Free",
                          "ARM's default tier Free assumed")
    tier = text(tier)
    return outcome(aks["id"], tier.str.lower().isin(["standard", "premium"]),
                   "control plane tier " + tier + note)


@check(
    id="RES-AKS-004",
    domain="resilience",
    severity="medium",
    title="AKS system node pools keep at least two nodes",
    rationale="CoreDNS, konnectivity and metrics-server run on the system pool; with a "
    "single node an upgrade or a node failure takes cluster DNS down for every workload "
    "(APRL: system node pool with a minimum of two nodes, three across zones).",
    remediation="Scale the system pool to 3 nodes across zones (or set the autoscaler's "
    "minimum to 2 or more).",
    risk="One failed node breaks name resolution for the whole shop",
    applies_to="AKS system node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-system-pools",
                APRL + "ContainerService/managedClusters/"],
)
def aks_system_pool_size(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    system = pools[pools["mode_reported"] & pools["mode"].str.lower().eq("system")]
    floor = system["min_count"].where(system["autoscaling"], system["count"]).fillna(
        system["count"])
    how = pd.Series(" (autoscaler minimum)", index=system.index).where(system["autoscaling"],
                                                                       "")
    detail = ("system pool " + system["pool"] + " keeps at least "
              + floor.map(fmt).astype(str) + " node(s)" + how)
    return outcome(system["subject"], floor >= 2, detail)
