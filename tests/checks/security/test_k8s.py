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
