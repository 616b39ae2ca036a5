"""Resilience checks RES-AKS-*: AKS zones and backup."""

from __future__ import annotations

from readiness_kit.capacity import node_pools
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    APRL,
    BACKUP_TABLE,
    _zones_text,
    backup_items,
)
from readiness_kit.frames import lower_id, resources, text, uncollected

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
