"""Tests of the DevOps checks DEV-CI-*: continuous integration."""

import pytest
from factories import detail_of, run, statuses

from readiness_kit.checks.devops import pipelines_summary
from readiness_kit.evidence import evidence_from_records

from ._shared import BUILD, PROD, STAGING, demo_pipelines, good_pipelines, pipeline, subj


def test_pipelines_summary_aggregates_environments():
    rows = [pipeline("deploy.yml", "staging", deploy_method="helm", requires_approval=False),
            pipeline("deploy.yml", "production", deploy_method="helm",
                     requires_approval=True, has_rollback=None)]
    pl = pipelines_summary(evidence_from_records({"gitops_pipelines": rows}))
    assert len(pl) == 1
    row = pl.iloc[0]
    assert row.environments == "production, staging"
    assert row.deploys_production and row.requires_approval
    assert row.has_rollback is False


def test_cicd_present_across_app_and_gitops_repos():
    app, gitops = "github.com/demo-retail/odoo-retail", "github.com/demo-retail/retail-gitops"
    rows = [pipeline(BUILD, repo=app, runs_tests=True, builds_image=True),
            pipeline(PROD, "production", repo=gitops, deploy_method="flux")]
    result = run("DEV-CI-001", {"gitops_pipelines": rows})
    assert statuses(result) == {"pipeline:*": "pass"}
    assert result.detail[0] == (f"image built by build-odoo.yml ({app}); deployed to "
                                f"production by deploy-prod.yml ({gitops})")


def test_cicd_without_production_deploy_fails():
    result = run("DEV-CI-001", {"gitops_pipelines": [
        pipeline(BUILD, builds_image=True), pipeline(STAGING, "staging", deploy_method="flux")]})
    assert statuses(result) == {"pipeline:*": "fail"}
    assert result.detail[0].endswith("; no pipeline deploys to production")
    result = run("DEV-CI-001", {"gitops_pipelines": [pipeline("lint.yml", runs_tests=True)]})
    assert result.detail[0].startswith("no pipeline builds the application image")


def test_cicd_absent_when_collected_but_empty():
    result = run("DEV-CI-001", {"gitops_pipelines": []})
    assert statuses(result) == {"pipeline:*": "fail"}


def test_cicd_not_assessed_when_not_collected():
    result = run("DEV-CI-001", {})
    assert result.status.tolist() == ["not_assessed"]
    assert "gitops_pipelines" in result.detail[0]


@pytest.mark.parametrize(("check_id", "demo_status", "demo_detail"), [
    ("DEV-CI-002", "pass", "tests run before the image is built"),
    ("DEV-CI-003", "pass", "the image is scanned in the pipeline"),
    ("DEV-CI-004", "fail", "the image is not signed and carries no provenance attestation"),
])
def test_build_controls(check_id, demo_status, demo_detail):
    demo = run(check_id, {"gitops_pipelines": demo_pipelines()})
    assert statuses(demo) == {subj(BUILD): demo_status}
    assert demo.detail[0] == demo_detail
    good = run(check_id, {"gitops_pipelines": good_pipelines()})
    assert statuses(good) == {subj(BUILD, "github.com/acme/shop"): "pass"}


def test_build_without_tests_fails_and_unknown_is_not_assessed():
    result = run("DEV-CI-002", {"gitops_pipelines": [
        pipeline("a.yml", builds_image=True, runs_tests=False),
        pipeline("b.yml", builds_image=True, runs_tests=None)]})
    assert statuses(result) == {subj("a.yml"): "fail", subj("b.yml"): "not_assessed"}
    assert "without running tests" in detail_of(result, subj("a.yml"))
