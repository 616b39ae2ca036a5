"""Resilience and operations figures, tested by their trace content (and degrading to a
"not collected" annotation when evidence is missing)."""

import datetime as dt

import plotly.graph_objects as go
import pytest
from factories import annotations, arm, attestation, kobj, review_for, rid

from readiness_kit.charts import operations as ops_charts
from readiness_kit.charts import resilience as res_charts
from readiness_kit.charts.style import STATUS_COLOURS
from readiness_kit.review import Review

AKS = "Microsoft.ContainerService/managedClusters"
AKS_ID = rid("rg-retail-prod-aks", AKS, "aks-retail-prod")
LAW = rid("rg-retail-prod-ops", "Microsoft.OperationalInsights/workspaces", "log-retail-prod")


def story() -> dict[str, list[dict]]:
    pg_id = rid("rg-retail-prod-data", "Microsoft.DBforPostgreSQL/flexibleServers",
                "psql-retail-prod")
    files_id = rid("rg-retail-prod-data", "Microsoft.Storage/storageAccounts",
                   "strretailprodfiles")
    kv_id = rid("rg-retail-prod-data", "Microsoft.KeyVault/vaults", "kv-retail-prod")
    pools = [{"name": "system", "mode": "System", "count": 3,
              "availabilityZones": ["1", "2", "3"], "orchestratorVersion": "1.29.9"},
             {"name": "odoo", "mode": "User", "count": 3, "availabilityZones": ["1", "2"],
              "orchestratorVersion": "1.29.9"}]
    resources = [
        arm(AKS, "aks-retail-prod", rg="rg-retail-prod-aks", properties={
            "kubernetesVersion": "1.29.9", "agentPoolProfiles": pools,
            "addonProfiles": {"omsagent": {"enabled": True, "config": {
                "logAnalyticsWorkspaceResourceID": LAW}}},
            "autoUpgradeProfile": {"upgradeChannel": "none",
                                   "nodeOSUpgradeChannel": "NodeImage"}}),
        arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod", {
            "version": "16", "availabilityZone": "1",
            "highAvailability": {"mode": "SameZone"},
            "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"}}),
        arm("Microsoft.Cache/Redis", "redis-retail-prod", {"enableNonSslPort": False},
            zones=["1", "2"], sku={"name": "Premium", "family": "P", "capacity": 1}),
        arm("Microsoft.Storage/storageAccounts", "strretailprodfiles", {},
            sku={"name": "Standard_ZRS"}),
        arm("Microsoft.Storage/storageAccounts", "strretailprodbackup", {},
            sku={"name": "Standard_LRS"}),
        arm("Microsoft.KeyVault/vaults", "kv-retail-prod", {"enableSoftDelete": True}),
        arm("Microsoft.Network/publicIPAddresses", "pip-traefik-prod",
            {"publicIPAllocationMethod": "Static"},
            zones=["1", "2", "3"], sku={"name": "Standard", "tier": "Regional"}),
        arm("Microsoft.Insights/metricAlerts", "alert-pg-cpu", {
                "enabled": True, "scopes": [pg_id],
                "targetResourceType": "Microsoft.DBforPostgreSQL/flexibleServers",
                "criteria": {"allOf": [{"metricName": "cpu_percent", "operator": "GreaterThan",
                                        "threshold": 80, "timeAggregation": "Average"}]}}),
        arm("Microsoft.Insights/metricAlerts", "alert-aks-node-cpu", {
                "enabled": True, "scopes": [AKS_ID],
                "criteria": {"allOf": [{"metricName": "node_cpu_usage_percentage",
                                        "operator": "GreaterThan", "threshold": 85}]}}),
    ]
    details = [
        {"resource_id": files_id, "detail_type": "blobServices", "name": "default",
         "properties": {"deleteRetentionPolicy": {"enabled": True, "days": 7},
                        "isVersioningEnabled": False}},
        {"resource_id": AKS_ID + "/providers/microsoft.insights/diagnosticSettings/aks-audit",
         "detail_type": "diagnosticSettings", "name": "aks-audit",
         "properties": {"workspaceId": LAW, "logs": [{"category": "kube-audit-admin",
                                                      "enabled": True}]}},
        {"resource_id": kv_id + "/providers/microsoft.insights/diagnosticSettings/kv-audit",
         "detail_type": "diagnosticSettings", "name": "kv-audit",
         "properties": {"workspaceId": LAW, "logs": [{"category": "AuditEvent",
                                                      "enabled": True}]}},
    ]
    k8s = [kobj("CronJob", "odoo-prod", "filestore-sync",
                {"schedule": "0 */6 * * *", "jobTemplate": {}}, api="batch/v1")]
    by = {"by": "Priya Nair (Service Delivery Manager)", "at": dt.date(2026, 11, 21)}
    attestations = [
        attestation("slo.checkout_availability", "99.9% monthly", **by),
        attestation("oncall.rota", "PagerDuty schedule Retail Platform, 24x7", **by),
        attestation("restore_drill.achieved_rto_minutes", "95", **by),
    ]
    return {"azure_resources": resources, "azure_arm_details": details, "k8s_objects": k8s,
            "attestations": attestations}


def review_of(tables: dict[str, list[dict]]) -> Review:
    return review_for(tables, "resilience", "operations")


