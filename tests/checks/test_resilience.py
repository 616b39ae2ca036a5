"""Resilience checks: HA, cross-region recovery, backups, RPO / RTO, drills, DR runbooks."""

import datetime as dt

import pytest
from factories import (
    SUB,
    arm,
    attestation,
    by_subject,
    deployment,
    hpa,
    kobj,
    params_for,
    rid,
    run,
)

from readiness_kit.checks.resilience import cron_max_interval_minutes, rpo_estimates
from readiness_kit.evidence import evidence_from_records


def details(result) -> dict[str, str]:
    return by_subject(result, "detail")


# ----------------------------------------------------------------------------- ARM shapes
def pg(name: str, ha_mode: str, *, retention: int | None = 7, geo: str = "Disabled",
       location: str = "westeurope", source: str | None = None) -> dict:
    props = {"highAvailability": {"mode": ha_mode, "state": "Healthy"}, "version": "16",
             "state": "Ready", "availabilityZone": "1",
             "storage": {"storageSizeGB": 512, "autoGrow": "Enabled"},
             "backup": {"geoRedundantBackup": geo,
                        "earliestRestoreDate": "2026-11-20T02:00:00+00:00"},
             "network": {"publicNetworkAccess": "Disabled"}}
    if retention is not None:
        props["backup"]["backupRetentionDays"] = retention
    if source:
        props.update({"replicationRole": "GeoAsyncReplica", "sourceServerResourceId": source,
                      "replica": {"role": "GeoAsyncReplica"}})
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name, props, rg="rg-data",
               location=location, sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})


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


def redis(name: str, zones: list[str] | None, sku=("Premium", "P", 1)) -> dict:
    # Microsoft.Cache/Redis keeps its SKU in properties, not at the top level
    return arm("Microsoft.Cache/Redis", name, {
        "sku": {"name": sku[0], "family": sku[1], "capacity": sku[2]},
        "enableNonSslPort": False, "minimumTlsVersion": "1.2",
        "redisConfiguration": {"rdb-backup-enabled": "true", "maxmemory-policy": "volatile-lru"},
    }, rg="rg-data", zones=zones)


def storage(name: str, sku: str, tags: dict | None = None) -> dict:
    return arm("Microsoft.Storage/storageAccounts", name, {
        "allowBlobPublicAccess": False, "minimumTlsVersion": "TLS1_2",
        "supportsHttpsTrafficOnly": True, "accessTier": "Hot"}, rg="rg-data", kind="StorageV2",
        sku={"name": sku, "tier": "Standard"}, tags=tags or {})


def blob_services(account: str, *, soft_delete: bool | None, versioning: bool | None,
                  days: int = 7) -> dict:
    props: dict = {"cors": {"corsRules": []}}
    if soft_delete is not None:
        props["deleteRetentionPolicy"] = {"enabled": soft_delete, "days": days,
                                          "allowPermanentDelete": False}
    if versioning is not None:
        props["isVersioningEnabled"] = versioning
    return {"resource_id": rid("rg-data", "Microsoft.Storage/storageAccounts", account),
            "detail_type": "blobServices", "name": "default", "properties": props}


def vault(name: str, *, redundancy: str | None = "GeoRedundant", soft: str | None = "Enabled",
          immutability: str | None = None) -> dict:
    props: dict = {"provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"}
    if redundancy:
        props["redundancySettings"] = {"standardTierStorageRedundancy": redundancy,
                                       "crossRegionRestore": "Disabled"}
    security: dict = {}
    if soft:
        security["softDeleteSettings"] = {"softDeleteState": soft,
                                          "softDeleteRetentionPeriodInDays": 14,
                                          "enhancedSecurityState": "Enabled"}
    if immutability:
        security["immutabilitySettings"] = {"state": immutability}
    if security:
        props["securitySettings"] = security
    return arm("Microsoft.RecoveryServices/vaults", name, props, rg="rg-ops",
               sku={"name": "RS0", "tier": "Standard"})


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


