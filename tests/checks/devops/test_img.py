"""Tests of the DevOps checks DEV-IMG-*: image provenance."""

from factories import by_subject, deployment, detail_of, run, statuses

from ._shared import (
    ACR_ODOO,
    BUILD,
    PROD,
    REPO,
    STAGING,
    demo_pipelines,
    demo_releases,
    good_pipelines,
    release,
    subj,
)


def test_pipelines_pin_digest():
    demo = run("DEV-IMG-003", {"gitops_pipelines": demo_pipelines()})
    assert set(demo.status) == {"fail"}
    assert set(demo.subject) == {subj(BUILD), subj(STAGING), subj(PROD)}
    good = run("DEV-IMG-003", {"gitops_pipelines": good_pipelines()})
    assert set(good.status) == {"pass"}


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


def test_images_by_digest_and_pull_policy():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    digest = run_k8s("DEV-IMG-004", docs).set_index("subject")
    assert digest.loc["Deployment/shop-prod/shop-odoo", "status"] == "pass"
    assert digest.loc["Deployment/shop-legacy/legacy-worker", ["status", "detail"]].tolist() == [
        "fail", "registry.example.com/tools/queue-worker:latest (tag latest, no digest)"]
    policy = run_k8s("DEV-IMG-005", docs).set_index("subject")
    assert policy.loc["Deployment/shop-prod/shop-odoo", "status"] == "pass"
    assert policy.loc["CronJob/shop-legacy/legacy-backup", "detail"] == (
        "pg-dump: IfNotPresent (API server default) for mutable tag 15")
    # Always with a digest only adds a registry round-trip: it does not fit either
    k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]["containers"][0][
        "imagePullPolicy"] = "Always"
    k8s_doc(docs, "Deployment", "legacy-worker")["spec"]["template"]["spec"]["containers"][0][
        "imagePullPolicy"] = "Always"
    policy = run_k8s("DEV-IMG-005", docs).set_index("subject")["status"]
    assert (policy["Deployment/shop-prod/shop-odoo"],
            policy["Deployment/shop-legacy/legacy-worker"]) == ("fail", "pass")
