"""Tests of the DevOps checks DEV-ENV-*: environment drift."""

from factories import detail_of, run, statuses

from readiness_kit.checks.devops import environment_kind, staging_vs_production
from readiness_kit.evidence import evidence_from_records

from ._shared import ACR_ODOO, REPO, demo_releases, release


def test_environment_kind():
    import pandas as pd
    kinds = environment_kind(pd.Series(["production", "Prod-WE", "staging", "uat", "dev",
                                        None, ""]))
    assert kinds.tolist() == ["production", "production", "staging", "staging", "other",
                              "", ""]


def test_environment_drift():
    result = run("DEV-ENV-001", {"gitops_releases": demo_releases() + [
        release("production", "hotfix-job", "acr.azurecr.io/job", "1.0")]})
    assert statuses(result) == {f"release:{REPO}/hotfix-job": "fail",
                                  f"release:{REPO}/odoo": "pass",
                                  f"release:{REPO}/redis-exporter": "pass",
                                  f"release:{REPO}/traefik": "fail"}
    assert detail_of(result, f"release:{REPO}/traefik") == (
        "drift: chart 28.3.0 in staging vs 26.1.0 in production; image tag v3.0.4 in staging "
        "vs v2.11.0 in production; overlay config hashes differ (environment settings, "
        "not judged)")
    assert detail_of(result, f"release:{REPO}/odoo") == (
        "staging and production match; Odoo image 17.0-20261120 in staging vs 17.0-20261102 "
        "in production (release being promoted); overlay config hashes differ (environment "
        "settings, not judged)")
    assert detail_of(result, f"release:{REPO}/redis-exporter") == "staging and production match"
    assert "no staging counterpart" in detail_of(result, f"release:{REPO}/hotfix-job")


def test_environment_image_drift():
    rows = [release("staging", "odoo", ACR_ODOO, "1"),
            release("production", "odoo", "docker.io/odoo", "1")]
    result = run("DEV-ENV-001", {"gitops_releases": rows})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == (f"drift: image {ACR_ODOO} in staging vs docker.io/odoo in "
                                "production")
    m = staging_vs_production(evidence_from_records({"gitops_releases": rows}))
    assert m[["image_drift", "chart_drift", "tag_drift", "drift"]].iloc[0].tolist() == [
        True, False, False, True]
