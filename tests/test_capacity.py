"""The peak-event capacity model: formulas, not-collected inputs, per-Evidence caching."""

import datetime as dt

import pandas as pd
import pytest
from factories import GIB, ODOO_IMAGE, arm, deployment, hpa, kobj, odoo_conf, params_for

from readiness_kit.capacity import (
    CAPACITY_COLUMNS,
    capacity_model,
    containers,
    cpu_cores,
    memory_bytes,
    odoo_workloads,
    peak_factor,
    vm_capacity,
)
from readiness_kit.evidence import TableProvenance, evidence_from_records


def demo_tables() -> dict[str, list[dict]]:
    pools = [{"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D4ds_v5",
              "maxPods": 30, "availabilityZones": ["1", "2", "3"]},
             {"name": "odoo", "mode": "User", "count": 3, "vmSize": "Standard_D8ds_v5",
              "maxPods": 30, "availabilityZones": ["1", "2"], "enableAutoScaling": True,
              "minCount": 3, "maxCount": 12}]
    aks = arm("Microsoft.ContainerService/managedClusters", "aks-retail-prod",
              {"agentPoolProfiles": pools}, rg="rg-retail-prod-aks")
    pg = arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod", {"version": "16"},
             sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})
    odoo_res = {"requests": {"cpu": "2", "memory": "6Gi"}, "limits": {"memory": "8Gi"}}
    return {
        "azure_resources": [aks, pg],
        "k8s_objects": [
            deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 3, resources=odoo_res),
            deployment("odoo-prod", "odoo-cron", ODOO_IMAGE, 1,
                       resources={"requests": {"cpu": "1", "memory": "2Gi"}}),
            deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2,
                       resources={"requests": {"cpu": "500m", "memory": "256Mi"}}),
            deployment("kube-system", "coredns", "mcr.microsoft.com/coredns:1.11", 2,
                       resources={"requests": {"cpu": "100m", "memory": "70Mi"}}),
            hpa("odoo-prod", "odoo-web", 3, 6, 3),
        ],
        "odoo_config": odoo_conf("odoo.conf", workers="8", max_cron_threads="2",
                                 db_maxconn="64"),
        "pg_settings": [{"server": "psql-retail-prod", "name": "max_connections",
                         "setting": "400"}],
        "pg_activity": [{"server": "psql-retail-prod", "datname": "odoo_prod",
                         "usename": "odoo", "state": "idle", "connections": 140}],
        "redis_info": [{"instance": "redis-retail-prod", "section": "memory", "key": k,
                        "value": v} for k, v in {"used_memory": str(int(4.3 * GIB)),
                                                 "maxmemory": str(6 * GIB)}.items()],
        "attestations": [
            {"key": "peak.expected_orders_per_hour", "value": "12000",
             "attested_by": "Lena Fischer", "attested_at": dt.date(2026, 11, 19)},
            {"key": "peak.baseline_orders_per_hour", "value": "3000",
             "attested_by": "Lena Fischer", "attested_at": dt.date(2026, 11, 19)}],
    }


def model(tables, **params) -> pd.DataFrame:
    return capacity_model(evidence_from_records(tables), params_for("demo-retail", **params))


def row(frame: pd.DataFrame, resource: str) -> pd.Series:
    return frame[frame["resource"] == resource].iloc[0]


def test_quantities():
    cpu = cpu_cores(pd.Series(["500m", "2", "1.5", None, "abc"]))
    assert cpu.tolist()[:3] == [0.5, 2.0, 1.5] and cpu[3:].isna().all()
    mem = memory_bytes(pd.Series(["4Gi", "512Mi", "1G", "1e9", "128974848", None]))
    assert mem.tolist()[:5] == [4 * GIB, 512 * 2**20, 1e9, 1e9, 128974848]
    assert pd.isna(mem[5])


def test_vm_capacity_from_name_and_table():
    cap = vm_capacity(pd.Series(["Standard_D8ds_v5", "Standard_E16as_v5", "Standard_DS3_v2",
                                 "Standard_NC6s_v3"]))
    assert cap["vcpu"].tolist()[:3] == [8, 16, 4]
    assert cap["gib"].tolist()[:3] == [32, 128, 14]
    assert pd.isna(cap["gib"][3])


