"""Tests of the scalability checks SCL-AKS-*: AKS node pools and autoscaling."""

from factories import SUB, arm, by_subject, detail_of, run

from ._shared import demo_k8s

SNET_AKS = (f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-network/providers/"
            "Microsoft.Network/virtualNetworks/vnet-retail-prod/subnets/snet-aks")


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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body  # noqa: E402


def test_user_pool_autoscaler_and_headroom_real_bodies():
    cluster = real_body("aks_cluster_create")
    fixed = real_body("aks_agentpool_user_spot")           # User, no autoscaler
    result = run("SCL-AKS-001", {"azure_resources": [cluster, fixed]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == "cluster autoscaler off: fixed at 3 nodes (Standard_DS1_v2)"
    # AgentPools_Update reports no mode: min = max = 2 is not failed, it may be a system pool
    stuck = real_body("aks_agentpool_autoscale")
    assert run("SCL-AKS-001", {"azure_resources": [cluster, stuck]}).status.tolist() == [
        "not_assessed"]
    roomy = real_body("aks_agentpool_autoscale_headroom")  # maxCount 10
    result = run("SCL-AKS-001", {"azure_resources": [cluster, roomy]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0].endswith("(pool mode not reported: it may be a system pool)")
    result = run("SCL-AKS-003", {"azure_resources": [cluster, roomy]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0].startswith("pool agentpool1 runs 3 of at most 10 nodes (7 more")
    full = real_body("aks_agentpool_autoscale", set={"properties.mode": "User"})
    result = run("SCL-AKS-003", {"azure_resources": [cluster, full]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == "pool agentpool1 runs 3 of at most 2 nodes (0 more possible)"


def test_node_capacity_at_peak_real_bodies():
    small = real_body("aks_cluster_kv_secrets_provider")   # 3 x Standard_DS2_v2
    result = run("SCL-AKS-002", {"azure_resources": [small], "k8s_objects": demo_k8s()},
                 targets={"peak_multiplier": 4})
    assert result.status.tolist() == ["fail"]
    assert "Node pool vCPU: peak demand 25 vs capacity 5.70 vCPU (insufficient" in \
        result.detail[0]
    sized = real_body("aks_cluster_kv_secrets_provider",
                      set={"properties.agentPoolProfiles.0.count": 30})
    result = run("SCL-AKS-002", {"azure_resources": [sized], "k8s_objects": demo_k8s()},
                 targets={"peak_multiplier": 4})
    assert result.status.tolist() == ["pass"]
