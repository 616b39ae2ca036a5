"""Tests of the resilience checks RES-AKS-*: AKS zones and backup."""

import pytest
from factories import SUB, arm, by_subject, real_body, rid, run

from ._shared import details


def aks(name: str = "aks-prod", pools: list[tuple[str, str, list[str] | None]] = ()) -> dict:
    profiles = []
    for pool, mode, zones in pools:
        profile = {"name": pool, "mode": mode, "count": 3, "vmSize": "Standard_D8ds_v5",
                   "osType": "Linux", "orchestratorVersion": "1.29.9", "enableAutoScaling": True,
                   "minCount": 3, "maxCount": 12}
        if zones is not None:
            profile["availabilityZones"] = zones
        profiles.append(profile)
    return arm("Microsoft.ContainerService/managedClusters", name, {
        "kubernetesVersion": "1.29.9", "currentKubernetesVersion": "1.29.9",
        "agentPoolProfiles": profiles}, rg="rg-aks", sku={"name": "Base", "tier": "Free"})


def protected_item(cluster_id: str, status: str, last: str = "2026-11-26T22:00:00Z") -> dict:
    vault_id = rid("rg-ops", "Microsoft.RecoveryServices/vaults", "rsv-prod")
    return arm("microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/"
               "protecteditems", "aks;aks-prod", {
                   "friendlyName": "aks-prod", "sourceResourceId": cluster_id,
                   "lastBackupStatus": status, "lastBackupTime": last,
                   "protectionState": "Protected", "healthStatus": "Passed",
                   "workloadType": "AzureKubernetesService"},
               id=f"{vault_id}/backupFabrics/Azure/protectionContainers/aks;aks-prod/"
                  "protectedItems/aks;aks-prod",
               location=None, arg_table="recoveryservicesresources")


def backup_instance(cluster_id: str, status: str) -> dict:
    return arm(
        "microsoft.dataprotection/backupvaults/backupinstances", "aks-prod-bi",
        id=rid("rg-ops", "Microsoft.DataProtection/backupVaults", "bv-prod/backupInstances/"
               "aks-prod-bi"), location=None, arg_table="recoveryservicesresources",
        properties={
            "friendlyName": "aks-prod\\fullbackup",
            "dataSourceInfo": {"resourceID": cluster_id, "resourceName": "aks-prod",
                               "resourceType": "Microsoft.ContainerService/managedclusters",
                               "datasourceType": "Microsoft.ContainerService/managedClusters",
                               "objectType": "Datasource"},
            "protectionStatus": {"status": status},
            "currentProtectionState": status, "provisioningState": "Succeeded"})


def test_aks_pool_zones():
    cluster = aks(pools=[("system", "System", ["1", "2", "3"]), ("odoo", "User", ["1"]),
                         ("batch", "User", None)])
    result = run("RES-AKS-001", {"azure_resources": [cluster]})
    assert by_subject(result) == {"system": "pass", "odoo": "fail", "batch": "fail"}
    assert result.subject[0].endswith("managedClusters/aks-prod/agentPools/system")
    d = details(result)
    assert d["odoo"] == "User pool odoo spans zones 1 (1 of 2 required)"
    assert d["batch"] == "User pool batch spans zones none (0 of 2 required)"


@pytest.mark.parametrize("item, expected, text", [
    (lambda cid: protected_item(cid, "Healthy"), "pass", "status Healthy, last backup 0 days"),
    (lambda cid: protected_item(cid, "Unhealthy"), "fail", "status Unhealthy"),
    (lambda cid: protected_item(cid, "Healthy", "2026-11-10T22:00:00Z"), "fail",
     "last backup 16 days ago"),
    (lambda cid: backup_instance(cid, "ProtectionConfigured"), "pass", "ProtectionConfigured"),
    (lambda cid: backup_instance(cid, "ProtectionError"), "fail", "ProtectionError"),
])
def test_aks_backup_item_health(item, expected, text):
    cluster = aks(pools=[("system", "System", ["1", "2", "3"])])
    result = run("RES-AKS-002", {"azure_resources": [cluster, item(cluster["id"].lower())]})
    assert result.status.tolist() == [expected]
    assert text in result.detail[0]


