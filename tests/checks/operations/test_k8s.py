"""Tests of the operations checks OPS-K8S-*: removed API versions, monitoring rules."""

from factories import K8S_GOOD, K8S_RISKY, ctx_for, k8s_docs, k8s_records, run_k8s

from readiness_kit.checks import REGISTRY, run_check


def test_no_deprecated_api_versions():
    result = run_k8s("OPS-K8S-001", k8s_docs(*K8S_GOOD, *K8S_RISKY)).set_index("subject")
    failing = result[result["status"].eq("fail")]["detail"].to_dict()
    assert failing == {
        "IngressRoute/shop-legacy/legacy-odoo": "traefik.containo.us/v1alpha1 IngressRoute: "
        "not served since Traefik v3; use traefik.io",
        "Middleware/shop-legacy/legacy-compress": "traefik.containo.us/v1alpha1 Middleware: "
        "not served since Traefik v3; use traefik.io",
        "HorizontalPodAutoscaler/shop-legacy/legacy-odoo": "autoscaling/v2beta2 "
        "HorizontalPodAutoscaler: not served since Kubernetes 1.26; use autoscaling/v2",
        "PodDisruptionBudget/shop-legacy/legacy-odoo": "policy/v1beta1 PodDisruptionBudget: "
        "not served since Kubernetes 1.25; use policy/v1"}
    good = run_k8s("OPS-K8S-001", [d for d in k8s_docs(*K8S_GOOD)
                                   if not d["apiVersion"].startswith("traefik.containo.us")])
    assert good[["subject", "status"]].values.tolist() == [["cluster:aks-retail-prod", "pass"]]


def test_odoo_monitoring_rules():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("OPS-K8S-002", docs).set_index("subject")
    assert result["detail"].to_dict() == {
        "Namespace/-/shop-prod": "scraped by a ServiceMonitor/PodMonitor, alert rules in a "
        "PrometheusRule",
        "Namespace/-/shop-legacy": "no ServiceMonitor/PodMonitor, no PrometheusRule alert "
        "for it"}
    assert result["status"].to_dict() == {"Namespace/-/shop-prod": "pass",
                                          "Namespace/-/shop-legacy": "fail"}
    # Azure Managed Prometheus uses its own API group, and a monitor may select namespaces
    monitor = {"apiVersion": "azmonitoring.coreos.com/v1", "kind": "PodMonitor",
               "metadata": {"name": "legacy", "namespace": "monitoring"},
               "spec": {"namespaceSelector": {"matchNames": ["shop-legacy"]}}}
    result = run_k8s("OPS-K8S-002", [*docs, monitor]).set_index("subject")
    assert result.loc["Namespace/-/shop-legacy", "detail"].startswith("scraped by")


def test_monitoring_objects_not_collected_is_not_assessed():

    docs = [d for d in k8s_docs(*K8S_GOOD) if "monitoring.coreos.com" not in d["apiVersion"]]
    ctx = ctx_for({"k8s_objects": k8s_records(docs)})
    ctx.ev.add_gap("kubernetes", "aks-retail-prod", "k8s_objects",
                   "monitoring.coreos.com/v1 PrometheusRule", "403 Forbidden: cannot list")
    result = run_check(REGISTRY["OPS-K8S-002"], ctx)
    assert result[["status", "detail"]].values.tolist() == [[
        "not_assessed", "monitoring objects not collected (monitoring.coreos.com/v1 "
        "PrometheusRule: 403 Forbidden: cannot list)"]]
