"""Live collection: the real ``kubernetes`` client against the stub API server over HTTPS."""

from __future__ import annotations

import copy
import datetime as dt
import time
from pathlib import Path

import pytest
import yaml
from stub_apiserver import StubCluster, StubServer, objects_from_dumps

from readiness_kit.collect import gather_evidence
from readiness_kit.collectors.kubernetes import validate
from readiness_kit.collectors.kubernetes.files import read_manifests
from readiness_kit.collectors.kubernetes.live import api_client, read_cluster
from readiness_kit.demo.build import K8S_SOURCES
from readiness_kit.params import load_parameters
from readiness_kit.review import build_review

AS_OF = dt.date(2026, 11, 25)


def _pods(n: int) -> list[dict]:
    """Pods of the odoo-web Deployment, as the API server stores them."""
    return [{
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": f"odoo-web-7c9f6d5b8-{i:05d}", "namespace": "odoo-prod",
                     "uid": f"00000000-0000-4000-8000-{i:012d}", "resourceVersion": str(9000 + i),
                     "creationTimestamp": "2026-11-24T08:12:09Z",
                     "labels": {"app.kubernetes.io/name": "odoo-web",
                                "pod-template-hash": "7c9f6d5b8"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                          "name": "odoo-web-7c9f6d5b8", "controller": True,
                                          "blockOwnerDeletion": True,
                                          "uid": "0b6d1c52-4f0e-4b9a-9a3e-2f1d6c7b8a90"}],
                     "managedFields": [{"manager": "kube-controller-manager",
                                        "operation": "Update", "apiVersion": "v1"}]},
        "spec": {"containers": [{"name": "odoo",
                                 "image": "acrretailprod.azurecr.io/odoo:17.0-20261102"}],
                 "nodeName": f"aks-odoo-31415926-vmss00000{i % 3}"},
        "status": {"phase": "Running", "podIP": f"10.244.1.{i % 250}", "qosClass": "Burstable"},
    } for i in range(n)]


@pytest.fixture(scope="module")
def served_objects() -> list[dict]:
    return objects_from_dumps(K8S_SOURCES) + _pods(23)


@pytest.fixture(scope="module")
def dump_folder(tmp_path_factory, served_objects) -> Path:
    """The same objects as a `kubectl get -A -o yaml` List dump."""
    folder = tmp_path_factory.mktemp("dump")
    (folder / "all.yaml").write_text(yaml.safe_dump(
        {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
         "items": served_objects}))
    return folder


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, served_objects):
    cluster = StubCluster(copy.deepcopy(served_objects))
    with StubServer(cluster) as server:
        kubeconfig = server.kubeconfig(tmp_path_factory.mktemp("kube") / "config")
        api, name, context = api_client(kubeconfig, None)
        read = read_cluster(api, "aks-retail-prod", context, timeout=5, page_size=4)
        api.close()
    return cluster, read, name, context


def test_live_rows_equal_the_rows_of_the_same_objects_read_from_files(clean_run, dump_folder):
    _cluster, read, name, context = clean_run
    assert (name, context) == ("aks-stub", "aks-stub-admin")
    assert read.gaps == []
    offline = read_manifests(dump_folder, "aks-retail-prod")
    assert offline.problems == []
    assert len(read.records) == len(offline.records) == 45 + 23
    assert read.records == offline.records


def test_only_get_requests_and_no_request_returns_secret_data(clean_run):
    cluster, _read, _, _ = clean_run
    log = cluster.log
    assert {r["method"] for r in log} == {"GET"}
    secrets = [r for r in log if r["path"].endswith("/secrets")]
    assert secrets and all("as=Table" in r["accept"] and "g=meta.k8s.io" in r["accept"]
                           and r["query"]["includeObject"] == ["Metadata"] for r in secrets)
    assert cluster.secret_data_sent is False
    lists = [r for r in log if r["path"].count("/") >= 3 and not r["path"].startswith("/apis/")
             or r["path"].count("/") >= 4]
    assert lists and all(r["query"].get("limit") == ["4"] for r in lists)
    pods = [r for r in log if r["path"] == "/api/v1/pods"]
    assert len(pods) == 6 and sum("continue" in r["query"] for r in pods) == 5  # 23 / 4
    # discovery only for the groups the review reads
    discovered = {r["path"] for r in log if r["path"].startswith("/apis/") and
                  r["path"].count("/") == 3}
    assert "/apis/apps/v1" in discovered and "/apis/autoscaling/v1" not in discovered


def test_secret_rows_carry_type_and_key_count_from_the_metadata_table(clean_run):
    _cluster, read, _, _ = clean_run
    secrets = {r["name"]: r for r in read.records if r["kind"] == "Secret"}
    tls = secrets["shop-demo-retail-tls"]["spec"]
    assert tls == '{"key_count": 2, "type": "kubernetes.io/tls"}'
    pod = next(r for r in read.records if r["kind"] == "Pod")
    assert pod["owner"] == "ReplicaSet/odoo-web-7c9f6d5b8" and "managedFields" not in str(pod)


