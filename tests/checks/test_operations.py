"""Operations checks: monitoring, logging, alerting, SLO / on-call answers, patching, PG."""

import functools

import factories
import pytest
from factories import SUB, attestation, by_subject, odoo_conf, pg_settings, run

from readiness_kit.checks.operations import (
    AKS_OLDEST_SUPPORTED_MINOR,
    alert_coverage,
    diagnostic_coverage,
)
from readiness_kit.evidence import evidence_from_records

RG = f"/subscriptions/{SUB}/resourceGroups/rg-prod"
LAW = f"{RG}/providers/Microsoft.OperationalInsights/workspaces/log-prod"
AG = f"{RG}/providers/Microsoft.Insights/actionGroups/ag-oncall"

#: Every resource of this story lives in resource group rg-prod.
arm = functools.partial(factories.arm, rg="rg-prod")


# ----------------------------------------------------------------------------- ARM shapes
def aks(name: str = "aks-prod", *, version: str = "1.31.2", oms: bool | None = True,
        upgrade: str | None = "patch", node_os: str | None = "NodeImage",
        pool_version: str | None = None) -> dict:
    props: dict = {
        "kubernetesVersion": version, "currentKubernetesVersion": version,
        "agentPoolProfiles": [{"name": "system", "mode": "System", "count": 3,
                               "orchestratorVersion": pool_version or version,
                               "currentOrchestratorVersion": pool_version or version,
                               "availabilityZones": ["1", "2", "3"]}],
        "addonProfiles": {"azurepolicy": {"enabled": True}},
    }
    if oms is not None:
        props["addonProfiles"]["omsagent"] = {
            "enabled": oms, "config": {"logAnalyticsWorkspaceResourceID": LAW,
                                       "useAADAuth": "true"}}
    upgrade_profile = {}
    if upgrade is not None:
        upgrade_profile["upgradeChannel"] = upgrade
    if node_os is not None:
        upgrade_profile["nodeOSUpgradeChannel"] = node_os
    if upgrade_profile:
        props["autoUpgradeProfile"] = upgrade_profile
    return arm("Microsoft.ContainerService/managedClusters", name, props,
               sku={"name": "Base", "tier": "Standard"})


def pg(name: str = "psql-prod") -> dict:
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name,
               {"version": "16", "state": "Ready",
                "highAvailability": {"mode": "ZoneRedundant"}},
               sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})


def redis(name: str = "redis-prod") -> dict:
    return arm("Microsoft.Cache/Redis", name,
               {"sku": {"name": "Premium", "family": "P", "capacity": 1}},
               zones=["1", "2"])


def storage(name: str) -> dict:
    return arm("Microsoft.Storage/storageAccounts", name, {"minimumTlsVersion": "TLS1_2"},
               sku={"name": "Standard_ZRS", "tier": "Standard"}, kind="StorageV2")


def key_vault(name: str = "kv-prod") -> dict:
    return arm("Microsoft.KeyVault/vaults", name,
               {"tenantId": SUB, "enableSoftDelete": True, "enableRbacAuthorization": True,
                "sku": {"family": "A", "name": "standard"}})


def workspace(name: str, retention: int | None) -> dict:
    props = {"customerId": "8a1b2c3d-0000-4000-8000-000000000000",
             "sku": {"name": "PerGB2018"}, "provisioningState": "Succeeded",
             "workspaceCapping": {"dailyQuotaGb": -1.0}}
    if retention is not None:
        props["retentionInDays"] = retention
    return arm("Microsoft.OperationalInsights/workspaces", name, props)


def metric_alert(name: str, scope: str, metrics: list[str], *, target_type: str,
                 enabled: bool = True) -> dict:
    return arm("Microsoft.Insights/metricAlerts", name, {
        "description": f"{name} above threshold", "severity": 2, "enabled": enabled,
        "scopes": [scope], "evaluationFrequency": "PT1M", "windowSize": "PT5M",
        "targetResourceType": target_type, "targetResourceRegion": "westeurope",
        "criteria": {
            "odata.type": "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria",
            "allOf": [{"criterionType": "StaticThresholdCriterion", "name": f"c{i}",
                       "metricName": m, "metricNamespace": target_type,
                       "operator": "GreaterThan", "threshold": 80,
                       "timeAggregation": "Average", "dimensions": []}
                      for i, m in enumerate(metrics)]},
        "autoMitigate": True,
        "actions": [{"actionGroupId": AG, "webHookProperties": {}}]}, location="global")


