"""Tests of the architecture checks ARC-ISO-*: workload isolation."""

from factories import ODOO_IMAGE, by_subject, deployment, detail_of, kobj, run


def test_namespace_quotas_pass_and_fail():
    objs = [
        deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 3),
        deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2),
        deployment("kube-system", "coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.9.4"),
        kobj("ResourceQuota", "odoo-prod", "odoo-quota",
             {"hard": {"requests.cpu": "40", "requests.memory": "160Gi"}}, api="v1"),
        kobj("LimitRange", "odoo-prod", "odoo-defaults", {"limits": [
            {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
             "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}, api="v1"),
    ]
    result = run("ARC-ISO-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-prod": "pass", "traefik": "fail"}
    assert detail_of(result, "traefik") == "no ResourceQuota, no LimitRange"


def test_no_default_namespace_pass_and_fail():
    clean = run("ARC-ISO-002", {"k8s_objects": [deployment("odoo-prod", "odoo-web", ODOO_IMAGE)]})
    assert clean.status.tolist() == ["pass"]
    assert clean.subject[0] == "Namespace/-/default"
    dirty = run("ARC-ISO-002", {"k8s_objects": [
        deployment("odoo-prod", "odoo-web", ODOO_IMAGE),
        deployment("default", "nginx-test", "docker.io/library/nginx:1.27")]})
    assert by_subject(dirty) == {"nginx-test": "fail"}
    assert "runs in the default namespace" in dirty.detail[0]


def test_tenant_quota_multi_tenant_only():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("ARC-ISO-003", docs, hosting_model="multi-tenant").set_index("subject")
    assert result["detail"].to_dict() == {
        "Namespace/-/shop-legacy": "no ResourceQuota",
        "Namespace/-/shop-prod": "ResourceQuota shop-quota caps CPU and memory"}
    assert result["status"].to_dict() == {"Namespace/-/shop-legacy": "fail",
                                          "Namespace/-/shop-prod": "pass"}
    k8s_doc(docs, "ResourceQuota", "shop-quota")["spec"]["hard"] = {"pods": "60"}
    result = run_k8s("ARC-ISO-003", docs, hosting_model="multi-tenant").set_index("subject")
    assert result.loc["Namespace/-/shop-prod", ["status", "detail"]].tolist() == [
        "fail", "ResourceQuota shop-quota does not cap CPU, not memory"]
    assert run_k8s("ARC-ISO-003", docs)["status"].tolist() == ["not_assessed"]
