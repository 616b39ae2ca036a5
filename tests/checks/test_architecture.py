"""Architecture checks: a pass and a fail fixture per check."""

import pytest
from factories import ODOO_IMAGE, SUB, arm, by_subject, deployment, detail_of, kobj, run
from factories import odoo_conf as conf_rows

VNET_ID = (f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-network/providers/"
           "Microsoft.Network/virtualNetworks/vnet-retail-prod")
SNET_AKS = VNET_ID + "/subnets/snet-aks"
SNET_PG = VNET_ID + "/subnets/snet-postgres"
SNET_PE = VNET_ID + "/subnets/snet-private-endpoints"


def vnet(aks_prefix: str = "10.40.0.0/22") -> dict:
    return arm("Microsoft.Network/virtualNetworks", "vnet-retail-prod",
               rg="rg-retail-prod-network", properties={
                   "addressSpace": {"addressPrefixes": ["10.40.0.0/16"]},
                   "subnets": [
                       {"id": SNET_AKS, "name": "snet-aks",
                        "properties": {"addressPrefix": aks_prefix}},
                       {"id": SNET_PG, "name": "snet-postgres",
                        "properties": {"addressPrefix": "10.40.8.0/24", "delegations": [
                            {"name": "pg", "properties": {
                                "serviceName": "Microsoft.DBforPostgreSQL/flexibleServers"}}]}},
                       {"id": SNET_PE, "name": "snet-private-endpoints",
                        "properties": {"addressPrefix": "10.40.9.0/24"}},
                   ]})


def pool(name: str, mode: str = "User", zones=("1", "2", "3"), subnet: str | None = SNET_AKS,
         **extra) -> dict:
    p = {"name": name, "mode": mode, "count": 3, "vmSize": "Standard_D8ds_v5", "maxPods": 30,
         "osType": "Linux", "type": "VirtualMachineScaleSets", "orchestratorVersion": "1.29.9",
         "availabilityZones": list(zones), **extra}
    if subnet:
        p["vnetSubnetID"] = subnet
    return p


def aks(name: str = "aks-retail-prod", pools=None, network=None, location="westeurope") -> dict:
    pools = pools if pools is not None else [
        pool("system", "System", nodeTaints=["CriticalAddonsOnly=true:NoSchedule"]),
        pool("odoo", zones=("1", "2"), enableAutoScaling=True, minCount=3, maxCount=12)]
    return arm("Microsoft.ContainerService/managedClusters", name, rg="rg-retail-prod-aks",
               location=location, sku={"name": "Base", "tier": "Free"},
               identity={"type": "SystemAssigned"},
               properties={"kubernetesVersion": "1.29.9", "dnsPrefix": name,
                           "agentPoolProfiles": pools,
                           "networkProfile": network or {
                               "networkPlugin": "azure", "networkPolicy": "calico",
                               "loadBalancerSku": "standard", "outboundType": "loadBalancer"}})


ODOO_PORTS = [{"name": "http", "containerPort": 8069}, {"name": "gevent", "containerPort": 8072}]


def odoo_service() -> dict:
    return kobj("Service", "odoo-prod", "odoo-web", {
        "type": "ClusterIP", "selector": {"app": "odoo-web"},
        "ports": [{"name": "http", "port": 8069, "targetPort": "http"},
                  {"name": "websocket", "port": 8072, "targetPort": "gevent"}]}, api="v1")


def ingress_route(routes: list[tuple[str, int]], name: str = "odoo") -> dict:
    return kobj("IngressRoute", "odoo-prod", name, {
        "entryPoints": ["websecure"],
        "routes": [{"match": "Host(`shop.demo-retail.example`)" +
                    (f" && PathPrefix(`{path}`)" if path != "/" else ""),
                    "kind": "Rule", "services": [{"name": "odoo-web", "port": port}]}
                   for path, port in routes],
        "tls": {"secretName": "shop-demo-retail-tls"}}, api="traefik.io/v1alpha1")


ODOO_OPTIONS = {"workers": "8", "max_cron_threads": "2", "db_maxconn": "64",
                "proxy_mode": "True", "gevent_port": "8072", "dbfilter": "^odoo_prod$",
                "admin_passwd": "<redacted>"}


def odoo_conf(**options) -> list[dict]:
    return conf_rows(**{**ODOO_OPTIONS, **options})


def databases(*names: str, server: str = "psql-retail-prod") -> list[dict]:
    return [{"server": server, "datname": n, "size_bytes": 10 * 1024**3, "encoding": "UTF8",
             "is_template": False, "owner": "odoo"}
            for n in ("postgres", "azure_maintenance", *names)]