def action_group(name: str, *, email: int = 1, sms: int = 0, webhook: int = 0,
                 enabled: bool = True) -> dict:
    return arm("Microsoft.Insights/actionGroups", name, {
        "groupShortName": name[:12], "enabled": enabled,
        "emailReceivers": [{"name": f"mail{i}", "emailAddress": f"ops{i}@retail.example",
                            "useCommonAlertSchema": True, "status": "Enabled"}
                           for i in range(email)],
        "smsReceivers": [{"name": f"sms{i}", "countryCode": "49", "phoneNumber": "1701234567",
                          "status": "Enabled"} for i in range(sms)],
        "webhookReceivers": [{"name": "pagerduty", "serviceUri":
                              "https://events.pagerduty.com/integration/<redacted>/enqueue",
                              "useCommonAlertSchema": True} for _ in range(webhook)],
        "itsmReceivers": [], "azureAppPushReceivers": [], "automationRunbookReceivers": [],
        "voiceReceivers": [], "logicAppReceivers": [], "azureFunctionReceivers": [],
        "armRoleReceivers": [], "eventHubReceivers": []}, location="Global")


def service_health_alert(name: str, *, category: str = "ServiceHealth",
                         groups: bool = True) -> dict:
    return arm("Microsoft.Insights/activityLogAlerts", name, {
        "scopes": [f"/subscriptions/{SUB}"], "enabled": True,
        "condition": {"allOf": [
            {"field": "category", "equals": category},
            {"anyOf": [{"field": "properties.incidentType", "equals": "Incident"},
                       {"field": "properties.incidentType", "equals": "Maintenance"}]}]},
        "actions": {"actionGroups": [{"actionGroupId": AG, "webhookProperties": {}}]
                    if groups else []}}, location="Global")


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


# -------------------------------------------------------------------------------- checks
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
    assert d["kv-prod"] == "Key Vault logs audit go to log-prod"
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


def test_log_analytics_retention():
    result = run("OPS-LOG-001", {"azure_resources": [workspace("log-a", 30),
                                                     workspace("log-b", 180),
                                                     workspace("log-c", None)]})
    assert by_subject(result) == {"log-a": "fail", "log-b": "pass", "log-c": "fail"}
    d = by_subject(result, "detail")
    assert d["log-a"] == "retention is 30 days (minimum 90)"
    assert "Azure's default 30 assumed" in d["log-c"]


def test_odoo_logging():
    good = run("OPS-LOG-002", {"odoo_config": odoo_conf(
        "ConfigMap/odoo-prod/odoo-conf", workers="8", log_level="info", logfile="False",
        admin_passwd="<redacted>")})
    assert dict(zip(good.subject, good.status, strict=True)) == {"odoo:log_level": "pass",
                                                                 "odoo:logfile": "pass"}
    bad = run("OPS-LOG-002", {"odoo_config": odoo_conf(
        "ConfigMap/odoo-prod/odoo-conf", log_level="debug_sql",
        logfile="/var/log/odoo/odoo.log")})
    assert bad.status.tolist() == ["fail", "fail"]
    assert "logs stay inside the container" in bad.detail[1]
    default = run("OPS-LOG-002", {"odoo_config": odoo_conf("odoo.conf", workers="4")})
    assert default.status.tolist() == ["pass", "pass"]
    assert default.detail[0] == "log_level not set (Odoo's default: info)"


def alert_story(*alerts) -> dict[str, list[dict]]:
    rows = [aks("aks-prod"), pg("psql-prod"), redis("redis-prod"), action_group("ag-oncall")]
    return {"azure_resources": rows + [a(rows) for a in alerts]}


AKS_T = "Microsoft.ContainerService/managedClusters"
PG_T = "Microsoft.DBforPostgreSQL/flexibleServers"


