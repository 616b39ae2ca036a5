"""Tests of the operations checks OPS-LOG-*: logging."""

from factories import by_subject, odoo_conf, run

from ._shared import arm


def workspace(name: str, retention: int | None) -> dict:
    props = {"customerId": "8a1b2c3d-0000-4000-8000-000000000000",
             "sku": {"name": "PerGB2018"}, "provisioningState": "Succeeded",
             "workspaceCapping": {"dailyQuotaGb": -1.0}}
    if retention is not None:
        props["retentionInDays"] = retention
    return arm("Microsoft.OperationalInsights/workspaces", name, props)


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


def test_log_retention_real_bodies():
    from factories import real_body, renamed
    result = run("OPS-LOG-001", {"azure_resources": [
        real_body("log_analytics_workspace"),                       # retentionInDays 30
        renamed(real_body("log_analytics_workspace",
                          set={"properties.retentionInDays": 180}), "law-long")]})
    assert dict(zip(result.subject.str.rsplit("/", n=1).str[-1], result.status,
                    strict=True)) == {"oiautorest6685": "fail", "law-long": "pass"}
    assert result.detail[0] == "retention is 30 days (minimum 90)"
