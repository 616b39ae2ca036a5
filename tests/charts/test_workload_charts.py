"""Kubernetes workload figures on real API shapes: inventory, workloads x controls (bounded),
Odoo pods per zone, rollout history, GitOps promotion path."""

import copy

from factories import K8S_GOOD, K8S_RISKY, annotations, k8s_docs, k8s_records, review_for

from readiness_kit.charts import workloads as charts

REPO = "github.com/demo-retail/odoo-platform"


def review(docs=None, **tables):
    objs = k8s_docs(*K8S_GOOD, *K8S_RISKY) if docs is None else docs
    return review_for({"k8s_objects": k8s_records(objs), **tables})


def test_workload_inventory_counts_controllers_per_namespace():
    fig = charts.workload_inventory(review())
    bars = {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data}
    assert bars == {"CronJob": {"shop-legacy": 1, "shop-prod": 1},
                    "Deployment": {"shop-legacy": 2, "shop-prod": 2}}


def test_controls_matrix_shows_worst_status_and_sums_up_the_rest():
    rv = review()
    shown, rest = charts.controls_matrix_frame(rv, top=2)
    assert list(shown.index) == ["Deployment/shop-legacy/legacy-odoo",
                                 "Deployment/shop-legacy/legacy-worker"]
    assert shown.loc["Deployment/shop-legacy/legacy-odoo"].to_dict() == {
        "probes": "fail", "requests / limits": "fail", "PDB": "n/a", "HPA": "pass",
        "zone spread": "n/a", "security context": "fail"}  # one replica at the HPA minimum
    assert "fail" not in set(rv.findings.query(
        "subject == 'Deployment/shop-prod/shop-odoo' and check_id == 'SEC-K8S-003'")["status"])
    assert rest.to_dict()["security context"] == "1 fail, 3 pass"
    fig = charts.workload_controls(rv, top=2)
    assert list(fig.data[0].y) == ["shop-legacy/legacy-odoo", "shop-legacy/legacy-worker"]
    assert any(a.startswith("Other workloads:") for a in annotations(fig))


def test_controls_matrix_stays_bounded_on_a_large_cluster():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    many = []
    for i in range(30):
        for d in docs:
            if d["kind"] in ("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
                d = copy.deepcopy(d)
                d["metadata"]["namespace"] = f"{d['metadata']['namespace']}-{i}"
                many.append(d)
    fig = charts.workload_controls(review(many), top=10)
    assert len(fig.data[0].y) == 10


def test_odoo_zone_spread_against_node_zones():
    fig = charts.odoo_zone_spread(review())
    bars = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data}
    zones = {"westeurope-1": 1, "westeurope-2": 1, "westeurope-3": 1}
    assert bars == {"user nodes": zones, "Odoo pods": zones}
    no_pods = [d for d in k8s_docs(*K8S_GOOD) if d["kind"] != "Pod"]
    assert "cannot be shown" in annotations(charts.odoo_zone_spread(review(no_pods)))[0]


def test_rollout_history_marks_the_serving_revision():
    fig = charts.rollout_history(review())
    points = {t.name: list(zip(t.y, t.x, strict=True)) for t in fig.data}
    assert points == {"serving": [("shop-prod/shop-odoo", 7.0)],
                      "kept for rollback": [("shop-prod/shop-odoo", 6.0)]}
    assert "sha256:9a1c" in fig.data[1].customdata[0]


def test_promotion_path_in_environment_order_and_not_collected():
    rel = [{"repo": REPO, "environment": env, "component": comp, "image": "acr/x", "tag": tag,
            "digest": None, "replicas": 1, "chart_version": None, "config_sha256": "c"}
           for env, comp, tag in (("production", "odoo", "17.0-1102"),
                                  ("staging", "odoo", "17.0-1120"),
                                  ("dev", "odoo", "17.0-1120"),
                                  ("production", "traefik", "v3.1"),
                                  ("staging", "traefik", "v3.1"))]
    fig = charts.promotion_path(review(gitops_releases=rel))
    heat = fig.data[0]
    assert list(heat.x) == ["dev", "staging", "production"]
    assert [list(r) for r in heat.text] == [["17.0-1120", "17.0-1120", "17.0-1102"],
                                            ["not deployed", "v3.1", "v3.1"]]
    assert [list(r) for r in heat.z] == [[0, 1, 0], [1, 0, 0]]
    assert "not collected" in annotations(charts.promotion_path(review()))[0]