def test_metric_alert_coverage_fail_story():
    story = alert_story(
        lambda r: metric_alert("aks-node-cpu", r[0]["id"], ["node_cpu_usage_percentage"],
                               target_type=AKS_T),
        lambda r: metric_alert("pg-cpu", r[1]["id"], ["cpu_percent"], target_type=PG_T))
    result = run("OPS-ALR-001", story)
    assert by_subject(result) == {"aks-prod": "pass", "psql-prod": "fail", "redis-prod": "fail"}
    d = by_subject(result, "detail")
    assert d["aks-prod"] == "AKS: alerts on node or pod health (aks-node-cpu)"
    assert d["psql-prod"] == ("PostgreSQL: alerts on CPU (pg-cpu); missing: storage, "
                              "connections")
    assert d["redis-prod"] == "Redis: no metric alert; missing: memory"


def test_metric_alert_coverage_pass_with_resource_group_scope():
    story = alert_story(
        lambda r: metric_alert("aks-pods", r[0]["id"], ["kube_pod_status_ready"],
                               target_type=AKS_T),
        lambda r: metric_alert("pg-all", RG, ["cpu_percent", "storage_percent",
                                              "active_connections"], target_type=PG_T),
        lambda r: metric_alert("redis-mem", r[2]["id"].upper(), ["usedmemorypercentage"],
                               target_type="Microsoft.Cache/Redis"),
        lambda r: metric_alert("pg-off", r[1]["id"], ["memory_percent"], target_type=PG_T,
                               enabled=False))
    result = run("OPS-ALR-001", story)
    assert set(result.status) == {"pass"}
    grid = alert_coverage(evidence_from_records(story))
    pg_mem = grid[(grid["name"] == "psql-prod") & (grid["signal"] == "Memory")]
    assert not pg_mem["covered"].iloc[0]  # the disabled alert does not count


def test_action_groups_page():
    result = run("OPS-ALR-002", {"azure_resources": [
        action_group("ag-mail", email=2), action_group("ag-pager", email=1, webhook=1),
        action_group("ag-sms", email=0, sms=2, enabled=False)]})
    assert by_subject(result) == {"ag-mail": "fail", "ag-pager": "pass", "ag-sms": "fail"}
    d = by_subject(result, "detail")
    assert d["ag-mail"] == ("receivers: 2 email; no SMS, voice, webhook, ITSM or push receiver: "
                            "nobody is paged")
    assert d["ag-pager"] == "receivers: 1 webhook, 1 email"
    assert d["ag-sms"].startswith("action group is disabled; receivers: 2 SMS")


def test_no_action_groups_fails_per_subscription():
    result = run("OPS-ALR-002", {"azure_resources": [pg()]})
    assert result.subject.tolist() == [f"/subscriptions/{SUB}"]
    assert result.status.tolist() == ["fail"]


def test_service_health_alert():
    good = run("OPS-ALR-003", {"azure_resources": [pg(), service_health_alert("sh-alert")]})
    assert good.status.tolist() == ["pass"]
    assert good.detail[0].startswith("activity log alert sh-alert notifies")
    silent = run("OPS-ALR-003", {"azure_resources": [pg(), service_health_alert(
        "sh-alert", groups=False), service_health_alert("admin", category="Administrative")]})
    assert silent.status.tolist() == ["fail"]
    assert silent.detail[0] == "activity log alert sh-alert has no action group"
    none = run("OPS-ALR-003", {"azure_resources": [pg()]})
    assert none.status.tolist() == ["fail"]
    assert "no Service Health activity log alert" in none.detail[0]


