"""Scalability checks: connection maths, HPA and node headroom, Odoo sizing, Redis, PG."""

import datetime as dt

import pytest
from factories import GIB, ODOO_IMAGE, SUB, arm, by_subject, deployment, detail_of, hpa, kobj, run
from factories import odoo_conf as conf_rows
from factories import pg_settings as pg_setting_rows

SNET_AKS = (f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-network/providers/"
            "Microsoft.Network/virtualNetworks/vnet-retail-prod/subnets/snet-aks")


ODOO_RES = {"requests": {"cpu": "2", "memory": "6Gi"}, "limits": {"cpu": "4", "memory": "8Gi"}}


def odoo_web(replicas: int = 3, resources=ODOO_RES, args=None) -> dict:
    return deployment("odoo-prod", "odoo-web", ODOO_IMAGE, replicas, resources=resources,
                      args=args, container_name="odoo")


def odoo_cron(args=None) -> dict:
    return deployment("odoo-prod", "odoo-cron", ODOO_IMAGE, 1, container_name="odoo", args=args,
                      resources={"requests": {"cpu": "1", "memory": "2Gi"},
                                 "limits": {"memory": "4Gi"}})


ODOO_OPTIONS = {"workers": "8", "max_cron_threads": "2", "db_maxconn": "64",
                "limit_memory_soft": "2147483648", "limit_memory_hard": "2684354560",
                "db_host": "psql-retail-prod.postgres.database.azure.com", "proxy_mode": "True"}


def odoo_conf(**options) -> list[dict]:
    return conf_rows(**{**ODOO_OPTIONS, **options})


def pg_settings(max_connections: int = 400, server: str = "psql-retail-prod") -> list[dict]:
    return pg_setting_rows(server, max_connections=str(max_connections), ssl="on",
                           shared_buffers="1048576")


def pg_server(name: str = "psql-retail-prod", tier: str = "GeneralPurpose",
              sku: str = "Standard_D8ds_v5", storage=None) -> dict:
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name,
               sku={"name": sku, "tier": tier},
               properties={"version": "16", "state": "Ready",
                           "storage": storage if storage is not None else
                           {"storageSizeGB": 512, "autoGrow": "Enabled", "tier": "P20"},
                           "network": {"publicNetworkAccess": "Disabled"}})


def aks(pools) -> dict:
    return arm("Microsoft.ContainerService/managedClusters", "aks-retail-prod",
               rg="rg-retail-prod-aks", sku={"name": "Base", "tier": "Free"},
               properties={"kubernetesVersion": "1.29.9", "agentPoolProfiles": pools,
                           "networkProfile": {"networkPlugin": "azure",
                                              "networkPolicy": "calico"}})


def pool(name, mode="User", vm="Standard_D8ds_v5", autoscale=True, min_c=3, max_c=12):
    p = {"name": name, "mode": mode, "count": min_c, "vmSize": vm, "maxPods": 30,
         "availabilityZones": ["1", "2"], "vnetSubnetID": SNET_AKS,
         "enableAutoScaling": autoscale, "osType": "Linux"}
    if autoscale:
        p.update(minCount=min_c, maxCount=max_c)
    return p


def redis_info(used_gib: float, max_gib: float = 6, evicted: int = 0,
               policy: str = "volatile-lru") -> list[dict]:
    rows = [("memory", "used_memory", str(int(used_gib * GIB))),
            ("memory", "maxmemory", str(int(max_gib * GIB))),
            ("memory", "maxmemory_policy", policy), ("stats", "evicted_keys", str(evicted)),
            ("clients", "connected_clients", "85"), ("server", "redis_version", "6.2.14")]
    return [{"instance": "redis-retail-prod", "section": s, "key": k, "value": v}
            for s, k, v in rows]


def attested(expected: int, baseline: int) -> list[dict]:
    at = dt.date(2026, 11, 19)
    return [{"key": "peak.expected_orders_per_hour", "value": str(expected),
             "attested_by": "Lena Fischer (E-commerce Director)", "attested_at": at},
            {"key": "peak.baseline_orders_per_hour", "value": str(baseline),
             "attested_by": "Lena Fischer (E-commerce Director)", "attested_at": at}]


def demo_k8s(web_args=None) -> list[dict]:
    return [odoo_web(args=web_args), odoo_cron(), hpa("odoo-prod", "odoo-web", 3, 6)]


# --- connections and peak headroom ---------------------------------------------------------


def test_connection_maths_fails_on_the_demo_numbers():
    result = run("SCL-ODOO-001", {"odoo_config": odoo_conf(), "pg_settings": pg_settings(),
                                  "k8s_objects": demo_k8s(),
                                  "azure_resources": [pg_server()]})
    assert result.subject.tolist() == ["postgres:psql-retail-prod/max_connections"]
    assert result.status.tolist() == ["fail"]
    detail = result.detail[0]
    assert "(1 + 8 workers + 2 cron) x db_maxconn 64 = 704 per pod x 6 pods at HPA max = " \
           "4224" in detail
    assert "max_connections 400 - 15 reserved (Azure keeps 15) = 385" in detail
    assert "peak demand 4928 vs capacity 385" in detail  # web 4224 + cron 704


