"""Resilience checks RES-AKS-*: AKS zones and backup."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL, _zones_text
from readiness_kit.frames import days_since, dig, fmt, gaps_for, lower_id, resources

AKS = "microsoft.containerservice/managedclusters"
RSV_PROTECTED_ITEM = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/" \
                     "protecteditems"
BACKUP_INSTANCE = "microsoft.dataprotection/backupvaults/backupinstances"
#: A protected item whose last backup is older than this is not healthy, whatever its flag.
BACKUP_MAX_AGE_DAYS = 2


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
    aks = resources(ctx.ev, AKS)
    need = ctx.params.targets.min_availability_zones
    pools = aks.assign(pool=dig(aks["props"], "agentPoolProfiles", [])).explode("pool")
    pools = pools[pools["pool"].notna()].reset_index(drop=True)
    name = dig(pools["pool"], "name", "?").astype(str)
    zones = dig(pools["pool"], "availabilityZones", [])
    count = zones.map(len)
    mode = dig(pools["pool"], "mode", "User").astype(str)
    detail = (mode + " pool " + name + " spans zones " + _zones_text(zones) + " ("
              + count.astype(str) + " of " + str(need) + " required)")
    return outcome(pools["id"] + "/agentPools/" + name, count >= need, detail)


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
    items = resources(ctx.ev, RSV_PROTECTED_ITEM, BACKUP_INSTANCE)
    props = items["props"]
    source = dig(props, "sourceResourceId", None).fillna(
        dig(props, "dataSourceInfo.resourceID", ""))
    state = dig(props, "lastBackupStatus", None).fillna(
        dig(props, "protectionStatus.status", None)).fillna(
        dig(props, "currentProtectionState", "unknown")).astype(str)
    age = days_since(dig(props, "lastBackupTime", None), ctx.as_of)
    stopped = dig(props, "protectionState", "").astype(str).str.contains("Stopped")
    state = state.where(~stopped, state + " (protection stopped)")
    healthy = state.isin(["Healthy", "ProtectionConfigured"]) & ~(age > BACKUP_MAX_AGE_DAYS)
    item_name = dig(props, "friendlyName", None).fillna(items["name"]).astype(str)
    item_text = ("backup item " + item_name + " status " + state
                 + (", last backup " + age.map(fmt).astype(str) + " days ago").where(
                     age.notna(), ""))
    found = pd.DataFrame({"key": lower_id(source.astype(str)), "healthy": healthy,
                          "text": item_text})
    best = found.sort_values("healthy", ascending=False).drop_duplicates("key")
    merged = aks.assign(key=lower_id(aks["id"])).merge(best, on="key", how="left")
    gap = gaps_for(ctx.ev, "recoveryservicesresources", merged["id"])
    none_text = "no Azure Backup protected item or backup instance for this cluster"
    detail = merged["text"].fillna(none_text)
    assessed = merged["text"].notna() | gap.isna()
    detail = detail.where(assessed, "backup items not collected (" + gap.astype(str) + ")")
    return outcome(merged["id"], merged["healthy"].fillna(False), detail, assessed)
