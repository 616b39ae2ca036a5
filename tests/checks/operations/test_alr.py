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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, renamed  # noqa: E402


def test_alert_coverage_real_bodies():
    cache = real_body("redis_premium_one_zone")
    cluster = renamed(real_body("aks_cluster_create"), "myClusterName")  # the group's cluster
    # the metric alert example watches a VM's CPU; re-aimed (its scope and metric, the two
    # things coverage judges) at the cache's memory
    memory = real_body("metric_alert_vm_cpu", set={
        "properties.scopes": [cache["id"]],
        "properties.criteria.allOf.0.metricName": "usedmemorypercentage"})
    # the Prometheus group is bound to the cluster by clusterName, but its one alert watches a
    # billing job, not nodes or pods
    billing = real_body("prometheus_rule_group")
    result = run("OPS-ALR-001", {"azure_resources": [cache, cluster, real_body(
        "metric_alert_vm_cpu"), billing]})
    assert by_subject(result) == {"cache1": "fail", "myClusterName": "fail"}
    assert by_subject(result, "detail")["myClusterName"] == (
        "AKS: no alert rule; missing: node or pod health")
    pods = real_body("prometheus_rule_group", set={
        "properties.rules.1.expression": 'sum(kube_pod_status_ready{condition="false"}) > 0'})
    result = run("OPS-ALR-001", {"azure_resources": [cache, cluster, memory, pods]})
    assert by_subject(result) == {"cache1": "pass", "myClusterName": "pass"}
    d = by_subject(result, "detail")
    assert d["cache1"] == "Redis: alerts on memory (chiricutin)"
    assert d["myClusterName"] == ("AKS: alerts on node or pod health (myPrometheusRuleGroup "
                                  "(Prometheus rule group))")


def test_action_groups_and_rules_notify_real_bodies():
    group = real_body("action_group")            # SMS (one enabled), webhook, email
    result = run("OPS-ALR-002", {"azure_resources": [group]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == "receivers: 1 SMS, 1 webhook, 1 email"
    # the receivers ARM reports Disabled do not count: email alone pages nobody
    quiet = real_body("action_group", set={
        "properties.smsReceivers.1.status": "Disabled", "properties.webhookReceivers": []})
    result = run("OPS-ALR-002", {"azure_resources": [quiet]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == ("receivers: 1 email; no SMS, voice, webhook, ITSM or push "
                                "receiver: nobody is paged")
    rules = [real_body("metric_alert_vm_cpu"), real_body("scheduled_query_rule"),
             real_body("prometheus_rule_group"),
             renamed(real_body("scheduled_query_rule", set={
                 "properties.actions.actionGroups": []}), "silent"),
             renamed(real_body("prometheus_rule_group", set={
                 "properties.enabled": False}), "disabled")]
    result = run("OPS-ALR-004", {"azure_resources": rules})
    assert by_subject(result) == {"chiricutin": "pass", "perf": "pass",
                                  "myPrometheusRuleGroup": "pass", "silent": "fail",
                                  "disabled": "fail"}
    assert by_subject(result, "detail")["silent"] == (
        "log search alert enabled, notifies no action group")


def test_service_health_alert_real_bodies():
    admin = real_body("activity_log_alert")                   # category Administrative
    health = real_body("activity_log_alert_service_health")   # scope "subscriptions/<id>"
    result = run("OPS-ALR-003", {"azure_resources": [admin]})
    assert result.status.tolist() == ["fail"]
    result = run("OPS-ALR-003", {"azure_resources": [health]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == ("activity log alert SampleActivityLogAlertRule notifies an "
                                "action group on Service Health events")
