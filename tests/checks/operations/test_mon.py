"""Tests of the operations checks OPS-MON-*: monitoring."""

from factories import SUB, by_subject, run

from ._shared import LAW, RG, aks, arm, pg


def storage(name: str) -> dict:
    return arm("Microsoft.Storage/storageAccounts", name, {"minimumTlsVersion": "TLS1_2"},
               sku={"name": "Standard_ZRS", "tier": "Standard"}, kind="StorageV2")


def key_vault(name: str = "kv-prod") -> dict:
    return arm("Microsoft.KeyVault/vaults", name,
               {"tenantId": SUB, "enableSoftDelete": True, "enableRbacAuthorization": True,
                "sku": {"family": "A", "name": "standard"}})


def diag(resource_id: str, categories: list[str], *, sub_path: str = "",
         group: bool = False, enabled: bool = True) -> dict:
    key = "categoryGroup" if group else "category"
    return {"resource_id": f"{resource_id}{sub_path}/providers/microsoft.insights/"
                           "diagnosticSettings/to-law",
            "detail_type": "diagnosticSettings", "name": "to-law",
            "properties": {"workspaceId": LAW,
                           "logs": [{key: c, "enabled": enabled,
                                     "retentionPolicy": {"enabled": False, "days": 0}}
                                    for c in categories],
                           "metrics": [{"category": "AllMetrics", "enabled": True}]}}


def test_container_insights():
    result = run("OPS-MON-001", {"azure_resources": [aks("aks-a"), aks("aks-b", oms=False),
                                                     aks("aks-c", oms=None)]})
    assert by_subject(result) == {"aks-a": "pass", "aks-b": "fail", "aks-c": "fail"}
    assert by_subject(result, "detail")["aks-a"] == (
        "Container Insights enabled, sending to log-prod")


def test_diagnostic_settings_cover_resources_and_storage_services():
    rows = [aks("aks-a"), pg("psql-prod"), storage("stfiles"), storage("stbackup"),
            key_vault("kv-prod")]
    details = [diag(rows[0]["id"], ["kube-audit-admin", "cluster-autoscaler"]),
               diag(rows[2]["id"], ["StorageRead", "StorageWrite", "StorageDelete"],
                    sub_path="/blobServices/default"),
               diag(rows[3]["id"], ["Transaction"], enabled=False),
               {**diag(rows[4]["id"], ["audit"], group=True),
                "resource_id": rows[4]["id"]}]  # a collector may store the target's id
    result = run("OPS-MON-002", {"azure_resources": rows, "azure_arm_details": details})
    assert by_subject(result) == {"aks-a": "pass", "psql-prod": "fail", "stfiles": "pass",
                               "stbackup": "fail", "kv-prod": "pass"}
    d = by_subject(result, "detail")
    assert d["psql-prod"] == "no diagnostic setting exports PostgreSQL logs"
    assert d["kv-prod"] == "Key Vault logs audit go to Log Analytics log-prod"
    assert "StorageDelete, StorageRead, StorageWrite" in d["stfiles"]


def test_diagnostic_settings_gap_is_not_assessed():
    gap = {"source": "azure", "scope": SUB, "table": "azure_arm_details",
           "what": "diagnosticSettings", "reason": "429 throttled"}
    result = run("OPS-MON-002", {"azure_resources": [pg()], "azure_arm_details": [],
                                 "collection_gaps": [gap]})
    assert result.status.tolist() == ["not_assessed"]
    assert "429 throttled" in result.detail[0]


def test_diagnostic_settings_gap_for_one_resource_leaves_others_judged():
    gap = {"source": "azure", "scope": RG, "table": "azure_arm_details",
           "what": "diagnosticSettings of microsoft.dbforpostgresql/flexibleservers/psql-a",
           "reason": "403 AuthorizationFailed"}
    result = run("OPS-MON-002", {"azure_resources": [pg("psql-a"), pg("psql-b"), key_vault()],
                                 "azure_arm_details": [], "collection_gaps": [gap]})
    assert by_subject(result) == {"psql-a": "not_assessed", "psql-b": "fail", "kv-prod": "fail"}
    assert "403 AuthorizationFailed" in by_subject(result, "detail")["psql-a"]