def test_connection_maths_passes_with_small_pools():
    result = run("SCL-ODOO-001", {
        "odoo_config": odoo_conf(workers="4", max_cron_threads="1", db_maxconn="8"),
        "pg_settings": pg_settings(server="pg-selfhosted"),
        "k8s_objects": [odoo_web(), hpa("odoo-prod", "odoo-web", 3, 6)]})
    assert result.status.tolist() == ["pass"]
    # (1 + 4 + 1) x 8 = 48 per pod x 6 = 288 against 400 - 3 superuser reserved = 397
    assert "= 288" in result.detail[0] and "400 - 3 reserved = 397" in result.detail[0]


def test_connection_maths_not_assessed_without_pg_settings():
    result = run("SCL-ODOO-001", {"odoo_config": odoo_conf(), "k8s_objects": demo_k8s()})
    assert result.status.tolist() == ["not_assessed"]
    assert "pg_settings" in result.detail[0]


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


def test_user_pool_autoscaler_pass_and_fail():
    result = run("SCL-AKS-001", {"azure_resources": [aks([
        pool("system", "System", autoscale=False), pool("odoo"),
        pool("batch", autoscale=False)])]})
    assert by_subject(result) == {"odoo": "pass", "batch": "fail"}
    assert detail_of(result, "odoo") == ("cluster autoscaler on: min 3, max 12 nodes "
                                         "(Standard_D8ds_v5)")
    assert detail_of(result, "batch").startswith("cluster autoscaler off: fixed at 3 nodes")


def test_node_capacity_at_peak_pass_and_fail():
    k8s = demo_k8s()
    ok = run("SCL-AKS-002", {"azure_resources": [aks([pool("system", "System"), pool("odoo")])],
                             "k8s_objects": k8s}, targets={"peak_multiplier": 4})
    assert ok.status.tolist() == ["pass"]
    assert "Node pool vCPU: peak demand 25 vs capacity" in ok.detail[0]  # 12 x 2 + 1 cron
    tiny = run("SCL-AKS-002", {"azure_resources": [aks([pool("odoo", vm="Standard_D4ds_v5",
                                                              min_c=1, max_c=3)])],
                               "k8s_objects": k8s}, targets={"peak_multiplier": 4})
    assert tiny.status.tolist() == ["fail"]
    assert "insufficient" in tiny.detail[0]


# --- Odoo sizing ---------------------------------------------------------------------------


@pytest.mark.parametrize("workers, status, text", [
    ("8", "fail", "workers 8 (odoo.conf) on a CPU request of 2 cores: 2 x CPU + 1 allows 5"),
    ("5", "pass", "allows 5"),
    ("0", "fail", "threaded mode"),
])
def test_workers_vs_cpu(workers, status, text):
    result = run("SCL-ODOO-002", {"odoo_config": odoo_conf(workers=workers),
                                  "k8s_objects": demo_k8s()})
    assert by_subject(result) == {"odoo-web": status}
    assert text in result.detail[0]


def test_workers_vs_cpu_fails_without_cpu_request():
    result = run("SCL-ODOO-002", {"odoo_config": odoo_conf(),
                                  "k8s_objects": [odoo_web(resources={})]})
    assert result.status.tolist() == ["fail"]
    assert "no CPU request" in result.detail[0]


def test_odoo_memory_fits_pod_fail_and_pass():
    bad = run("SCL-ODOO-003", {"odoo_config": odoo_conf(), "k8s_objects": [odoo_web()]})
    assert bad.status.tolist() == ["fail"]
    assert bad.detail[0] == ("limit_memory_hard 2.5 GiB x 10 processes (8 workers + 2 cron) = "
                             "25.0 GiB vs pod memory limit 8.0 GiB")
    good = run("SCL-ODOO-003", {
        "odoo_config": odoo_conf(),
        "k8s_objects": [odoo_web(args=["--workers=2", "--max-cron-threads=0"],
                                 resources={"requests": {"cpu": "1", "memory": "4Gi"},
                                            "limits": {"memory": "6Gi"}})]})
    assert good.status.tolist() == ["pass"]
    assert "x 2 processes (2 workers + 0 cron) = 5.0 GiB vs pod memory limit 6.0 GiB" in \
        good.detail[0]


def test_odoo_memory_counts_only_cron_workers_without_http():
    tight = run("SCL-ODOO-003", {"odoo_config": odoo_conf(),
                                 "k8s_objects": [odoo_cron(args=["--no-http"])]})
    assert tight.status.tolist() == ["fail"]
    assert tight.detail[0] == ("limit_memory_hard 2.5 GiB x 2 processes (0 workers (--no-http)"
                               " + 2 cron) = 5.0 GiB vs pod memory limit 4.0 GiB")
    roomy = deployment("odoo-prod", "odoo-cron", ODOO_IMAGE, 1, container_name="odoo",
                       args=["--no-http"], resources={"requests": {"cpu": "1", "memory": "4Gi"},
                                                      "limits": {"memory": "6Gi"}})
    assert run("SCL-ODOO-003", {"odoo_config": odoo_conf(),
                                "k8s_objects": [roomy]}).status.tolist() == ["pass"]


