"""Tests of the security checks SEC-LOG-*: security logging."""

from factories import SUB, by_subject, detail_of, run

from ._shared import aks


def diag(resource_id: str, name: str, logs: list[dict]) -> dict:
    return {"resource_id": resource_id, "detail_type": "diagnosticSettings", "name": name,
            "properties": {
                "workspaceId": f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-ops/"
                               "providers/Microsoft.OperationalInsights/workspaces/log",
                "logAnalyticsDestinationType": "Dedicated",
                "logs": logs, "metrics": [{"category": "AllMetrics", "enabled": True}]}}


def test_aks_audit_logs():
    good, bad, none_ = aks("aks-good"), aks("aks-bad"), aks("aks-none")
    details = [
        diag(good["id"], "aks-diag", [
            {"category": "kube-apiserver", "enabled": True},
            {"category": "kube-audit-admin", "enabled": True,
             "retentionPolicy": {"enabled": False, "days": 0}}]),
        diag(bad["id"], "aks-diag", [{"category": "kube-audit", "enabled": False},
                                     {"category": "cluster-autoscaler", "enabled": True}]),
    ]
    result = run("SEC-LOG-001", {"azure_resources": [good, bad, none_],
                                 "azure_arm_details": details})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail", "aks-none": "fail"}
    assert "kube-audit-admin to Log Analytics" in detail_of(result, "aks-good")
    assert "do not send kube-audit" in detail_of(result, "aks-bad")
    assert "no diagnostic setting" in detail_of(result, "aks-none")


def test_aks_audit_logs_category_group():
    cluster = aks()
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [
        diag(cluster["id"], "all", [{"categoryGroup": "audit", "enabled": True}])]})
    assert result.status.tolist() == ["pass"]


def test_aks_audit_logs_not_assessed_without_arm_details():
    result = run("SEC-LOG-001", {"azure_resources": [aks()]})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_arm_details" in result.detail[0]


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, real_detail  # noqa: E402


def test_aks_audit_logs_real_bodies():
    cluster = real_body("aks_cluster_create")
    all_logs = real_detail("diagnostic_setting_workspace", parent=cluster["id"])  # allLogs
    apiserver = real_detail("diagnostic_setting_workspace", parent=cluster["id"], set={
        "properties.logs": [{"category": "kube-apiserver", "enabled": True}]})
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [all_logs]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == "kube audit logs sent: allLogs to Log Analytics (setting " \
        "'mysetting')"
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [apiserver]})
    assert result.status.tolist() == ["fail"]
    # diagnostic settings never read (only blob services were): not judged
    blob = real_detail("storage_blob_service")
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [blob]})
    assert result.status.tolist() == ["not_assessed"]
    assert result.detail[0] == ("diagnostic settings not collected (diagnosticSettings was not "
                                "collected)")
    gap = {"source": "azure", "scope": "00000000-0000-0000-0000-000000000000",
           "table": "azure_arm_details",
           "what": "diagnosticSettings of microsoft.containerservice/managedclusters/"
                   "clustername1", "reason": "403 AuthorizationFailed"}
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [blob],
                                 "collection_gaps": [gap]})
    assert result.status.tolist() == ["not_assessed"]
    assert "403 AuthorizationFailed" in result.detail[0]
