"""Offline manifests: Helm output, kustomize output, kubectl List dumps, malformed files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from readiness_kit.collect import gather_evidence
from readiness_kit.collectors import kubernetes as k8s_collector
from readiness_kit.collectors.kubernetes.files import read_manifests
from readiness_kit.params import load_parameters
from readiness_kit.redaction import find_secret

FOLDER = Path(__file__).parents[2] / "fixtures" / "kubernetes" / "folder"
#: Every literal secret value written in the fixtures (base64 and plain).
SECRET_VALUES = ("czNjcjN0LU9kb28tQWRtaW4tOTk=", "Sup3r-Smtp-Pa55", "Pl41n-Db-Pa55w0rd",
                 "Sm7p-Url-Secret", "Arg-Pa55w0rd-99", "QXBwbGllZC1EYi1QYTU1", "b2Rvbw==")


@pytest.fixture(scope="module")
def folder_read():
    return read_manifests(FOLDER, "aks-shop")


def _one(read, kind: str, name: str) -> dict:
    hits = [r for r in read.records if r["kind"] == kind and r["name"] == name]
    assert len(hits) == 1, (kind, name, hits)
    return hits[0]


def test_helm_rendered_chart_becomes_rows_in_api_shape(folder_read):
    deploy = _one(folder_read, "Deployment", "shop-odoo")
    assert (deploy["cluster"], deploy["api_version"], deploy["namespace"]) == (
        "aks-shop", "apps/v1", "shop")
    assert json.loads(deploy["labels"])["helm.sh/chart"] == "odoo-27.1.2"
    spec = json.loads(deploy["spec"])
    odoo = spec["template"]["spec"]["containers"][0]
    assert odoo["image"] == "docker.io/bitnami/odoo:17.0.20241105-debian-12-r0"
    assert odoo["livenessProbe"]["initialDelaySeconds"] == 600
    env = {e["name"]: e for e in odoo["env"]}
    assert env["ODOO_DATABASE_HOST"]["value"] == "psql-shop.postgres.database.azure.com"
    assert env["ODOO_DATABASE_PASSWORD"]["value"] == "<redacted>"  # presence kept, value not
    assert env["ODOO_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == "odoo-password"
    assert odoo["args"] == ["--db_password=<redacted>"]
    sa = _one(folder_read, "ServiceAccount", "shop-odoo")
    assert json.loads(sa["spec"]) == {"automountServiceAccountToken": False}
    ingress = json.loads(_one(folder_read, "Ingress", "shop-odoo")["spec"])
    assert ingress["tls"][0]["secretName"] == "shop.example.com-tls"


def test_secrets_keep_type_and_key_count_only(folder_read):
    helm = _one(folder_read, "Secret", "shop-odoo")  # data + stringData
    assert json.loads(helm["spec"]) == {"type": "Opaque", "key_count": 2}
    dumped = _one(folder_read, "Secret", "shop-db")
    assert json.loads(dumped["spec"]) == {"type": "Opaque", "key_count": 2}
    assert json.loads(dumped["annotations"]) == {}  # last-applied-configuration dropped
    assert dumped["status"] is None
    cm = _one(folder_read, "ConfigMap", "shop-extra")
    assert json.loads(cm["spec"]) == {"key_count": 1}


def test_no_secret_value_reaches_any_row(folder_read):
    cells = [str(v) for r in folder_read.records for v in r.values() if v is not None]
    for secret in SECRET_VALUES:
        assert not any(secret in c for c in cells), secret
    assert [c for c in cells if find_secret(c)] == []


def test_list_dumps_and_raw_api_lists(folder_read):
    pod = _one(folder_read, "Pod", "shop-odoo-6d5f8b7c9d-x7k2p")
    assert pod["owner"] == "ReplicaSet/shop-odoo-6d5f8b7c9d"
    assert pod["created_at"] == "2026-11-24T08:12:09Z"  # text, as the API returns it
    assert json.loads(pod["status"])["phase"] == "Running"
    rs = _one(folder_read, "ReplicaSet", "shop-odoo-6d5f8b7c9d")  # items without kind
    assert (rs["api_version"], rs["owner"]) == ("apps/v1", "Deployment/shop-odoo")
    assert json.loads(rs["annotations"])["deployment.kubernetes.io/revision"] == "3"
    assert "managedFields" not in rs["spec"] and "managedFields" not in rs["annotations"]


def test_kustomize_output_read_and_kustomization_inputs_skipped(folder_read):
    kinds = {(r["kind"], r["api_version"]) for r in folder_read.records}
    assert {("PodDisruptionBudget", "policy/v1"), ("IngressRoute", "traefik.io/v1alpha1"),
            ("HorizontalPodAutoscaler", "autoscaling/v2"), ("Namespace", "v1")} <= kinds
    assert not any(r["api_version"].startswith("kustomize.config") for r in folder_read.records)
    ns = _one(folder_read, "Namespace", "shop")
    assert ns["namespace"] is None


def test_malformed_documents_are_named_and_the_rest_is_read(folder_read):
    problems = [p.render() for p in folder_read.problems]
    assert len(problems) == 2
    broken = str(FOLDER / "dumps" / "broken.yaml")
    assert problems[0].startswith(f"{broken}: document 2 (line 14, odoo/templates/cronjob.yaml)"
                                  ": not valid YAML")
    assert problems[1] == f"{broken}: document 3 (line 20): Service lacks metadata.name"
    # documents before and after the broken ones, in the same file, are still read
    _one(folder_read, "ConfigMap", "shop-extra")
    _one(folder_read, "LimitRange", "shop-limits")


def test_collect_records_gaps_and_validate_names_them(tmp_path):
    manifests = tmp_path / "manifests"
    shutil.copytree(FOLDER, manifests)
    params = tmp_path / "t.yaml"
    params.write_text("tenant: t\nsources:\n  kubernetes:\n    manifests: manifests\n"
                      "    cluster: aks-shop\n")
    loaded = load_parameters(params)
    ev = gather_evidence(loaded)
    objs = ev.table("k8s_objects")
    assert len(objs) == 16 and set(objs["cluster"]) == {"aks-shop"}
    gaps = ev.gaps
    assert gaps["what"].tolist() == [
        "manifest dumps/broken.yaml document 2 (line 14, odoo/templates/cronjob.yaml)",
        "manifest dumps/broken.yaml document 3 (line 20)"]
    assert set(gaps["source"]) == {"kubernetes"}
    assert "16 objects" in ev.provenance["k8s_objects"].query
    problems = k8s_collector.validate(loaded.params.sources.kubernetes, loaded)
    assert len(problems) == 2 and all("broken.yaml: document" in p for p in problems)


def test_validate_reports_a_missing_folder_and_a_missing_kubeconfig(tmp_path):
    params = tmp_path / "t.yaml"
    params.write_text("tenant: t\nsources:\n  kubernetes:\n    manifests: nowhere\n")
    loaded = load_parameters(params)
    assert k8s_collector.validate(loaded.params.sources.kubernetes, loaded) == [
        f"sources.kubernetes.manifests: folder not found at {tmp_path / 'nowhere'}"]
    ev = gather_evidence(loaded)
    assert ev.table("k8s_objects") is None and "not found" in ev.gaps.loc[0, "reason"]
    params.write_text("tenant: t\nsources:\n  kubernetes:\n    kubeconfig: missing.yaml\n")
    loaded = load_parameters(params)
    assert k8s_collector.validate(loaded.params.sources.kubernetes, loaded) == [
        f"sources.kubernetes.kubeconfig: file not found at {tmp_path / 'missing.yaml'}"]
