"""Architecture checks ARC-NET-*: network topology."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import node_pools
from readiness_kit.checks.architecture._shared import AKS, AKS_BASELINE, _nothing
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, fmt, is_dict, resources, short_name

VNET = "microsoft.network/virtualnetworks"


def _subnets(ctx: CheckContext) -> pd.DataFrame:
    """Subnets of the collected virtual networks: id (lower), name, vnet, prefix length."""
    vnet = resources(ctx.ev, VNET)
    sub = vnet.assign(subnet=dig(vnet["props"], "subnets", [])).explode("subnet")
    sub = sub[sub["subnet"].map(is_dict).astype(bool)]
    prefix = dig(sub["subnet"], "properties.addressPrefix").where(
        lambda s: s.notna(), dig(sub["subnet"], "properties.addressPrefixes.0"))
    return pd.DataFrame({
        "key": dig(sub["subnet"], "id", "").astype(str).str.lower(),
        "subnet": dig(sub["subnet"], "name").astype(str),
        "vnet": sub["name"],
        "prefix": prefix.astype(str),
        "prefix_len": pd.to_numeric(prefix.astype(str).str.extract(r"/(\d+)$")[0],
                                    errors="coerce"),
    }).reset_index(drop=True)


@check(
    id="ARC-NET-001",
    domain="architecture",
    severity="high",
    title="AKS node pools run in a customer-managed virtual network subnet",
    rationale="The AKS baseline architecture places node pools in a subnet of a spoke VNet "
    "the platform team owns, so PostgreSQL, Redis and storage can be reached over private "
    "endpoints or VNet integration, NSGs and route tables apply, and the spoke can be peered "
    "to the hub. A pool without vnetSubnetID lives in a VNet AKS creates and manages itself.",
    remediation="Create the node pools in a dedicated subnet of the workload VNet "
    "(vnetSubnetID), sized for the autoscaler maximum; migrating means new node pools, so "
    "plan it before go-live.",
    risk="Nodes sit in an AKS-managed network: the database and cache cannot be kept off the "
    "internet and traffic cannot be inspected or routed by the platform team",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[AKS_BASELINE, "https://learn.microsoft.com/azure/aks/configure-azure-cni"],
)
def aks_in_customer_vnet(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    pools = node_pools(ctx.ev)
    if aks.empty:
        return _nothing()
    subnets = _subnets(ctx).drop_duplicates("key").set_index("key")
    where = pools["subnet_id"].fillna("").astype(str).str.lower().map(
        subnets["subnet"] + " (" + subnets["vnet"] + ")").astype(object).fillna(
        short_name(pools["subnet_id"].fillna("").astype(str)))
    byo = pools["subnet_id"].notna()
    pools = pools.assign(byo=byo, where=where.where(byo), missing=pools["pool"].where(~byo))
    per = pools.groupby("cluster_id").agg(
        byo=("byo", "all"), n=("pool", "size"),
        missing=("missing", lambda s: ", ".join(s.dropna())),
        subnets=("where", lambda s: ", ".join(sorted(set(s.dropna())))))
    per = per.reindex(aks["id"])
    detail = np.where(
        per["byo"].fillna(False).astype(bool),
        "all " + per["n"].fillna(0).astype(int).astype(str) + " node pools use subnet " +
        per["subnets"].fillna(""),
        "node pools without vnetSubnetID (AKS-managed VNet): " + per["missing"].fillna(""))
    detail = np.where(per["n"].isna(), "no agentPoolProfiles in the resource", detail)
    return outcome(aks["id"], per["byo"].fillna(False).to_numpy(), detail,
                   assessed=per["n"].notna().to_numpy())


@check(
    id="ARC-NET-002",
    domain="architecture",
    severity="high",
    title="The AKS subnet has IP addresses for the autoscaler maximum plus upgrade surge",
    rationale="With Azure CNI (node subnet) every node reserves maxPods + 1 addresses from its "
    "subnet, so the subnet must hold (maxCount + surge) x (maxPods + 1) for every pool in it "
    "(surge = upgradeSettings.maxSurge, 1 node when unset); "
    "Azure keeps 5 addresses of each subnet. With Azure CNI Overlay, kubenet or a pod subnet "
    "only the nodes take addresses from the node subnet. A full subnet stops the cluster "
    "autoscaler and node-image upgrades exactly when load peaks.",
    remediation="Resize the subnet (or move the pools to a larger one), or migrate to Azure "
    "CNI Overlay so pods no longer consume VNet addresses.",
    risk="At peak the autoscaler cannot add nodes because the subnet runs out of addresses: "
    "checkout slows down or fails while capacity is idle in the region",
    applies_to="AKS node subnets",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/concepts-network-legacy-cni",
                "https://learn.microsoft.com/azure/aks/azure-cni-overlay"],
)
def aks_subnet_capacity(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    pools = pools[pools["subnet_id"].notna()]
    if pools.empty:
        return _nothing()
    surge_txt = pools["max_surge"].fillna("").astype(str)
    pct = pd.to_numeric(surge_txt.str.extract(r"^(\d+)%$")[0], errors="coerce")
    surge = pd.to_numeric(surge_txt.where(~surge_txt.str.endswith("%")), errors="coerce")
    surge = surge.fillna(np.ceil(pools["nodes_max"] * pct / 100)).fillna(1)
    nodes = pools["nodes_max"] + surge
    flat = (pools["network_plugin"].eq("azure") & pools["network_plugin_mode"].ne("overlay")
            & pools["pod_subnet_id"].isna())
    per_node = 1 + np.where(flat, pools["max_pods"].fillna(30), 0)
    node_rows = pd.DataFrame({
        "key": pools["subnet_id"].astype(str).str.lower(), "subject": pools["subnet_id"],
        "ips": nodes * per_node,
        "text": pools["pool"] + " " + nodes.map(fmt).astype(str) + " nodes x " +
        pd.Series(per_node, index=pools.index).map(fmt).astype(str)})
    pod = pools[pools["pod_subnet_id"].notna()]
    pod_rows = pd.DataFrame({
        "key": pod["pod_subnet_id"].astype(str).str.lower(), "subject": pod["pod_subnet_id"],
        "ips": nodes[pod.index] * pod["max_pods"].fillna(250),
        "text": pod["pool"] + " pods " + nodes[pod.index].map(fmt).astype(str) + " nodes x " +
        pod["max_pods"].fillna(250).map(fmt).astype(str)})
    need = pd.concat([node_rows, pod_rows]).groupby("key").agg(
        subject=("subject", "first"), ips=("ips", "sum"), text=("text", "; ".join))
    need = need.join(_subnets(ctx).drop_duplicates("key").set_index("key"), how="left")
    usable = 2.0 ** (32 - need["prefix_len"]) - 5
    found = need["prefix_len"].notna()
    mode = ("Azure CNI assigns maxPods + 1 addresses per node" if flat.any()
            else "only nodes take node-subnet addresses")
    detail = np.where(
        found,
        need["subnet"].fillna("") + " " + need["prefix"].fillna("") + " has " +
        usable.fillna(0).map(fmt).astype(str) + " usable addresses; autoscaler maximum plus "
        "surge needs " + need["ips"].map(fmt).astype(str) + " (" + need["text"] + "; " + mode +
        ")",
        "subnet not found in the collected virtual networks (needs " +
        need["ips"].map(fmt).astype(str) + " addresses)")
    return outcome(need["subject"], (need["ips"] <= usable).fillna(False), detail,
                   assessed=found)
