"""DevOps checks: pass and fail fixtures per check (pipelines, releases, Flux objects)."""

import datetime as dt

import pytest
from factories import attestation, by_subject, deployment, detail_of, kobj, run, statuses

from readiness_kit.checks.devops import environment_kind, pipelines_summary, staging_vs_production
from readiness_kit.evidence import evidence_from_records

REPO = "github.com/demo-retail/odoo-platform"


def pipeline(path: str, environment: str | None = None, repo: str = REPO, **flags) -> dict:
    row = {"repo": repo, "path": path, "system": "github-actions",
           "name": path.rsplit("/", 1)[-1].removesuffix(".yml"), "environment": environment,
           "trigger": "push", "runs_tests": False, "builds_image": False, "scans_image": False,
           "signs_image": False, "requires_approval": False, "deploy_method": None,
           "has_rollback": False, "pins_digest": False}
    row.update(flags)
    return row


BUILD = ".github/workflows/build-odoo.yml"
STAGING = ".github/workflows/deploy-staging.yml"
PROD = ".github/workflows/deploy-prod.yml"


def demo_pipelines() -> list[dict]:
    return [
        pipeline(BUILD, runs_tests=True, builds_image=True, scans_image=True),
        pipeline(STAGING, "staging", deploy_method="flux", trigger="workflow_run"),
        pipeline(PROD, "production", deploy_method="flux", requires_approval=True,
                 trigger="workflow_dispatch"),
    ]


def good_pipelines(repo: str = "github.com/acme/shop") -> list[dict]:
    return [
        pipeline(BUILD, repo=repo, runs_tests=True, builds_image=True, scans_image=True,
                 signs_image=True, pins_digest=True),
        pipeline(PROD, "prod", repo=repo, deploy_method="flux", requires_approval=True,
                 has_rollback=True, pins_digest=True),
    ]


def subj(path: str, repo: str = REPO) -> str:
    return f"pipeline:{repo}/{path}"


def test_environment_kind():
    import pandas as pd
    kinds = environment_kind(pd.Series(["production", "Prod-WE", "staging", "uat", "dev",
                                        None, ""]))
    assert kinds.tolist() == ["production", "production", "staging", "staging", "other",
                              "", ""]


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


def test_pipelines_pin_digest():
    demo = run("DEV-IMG-003", {"gitops_pipelines": demo_pipelines()})
    assert set(demo.status) == {"fail"}
    assert set(demo.subject) == {subj(BUILD), subj(STAGING), subj(PROD)}
    good = run("DEV-IMG-003", {"gitops_pipelines": good_pipelines()})
    assert set(good.status) == {"pass"}


def test_production_requires_approval():
    result = run("DEV-CD-001", {"gitops_pipelines": demo_pipelines() + [
        pipeline("hotfix.yml", "production", deploy_method="kubectl")]})
    assert statuses(result) == {subj(PROD): "pass", subj("hotfix.yml"): "fail"}
    assert detail_of(result, subj("hotfix.yml")) == "deploys to production without an approval gate"


def test_production_has_rollback():
    demo = run("DEV-REL-001", {"gitops_pipelines": demo_pipelines()})
    assert statuses(demo) == {subj(PROD): "fail"}
    assert demo.detail[0] == "no rollback path is defined for production deployments"
    good = run("DEV-REL-001", {"gitops_pipelines": good_pipelines()})
    assert good.status.tolist() == ["pass"]


def test_no_production_pipeline_is_not_assessed():
    result = run("DEV-REL-001", {"gitops_pipelines": [pipeline(BUILD, builds_image=True)]})
    assert result.status.tolist() == ["not_assessed"]


def rollback(value: str, key: str = "release.rollback_tested") -> dict:
    return attestation(key, value, by="Release Manager", note="interview")


@pytest.mark.parametrize(("value", "status"), [
    ("false", "fail"), ("False", "fail"), ("true", "pass"), ("2026-10-02", "pass"),
    ("not sure", "not_assessed"), ("2025-01-10", "fail")])
def test_rollback_tested_attestation(value, status):
    result = run("DEV-REL-002", {"attestations": [rollback(value)]})
    assert statuses(result) == {"attestation:release.rollback_tested": status}
    stale = "; 686 days ago, more than 180" if value == "2025-01-10" else ""
    assert result.detail[0] == (f"rollback tested: {value}{stale} (attested by Release "
                                "Manager on 2026-11-20)")
    assert result.evidence_basis[0] == "attested"


def test_rollback_tested_missing_attestation():
    result = run("DEV-REL-002", {"attestations": [rollback("x", key="oncall.rota")]})
    assert result.status.tolist() == ["not_assessed"]
    assert result.subject.tolist() == ["attestation:release.rollback_tested"]
    assert result.detail[0] == ("No attestation 'release.rollback_tested' recorded: ask for "
                                "it in the readiness interview.")


def test_rollback_tested_latest_answer_wins_and_accepts_timestamps():
    rows = [rollback("false") | {"attested_at": dt.date(2026, 1, 5)},
            rollback("2026-11-02T16:30:00+01:00")]
    result = run("DEV-REL-002", {"attestations": rows})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0].startswith("rollback tested: 2026-11-02T16:30:00+01:00 (")


