"""Tests of the security checks SEC-K8S-*: Kubernetes workloads."""

import pandas as pd
from factories import arm, by_subject, container, deployment, detail_of, kobj, run

from readiness_kit.frames import image_parts


def test_no_privileged_or_root():
    objs = [
        deployment("odoo-prod", "odoo-web", containers=[container(
            "odoo", "acrretailprod.azurecr.io/odoo:17.0-20261102",
            security={"runAsNonRoot": True, "runAsUser": 101})],
            pod={"securityContext": {"fsGroup": 101}}),
        deployment("odoo-prod", "debug-shell", containers=[container(
            "shell", "docker.io/library/busybox:latest",
            security={"privileged": True, "runAsUser": 0})]),
        deployment("odoo-prod", "pod-root", containers=[container("c", "acr.azurecr.io/x:1")],
                   pod={"securityContext": {"runAsUser": 0}}),
        deployment("kube-system", "csi", containers=[container(
            "c", "mcr.microsoft.com/x:1", security={"privileged": True})]),
        kobj("CronJob", "odoo-prod", "filestore-sync", {
            "schedule": "0 */6 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [container("sync", "mcr.microsoft.com/azure-cli:2.64.0",
                                         security={"runAsUser": 1000})]}}}}}, api="batch/v1"),
    ]
    result = run("SEC-K8S-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-web": "pass", "debug-shell": "fail", "pod-root": "fail",
                                "filestore-sync": "pass"}
    assert detail_of(result, "debug-shell") == "container shell: privileged, runs as UID 0"
    assert detail_of(result, "pod-root") == "container c: runs as UID 0"


def test_images_from_trusted_registries():
    objs = [
        deployment("odoo-prod", "odoo-web", "acrretailprod.azurecr.io/odoo:17.0-20261102"),
        deployment("odoo-prod", "debug-shell", "busybox"),
        deployment("traefik", "traefik", "traefik:v3.1"),
        deployment("odoo-prod", "other-acr", "someoneelse.azurecr.io/x:1"),
    ]
    acr = arm("Microsoft.ContainerRegistry/registries", "acrretailprod", {
        "loginServer": "acrretailprod.azurecr.io", "adminUserEnabled": False})
    result = run("SEC-K8S-002", {"k8s_objects": objs, "azure_resources": [acr]})
    assert by_subject(result) == {"odoo-web": "pass", "debug-shell": "fail", "traefik": "fail",
                                "other-acr": "fail"}
    assert detail_of(result, "debug-shell") == "untrusted registry: busybox (docker.io)"
    # without azure evidence any Azure Container Registry counts as trusted
    result = run("SEC-K8S-002", {"k8s_objects": objs})
    assert by_subject(result)["other-acr"] == "pass"


def test_image_parts():
    parts = image_parts(pd.Series(["busybox", "docker.io/library/busybox:latest",
                                   "acr.azurecr.io/odoo:17.0", "localhost:5000/a/b",
                                   "ghcr.io/fluxcd/source-controller@sha256:abc"]))
    assert parts.registry.tolist() == ["docker.io", "docker.io", "acr.azurecr.io",
                                       "localhost:5000", "ghcr.io"]
    assert parts.tag.tolist() == ["latest", "latest", "17.0", "latest", ""]
    assert parts.tag_implicit.tolist() == [True, False, False, True, False]
    assert parts.repository.tolist() == ["busybox", "library/busybox", "odoo", "a/b",
                                         "fluxcd/source-controller"]
    assert parts.digest.tolist()[-1] == "sha256:abc"


# --- pod security context, host access, secrets, tokens (real API shapes) --------------------

from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s, statuses  # noqa: E402

WEB = "Deployment/shop-prod/shop-odoo"
CRON = "Deployment/shop-prod/shop-odoo-cron"
BACKUP = "CronJob/shop-prod/shop-odoo-backup"
LEGACY = "Deployment/shop-legacy/legacy-odoo"
WORKER = "Deployment/shop-legacy/legacy-worker"
LEGACY_BACKUP = "CronJob/shop-legacy/legacy-backup"


