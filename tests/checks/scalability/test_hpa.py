"""Tests of the scalability checks SCL-HPA-*: horizontal pod autoscaling."""

import datetime as dt

from factories import by_subject, deployment, detail_of, hpa, run

from ._shared import demo_k8s, odoo_web


def attested(expected: int, baseline: int) -> list[dict]:
    at = dt.date(2026, 11, 19)
    return [{"key": "peak.expected_orders_per_hour", "value": str(expected),
             "attested_by": "Lena Fischer (E-commerce Director)", "attested_at": at},
            {"key": "peak.baseline_orders_per_hour", "value": str(baseline),
             "attested_by": "Lena Fischer (E-commerce Director)", "attested_at": at}]


def test_frontline_hpa_pass_and_fail():
    objs = [odoo_web(), hpa("odoo-prod", "odoo-web", 3, 6),
            deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2),
            deployment("monitoring", "grafana", "docker.io/grafana/grafana:11.2.0")]
    result = run("SCL-HPA-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail"}
    assert detail_of(result, "traefik") == "no HorizontalPodAutoscaler: fixed at 2 replicas"
    assert "min 3, max 6" in detail_of(result, "odoo-web")


def test_frontline_hpa_fails_when_max_equals_min():
    result = run("SCL-HPA-001", {"k8s_objects": [odoo_web(), hpa("odoo-prod", "odoo-web", 3, 3)]})
    assert result.status.tolist() == ["fail"]


def test_hpa_peak_headroom_uses_target_multiplier():
    ok = run("SCL-HPA-002", {"k8s_objects": demo_k8s()}, targets={"peak_multiplier": 2})
    assert ok.status.tolist() == ["pass"]
    assert "3 pods now x 2 = 6 needed vs HPA maxReplicas 6" in ok.detail[0]
    bad = run("SCL-HPA-002", {"k8s_objects": demo_k8s()}, targets={"peak_multiplier": 4})
    assert bad.status.tolist() == ["fail"]
    assert "peak demand 12 vs capacity 6 pods" in bad.detail[0]


def test_hpa_peak_headroom_takes_a_higher_attested_forecast():
    result = run("SCL-HPA-002", {"k8s_objects": demo_k8s(), "attestations": attested(12000, 3000)},
                 targets={"peak_multiplier": 2})
    assert result.status.tolist() == ["fail"]
    assert "attested 12000 vs 3000 orders/hour = 4x" in result.detail[0]
    assert "attested by Lena Fischer (E-commerce Director) on 2026-11-19" in result.detail[0]


def test_hpa_floor_and_headroom():
    from factories import K8S_GOOD, K8S_RISKY, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("SCL-HPA-003", docs).set_index("subject")
    assert result["detail"].to_dict() == {
        "HorizontalPodAutoscaler/shop-prod/shop-odoo":
            "minReplicas 3, maxReplicas 12 (peak multiplier 3: needs >= 9)",
        "HorizontalPodAutoscaler/shop-legacy/legacy-odoo":
            "minReplicas 1, maxReplicas 2 (peak multiplier 3: needs >= 3); a single pod at the "
            "minimum; no headroom for the peak"}
    assert by_subject(result.reset_index()) == {"shop-odoo": "pass", "legacy-odoo": "fail"}
    higher = run_k8s("SCL-HPA-003", docs, targets={"peak_multiplier": 5})
    assert by_subject(higher)["shop-odoo"] == "fail"  # 12 < 3 x 5


def test_hpa_metric_has_requests():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("SCL-HPA-004", docs).set_index("subject")
    assert result.loc["HorizontalPodAutoscaler/shop-prod/shop-odoo", "status"] == "pass"
    assert result.loc["HorizontalPodAutoscaler/shop-legacy/legacy-odoo", "detail"] == (
        "scales on cpu utilisation; target Deployment/legacy-odoo: no request on odoo (cpu), "
        "so the HPA cannot compute it")
    hpa_obj = k8s_doc(docs, "HorizontalPodAutoscaler", "shop-odoo")
    hpa_obj["spec"]["scaleTargetRef"]["name"] = "gone"
    result = run_k8s("SCL-HPA-004", docs).set_index("subject")
    assert result.loc["HorizontalPodAutoscaler/shop-prod/shop-odoo", "status"] == "not_assessed"
