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


# --- observed budgets, node zones, running pods, backups, filestore, probes, replicas -------

from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s  # noqa: E402

WEB = "Deployment/shop-prod/shop-odoo"
LEGACY = "Deployment/shop-legacy/legacy-odoo"


def test_pdb_allows_disruption_from_its_status():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("RES-K8S-003", docs).set_index("subject")
    assert result["status"].to_dict() == {"PodDisruptionBudget/shop-prod/shop-odoo": "pass",
                                          "PodDisruptionBudget/shop-legacy/legacy-odoo": "fail"}
    assert result.loc["PodDisruptionBudget/shop-legacy/legacy-odoo", "detail"] == (
        "disruptionsAllowed 0 (expectedPods 2, currentHealthy 2): node drains are blocked now")
    del k8s_doc(docs, "PodDisruptionBudget", "shop-odoo")["status"]
    result = run_k8s("RES-K8S-003", docs).set_index("subject")
    assert result.loc["PodDisruptionBudget/shop-prod/shop-odoo", "status"] == "not_assessed"


def test_replicas_fit_node_zones():
    docs = k8s_docs(*K8S_GOOD)
    assert by_subject(run_k8s("RES-K8S-004", docs)) == {"shop-odoo": "pass"}
    # pin the web pods to the system pool's node: one zone, and its taint is not tolerated
    pod = k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]
    pod["nodeSelector"] = {"kubernetes.azure.com/agentpool": "system"}
    result = run_k8s("RES-K8S-004", docs)
    assert result["status"].tolist() == ["fail"]
    assert "eligible nodes in zones none (target 2)" in result["detail"].iloc[0]
    pod["tolerations"] = [{"key": "CriticalAddonsOnly", "operator": "Exists"}]
    result = run_k8s("RES-K8S-004", docs)
    assert result[["status", "detail"]].values.tolist() == [[
        "fail", "3 replicas; eligible nodes in zones westeurope-1 (target 2)"]]
    assert run_k8s("RES-K8S-004", docs, targets={"min_availability_zones": 1})[
        "status"].tolist() == ["pass"]


def test_replicas_fit_node_zones_without_nodes_is_not_assessed():
    docs = [d for d in k8s_docs(*K8S_GOOD) if d["kind"] != "Node"]
    result = run_k8s("RES-K8S-004", docs)
    assert result["status"].tolist() == ["not_assessed"]
    assert result["detail"].iloc[0].startswith("no Node objects in the evidence")


def test_odoo_pods_across_zones_from_running_pods():
    docs = k8s_docs(*K8S_GOOD)
    result = run_k8s("RES-K8S-005", docs)
    assert result[["subject", "status", "detail"]].values.tolist() == [[
        WEB, "pass", "3 running pods in zones westeurope-1, westeurope-2, westeurope-3 "
        "(target 2)"]]
    for d in docs:  # every pod lands on the first node
        if d["kind"] == "Pod":
            d["spec"]["nodeName"] = "aks-odoo-31415926-vmss000000"
    assert run_k8s("RES-K8S-005", docs)["status"].tolist() == ["fail"]
    no_pods = [d for d in docs if d["kind"] != "Pod"]
    assert run_k8s("RES-K8S-005", no_pods)["status"].tolist() == ["not_assessed"]


def test_backup_cronjobs_recent():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("RES-K8S-006", docs).set_index("subject")
    assert result["status"].to_dict() == {"CronJob/shop-prod/shop-odoo-backup": "pass",
                                          "CronJob/shop-legacy/legacy-backup": "fail"}
    assert result.loc["CronJob/shop-legacy/legacy-backup", "detail"] == (
        "last successful run 15.9 days before the end of 2026-11-27 (schedule '0 3 * * *', "
        "allowed 3.0 days)")
    backup = k8s_doc(docs, "CronJob", "shop-odoo-backup")
    del backup["status"]["lastSuccessfulTime"]
    result = run_k8s("RES-K8S-006", docs).set_index("subject")
    assert result.loc["CronJob/shop-prod/shop-odoo-backup", "detail"].startswith(
        "never succeeded")
    del backup["status"]  # a manifests folder: nothing observed
    result = run_k8s("RES-K8S-006", docs).set_index("subject")
    assert result.loc["CronJob/shop-prod/shop-odoo-backup", "status"] == "not_assessed"


def test_odoo_filestore_shared():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("RES-K8S-007", docs).set_index("subject")
    assert result.loc[WEB, ["status", "detail"]].tolist() == [
        "pass", "filestore claim shop-odoo-filestore (azurefile-csi-premium) is ReadWriteMany"]
    assert result.loc[LEGACY, ["status", "detail"]].tolist() == [
        "fail", "filestore claim legacy-filestore (managed-csi) is ReadWriteOnce: one node at "
        "a time, not shared by the replicas"]
    # an emptyDir at the data directory: each pod keeps its own filestore
    pod = k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]
    pod["volumes"][0] = {"name": "odoo-data", "emptyDir": {}}
    result = run_k8s("RES-K8S-007", docs).set_index("subject")
    assert result.loc[WEB, "status"] == "fail"
    assert "each pod keeps its own filestore" in result.loc[WEB, "detail"]
    # the claim itself was not collected: not judged
    docs = [d for d in k8s_docs(*K8S_GOOD) if d["kind"] != "PersistentVolumeClaim"]
    assert run_k8s("RES-K8S-007", docs)["status"].tolist() == ["not_assessed"]


def test_serving_probes():
    result = run_k8s("RES-K8S-008", k8s_docs(*K8S_GOOD, *K8S_RISKY)).set_index("subject")
    assert result.loc[[WEB, "Deployment/shop-prod/shop-odoo-cron"], "status"].tolist() == [
        "pass", "pass"]
    assert result.loc[LEGACY, ["status", "detail"]].tolist() == [
        "fail", "container odoo: no livenessProbe, no readinessProbe"]
    assert "CronJob/shop-prod/shop-odoo-backup" not in result.index  # jobs need no probes


def test_odoo_startup_probe():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    assert by_subject(run_k8s("RES-K8S-009", docs)) == {"shop-odoo": "pass",
                                                       "legacy-odoo": "fail"}
    odoo = k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]["containers"][0]
    del odoo["startupProbe"]
    result = run_k8s("RES-K8S-009", docs).set_index("subject")
    assert result.loc[WEB, ["status", "detail"]].tolist() == [
        "fail", "no startupProbe; liveness starts after 0 s (needs 60 s or a startupProbe)"]
    odoo["livenessProbe"]["initialDelaySeconds"] = 90
    assert run_k8s("RES-K8S-009", docs).set_index("subject").loc[WEB, "status"] == "pass"


def test_odoo_web_replicas():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("RES-K8S-010", docs).set_index("subject")
    assert result["detail"].to_dict() == {
        WEB: "HPA minReplicas 3",
        LEGACY: "HPA minReplicas 1: one pod carries the whole storefront"}
    assert result["status"].to_dict() == {WEB: "pass", LEGACY: "fail"}