# --- network topology ----------------------------------------------------------------------


def test_aks_in_customer_vnet_pass_and_fail():
    managed = aks("aks-legacy", pools=[pool("nodepool1", "System", subnet=None)],
                  network={"networkPlugin": "kubenet"})
    result = run("ARC-NET-001", {"azure_resources": [vnet(), aks(), managed]})
    assert by_subject(result) == {"aks-retail-prod": "pass", "aks-legacy": "fail"}
    assert "snet-aks (vnet-retail-prod)" in detail_of(result, "aks-retail-prod")
    assert "without vnetSubnetID" in detail_of(result, "aks-legacy")
    assert "nodepool1" in detail_of(result, "aks-legacy")


def test_aks_subnet_capacity_fails_when_azure_cni_outgrows_a_slash_24():
    result = run("ARC-NET-002", {"azure_resources": [vnet("10.40.0.0/24"), aks()]})
    assert by_subject(result) == {"snet-aks": "fail"}
    detail = result.detail[0]
    # system 3 + 1 surge, odoo 12 + 1 surge nodes, 31 addresses each = 527 > 251
    assert "251 usable" in detail and "needs 527" in detail


def test_aks_subnet_capacity_passes_on_a_slash_22_and_with_overlay():
    assert by_subject(run("ARC-NET-002", {"azure_resources": [vnet("10.40.0.0/22"), aks()]})) \
        == {"snet-aks": "pass"}
    overlay = aks(network={"networkPlugin": "azure", "networkPluginMode": "overlay",
                           "networkPolicy": "cilium", "podCidr": "192.168.0.0/16"})
    result = run("ARC-NET-002", {"azure_resources": [vnet("10.40.0.0/26"), overlay]})
    assert result.status.tolist() == ["pass"]
    assert "needs 17" in result.detail[0] and "only nodes" in result.detail[0]


def test_aks_subnet_capacity_not_assessed_when_subnet_not_collected():
    result = run("ARC-NET-002", {"azure_resources": [aks()]})
    assert result.status.tolist() == ["not_assessed"]
    assert "not found in the collected virtual networks" in result.detail[0]


# --- workload isolation --------------------------------------------------------------------