def test_faults_become_named_gaps_and_the_rest_is_read(tmp_path, served_objects):
    cluster = StubCluster(copy.deepcopy(served_objects), forbidden={"clusterrolebindings"},
                          discovery_404={"cilium.io/v2"}, expire_once={"pods"},
                          throttle_once={"deployments"}, slow={"jobs"}, slow_seconds=2.5)
    with StubServer(cluster) as server:
        kubeconfig = server.kubeconfig(tmp_path / "config")
        api, _, context = api_client(kubeconfig, "aks-stub-admin")
        started = time.monotonic()
        read = read_cluster(api, "aks-stub", context, timeout=1, page_size=10)
        elapsed = time.monotonic() - started
        api.close()
    gaps = dict(read.gaps)
    assert gaps["list ClusterRoleBinding (rbac.authorization.k8s.io) "
                "(/apis/rbac.authorization.k8s.io/v1/clusterrolebindings)"].startswith(
        '403 Forbidden: clusterrolebindings.rbac.authorization.k8s.io is forbidden: User '
        '"system:serviceaccount:readiness:reader" cannot list')
    assert gaps["API discovery of cilium.io/v2"].startswith("404 Not Found")
    assert gaps["list CiliumNetworkPolicy (cilium.io)"] == "its API group could not be discovered"
    assert gaps["list Job (batch) (/apis/batch/v1/jobs)"] == "no answer within 1 s (timed out)"
    assert len(read.gaps) == 5, read.gaps
    # 410 on the second page of pods: the list restarted and is complete
    pods = [r for r in cluster.log if r["path"] == "/api/v1/pods"]
    assert sum("continue" not in r["query"] for r in pods) == 2
    assert sum(r["kind"] == "Pod" for r in read.records) == 23
    # 429 with Retry-After on deployments: retried by the client's policy, then read
    assert sum(r["path"] == "/apis/apps/v1/deployments" for r in cluster.log) == 2
    assert sum(r["kind"] == "Deployment" for r in read.records) == 5
    assert elapsed < 10  # the slow answer was cut at the timeout, not waited for
    assert {r["method"] for r in cluster.log} == {"GET"} and not cluster.secret_data_sent


def test_readiness_collects_from_a_kubeconfig_and_reviews_it(tmp_path, served_objects,
                                                            dump_folder):
    cluster = StubCluster(copy.deepcopy(served_objects), forbidden={"nodes"})
    with StubServer(cluster) as server:
        server.kubeconfig(tmp_path / "kubeconfig")
        params = tmp_path / "t.yaml"
        params.write_text("tenant: stub-live\nsources:\n  kubernetes:\n"
                          "    kubeconfig: kubeconfig\n    context: aks-stub-admin\n"
                          "    cluster: aks-retail-prod\n    timeout_seconds: 5\n")
        loaded = load_parameters(params)
        assert validate(loaded.params.sources.kubernetes, loaded) == []
        live_ev = gather_evidence(loaded)
    assert live_ev.gaps[["source", "scope", "what"]].values.tolist() == [
        ["kubernetes", "aks-retail-prod", "list Node (core) (/api/v1/nodes)"]]
    assert "context aks-stub-admin: GET /api/v1, /apis/apps/v1" in \
        live_ev.provenance["k8s_objects"].query
    live = build_review(loaded.params, live_ev, as_of=AS_OF).findings
    assert set(live["domain"]) == {"architecture", "scalability", "security", "resilience",
                                   "operations", "devops"}
    assessed = live[live["status"].isin(["pass", "fail"])]
    # domains with Kubernetes checks in the catalogue judge the collected objects
    assert {"architecture", "scalability", "security", "resilience", "devops"} <= set(
        assessed["domain"])
    assert "Deployment/odoo-prod/debug-shell" in set(assessed["subject"])
    # the same objects (nodes left out as the gap left them out) read offline
    offline_dir = tmp_path / "offline"
    offline_dir.mkdir()
    kept = [o for o in served_objects if o["kind"] != "Node"]
    (offline_dir / "all.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List",
                                                           "items": kept}))
    params.write_text("tenant: stub-files\nsources:\n  kubernetes:\n    manifests: offline\n"
                      "    cluster: aks-retail-prod\n")
    files_loaded = load_parameters(params)
    files = build_review(files_loaded.params, gather_evidence(files_loaded), as_of=AS_OF).findings
    cols = ["check_id", "subject", "status"]
    assert live[cols].to_dict("records") == files[cols].to_dict("records")
    # details agree too, except where the live one names the gap that left the nodes out
    cites_gap = live["detail"].str.contains("403 Forbidden", regex=False)
    assert cites_gap.any()
    assert live.loc[~cites_gap, "detail"].tolist() == files.loc[~cites_gap, "detail"].tolist()


def test_an_unreachable_api_server_is_a_gap_and_no_table(tmp_path):
    cluster = StubCluster([])
    with StubServer(cluster) as server:
        server.kubeconfig(tmp_path / "kubeconfig")
    params = tmp_path / "t.yaml"
    params.write_text("tenant: t\nsources:\n  kubernetes:\n    kubeconfig: kubeconfig\n")
    ev = gather_evidence(load_parameters(params))  # server stopped: connection refused
    assert ev.table("k8s_objects") is None
    assert ev.gaps["what"].tolist() == ["API discovery (/api, /apis)"]
    reason = ev.gaps.loc[0, "reason"]
    assert reason.startswith("cannot connect to the API server") and "refused" in reason


def test_a_rejected_token_is_a_gap_naming_401(tmp_path):
    cluster = StubCluster([])
    with StubServer(cluster) as server:
        kubeconfig = server.kubeconfig(tmp_path / "kubeconfig", token="wrong-token")
        api, _, context = api_client(kubeconfig, None)
        read = read_cluster(api, "c", context, timeout=5)
        api.close()
    assert read.gaps == [("API discovery (/api, /apis)", "401 Unauthorized: Unauthorized")]
    assert read.reachable is False