def both() -> list[dict]:
    return k8s_docs(*K8S_GOOD, *K8S_RISKY)


def test_controlled_objects_are_judged_at_their_controller():
    """ReplicaSets of a Deployment and Pods of a ReplicaSet are not workloads of their own."""
    result = run_k8s("SEC-K8S-003", both())
    assert set(result["subject"]) == {WEB, CRON, BACKUP, LEGACY, WORKER, LEGACY_BACKUP}


def test_privilege_escalation():
    result = statuses(run_k8s("SEC-K8S-003", both()))
    assert {s for s, v in result.items() if v == "pass"} == {WEB, CRON, BACKUP}
    detail = run_k8s("SEC-K8S-003", both()).set_index("subject")["detail"]
    assert detail[LEGACY] == "container odoo: allowPrivilegeEscalation is true"
    assert detail[WORKER] == ("container worker: allowPrivilegeEscalation not set (Kubernetes "
                              "defaults it to true)")


def test_read_only_root_filesystem():
    docs = k8s_docs(*K8S_GOOD)
    k8s_doc(docs, "Deployment", "shop-odoo-cron")["spec"]["template"]["spec"]["containers"][0][
        "securityContext"]["readOnlyRootFilesystem"] = False
    result = run_k8s("SEC-K8S-004", docs).set_index("subject")
    assert result.loc[WEB, "status"] == "pass"
    assert (result.loc[CRON, "status"], result.loc[CRON, "detail"]) == (
        "fail", "container odoo: readOnlyRootFilesystem is false")


def test_capabilities_dropped():
    result = run_k8s("SEC-K8S-005", both()).set_index("subject")
    assert result.loc[WEB, "status"] == "pass"
    assert result.loc[LEGACY, "detail"] == ("container odoo: does not drop ALL capabilities, "
                                            "adds NET_ADMIN, SYS_ADMIN")
    docs = k8s_docs(*K8S_GOOD)
    k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]["containers"][0][
        "securityContext"]["capabilities"]["add"] = ["NET_BIND_SERVICE"]
    assert statuses(run_k8s("SEC-K8S-005", docs))[WEB] == "pass"


def test_seccomp_profile_from_pod_or_container():
    result = run_k8s("SEC-K8S-006", both()).set_index("subject")
    assert result.loc[[WEB, CRON, BACKUP], "status"].tolist() == ["pass"] * 3
    assert result.loc[WORKER, "detail"] == "container worker: no seccomp profile (Unconfined)"
    docs = k8s_docs(*K8S_GOOD)
    pod = k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"]
    pod["securityContext"]["seccompProfile"] = {"type": "Unconfined"}
    assert statuses(run_k8s("SEC-K8S-006", docs))[WEB] == "fail"


def test_runs_as_non_root():
    result = run_k8s("SEC-K8S-007", both()).set_index("subject")
    assert result.loc[WEB, "status"] == "pass"
    assert result.loc[LEGACY, "detail"] == "container odoo: runs as UID 0"
    assert result.loc[WORKER, "status"] == "fail"
    assert "the image's user applies" in result.loc[WORKER, "detail"]


def test_host_namespaces_and_host_path():
    ns = run_k8s("SEC-K8S-008", both()).set_index("subject")
    assert ns.loc[LEGACY, "detail"] == "shares the node's hostNetwork, hostPID"
    assert ns.loc[WEB, "status"] == "pass" and ns.loc[LEGACY, "status"] == "fail"
    hp = run_k8s("SEC-K8S-009", both()).set_index("subject")
    assert hp.loc[LEGACY, ["status", "detail"]].tolist() == [
        "fail", "mounts hostPath /var/run/docker.sock"]
    assert hp.loc[WEB, "status"] == "pass"


