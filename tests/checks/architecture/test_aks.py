"""Tests of the architecture checks ARC-AKS-*: AKS cluster design."""

from factories import arm, by_subject, detail_of, run

from ._shared import aks, pool


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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, renamed  # noqa: E402


def test_aks_network_design_real_bodies():
    kubenet = renamed(real_body("aks_cluster_create"), "kubenet")     # networkPlugin kubenet
    overlay = renamed(real_body("aks_cluster_create", set={            # the network design
        "properties.networkProfile.networkPlugin": "azure",
        "properties.networkProfile.networkPluginMode": "overlay",
        "properties.networkProfile.networkPolicy": "cilium"}), "overlay")
    unknown = renamed(real_body("aks_cluster_create", set={
        "properties.networkProfile": {"loadBalancerSku": "standard"}}), "unknown")
    result = run("ARC-AKS-001", {"azure_resources": [kubenet, overlay, unknown]})
    assert by_subject(result) == {"kubenet": "fail", "overlay": "pass", "unknown": "not_assessed"}
    assert detail_of(result, "overlay") == "network plugin azure (overlay), network policy cilium"
    assert detail_of(result, "unknown") == "network plugin not reported, network policy none"


def test_aks_pool_separation_and_system_taint_real_bodies():
    cluster = real_body("aks_cluster_create")                          # nodepool1 System only
    user = real_body("aks_agentpool_user_spot")                        # agentpool1 User
    result = run("ARC-AKS-002", {"azure_resources": [cluster]})
    assert by_subject(result) == {"clustername1": "fail"}
    result = run("ARC-AKS-002", {"azure_resources": [cluster, user]})
    assert by_subject(result) == {"clustername1": "pass"}
    assert detail_of(result, "clustername1") == "system pools: nodepool1; user pools: agentpool1"
    # the Get example reports no mode: the missing pool could be either
    result = run("ARC-AKS-002", {"azure_resources": [real_body("aks_cluster_get")]})
    assert result.status.tolist() == ["not_assessed"]
    tainted = real_body("aks_cluster_create", set={
        "properties.agentPoolProfiles.0.nodeTaints": ["CriticalAddonsOnly=true:NoSchedule"]})
    assert run("ARC-AKS-003", {"azure_resources": [cluster]}).status.tolist() == ["fail"]
    result = run("ARC-AKS-003", {"azure_resources": [tainted]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == "system pool nodepool1 is tainted CriticalAddonsOnly"


def test_odoo_pools_follow_database_zones_real_bodies():
    server = real_body("pg_server_zone_redundant")                  # primary 1, standby 2
    cluster = real_body("aks_cluster_create")
    regional = real_body("aks_agentpool_user_spot")                  # User pool, no zones
    zonal = real_body("aks_agentpool_user_spot",
                      set={"properties.availabilityZones": ["1", "2", "3"]})
    result = run("ARC-AKS-004", {"azure_resources": [server, cluster, regional]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == ("primary in zone 1, standby in zone 2; user node pools in "
                                "zones no zone (regional)")
    result = run("ARC-AKS-004", {"azure_resources": [server, cluster, zonal]})
    assert result.status.tolist() == ["pass"]
    # without a user pool there is nothing to place next to the database
    result = run("ARC-AKS-004", {"azure_resources": [server, cluster]})
    assert result.status.tolist() == ["not_assessed"]


def test_aks_load_balancer_real_bodies():
    result = run("ARC-AKS-005", {"azure_resources": [
        renamed(real_body("aks_cluster_get"), "standard"),           # loadBalancerSku standard
        renamed(real_body("aks_cluster_create"), "basic")]})        # loadBalancerSku basic
    assert by_subject(result) == {"standard": "pass", "basic": "fail"}
    assert detail_of(result, "basic") == "load balancer SKU basic"