def test_odoo_memory_not_assessed_in_threaded_mode():
    result = run("SCL-ODOO-003", {"odoo_config": odoo_conf(workers="0"),
                                  "k8s_objects": [odoo_web()]})
    assert result.status.tolist() == ["not_assessed"]


def test_cron_runs_in_web_pods_despite_cron_deployment_fails():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(), "k8s_objects": demo_k8s()})
    assert by_subject(result) == {"odoo-web": "fail", "odoo-cron": "pass"}
    assert "although odoo-cron runs cron: up to 12 extra cron workers at HPA max" in \
        detail_of(result, "odoo-web")


def test_cron_disabled_in_web_pods_passes():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(),
                                  "k8s_objects": demo_k8s(web_args=["--max-cron-threads=0"])})
    assert by_subject(result) == {"odoo-web": "pass", "odoo-cron": "pass"}
    assert detail_of(result, "odoo-web") == "max_cron_threads 0: cron left to odoo-cron"


def test_cron_deployment_without_threads_fails():
    result = run("SCL-ODOO-004", {"odoo_config": odoo_conf(max_cron_threads="0"),
                                  "k8s_objects": [odoo_web(), odoo_cron()]})
    assert by_subject(result) == {"odoo-web": "pass", "odoo-cron": "fail"}
    assert "no scheduled actions run" in detail_of(result, "odoo-cron")


# --- Redis ---------------------------------------------------------------------------------


def test_redis_memory_headroom_fail_and_pass():
    bad = run("SCL-REDIS-001", {"redis_info": redis_info(4.3)}, targets={"peak_multiplier": 4})
    assert bad.subject.tolist() == ["redis:redis-retail-prod"]
    assert bad.status.tolist() == ["fail"]
    assert "used_memory 4.30 GiB x 4 = 17.20 GiB vs maxmemory 6.00 GiB" in bad.detail[0]
    good = run("SCL-REDIS-001", {"redis_info": redis_info(1.0)}, targets={"peak_multiplier": 4})
    assert good.status.tolist() == ["pass"]


@pytest.mark.parametrize("evicted, policy, status", [
    (1532, "volatile-lru", "fail"), (0, "volatile-lru", "pass"), (0, "noeviction", "fail")])
def test_redis_evictions(evicted, policy, status):
    result = run("SCL-REDIS-002", {"redis_info": redis_info(4.3, evicted=evicted,
                                                            policy=policy)})
    assert result.status.tolist() == [status]
    assert result.detail[0] == f"evicted_keys {evicted}, maxmemory_policy {policy}"


# --- PostgreSQL ----------------------------------------------------------------------------


def test_pg_storage_headroom_pass_and_fail():
    dbs = [{"server": "psql-retail-prod.postgres.database.azure.com", "datname": "odoo_prod",
            "size_bytes": 180 * GIB, "is_template": False},
           {"server": "psql-small", "datname": "odoo", "size_bytes": 115 * GIB,
            "is_template": False}]
    servers = [pg_server(),
               pg_server("psql-nogrow", storage={"storageSizeGB": 128, "tier": "P10"}),
               pg_server("psql-small", storage={"storageSizeGB": 128, "autoGrow": "Enabled"})]
    result = run("SCL-PG-001", {"azure_resources": servers, "pg_databases": dbs})
    assert by_subject(result) == {"psql-retail-prod": "pass", "psql-nogrow": "fail",
                                  "psql-small": "fail"}
    assert detail_of(result, "psql-retail-prod") == (
        "storage 512.0 GiB, autoGrow Enabled; databases use 180.0 GiB (35%)")
    assert "autoGrow Disabled (default)" in detail_of(result, "psql-nogrow")
    assert "(90%)" in detail_of(result, "psql-small")


def test_pg_not_burstable_pass_and_fail():
    result = run("SCL-PG-002", {"azure_resources": [
        pg_server(), pg_server("psql-cheap", tier="Burstable", sku="Standard_B2ms")]})
    assert by_subject(result) == {"psql-retail-prod": "pass", "psql-cheap": "fail"}
    assert detail_of(result, "psql-cheap") == "SKU Standard_B2ms (Burstable)"


# --- Kubernetes resources ------------------------------------------------------------------


def test_requests_and_limits_pass_fail_and_limitrange_defaults():
    objs = [
        odoo_web(),
        deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2, resources={}),
        deployment("odoo-prod", "debug-shell", "docker.io/library/busybox:latest"),
        deployment("kube-system", "coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.9.4"),
        kobj("LimitRange", "odoo-prod", "defaults", {"limits": [
            {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
             "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}, api="v1"),
    ]
    result = run("SCL-K8S-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-web": "pass", "traefik": "fail", "debug-shell": "pass"}
    assert detail_of(result, "traefik") == (
        "traefik: no CPU request, no memory request, no memory limit")
    assert "from the namespace LimitRange" in detail_of(result, "debug-shell")
