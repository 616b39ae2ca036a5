"""Tests of the architecture checks ARC-NET-*: network topology."""

from factories import arm, by_subject, detail_of, run

from ._shared import SNET_AKS, SNET_PG, VNET_ID, aks, pool

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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body  # noqa: E402

SUBNET1 = ("/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/"
           "virtualNetworks/test-vnet/subnets/subnet1")                  # 10.0.1.0/24


def test_aks_subnet_real_bodies():
    vnet = real_body("vnet_one_subnet")
    managed = real_body("aks_cluster_create")                      # no vnetSubnetID
    byo = real_body("aks_cluster_create",
                    set={"properties.agentPoolProfiles.0.vnetSubnetID": SUBNET1})
    result = run("ARC-NET-001", {"azure_resources": [vnet, managed]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == "node pools without vnetSubnetID (AKS-managed VNet): nodepool1"
    result = run("ARC-NET-001", {"azure_resources": [vnet, byo]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == "all 1 node pools use subnet subnet1 (test-vnet)"
    # kubenet (as the example): only the 3 nodes + 1 surge take addresses from the /24
    result = run("ARC-NET-002", {"azure_resources": [vnet, byo]})
    assert result.status.tolist() == ["pass"]
    assert "subnet1 10.0.1.0/24 has 251 usable addresses" in result.detail[0]
    # Azure CNI on the node subnet: every node reserves maxPods (110) + 1 addresses
    flat = real_body("aks_cluster_create", set={
        "properties.agentPoolProfiles.0.vnetSubnetID": SUBNET1,
        "properties.networkProfile.networkPlugin": "azure"})
    result = run("ARC-NET-002", {"azure_resources": [vnet, flat]})
    assert result.status.tolist() == ["fail"]
    assert "needs 444 (nodepool1 4 nodes x 111" in result.detail[0]