@pytest.fixture(scope="module")
def demo() -> Review:
    return review_of(story())


def test_backup_rpo_coverage(demo):
    fig = res_charts.backup_rpo_coverage(demo)
    assert "target 15 min" in fig.layout.title.text
    bars = {t.name: t for t in fig.data}
    (pg_label,), (fs_label,) = bars["pass"].y, bars["fail"].y
    assert pg_label.startswith("PostgreSQL psql-retail-prod<br>")
    assert "PITR · 7-day retention · geo-backup Disabled" in pg_label
    assert list(bars["pass"].x) == [5.0]
    assert fs_label.startswith("Filestore strretailprodfiles<br>")
    assert "blob versioning off · CronJob odoo-prod/filestore-sync every 360 min" in fs_label
    assert list(bars["fail"].x) == [360.0]
    assert list(bars["fail"].text) == ["RPO 360 min"]
    assert bars["fail"].marker.color == STATUS_COLOURS["fail"]
    assert "nothing" not in bars["fail"].customdata[0]
    assert "RPO target 15 min" in annotations(fig)


def test_zone_distribution(demo):
    fig = res_charts.zone_distribution(demo)
    heat = fig.data[0]
    rows = dict(zip(heat.y, heat.z, strict=True))
    assert list(heat.x) == ["Zone 1", "Zone 2", "Zone 3", "no zone pinned"]
    assert rows["AKS aks-retail-prod · pool system"] == [2, 2, 2, 0]
    assert rows["AKS aks-retail-prod · pool odoo"] == [2, 2, 0, 0]  # 2 zones meet target 2
    assert rows["PostgreSQL psql-retail-prod"] == [1, 0, 0, 0]  # SameZone: one zone only
    assert rows["Storage strretailprodfiles"] == [2, 2, 2, 0]
    assert rows["Storage strretailprodbackup"] == [0, 0, 0, 1]
    assert rows["Public IP pip-traefik-prod"] == [2, 2, 2, 0]
    assert "target: 2 zones" in fig.layout.title.text


def test_alert_diagnostic_coverage(demo):
    fig = ops_charts.alert_diagnostic_coverage(demo)
    heat = fig.data[0]
    cells = {(y, x): t for y, row in zip(heat.y, heat.text, strict=True)
             for x, t in zip(heat.x, row, strict=True)}
    assert cells[("PostgreSQL · psql-retail-prod", "CPU alert")] == "✓"
    assert cells[("PostgreSQL · psql-retail-prod", "Storage alert")] == "✗"
    assert cells[("PostgreSQL · psql-retail-prod", "Diagnostic logs")] == "✗"
    assert cells[("PostgreSQL · psql-retail-prod", "Memory alert")] == "·"
    assert cells[("Redis · redis-retail-prod", "Memory alert")] == "✗"
    assert cells[("AKS · aks-retail-prod", "CPU alert")] == "✓"
    assert cells[("AKS · aks-retail-prod", "Memory alert")] == "·"  # requirement met by CPU
    assert cells[("AKS · aks-retail-prod", "Container Insights")] == "✓"
    assert cells[("Key Vault · kv-retail-prod", "Diagnostic logs")] == "✓"
    assert cells[("Key Vault · kv-retail-prod", "CPU alert")] == ""  # not applicable
    assert cells[("Storage · strretailprodbackup", "Diagnostic logs")] == "✗"


def test_alert_coverage_marks_diagnostics_not_collected():
    tables = story()
    del tables["azure_arm_details"]
    fig = ops_charts.alert_diagnostic_coverage(review_of(tables))
    heat = fig.data[0]
    column = list(heat.x).index("Diagnostic logs")
    marks = {y: row[column] for y, row in zip(heat.y, heat.text, strict=True)}
    assert marks["Redis · redis-retail-prod"] == "?"  # Redis logs are required too
    assert set(marks.values()) == {"?"}


def test_ownership_table(demo):
    fig = ops_charts.ownership_table(demo)
    table = fig.data[0]
    topic, answer, who, when, verdict = table.cells.values
    rows = dict(zip(topic, zip(answer, verdict, strict=True), strict=True))
    assert rows["Checkout availability SLO"] == ("99.9% monthly", "pass")
    assert rows["Restore drill RTO (minutes)"] == ("95", "fail")
    assert rows["Incident process owner"] == ("not attested", "not assessed")
    assert "Priya Nair (Service Delivery Manager)" in who
    assert "2026-11-21" in when
    fills = dict(zip(topic, table.cells.fill.color[4], strict=True))
    assert fills["Restore drill RTO (minutes)"] == STATUS_COLOURS["fail"]


@pytest.mark.parametrize("chart", [res_charts.backup_rpo_coverage, res_charts.zone_distribution,
                                   ops_charts.alert_diagnostic_coverage,
                                   ops_charts.ownership_table])
def test_charts_degrade_when_evidence_missing(chart):
    fig = chart(review_of({}))
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert any("not collected" in text for text in annotations(fig))


@pytest.mark.parametrize("chart", [res_charts.backup_rpo_coverage, res_charts.zone_distribution,
                                   ops_charts.alert_diagnostic_coverage])
def test_charts_say_when_nothing_of_interest_was_found(chart):
    fig = chart(review_of({"azure_resources": []}))
    assert len(fig.data) == 0
    assert any("not collected?" in text for text in annotations(fig))
