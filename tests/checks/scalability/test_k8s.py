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