def test_literal_secret_env_names_the_variable_never_the_value():
    result = run_k8s("SEC-K8S-010", both()).set_index("subject")
    assert result.loc[LEGACY, ["status", "detail"]].tolist() == [
        "fail", "container odoo: literal value for PASSWORD, ODOO_ADMIN_PASSWD"]
    assert result.loc[WEB, "status"] == "pass"  # secretKeyRef, and a literal DB user name
    assert "placeholder-not-a-secret" not in " ".join(result["detail"])


def test_waiver_annotations_readable():
    docs = k8s_docs(*K8S_GOOD)
    k8s_doc(docs, "Deployment", "shop-odoo")["metadata"]["annotations"][
        "readiness.kit/waive"] = "DEV-IMG-004 reason=vendor chart owner=ops expires=2027-01-31"
    k8s_doc(docs, "CronJob", "shop-odoo-backup")["metadata"]["annotations"] = {
        "readiness.kit/waive": "RES-K8S-006 reason=moving to Azure Backup owner=ops",
        "readiness.kit/waive.2": "please waive this"}
    result = run_k8s("SEC-K8S-011", docs).set_index("subject")
    assert result.loc[WEB, ["status", "detail"]].tolist() == ["pass", "1 waiver entry well-formed"]
    assert result.loc[BACKUP, "status"] == "fail"
    assert result.loc[BACKUP, "detail"] == (
        "readiness.kit/waive: RES-K8S-006: missing expires (each entry needs reason=, owner= "
        "and expires=YYYY-MM-DD); readiness.kit/waive.2: 'please' is not a check id "
        "(expected e.g. SEC-K8S-001 followed by reason=, owner= and expires=)")


def test_service_account_token_automount():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    # the pod leaves it unset: the ServiceAccount's false applies
    del k8s_doc(docs, "Deployment", "shop-odoo")["spec"]["template"]["spec"][
        "automountServiceAccountToken"]
    result = run_k8s("SEC-K8S-012", docs).set_index("subject")
    assert result.loc[WEB, ["status", "detail"]].tolist() == [
        "pass", "its service account shop-odoo sets automountServiceAccountToken: false"]
    assert result.loc[WORKER, "status"] == "fail"
    assert "neither the pod nor its service account default" in result.loc[WORKER, "detail"]
    # a named account that was not collected cannot be judged
    k8s_doc(docs, "Deployment", "legacy-worker")["spec"]["template"]["spec"][
        "serviceAccountName"] = "worker"
    result = run_k8s("SEC-K8S-012", docs).set_index("subject")
    assert result.loc[WORKER, ["status", "detail"]].tolist() == [
        "not_assessed", "service account worker not in the evidence: cannot tell whether its "
        "token is mounted"]


def test_literal_secret_value_never_reaches_evidence_or_findings():
    from factories import ctx_for, k8s_records

    from readiness_kit.checks import REGISTRY, run_check

    ctx = ctx_for({"k8s_objects": k8s_records(both())})
    table = ctx.ev.table("k8s_objects")
    assert not table.astype(str).apply(
        lambda col: col.str.contains("placeholder-not-a-secret", regex=False)).any().any()
    result = run_check(REGISTRY["SEC-K8S-010"], ctx).set_index("subject")
    assert result.loc[LEGACY, "detail"] == (
        "container odoo: literal value for PASSWORD, ODOO_ADMIN_PASSWD")


def test_owner_reference_decides_what_is_a_workload_of_its_own():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "odd-name", "namespace": "shop-prod", "ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "shop-odoo-6d9f7c8b5d",
             "controller": True}]},
        "spec": {"containers": [{"name": "c", "image": "acr.azurecr.io/c:1"}]}}
    operated = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {
        "name": "prometheus-k8s", "namespace": "shop-prod", "ownerReferences": [
            {"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus", "name": "k8s",
             "controller": True}]},
        "spec": {"template": {"spec": {"containers": [
            {"name": "prometheus", "image": "quay.io/prometheus/prometheus:v2.54.1"}]}}}}
    subjects = set(run_k8s("SEC-K8S-003", [pod, operated])["subject"])
    assert subjects == {"StatefulSet/shop-prod/prometheus-k8s"}