def test_namespace_quotas_pass_and_fail():
    objs = [
        deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 3),
        deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2),
        deployment("kube-system", "coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.9.4"),
        kobj("ResourceQuota", "odoo-prod", "odoo-quota",
             {"hard": {"requests.cpu": "40", "requests.memory": "160Gi"}}, api="v1"),
        kobj("LimitRange", "odoo-prod", "odoo-defaults", {"limits": [
            {"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
             "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}, api="v1"),
    ]
    result = run("ARC-ISO-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-prod": "pass", "traefik": "fail"}
    assert detail_of(result, "traefik") == "no ResourceQuota, no LimitRange"


def test_no_default_namespace_pass_and_fail():
    clean = run("ARC-ISO-002", {"k8s_objects": [deployment("odoo-prod", "odoo-web", ODOO_IMAGE)]})
    assert clean.status.tolist() == ["pass"]
    assert clean.subject[0] == "Namespace/-/default"
    dirty = run("ARC-ISO-002", {"k8s_objects": [
        deployment("odoo-prod", "odoo-web", ODOO_IMAGE),
        deployment("default", "nginx-test", "docker.io/library/nginx:1.27")]})
    assert by_subject(dirty) == {"nginx-test": "fail"}
    assert "runs in the default namespace" in dirty.detail[0]


# --- AKS design ----------------------------------------------------------------------------


def test_aks_network_design_pass_and_fail():
    kubenet = aks("aks-kubenet", network={"networkPlugin": "kubenet"})
    result = run("ARC-AKS-001", {"azure_resources": [aks(), kubenet]})
    assert by_subject(result) == {"aks-retail-prod": "pass", "aks-kubenet": "fail"}
    assert detail_of(result, "aks-retail-prod") == "network plugin azure, network policy calico"
    assert detail_of(result, "aks-kubenet") == "network plugin kubenet, network policy none"


def test_aks_pool_separation_pass_and_fail():
    single = aks("aks-single", pools=[pool("nodepool1", "System")])
    result = run("ARC-AKS-002", {"azure_resources": [aks(), single]})
    assert by_subject(result) == {"aks-retail-prod": "pass", "aks-single": "fail"}
    assert detail_of(result, "aks-single") == "system pools: nodepool1; user pools: none"


def test_system_pool_taint_pass_and_fail():
    untainted = aks("aks-b", pools=[pool("sys", "System"), pool("apps")])
    result = run("ARC-AKS-003", {"azure_resources": [aks(), untainted]})
    assert by_subject(result) == {"system": "pass", "sys": "fail"}
    assert "no CriticalAddonsOnly taint" in detail_of(result, "sys")


def _pg_in(zone: str, standby: str | None = None, mode: str = "ZoneRedundant") -> dict:
    ha = {"mode": mode, "standbyAvailabilityZone": standby} if standby else {"mode": "Disabled"}
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", f"psql-z{zone}",
               sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"},
               properties={"version": "16", "availabilityZone": zone, "highAvailability": ha})


def test_odoo_pools_cover_database_zones_pass_and_fail():
    # the default user pool "odoo" runs in zones 1 and 2
    result = run("ARC-AKS-004", {"azure_resources": [
        aks(), _pg_in("1", standby="2"), _pg_in("3")]})
    assert by_subject(result) == {"psql-z1": "pass", "psql-z3": "fail"}
    assert detail_of(result, "psql-z1") == (
        "primary in zone 1, standby in zone 2; user node pools in zones 1, 2")
    assert detail_of(result, "psql-z3") == "primary in zone 3; user node pools in zones 1, 2"


def test_odoo_pools_must_follow_a_failover_to_the_standby_zone():
    result = run("ARC-AKS-004", {"azure_resources": [aks(), _pg_in("1", standby="3")]})
    assert result.status.tolist() == ["fail"]


def test_database_without_zone_is_not_assessed():
    pg_nozone = arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-any",
                    properties={"version": "16"})
    result = run("ARC-AKS-004", {"azure_resources": [aks(), pg_nozone]})
    assert result.status.tolist() == ["not_assessed"]
    assert result.detail[0] == "the server has no availability zone"


# --- ingress -------------------------------------------------------------------------------


def _odoo_k8s(*routes_objs, image: str = ODOO_IMAGE) -> list[dict]:
    return [deployment("odoo-prod", "odoo-web", image, 3, ports=ODOO_PORTS), odoo_service(),
            *routes_objs]


def test_websocket_route_passes_when_routed_to_gevent_port():
    result = run("ARC-ING-001", {
        "k8s_objects": _odoo_k8s(ingress_route([("/", 8069), ("/websocket", 8072)])),
        "odoo_config": odoo_conf()})
    assert by_subject(result) == {"odoo": "pass"}
    assert "Odoo 17: /websocket reaches the gevent port 8072" in result.detail[0]
    assert "/websocket -> odoo-web:8072" in result.detail[0]


def test_websocket_route_fails_without_route_or_to_wrong_port():
    missing = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(ingress_route([("/", 8069)]))})
    assert missing.status.tolist() == ["fail"]
    assert "no /websocket route to the gevent port 8072 (default)" in missing.detail[0]
    wrong = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(
        ingress_route([("/", 8069), ("/websocket", 8069)]))})
    assert wrong.status.tolist() == ["fail"]
    assert "routed, but not to the gevent port" in wrong.detail[0]


def test_websocket_route_on_a_networking_ingress_with_named_port():
    ingress = kobj("Ingress", "odoo-prod", "shop", {
        "ingressClassName": "traefik",
        "rules": [{"host": "shop.demo-retail.example", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "odoo-web", "port": {"number": 8069}}}},
            {"path": "/websocket", "pathType": "Prefix",
             "backend": {"service": {"name": "odoo-web", "port": {"name": "websocket"}}}},
        ]}}]}, api="networking.k8s.io/v1")
    result = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(ingress)})
    assert by_subject(result) == {"shop": "pass"}


def test_odoo_15_needs_longpolling_instead():
    result = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(
        ingress_route([("/", 8069), ("/websocket", 8072)]),
        image="acrretailprod.azurecr.io/odoo:15.0-20231001")})
    assert result.status.tolist() == ["fail"]
    assert "Odoo 15: no /longpolling route" in result.detail[0]


@pytest.mark.parametrize("proxy_mode, status, detail", [
    ("True", "pass", "proxy_mode True: Odoo honours X-Forwarded-Host/Proto/For"),
    ("False", "fail", "proxy_mode False: Odoo ignores X-Forwarded-* headers"),
    (None, "fail", "proxy_mode False (default): Odoo ignores"),
])
def test_odoo_proxy_mode(proxy_mode, status, detail):
    result = run("ARC-ING-002", {"odoo_config": odoo_conf(proxy_mode=proxy_mode)})
    assert result.subject.tolist() == ["odoo:proxy_mode"]
    assert result.status.tolist() == [status]
    assert result.detail[0].startswith(detail)