@pytest.mark.parametrize("check_id, key, good, bad", [
    ("OPS-SLO-001", "slo.checkout_availability", "99.9% monthly", "as high as possible"),
    ("OPS-INC-001", "oncall.rota", "PagerDuty schedule Retail Platform, 24x7", "none"),
    ("OPS-INC-002", "incident.process_owner", "Service Delivery Manager", "TBD"),
    ("OPS-PAT-004", "patching.cadence", "monthly node image, quarterly minor", "unknown"),
])
def test_attested_operations(check_id, key, good, bad):
    ok = run(check_id, {"attestations": [attestation(key, good)]})
    assert ok.status.tolist() == ["pass"]
    assert ok.subject[0] == f"attestation:{key}"
    assert ok.detail[0].endswith(f"{good} (attested by Marta Keller (Platform Lead) "
                                 "on 2026-11-20)")
    ko = run(check_id, {"attestations": [attestation(key, bad)]})
    assert ko.status.tolist() == ["fail"]
    missing = run(check_id, {"attestations": [attestation("other.key", "x")]})
    assert missing.status.tolist() == ["not_assessed"]


def test_aks_supported_version():
    assert AKS_OLDEST_SUPPORTED_MINOR == (1, 31)
    result = run("OPS-PAT-001", {"azure_resources": [
        aks("aks-old", version="1.29.9"), aks("aks-new", version="1.32.1"),
        aks("aks-mixed", version="1.31.2", pool_version="1.30.6")]})
    assert by_subject(result) == {"aks-old": "fail", "aks-new": "pass", "aks-mixed": "fail"}
    d = by_subject(result, "detail")
    assert d["aks-old"] == "Kubernetes 1.29.9 (oldest supported minor 1.31): out of support"
    assert "oldest node pool 1.30.6" in d["aks-mixed"]


def test_aks_upgrade_channels():
    rows = [aks("aks-a", upgrade="patch", node_os="NodeImage"),
            aks("aks-b", upgrade="none", node_os="Unmanaged"),
            aks("aks-c", upgrade=None, node_os=None)]
    upgrade = run("OPS-PAT-002", {"azure_resources": rows})
    assert by_subject(upgrade) == {"aks-a": "pass", "aks-b": "fail", "aks-c": "fail"}
    assert by_subject(upgrade, "detail")["aks-c"] == ("auto-upgrade channel not set (Azure treats "
                                                   "it as none)")
    node_os = run("OPS-PAT-003", {"azure_resources": rows})
    assert by_subject(node_os) == {"aks-a": "pass", "aks-b": "fail", "aks-c": "pass"}
    assert "default NodeImage assumed" in by_subject(node_os, "detail")["aks-c"]


def test_pg_stat_statements():
    rows = (pg_settings("psql-a", shared_preload_libraries="azure,pg_cron,pg_stat_statements")
            + pg_settings("psql-b", shared_preload_libraries="azure"))
    ext = [{"server": "psql-a", "datname": "odoo_prod", "extname": "pg_stat_statements",
            "extversion": "1.10"}]
    result = run("OPS-PG-001", {"pg_settings": rows, "pg_extensions": ext})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-a/shared_preload_libraries": "pass",
        "postgres:psql-b/shared_preload_libraries": "fail"}
    assert "extension created in odoo_prod" in result.detail[0]
    assert result.detail[1].endswith("pg_stat_statements not loaded")


def test_pg_slow_statement_logging_from_pg_settings_or_arm():
    result = run("OPS-PG-002", {"pg_settings": pg_settings("psql-a",
                                                           log_min_duration_statement="-1")
                                + pg_settings("psql-b", log_min_duration_statement="1000")})
    assert result.status.tolist() == ["fail", "pass"]
    assert result.detail[0] == "log_min_duration_statement = -1 ms: slow statement logging is off"
    server = pg("psql-c")["id"]
    conf = {"resource_id": f"{server}/configurations/log_min_duration_statement",
            "detail_type": "configurations", "name": "log_min_duration_statement",
            "properties": {"value": "0", "defaultValue": "-1", "dataType": "Integer",
                           "source": "user-override", "allowedValues": "-1-2147483647"}}
    result = run("OPS-PG-002", {"azure_arm_details": [conf]})
    assert result.subject.tolist() == ["postgres:psql-c/log_min_duration_statement"]
    assert result.status.tolist() == ["fail"]
    assert "every statement is logged" in result.detail[0]
    assert run("OPS-PG-002", {}).status.tolist() == ["not_assessed"]


def test_coverage_helpers_return_none_without_evidence():
    ev = evidence_from_records({})
    assert alert_coverage(ev) is None
    assert diagnostic_coverage(ev) is None
