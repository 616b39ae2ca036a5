"""Tests of the DevOps checks DEV-CD-*: continuous delivery."""

from factories import detail_of, kobj, run, statuses

from ._shared import PROD, demo_pipelines, pipeline, subj


def test_production_requires_approval():
    result = run("DEV-CD-001", {"gitops_pipelines": demo_pipelines() + [
        pipeline("hotfix.yml", "production", deploy_method="kubectl")]})
    assert statuses(result) == {subj(PROD): "pass", subj("hotfix.yml"): "fail"}
    assert detail_of(result, subj("hotfix.yml")) == "deploys to production without an approval gate"


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