def test_aks_backup_missing_item_fails_only_when_backup_items_were_collected():
    cluster = aks(pools=[("system", "System", ["1", "2", "3"])])
    other = backup_instance("/subscriptions/x/resourcegroups/y/providers/"
                            "microsoft.containerservice/managedclusters/other", "Healthy")
    result = run("RES-AKS-002", {"azure_resources": [cluster, other]})
    assert result.status.tolist() == ["fail"]
    assert "no Azure Backup protected item" in result.detail[0]
    # recoveryservicesresources never collected: the absence of an item proves nothing
    result = run("RES-AKS-002", {"azure_resources": [cluster]})
    assert result.status.tolist() == ["not_assessed"]
    assert "recoveryservicesresources was not collected" in result.detail[0]
    gap = {"source": "azure", "scope": SUB, "table": "azure_resources",
           "what": "recoveryservicesresources", "reason": "403 AuthorizationFailed"}
    result = run("RES-AKS-002", {"azure_resources": [cluster], "collection_gaps": [gap]})
    assert result.status.tolist() == ["not_assessed"]
    assert "403 AuthorizationFailed" in result.detail[0]


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------


def test_aks_backup_real_bodies():
    cluster = real_body("aks_cluster_create")
    home = {"properties.dataSourceInfo.resourceID": cluster["id"]}
    protected = real_body("backup_instance_aks_protected", set=home)
    fresh = real_body("backup_instance_aks", set=home)
    assert by_subject(run("RES-AKS-002", {"azure_resources": [cluster, protected]})) == {
        "clustername1": "pass"}
    result = run("RES-AKS-002", {"azure_resources": [cluster, fresh]})
    assert result.status.tolist() == ["fail"]
    assert "backup item aksbi status NotProtected" in result.detail[0]
    # the cluster alone, backup items never collected: not assessed, never failed
    result = run("RES-AKS-002", {"azure_resources": [cluster]})
    assert result.status.tolist() == ["not_assessed"]


def test_aks_pool_zones_real_bodies_scope_pools_per_cluster():
    cluster = real_body("aks_cluster_create")          # nodepool1 System, zones 1-3
    pool = real_body("aks_agentpool_get")              # agentpool1: no mode, no zones
    other = real_body("aks_cluster_get", id=cluster["id"].replace("clustername1", "c2"),
                      name="c2")
    result = run("RES-AKS-001", {"azure_resources": [cluster, pool, other]})
    assert dict(zip(result.subject.str.split("/").str[-3] + "/" + result.subject.str.split(
        "/").str[-1], result.status, strict=True)) == {
        "clustername1/nodepool1": "pass", "clustername1/agentpool1": "fail",
        "c2/nodepool1": "pass"}
    assert "(mode not reported) pool agentpool1 spans zones none" in \
        result.detail[result.subject.str.endswith("agentpool1")].iloc[0]


def test_aks_sla_tier_and_system_pool_real_bodies():
    from factories import renamed
    result = run("RES-AKS-003", {"azure_resources": [
        renamed(real_body("aks_cluster_standard_tier"), "standard"),
        renamed(real_body("aks_cluster_premium"), "premium"),
        renamed(real_body("aks_cluster_create"), "free")]})           # the response omits sku
    assert by_subject(result) == {"standard": "pass", "premium": "pass", "free": "fail"}
    assert details(result)["free"] == ("control plane tier Free (not reported; ARM's default "
                                       "tier Free assumed)")
    three = real_body("aks_cluster_create")                            # System pool, 3 nodes
    one = renamed(real_body("aks_cluster_create",
                            set={"properties.agentPoolProfiles.0.count": 1}), "single")
    result = run("RES-AKS-004", {"azure_resources": [three, one]})
    assert result.status.tolist() == ["pass", "fail"]
    assert result.detail.tolist() == ["system pool nodepool1 keeps at least 3 node(s)",
                                      "system pool nodepool1 keeps at least 1 node(s)"]
    # a pool whose mode ARM did not report is not judged as a system pool
    result = run("RES-AKS-004", {"azure_resources": [real_body("aks_cluster_get")]})
    assert result.status.tolist() == ["not_assessed"]