# --- data-tier placement (private access: SEC-EXP-001) ------------------------------------


def pg(name: str, network: dict, location: str = "westeurope", tier="GeneralPurpose") -> dict:
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name, location=location,
               sku={"name": "Standard_D8ds_v5", "tier": tier},
               properties={"version": "16", "state": "Ready", "network": network,
                           "storage": {"storageSizeGB": 512, "autoGrow": "Enabled"},
                           "highAvailability": {"mode": "SameZone"},
                           "availabilityZone": "1"})


def redis(name: str, public: str | None, location: str = "westeurope") -> dict:
    props = {"sku": {"name": "Premium", "family": "P", "capacity": 1},
             "enableNonSslPort": False, "minimumTlsVersion": "1.2", "redisVersion": "6.0",
             "privateEndpointConnections": []}
    if public:
        props["publicNetworkAccess"] = public
    return arm("Microsoft.Cache/Redis", name, location=location, zones=["1", "2"],
               properties=props)


def test_data_same_region_pass_fail_and_not_assessed():
    far = redis("redis-ne", "Disabled", location="northeurope")
    near = pg("psql-retail-prod", {"delegatedSubnetResourceId": SNET_PG})
    result = run("ARC-DATA-001", {"azure_resources": [aks(), far, near]})
    assert by_subject(result) == {"redis-ne": "fail", "psql-retail-prod": "pass"}
    assert detail_of(result, "redis-ne") == "region northeurope; AKS in westeurope"
    alone = run("ARC-DATA-001", {"azure_resources": [near]})
    assert alone.status.tolist() == ["not_assessed"]


# --- hosting model and environments --------------------------------------------------------


def test_dedicated_hosting_dbfilter_selects_one_database():
    result = run("ARC-HOST-001", {"odoo_config": odoo_conf(),
                                  "pg_databases": databases("odoo_prod", "odoo_staging")})
    assert result.status.tolist() == ["pass"]
    assert result.subject[0] == "odoo:dbfilter"
    assert "selects 1 of 2 application databases (odoo_prod)" in result.detail[0]


@pytest.mark.parametrize("dbfilter, expected", [
    (None, "dbfilter is empty"),
    ("^odoo.*$", "selects 2 of 2 application databases"),
    ("^odoo_prod[$", "not a valid regular expression"),
])
def test_dedicated_hosting_dbfilter_fails(dbfilter, expected):
    result = run("ARC-HOST-001", {"odoo_config": odoo_conf(dbfilter=dbfilter),
                                  "pg_databases": databases("odoo_prod", "odoo_staging")})
    assert result.status.tolist() == ["fail"]
    assert expected in result.detail[0]


def test_multi_tenant_hosting_needs_host_based_dbfilter():
    ok = run("ARC-HOST-001", {"odoo_config": odoo_conf(dbfilter="^%d$")},
             hosting_model="multi-tenant")
    assert ok.status.tolist() == ["pass"]
    bad = run("ARC-HOST-001", {"odoo_config": odoo_conf()}, hosting_model="multi-tenant")
    assert bad.status.tolist() == ["fail"]
    assert "not host-based" in bad.detail[0]


def test_hosting_not_assessed_without_odoo_config():
    assert run("ARC-HOST-001", {}).status.tolist() == ["not_assessed"]


def test_staging_database_on_production_server_fails():
    result = run("ARC-ENV-001", {"pg_databases": databases("odoo_prod", "odoo_staging")})
    assert by_subject(result) == {"odoo_prod": "pass", "odoo_staging": "fail"}
    assert result.subject.tolist() == ["postgres:psql-retail-prod/odoo_prod",
                                       "postgres:psql-retail-prod/odoo_staging"]
    assert detail_of(result, "odoo_staging") == (
        "non-production database on production server psql-retail-prod: environments share "
        "one server")


def test_staging_server_with_staging_databases_passes():
    result = run("ARC-ENV-001", {"pg_databases": databases(
        "odoo_staging", "odoo_uat", server="psql-retail-staging.postgres.database.azure.com")})
    assert set(result.status) == {"pass"}


def test_nonprod_namespace_in_production_cluster_fails():
    objs = [deployment("odoo-prod", "odoo-web", ODOO_IMAGE),
            deployment("odoo-staging", "odoo-web", ODOO_IMAGE),
            kobj("Namespace", None, "monitoring", {}, api="v1")]
    result = run("ARC-ENV-002", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-prod": "pass", "odoo-staging": "fail",
                                  "monitoring": "pass"}
    assert detail_of(result, "odoo-staging") == (
        "non-production namespace in production cluster aks-retail-prod")