# ------------------------------------------------------------------------ Kubernetes shapes
def replicated(ns: str, name: str, replicas: int, *, spread: bool = False,
               anti_affinity: bool = False) -> dict:
    """A Deployment whose pod template may spread over zones (or repel its own pods)."""
    zone = "topology.kubernetes.io/zone"
    pod: dict = {}
    if spread:
        pod["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": zone, "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app": name}}}]
    if anti_affinity:
        pod["affinity"] = {"podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [{
                "weight": 100, "podAffinityTerm": {
                    "topologyKey": zone, "labelSelector": {"matchLabels": {"app": name}}}}]}}
    return deployment(ns, name, replicas=replicas, pod=pod,
                      pod_labels={"app": name, "tier": "web"})


def pdb(ns: str, name: str, selector: dict, **budget) -> dict:
    return kobj("PodDisruptionBudget", ns, name, {"selector": {"matchLabels": selector},
                                                  **budget},
                status={"disruptionsAllowed": 1}, api="policy/v1")


def cronjob(ns: str, name: str, schedule: str, suspend: bool = False) -> dict:
    return kobj("CronJob", ns, name, {
        "schedule": schedule, "suspend": suspend, "concurrencyPolicy": "Forbid",
        "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [{"name": "azcopy", "image": "mcr.microsoft.com/azure-cli:2.67.0"}]}}}}},
        labels={"app.kubernetes.io/name": name}, api="batch/v1")


# ----------------------------------------------------------------------------------- tests
def test_pg_zone_redundant_ha_pass_and_fail():
    result = run("RES-PG-001", {"azure_resources": [pg("pg-a", "ZoneRedundant"),
                                                     pg("pg-b", "Disabled")]})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail"}
    assert "HA mode is Disabled" in result.detail.tolist()


def test_pg_zone_redundant_ha_not_assessed_without_evidence():
    result = run("RES-PG-001", {})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_resources" in result.detail[0]


def test_pg_cross_region_geo_backup_or_remote_replica():
    primary_c = pg("pg-c", "SameZone")
    rows = [pg("pg-a", "ZoneRedundant", geo="Enabled"), pg("pg-b", "SameZone"), primary_c,
            pg("pg-c-ne", "Disabled", location="northeurope", source=primary_c["id"].upper())]
    result = run("RES-PG-002", {"azure_resources": rows})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail", "pg-c": "pass"}
    d = details(result)
    assert d["pg-b"] == "geo-redundant backup Disabled; no read replica outside westeurope"
    assert "read replica in another region: pg-c-ne" in d["pg-c"]


def test_pg_cross_region_normal_case_without_any_replica():
    """No server has a cross-region replica (the replica map is empty) and none has
    geo-redundant backup: every primary fails with a sentence, the check does not raise."""
    result = run("RES-PG-002", {"azure_resources": [pg("pg-a", "ZoneRedundant"),
                                                     pg("pg-b", "SameZone", location="")]})
    assert by_subject(result) == {"pg-a": "fail", "pg-b": "fail"}
    assert details(result) == {
        "pg-a": "geo-redundant backup Disabled; no read replica outside westeurope",
        "pg-b": "geo-redundant backup Disabled; no read replica outside its region"}
    same_region = pg("pg-c", "SameZone")
    result = run("RES-PG-002", {"azure_resources": [
        same_region, pg("pg-c-r", "Disabled", source=same_region["id"])]})
    assert by_subject(result) == {"pg-c": "fail"}


def test_pg_backup_retention():
    result = run("RES-PG-003", {"azure_resources": [
        pg("pg-a", "ZoneRedundant", retention=35), pg("pg-b", "SameZone", retention=7),
        pg("pg-c", "Disabled", retention=None)]})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail", "pg-c": "fail"}
    d = details(result)
    assert d["pg-b"] == "backup retention is 7 days (minimum 14)"
    assert "Azure's default 7 days assumed" in d["pg-c"]


def test_redis_zones_against_target():
    rows = [redis("redis-a", ["1", "2"]), redis("redis-b", None, ("Standard", "C", 2))]
    result = run("RES-REDIS-001", {"azure_resources": rows})
    assert by_subject(result) == {"redis-a": "pass", "redis-b": "fail"}
    assert details(result)["redis-a"] == "zones 1, 2 (2 of 2 required); SKU Premium P1"
    stricter = run("RES-REDIS-001", {"azure_resources": rows},
                   targets={"min_availability_zones": 3})
    assert by_subject(stricter)["redis-a"] == "fail"


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


def test_aks_backup_missing_item_fails_unless_collection_gap():
    cluster = aks(pools=[("system", "System", ["1", "2", "3"])])
    result = run("RES-AKS-002", {"azure_resources": [cluster]})
    assert result.status.tolist() == ["fail"]
    assert "no Azure Backup protected item" in result.detail[0]
    gap = {"source": "azure", "scope": SUB, "table": "azure_resources",
           "what": "recoveryservicesresources", "reason": "403 AuthorizationFailed"}
    result = run("RES-AKS-002", {"azure_resources": [cluster], "collection_gaps": [gap]})
    assert result.status.tolist() == ["not_assessed"]
    assert "403 AuthorizationFailed" in result.detail[0]


def k8s_story() -> list[dict]:
    return [
        replicated("odoo-prod", "odoo-web", 1, spread=True),  # replicas come from the HPA
        hpa("odoo-prod", "odoo-web", 3),
        pdb("odoo-prod", "odoo-web", {"app": "odoo-web"}, minAvailable=2),
        replicated("odoo-prod", "odoo-cron", 1),
        replicated("traefik", "traefik", 2),
        replicated("monitoring", "grafana", 2, anti_affinity=True),
        pdb("monitoring", "grafana", {"app": "grafana"}, minAvailable=2),
        replicated("kube-system", "coredns", 2),
    ]


def test_workload_pdb():
    result = run("RES-K8S-001", {"k8s_objects": k8s_story()})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "grafana": "fail"}
    d = details(result)
    assert d["odoo-web"] == ("PodDisruptionBudget odoo-prod/odoo-web (minAvailable 2) covers 3 "
                             "replicas")
    assert "no PodDisruptionBudget selects its pods" in d["traefik"]
    assert "allows no disruption" in d["grafana"]
    assert "Deployment/traefik/traefik" in result.subject.tolist()


