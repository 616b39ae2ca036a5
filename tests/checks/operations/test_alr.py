"""Tests of the operations checks OPS-ALR-*: alerting."""

from factories import SUB, by_subject, run

from readiness_kit.checks.operations import alert_coverage, diagnostic_coverage
from readiness_kit.evidence import evidence_from_records

from ._shared import RG, aks, arm, pg

AG = f"{RG}/providers/Microsoft.Insights/actionGroups/ag-oncall"


def redis(name: str = "redis-prod") -> dict:
    return arm("Microsoft.Cache/Redis", name,
               {"sku": {"name": "Premium", "family": "P", "capacity": 1}},
               zones=["1", "2"])


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
    assert d["redis-prod"] == "Redis: no alert rule; missing: memory"


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


def test_coverage_helpers_return_none_without_evidence():
    ev = evidence_from_records({})
    assert alert_coverage(ev) is None
    assert diagnostic_coverage(ev) is None