def release(env: str, component: str, image: str | None, tag: str | None, *,
            digest: str | None = None, chart: str | None = None, config: str | None = "c1",
            replicas: int | None = 1) -> dict:
    return {"repo": REPO, "environment": env, "component": component, "image": image,
            "tag": tag, "digest": digest, "replicas": replicas, "chart_version": chart,
            "config_sha256": config}


ACR_ODOO = "acrretailprod.azurecr.io/odoo"


def demo_releases() -> list[dict]:
    """As the demo tenant: overlay config hashes differ per environment, as they do."""
    return [
        release("staging", "odoo", ACR_ODOO, "17.0-20261120", config="s-odoo", replicas=2),
        release("production", "odoo", ACR_ODOO, "17.0-20261102", config="p-odoo", replicas=3),
        release("staging", "traefik", "acrretailprod.azurecr.io/traefik", "v3.0.4",
                chart="28.3.0", config="s-t", replicas=1),
        release("production", "traefik", "acrretailprod.azurecr.io/traefik", "v2.11.0",
                chart="26.1.0", config="p-t", replicas=2),
        release("staging", "redis-exporter", "oliver006/redis_exporter", "v1.62.0",
                chart="6.4.0", config="c"),
        release("production", "redis-exporter", "oliver006/redis_exporter", "v1.62.0",
                chart="6.4.0", config="c"),
    ]


def test_production_images_pinned():
    rows = demo_releases() + [
        release("production", "worker", "acr.azurecr.io/worker", "latest"),
        release("production", "api", "acr.azurecr.io/api", None),
        release("production", "search", "acr.azurecr.io/search", "latest",
                digest="sha256:" + "a" * 64),
        release("staging", "beta", "acr.azurecr.io/beta", "latest"),
        release("production", "chart-only", None, None, chart="26.1.0"),
    ]
    result = run("DEV-IMG-001", {"gitops_releases": rows})
    assert by_subject(result) == {"odoo": "pass", "traefik": "pass", "redis-exporter": "pass",
                                  "worker": "fail", "api": "fail", "search": "pass",
                                  "chart-only": "pass"}
    assert detail_of(result, f"release:{REPO}/production/odoo") == (
        f"immutable tag 17.0-20261102 on {ACR_ODOO}")
    assert detail_of(result, f"release:{REPO}/production/worker").startswith(
        "floating tag 'latest'")
    assert "latest (implicit)" in detail_of(result, f"release:{REPO}/production/api")
    assert detail_of(result, f"release:{REPO}/production/chart-only") == (
        "Helm chart 26.1.0 pins the image version")


def test_workloads_avoid_latest():
    result = run("DEV-IMG-002", {"k8s_objects": [
        deployment("odoo-prod", "odoo-web", "acrretailprod.azurecr.io/odoo:17.0-20261102"),
        deployment("odoo-prod", "debug-shell", "docker.io/library/busybox:latest"),
        deployment("odoo-prod", "tool", "acr.azurecr.io/tool"),
        deployment("odoo-prod", "pinned", "acr.azurecr.io/tool@sha256:" + "b" * 64),
    ]})
    assert statuses(result) == {"Deployment/odoo-prod/debug-shell": "fail",
                                  "Deployment/odoo-prod/odoo-web": "pass",
                                  "Deployment/odoo-prod/pinned": "pass",
                                  "Deployment/odoo-prod/tool": "fail"}
    assert detail_of(result, "Deployment/odoo-prod/tool") == (
        "floating image reference: acr.azurecr.io/tool (no tag: latest)")


def flux_objects(ready: str = "True") -> list[dict]:
    cond = {"conditions": [{"type": "Ready", "status": ready, "reason": "ReconciliationSucceeded"}]}
    return [
        kobj("GitRepository", "flux-system", "flux-system", {
            "url": "ssh://git@github.com/demo-retail/odoo-platform", "ref": {"branch": "main"},
            "interval": "1m0s"}, api="source.toolkit.fluxcd.io/v1", status=cond),
        kobj("Kustomization", "flux-system", "apps-production", {
            "path": "./clusters/production", "prune": True, "interval": "10m0s",
            "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
            api="kustomize.toolkit.fluxcd.io/v1", status=cond),
    ]


def test_gitops_in_place():
    other = [kobj("Namespace", None, "default", api="v1", cluster="aks-legacy"),
             kobj("Kustomization", None, "kustomization", api="kustomize.config.k8s.io/v1beta1",
                  cluster="aks-legacy")]
    result = run("DEV-CD-002", {"k8s_objects": flux_objects() + other})
    assert statuses(result) == {"cluster:aks-legacy": "fail", "cluster:aks-retail-prod": "pass"}
    assert detail_of(result, "cluster:aks-retail-prod") == (
        "GitOps objects: GitRepository flux-system, Kustomization apps-production")
    assert detail_of(result, "cluster:aks-legacy") == "no Flux or Argo CD objects in the cluster"


def test_gitops_reports_not_ready_objects():
    result = run("DEV-CD-002", {"k8s_objects": flux_objects(ready="False")})
    assert result.status.tolist() == ["pass"]
    assert "not Ready: apps-production, flux-system" in result.detail[0]


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