def test_workload_zone_spread():
    result = run("RES-K8S-002", {"k8s_objects": k8s_story()})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "grafana": "pass"}
    d = details(result)
    assert "topologySpreadConstraints on topology.kubernetes.io/zone" in d["odoo-web"]
    assert "pod anti-affinity across zones" in d["grafana"]
    assert "may place all 2 replicas in one zone" in d["traefik"]


def test_no_replicated_workloads_is_not_assessed():
    result = run("RES-K8S-001", {"k8s_objects": [replicated("odoo-prod", "odoo-cron", 1)]})
    assert result.status.tolist() == ["not_assessed"]


def test_filestore_zone_redundant_by_name_and_tag():
    rows = [storage("stfilesprod", "Standard_ZRS"), storage("stodoodata", "Standard_LRS",
                                                            {"role": "filestore"}),
            storage("stbackupprod", "Standard_LRS")]
    result = run("RES-STG-001", {"azure_resources": rows})
    assert by_subject(result) == {"stfilesprod": "pass", "stodoodata": "fail"}
    assert details(result)["stodoodata"] == "SKU Standard_LRS"


def test_filestore_soft_delete_and_versioning():
    rows = [storage("stfilesa", "Standard_ZRS"), storage("stfilesb", "Standard_ZRS"),
            storage("stfilesc", "Standard_ZRS")]
    blobs = [blob_services("stfilesa", soft_delete=True, versioning=True),
             blob_services("stfilesb", soft_delete=True, versioning=False)]
    result = run("RES-STG-002", {"azure_resources": rows, "azure_arm_details": blobs})
    assert by_subject(result) == {"stfilesa": "pass", "stfilesb": "fail",
                                "stfilesc": "not_assessed"}
    d = details(result)
    assert d["stfilesb"] == "blob soft delete on (7 days), versioning off"
    assert "not collected" in d["stfilesc"]