def test_peak_factor_prefers_the_larger_of_target_and_forecast():
    ev = evidence_from_records(demo_tables())
    factor, text = peak_factor(ev, params_for(targets={"peak_multiplier": 3}))
    assert factor == 4
    assert "attested 12000 vs 3000 orders/hour = 4x" in text
    factor, _ = peak_factor(ev, params_for(targets={"peak_multiplier": 5}))
    assert factor == 5
    factor, text = peak_factor(evidence_from_records({}), params_for())
    assert factor == 3 and "no attested forecast" in text


def test_peak_factor_reads_parameter_attestations_when_table_absent():
    params = params_for(attestations={
        "peak.expected_orders_per_hour": {"value": 9000, "attested_by": "Lena Fischer",
                                          "attested_at": "2026-11-19"},
        "peak.baseline_orders_per_hour": {"value": 1500, "attested_by": "Lena Fischer",
                                          "attested_at": "2026-11-19"}})
    factor, _ = peak_factor(evidence_from_records({}), params)
    assert factor == 6


def test_model_is_tidy_with_documented_formulas():
    m = model(demo_tables(), targets={"peak_multiplier": 3})
    assert list(m.columns) == CAPACITY_COLUMNS
    assert set(m["resource"]) == {"PostgreSQL connections", "Pods at peak",
                                  "Odoo worker processes", "Redis memory", "Node pool vCPU",
                                  "Node pool memory", "Odoo workers vs CPU", "Odoo pod memory",
                                  "queue_job drain time"}
    drain = m.set_index("resource").loc["queue_job drain time"]
    assert (drain["verdict"], drain["explanation"]) == ("not_collected",
                                                        "odoo_jobs not collected")
    conn = row(m, "PostgreSQL connections")
    # (1 + 8 + 2) x 64 = 704 per pod; web 3 now / 6 at HPA max, cron 1 pod
    assert (conn.baseline, conn.peak_demand, conn.capacity) == (2816, 4928, 385)
    assert conn.verdict == "insufficient"
    assert "observed now 140 (pg_activity)" in conn.explanation
    pods = row(m, "Pods at peak")
    assert (pods.subject, pods.baseline, pods.peak_demand, pods.capacity) == (
        "Deployment/odoo-prod/odoo-web", 3, 12, 6)
    workers = row(m, "Odoo worker processes")
    assert (workers.baseline, workers.peak_demand, workers.capacity) == (24, 96, 48)
    redis = row(m, "Redis memory")
    assert (redis.baseline, redis.peak_demand, redis.capacity) == (4.3, 17.2, 6.0)
    assert redis.headroom_pct == pytest.approx(-186.7)


def test_node_pool_capacity_counts_user_pools_and_application_pods():
    m = model(demo_tables(), targets={"peak_multiplier": 4})
    cpu = row(m, "Node pool vCPU")
    # now: web 3 x 2 + cron 1 + traefik 2 x 0.5 = 8; peak: web 12 x 2 + 1 + 1 = 26
    assert (cpu.baseline, cpu.peak_demand) == (8, 26)
    # 12 nodes x (8 vCPU - 0.18 kube-reserved); coredns (kube-system) not counted
    assert cpu.capacity == pytest.approx(12 * 7.82)
    assert cpu.verdict == "sufficient"
    mem = row(m, "Node pool memory")
    assert mem.peak_demand == pytest.approx(12 * 6 + 2 + 2 * 0.25)


def test_node_pool_capacity_prefers_observed_node_allocatable():
    tables = demo_tables()
    tables["k8s_objects"] += [
        kobj("Node", None, f"aks-odoo-12345678-vmss00000{i}", api="v1",
             labels={"kubernetes.azure.com/agentpool": "odoo", "kubernetes.azure.com/mode":
                     "user", "node.kubernetes.io/instance-type": "Standard_D8ds_v5"},
             status={"capacity": {"cpu": "8", "memory": "32864084Ki"},
                     "allocatable": {"cpu": "7820m", "memory": "28128084Ki"}})
        for i in range(3)]
    m = model(tables)
    assert row(m, "Node pool vCPU").capacity == pytest.approx(12 * 7.82)
    mem = row(m, "Node pool memory")
    assert mem.capacity == pytest.approx(round(12 * 28128084 * 1024 / GIB, 2))
    assert "allocatable per node from Node status" in mem.explanation
    assert "VM size estimate" in row(model(demo_tables()), "Node pool memory").explanation


