"""Tests of the architecture checks ARC-DATA-*: data-tier placement."""

from factories import arm, by_subject, detail_of, run

from ._shared import SNET_PG, aks


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


def test_data_same_region_real_bodies_compare_regions_canonically():
    from factories import real_body
    cluster = real_body("aks_cluster_create", location="eastus")  # the example says location1
    cache = real_body("redis_premium_no_zones")                   # "East US"
    server = real_body("pg_server_replica")                       # westus
    result = run("ARC-DATA-001", {"azure_resources": [cluster, cache, server]})
    assert by_subject(result) == {"cache1": "pass", "exampleserver": "fail"}
    assert detail_of(result, "cache1") == "region east us; AKS in eastus"
