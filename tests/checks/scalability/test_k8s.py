"""Tests of the scalability checks SCL-K8S-*: Kubernetes resource requests and limits."""

from factories import by_subject, deployment, detail_of, kobj, run

from ._shared import odoo_web


def test_requests_and_limits_pass_fail_and_limitrange_defaults():
    objs = [
        odoo_web(),
        deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2, resources={}),
        deployment("odoo-prod", "debug-shell", "docker.io/library/busybox:latest"),
        deployment("kube-system", "coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.9.4"),
        kobj("LimitRange", "odoo-prod", "defaults", {"limits": [
            {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
             "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}, api="v1"),
    ]
    result = run("SCL-K8S-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "debug-shell": "pass"}
    assert detail_of(result, "traefik") == (
        "traefik: no CPU request, no memory request, no memory limit")
    assert "from the namespace LimitRange" in detail_of(result, "debug-shell")


def test_cpu_limits_own_or_limitrange():
    from factories import K8S_GOOD, K8S_RISKY, k8s_docs, run_k8s

    result = run_k8s("SCL-K8S-002", k8s_docs(*K8S_GOOD, *K8S_RISKY)).set_index("subject")
    assert result.loc["Deployment/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "pass", "CPU limit on 1 container(s)"]
    assert result.loc["Deployment/shop-legacy/legacy-odoo", ["status", "detail"]].tolist() == [
        "fail", "container odoo: no CPU limit"]


def test_cron_not_scaled_with_web():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, k8s_records, odoo_conf, run

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    tables = {"k8s_objects": k8s_records(docs)}
    result = run("SCL-K8S-003", tables).set_index("subject")
    assert result["status"].to_dict() == {
        "Deployment/shop-prod/shop-odoo": "pass", "Deployment/shop-prod/shop-odoo-cron": "pass",
        "Deployment/shop-legacy/legacy-odoo": "not_assessed"}
    # with odoo.conf collected and no max_cron_threads, the Odoo default (2) applies
    result = run("SCL-K8S-003", {**tables, "odoo_config": odoo_conf(workers="4")}).set_index(
        "subject")
    assert result.loc["Deployment/shop-legacy/legacy-odoo", ["status", "detail"]].tolist() == [
        "fail", "web pods run 2 cron threads (from Odoo default) and are scaled by HPA "
        "HorizontalPodAutoscaler/shop-legacy/legacy-odoo"]
    # an HPA on the cron Deployment scales cron with load
    docs.append({**k8s_doc(docs, "HorizontalPodAutoscaler", "shop-odoo"),
                 "metadata": {"name": "shop-odoo-cron", "namespace": "shop-prod"}})
    docs[-1] = {**docs[-1], "spec": {**docs[-1]["spec"], "scaleTargetRef": {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "shop-odoo-cron"}}}
    result = run("SCL-K8S-003", {"k8s_objects": k8s_records(docs)}).set_index("subject")
    assert result.loc["Deployment/shop-prod/shop-odoo-cron", ["status", "detail"]].tolist() == [
        "fail", "cron Deployment scaled by HPA HorizontalPodAutoscaler/shop-prod/shop-odoo-cron: "
        "cron workers grow with it"]