def test_backup_storage_redundancy_and_soft_delete():
    rows = [storage("stbackupa", "Standard_GRS"), storage("stbackupb", "Standard_LRS"),
            storage("stfiles", "Standard_LRS")]
    result = run("RES-STG-003", {"azure_resources": rows})
    assert by_subject(result) == {"stbackupa": "pass", "stbackupb": "fail"}
    assert "one datacenter" in details(result)["stbackupb"]
    blobs = [blob_services("stbackupa", soft_delete=True, versioning=None, days=30),
             blob_services("stbackupb", soft_delete=None, versioning=None)]
    result = run("RES-STG-004", {"azure_resources": rows, "azure_arm_details": blobs})
    assert by_subject(result) == {"stbackupa": "pass", "stbackupb": "fail"}
    assert details(result)["stbackupb"] == ("blob soft delete off (not set: Azure leaves it "
                                            "off)")


def test_vault_redundancy_soft_delete_immutability():
    rows = [vault("rsv-a", immutability="Locked"),
            vault("rsv-b", redundancy="LocallyRedundant", soft="Disabled",
                  immutability="Disabled"),
            vault("rsv-c", redundancy=None, soft=None)]
    tables = {"azure_resources": rows}
    assert by_subject(run("RES-RSV-001", tables)) == {"rsv-a": "pass", "rsv-b": "fail",
                                                    "rsv-c": "pass"}
    assert "default GeoRedundant assumed" in details(run("RES-RSV-001", tables))["rsv-c"]
    assert by_subject(run("RES-RSV-002", tables)) == {"rsv-a": "pass", "rsv-b": "fail",
                                                    "rsv-c": "pass"}
    assert details(run("RES-RSV-002", tables))["rsv-b"] == "soft delete Disabled (14 days)"
    result = run("RES-RSV-003", tables)
    assert by_subject(result) == {"rsv-a": "pass", "rsv-b": "fail", "rsv-c": "fail"}
    assert details(result)["rsv-c"] == "immutability not set (Azure's default: Disabled)"


@pytest.mark.parametrize("schedule, minutes", [
    ("0 */6 * * *", 360), ("*/15 * * * *", 15), ("@hourly", 60), ("30 2 * * *", 1440),
    ("0 1 * * 1-5", 3 * 1440), ("0 0 1 * *", 31 * 1440), ("0,30 8-18 * * *", 13 * 60 + 30),
    ("0 0 * * SUN", 7 * 1440), ("not a cron", None), ("61 * * * *", None),
])
def test_cron_max_interval(schedule, minutes):
    assert cron_max_interval_minutes(schedule) == minutes


def rpo_story(versioning: bool | None, jobs: list[dict] | None):
    tables = {"azure_resources": [pg("psql-prod", "SameZone"),
                                  storage("strprodfiles", "Standard_ZRS")]}
    if versioning is not None:
        tables["azure_arm_details"] = [blob_services("strprodfiles", soft_delete=True,
                                                     versioning=versioning)]
    if jobs is not None:
        tables["k8s_objects"] = jobs
    return tables


def test_rpo_pg_pass_filestore_fail_on_cron_interval():
    result = run("RES-RPO-001", rpo_story(False, [cronjob("odoo-prod", "filestore-sync",
                                                          "0 */6 * * *")]))
    assert by_subject(result) == {"psql-prod": "pass", "strprodfiles": "fail"}
    d = details(result)
    assert "RPO about 5 min (target 15 min)" in d["psql-prod"]
    assert ("CronJob odoo-prod/filestore-sync ('0 */6 * * *') copies it every 360 min at "
            "worst: RPO 360 min (target 15 min)") in d["strprodfiles"]


