"""Tests of the DevOps checks DEV-K8S-*: rollback history of Deployments."""

from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s


def test_deployment_revision_history():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("DEV-K8S-001", docs).set_index("subject")
    assert result.loc["Deployment/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "pass", "revisionHistoryLimit 10, 1 earlier ReplicaSet(s) in the evidence"]
    # no ReplicaSets of the cron Deployment collected: judged on the limit alone
    assert result.loc["Deployment/shop-prod/shop-odoo-cron", "detail"] == (
        "revisionHistoryLimit 10")
    assert result.loc["Deployment/shop-legacy/legacy-odoo", "detail"] == (
        "revisionHistoryLimit 10 (default)")
    k8s_doc(docs, "Deployment", "shop-odoo-cron")["spec"]["revisionHistoryLimit"] = 0
    docs = [d for d in docs if d["metadata"]["name"] != "shop-odoo-5c8e6b7a4c"]
    result = run_k8s("DEV-K8S-001", docs).set_index("subject")
    assert result.loc["Deployment/shop-prod/shop-odoo-cron", ["status", "detail"]].tolist() == [
        "fail", "revisionHistoryLimit 0: nothing to roll back to"]
    assert result.loc["Deployment/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "fail", "revisionHistoryLimit 10, 0 earlier ReplicaSet(s) in the evidence: nothing to "
        "roll back to"]
