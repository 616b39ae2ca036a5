"""Tests of the resilience checks RES-K8S-*: disruption budgets and zone spread."""

from factories import by_subject, deployment, hpa, kobj, run

from ._shared import details


def replicated(ns: str, name: str, replicas: int, *, spread: bool = False,
               anti_affinity: bool = False) -> dict:
    """A Deployment whose pod template may spread over zones (or repel its own pods)."""
    zone = "topology.kubernetes.io/zone"
    pod: dict = {}
    if spread:
        pod["topologySpreadConstraints"] = [{
            "maxSkew": 1, "topologyKey": zone, "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app": name}}}]
    if anti_affinity:
        pod["affinity"] = {"podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [{
                "weight": 100, "podAffinityTerm": {
                    "topologyKey": zone, "labelSelector": {"matchLabels": {"app": name}}}}]}}
    return deployment(ns, name, replicas=replicas, pod=pod,
                      pod_labels={"app": name, "tier": "web"})


def pdb(ns: str, name: str, selector: dict, **budget) -> dict:
    return kobj("PodDisruptionBudget", ns, name, {"selector": {"matchLabels": selector},
                                                  **budget},
                status={"disruptionsAllowed": 1}, api="policy/v1")


def k8s_story() -> list[dict]:
    return [
        replicated("odoo-prod", "odoo-web", 1, spread=True),  # replicas come from the HPA
        hpa("odoo-prod", "odoo-web", 3),
        pdb("odoo-prod", "odoo-web", {"app": "odoo-web"}, minAvailable=2),
        replicated("odoo-prod", "odoo-cron", 1),
        replicated("traefik", "traefik", 2),
        replicated("monitoring", "grafana", 2, anti_affinity=True),
        pdb("monitoring", "grafana", {"app": "grafana"}, minAvailable=2),
        replicated("kube-system", "coredns", 2),
    ]


def test_workload_pdb():
    result = run("RES-K8S-001", {"k8s_objects": k8s_story()})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "grafana": "fail"}
    d = details(result)
    assert d["odoo-web"] == ("PodDisruptionBudget odoo-prod/odoo-web (minAvailable 2) covers 3 "
                             "replicas")
    assert "no PodDisruptionBudget selects its pods" in d["traefik"]
    assert "allows no disruption" in d["grafana"]
    assert "Deployment/traefik/traefik" in result.subject.tolist()


def test_workload_zone_spread():
    result = run("RES-K8S-002", {"k8s_objects": k8s_story()})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "grafana": "pass"}
    d = details(result)
    assert "topologySpreadConstraints on topology.kubernetes.io/zone" in d["odoo-web"]
    assert "pod anti-affinity across zones" in d["grafana"]
    assert "may place all 2 replicas in one zone" in d["traefik"]


def test_no_replicated_workloads_is_not_assessed():
    result = run("RES-K8S-001", {"k8s_objects": [replicated("odoo-prod", "odoo-cron", 1)]})
    assert result.status.tolist() == ["not_assessed"]