def test_app_insights_for_odoo():
    law_based = arm("microsoft.insights/components", "appi-odoo-prod", {
        "Application_Type": "web", "WorkspaceResourceId": LAW, "IngestionMode": "LogAnalytics",
        "RetentionInDays": 90}, kind="web")
    classic = arm("microsoft.insights/components", "appi-shop", {
        "Application_Type": "web", "IngestionMode": "ApplicationInsights"}, kind="web",
        tags={"app": "odoo"})
    result = run("OPS-MON-003", {"azure_resources": [law_based, classic]})
    assert by_subject(result) == {"appi-odoo-prod": "pass", "appi-shop": "fail"}
    assert "classic" in by_subject(result, "detail")["appi-shop"]
    other = arm("microsoft.insights/components", "appi-website", {"WorkspaceResourceId": LAW})
    result = run("OPS-MON-003", {"azure_resources": [other]})
    assert result.subject.tolist() == ["odoo:application_insights"]
    assert result.status.tolist() == ["fail"]
    assert "components seen: appi-website" in result.detail[0]


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, real_detail, renamed  # noqa: E402

WORKSPACE = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/"
             "microsoft.operationalinsights/workspaces/law1")


def test_container_insights_and_managed_prometheus_real_bodies():
    bare = renamed(real_body("aks_cluster_create"), "bare")        # no addonProfiles
    monitored = renamed(real_body("aks_cluster_create", set={
        "properties.addonProfiles": {"omsagent": {
            "enabled": True, "config": {"logAnalyticsWorkspaceResourceID": WORKSPACE}}},
        "properties.azureMonitorProfile": {"metrics": {"enabled": True}}}), "monitored")
    result = run("OPS-MON-001", {"azure_resources": [bare, monitored]})
    assert by_subject(result) == {"bare": "fail", "monitored": "pass"}
    assert by_subject(result, "detail")["monitored"] == (
        "Container Insights enabled, sending to law1")
    result = run("OPS-MON-004", {"azure_resources": [bare, monitored]})
    assert by_subject(result) == {"bare": "fail", "monitored": "pass"}
    assert by_subject(result, "detail")["bare"] == (
        "managed Prometheus metrics off (not reported; Azure Monitor metrics are off unless "
        "enabled)")


def test_diagnostic_settings_real_bodies():
    cache = real_body("redis_premium_one_zone")
    vault = real_body("keyvault_hardened")
    account = real_body("storage_account_tls12")
    details = [real_detail("diagnostic_setting_workspace", parent=cache["id"]),
               real_detail("diagnostic_setting_no_workspace", parent=vault["id"]),
               real_detail("storage_blob_service", parent=account["id"])]
    result = run("OPS-MON-002", {"azure_resources": [cache, vault, account],
                                 "azure_arm_details": details})
    assert by_subject(result) == {"cache1": "pass", "sample-vault": "fail",
                                  "sto4445": "fail"}
    d = by_subject(result, "detail")
    assert d["cache1"] == "Redis logs allLogs go to Log Analytics myworkspace"
    assert d["sample-vault"] == ("logs go to storage account, event hub, partner solution only, "
                                 "not to a Log Analytics workspace")
    # a 403 on the cache's settings: not judged, the gap named
    gap = {"source": "azure", "scope": "00000000-0000-0000-0000-000000000000",
           "table": "azure_arm_details", "what": "diagnosticSettings of "
           "microsoft.cache/redis/cache1", "reason": "403 AuthorizationFailed"}
    result = run("OPS-MON-002", {"azure_resources": [cache, account],
                                 "azure_arm_details": details[2:], "collection_gaps": [gap]})
    assert by_subject(result) == {"cache1": "not_assessed", "sto4445": "fail"}
    assert "403 AuthorizationFailed" in by_subject(result, "detail")["cache1"]


def test_app_insights_real_bodies():
    # the example names its component my-component; Odoo's is found by its name
    odoo = renamed(real_body("app_insights_component"), "odoo-shop")    # workspace-based
    classic = renamed(real_body("app_insights_component", set={
        "properties.WorkspaceResourceId": ""}), "odoo-legacy")
    result = run("OPS-MON-003", {"azure_resources": [odoo, classic]})
    assert by_subject(result) == {"odoo-shop": "pass", "odoo-legacy": "fail"}
    assert by_subject(result, "detail")["odoo-shop"] == (
        "workspace-based, sending to my-workspace")
    result = run("OPS-MON-003", {"azure_resources": [real_body("app_insights_component")]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == ("no Application Insights component named or tagged for Odoo "
                                "(components seen: my-component)")