def test_rpo_filestore_pass_with_versioning_or_frequent_sync():
    result = run("RES-RPO-001", rpo_story(True, None))
    assert by_subject(result)["strprodfiles"] == "pass"
    assert "blob versioning keeps every overwrite" in details(result)["strprodfiles"]
    result = run("RES-RPO-001", rpo_story(None, [cronjob("odoo-prod", "filestore-sync",
                                                         "*/10 * * * *")]))
    assert by_subject(result)["strprodfiles"] == "pass"
    assert "blob versioning not collected" in details(result)["strprodfiles"]


def test_rpo_filestore_without_mechanism_fails_and_unknown_is_not_assessed():
    suspended = [cronjob("odoo-prod", "filestore-sync", "*/5 * * * *", suspend=True)]
    result = run("RES-RPO-001", rpo_story(False, suspended))
    assert by_subject(result)["strprodfiles"] == "fail"
    assert "nothing bounds" in details(result)["strprodfiles"]
    result = run("RES-RPO-001", rpo_story(False, None))
    assert by_subject(result)["strprodfiles"] == "not_assessed"


def test_rpo_estimates_table_for_charts():
    story = rpo_story(False, [cronjob("odoo-prod", "filestore-sync", "0 */6 * * *")])
    table = rpo_estimates(evidence_from_records(story), params_for())
    assert table.set_index("kind")["rpo_minutes"].to_dict() == {"PostgreSQL": 5.0,
                                                                "Odoo filestore": 360.0}
    assert (table["target_minutes"] == 15).all()


def test_rto_achieved_attested():
    bad = run("RES-RTO-001", {"attestations": [
        attestation("restore_drill.achieved_rto_minutes", "95")]})
    assert bad.status.tolist() == ["fail"]
    assert bad.subject[0] == "attestation:restore_drill.achieved_rto_minutes"
    assert bad.detail[0] == ("last restore drill took 95 min against the RTO target of 60 min "
                             "(attested by Marta Keller (Platform Lead) on 2026-11-20)")
    good = run("RES-RTO-001", {"attestations": [
        attestation("restore_drill.achieved_rto_minutes", "45")]},
        targets={"rto_minutes": 60})
    assert good.status.tolist() == ["pass"]
    missing = run("RES-RTO-001", {"attestations": [attestation("oncall.rota", "x")]})
    assert missing.status.tolist() == ["not_assessed"]
    assert "No attestation 'restore_drill.achieved_rto_minutes'" in missing.detail[0]


def test_restore_drill_age():
    old = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-03-12")]})
    assert old.status.tolist() == ["fail"]
    assert "260 days before the review (max 180" in old.detail[0]
    recent = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-10-01")]})
    assert recent.status.tolist() == ["pass"]
    latest_wins = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-10-01", at=dt.date(2026, 11, 1)),
        attestation("restore_drill.last_date", "2025-01-01", at=dt.date(2026, 1, 1))]})
    assert latest_wins.status.tolist() == ["pass"]


def test_dr_runbook_owner_and_review():
    owner = run("RES-DR-001", {"attestations": [
        attestation("dr_runbook.owner", "Head of Platform Engineering", by="Jonas Weber")]})
    assert owner.status.tolist() == ["pass"]
    assert owner.detail[0].startswith("DR runbook owner: Head of Platform Engineering "
                                      "(attested by Jonas Weber on")
    nobody = run("RES-DR-001", {"attestations": [attestation("dr_runbook.owner", "none")]})
    assert nobody.status.tolist() == ["fail"]
    reviewed = run("RES-DR-002", {"attestations": [
        attestation("dr_runbook.last_reviewed", "2026-09-01")]})
    assert reviewed.status.tolist() == ["pass"]
    assert "87 days ago (max 365" in reviewed.detail[0]
    stale = run("RES-DR-002", {"attestations": [
        attestation("dr_runbook.last_reviewed", "2025-06-30")]})
    assert stale.status.tolist() == ["fail"]


def test_attestation_checks_not_assessed_without_table():
    result = run("RES-DRL-001", {"azure_resources": []})
    assert result.status.tolist() == ["not_assessed"]
    assert "attestations" in result.detail[0]