def test_container_args_override_odoo_conf():
    tables = demo_tables()
    tables["k8s_objects"][0] = deployment(
        "odoo-prod", "odoo-web", ODOO_IMAGE, 3, resources={"requests": {"cpu": "2"}},
        args=["--workers=4", "--max-cron-threads=0", "--db_maxconn", "16"])
    odoo = odoo_workloads(evidence_from_records(tables)).set_index("name")
    web = odoo.loc["odoo-web"]
    assert (web.workers, web.max_cron_threads, web.db_maxconn) == (4, 0, 16)
    assert web.connections_per_pod == (1 + 4 + 0) * 16
    assert web.workers_source == "container args"
    assert odoo.loc["odoo-cron", "role"] == "cron"
    assert odoo.loc["odoo-cron", "connections_per_pod"] == 704


def test_no_http_pods_run_only_cron_workers():
    tables = demo_tables()
    tables["k8s_objects"][1] = deployment(
        "odoo-prod", "odoo-batch", ODOO_IMAGE, 1, resources={"requests": {"cpu": "1"}},
        args=["--config=/etc/odoo/odoo.conf", "--no-http"])
    odoo = odoo_workloads(evidence_from_records(tables)).set_index("name")
    batch = odoo.loc["odoo-batch"]
    assert (batch.role, batch.http_workers, batch.processes_per_pod) == ("cron", 0, 3)
    assert batch.connections_per_pod == (1 + 0 + 2) * 64
    conn = row(model(tables), "PostgreSQL connections")
    assert conn.peak_demand == 704 * 6 + 192
    assert "odoo-batch: (1 + 0 workers (--no-http) + 2 cron)" in conn.explanation


def test_limitrange_defaults_fill_missing_requests():
    ev = evidence_from_records({"k8s_objects": [
        deployment("shop", "api", "docker.io/library/nginx:1.27", 1),
        deployment("shop", "worker", "docker.io/library/nginx:1.27", 1,
                   resources={"limits": {"cpu": "1", "memory": "1Gi"}}),
        kobj("LimitRange", "shop", "defaults",
             {"limits": [{"type": "Container", "default": {"memory": "512Mi"},
                          "defaultRequest": {"cpu": "250m"}}]}, api="v1")]})
    c = containers(ev).set_index("name")
    assert c.loc["api", "cpu_request"] == 0.25
    assert c.loc["api", "mem_request"] == 512 * 2**20  # defaultRequest falls back to default
    assert c.loc["api", "cpu_request_source"] == "LimitRange"
    assert c.loc["worker", "cpu_request"] == 1.0  # request defaults to the container's limit
    assert c.loc["worker", "cpu_request_source"] == "spec"


def test_missing_evidence_is_not_collected_never_a_pass():
    m = model({"odoo_config": demo_tables()["odoo_config"]})
    assert set(m["verdict"]) == {"not_collected"}
    assert "pg_settings not collected" in row(m, "PostgreSQL connections").explanation
    assert m["headroom_pct"].isna().all()
    no_conf = demo_tables()
    del no_conf["odoo_config"]
    assert row(model(no_conf), "PostgreSQL connections").verdict == "not_collected"


def test_empty_evidence_gives_an_empty_model():
    m = model({name: [] for name in demo_tables()})
    assert m.empty and list(m.columns) == CAPACITY_COLUMNS


def test_derived_frames_are_cached_per_evidence_but_never_shared_for_writes():
    ev = evidence_from_records(demo_tables())
    first = odoo_workloads(ev)
    first["workers"] = 99
    again = odoo_workloads(ev)
    assert set(again["workers"]) == {8}
    fresh = evidence_from_records({**demo_tables(), "odoo_config": [
        {"source": "odoo.conf", "section": "options", "key": "workers", "value": "3"}]})
    assert set(odoo_workloads(fresh)["workers"]) == {3}
    # adding a table drops what was derived from the evidence
    model_before = capacity_model(ev, params_for())
    assert capacity_model(ev, params_for()) is not model_before  # a copy each time
    ev.add("odoo_config", fresh.table("odoo_config"), TableProvenance("odoo", "test", "q"))
    assert set(odoo_workloads(ev)["workers"]) == {3}
    assert containers(ev) is not None


def test_capacity_model_is_keyed_by_parameters():
    ev = evidence_from_records(demo_tables())
    low = capacity_model(ev, params_for(targets={"peak_multiplier": 1}))
    high = capacity_model(ev, params_for(targets={"peak_multiplier": 5}))
    pods = "Pods at peak"
    assert row(low, pods).peak_demand == 3 * 4  # the attested 4x forecast beats 1x
    assert row(high, pods).peak_demand == 3 * 5  # a 5x target beats the forecast
