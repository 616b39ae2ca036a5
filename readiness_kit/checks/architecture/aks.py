"""Architecture checks ARC-AKS-*: AKS cluster design."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import node_pools
from readiness_kit.checks.architecture._shared import AKS, AKS_BASELINE, PG_FLEX, _nothing
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, reported, resources, text


@check(
    id="ARC-AKS-001",
    domain="architecture",
    severity="medium",
    title="AKS uses Azure CNI with a network policy engine",
    rationale="Azure CNI (node subnet, pod subnet or overlay) is the supported path forward "
    "(kubenet retires on 31 March 2028) and a network policy engine (Azure, Calico or "
    "Cilium) is needed for NetworkPolicy objects to have any effect; neither can be added to "
    "an existing cluster without a rebuild or migration.",
    remediation="Create clusters with --network-plugin azure (overlay mode for large scale) "
    "and --network-policy azure|calico|cilium; migrate kubenet clusters to Azure CNI Overlay.",
    risk="NetworkPolicies are silently ignored or the cluster rests on a retiring network "
    "model that forces a rebuild later",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-network-policies",
                "https://learn.microsoft.com/azure/aks/azure-cni-overlay"],
)
def aks_network_design(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    if aks.empty:
        return _nothing()
    net = aks["props"]
    raw_plugin = dig(net, "networkProfile.networkPlugin", None)
    plugin = text(raw_plugin, "not reported")
    mode = dig(net, "networkProfile.networkPluginMode", "").astype(str)
    dataplane = dig(net, "networkProfile.networkDataplane", "").astype(str)
    policy = dig(net, "networkProfile.networkPolicy", "").astype(str)
    policy = policy.where(policy.ne("") | dataplane.ne("cilium"), "cilium")
    ok = plugin.str.lower().eq("azure") & policy.str.lower().isin({"azure", "calico", "cilium"})
    detail = ("network plugin " + plugin + np.where(mode.ne(""), " (" + mode + ")", "") +
              ", network policy " + policy.where(policy.ne(""), "none"))
    # without networkProfile.networkPlugin the design is unknown (no default is assumed)
    return outcome(aks["id"], ok, detail, assessed=ok | raw_plugin.notna())


@check(
    id="ARC-AKS-002",
    domain="architecture",
    severity="high",
    title="AKS separates system and user node pools",
    rationale="AKS recommends a dedicated system node pool for CoreDNS, metrics-server and "
    "other critical add-ons and user node pools for applications, so that the storefront "
    "cannot starve cluster DNS and each pool can be scaled, upgraded and sized on its own.",
    remediation="Add a user node pool (mode User) for Odoo and Traefik and keep the system "
    "pool for system pods (taint it CriticalAddonsOnly=true:NoSchedule).",
    risk="Application load and cluster services compete on the same nodes: a traffic spike "
    "can take down cluster DNS and with it the whole shop",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-system-pools", AKS_BASELINE],
)
def aks_pool_separation(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    pools = node_pools(ctx.ev)
    if aks.empty:
        return _nothing()
    mode = pools["mode"].astype(str).str.lower().where(pools["mode_reported"], "unknown")

    def names(which: str) -> pd.Series:
        """cluster id -> its ``which`` pools, comma-separated (one pass, not per group)."""
        chosen = mode.eq(which) & pools["pool"].notna()
        per_cluster: dict[str, list[str]] = {}
        for cluster, pool in zip(pools["cluster_id"][chosen], pools["pool"][chosen],
                                 strict=True):
            per_cluster.setdefault(cluster, []).append(pool)
        return pd.Series({c: ", ".join(p) for c, p in per_cluster.items()}, dtype=object)

    per = pd.DataFrame({"system": names("system"), "user": names("user"),
                        "unknown": names("unknown")}).reindex(aks["id"]).fillna("")
    ok = per["system"].ne("") & per["user"].ne("")
    detail = ("system pools: " + per["system"].where(per["system"].ne(""), "none") +
              "; user pools: " + per["user"].where(per["user"].ne(""), "none") +
              ("; mode not reported for " + per["unknown"]).where(per["unknown"].ne(""), ""))
    # a pool whose mode ARM did not report could be the missing one: never fail on it
    assessed = ok | per["unknown"].eq("")
    return outcome(aks["id"], ok.to_numpy(), detail.to_numpy(), assessed.to_numpy())


@check(
    id="ARC-AKS-003",
    domain="architecture",
    severity="low",
    title="System node pools only run critical add-ons",
    rationale="Without the CriticalAddonsOnly=true:NoSchedule taint the scheduler also places "
    "application pods on the system pool, which defeats the separation of system and user "
    "pools (AKS system node pool guidance).",
    remediation="Add the taint CriticalAddonsOnly=true:NoSchedule to the system pool (az aks "
    "nodepool update --node-taints, or create it with --mode System and the taint).",
    risk="Application pods land on the system pool and compete with cluster DNS",
    applies_to="AKS system node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-system-pools"],
)
def system_pool_tainted(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    pools = pools[pools["mode"].astype(str).str.lower().eq("system")]
    if pools.empty:
        return _nothing()
    tainted = pools["taints"].map(lambda t: any(str(x).startswith("CriticalAddonsOnly=")
                                                for x in t))
    detail = np.where(tainted, "system pool " + pools["pool"] + " is tainted CriticalAddonsOnly",
                      "system pool " + pools["pool"] + " has no CriticalAddonsOnly taint "
                      "(taints: " + pools["taints"].map(lambda t: ", ".join(t) or "none") +
                      "): application pods can be scheduled on it")
    return outcome(pools["subject"], tainted, detail)


@check(
    id="ARC-AKS-004",
    domain="architecture",
    severity="medium",
    title="Odoo node pools cover the availability zones of the PostgreSQL primary and standby",
    rationale="Azure recommends placing the application in the same availability zone as "
    "the PostgreSQL primary: every Odoo request makes many database round trips, and "
    "cross-zone hops add latency to each. With high availability the primary can fail over "
    "to the standby zone, so the user node pools must have nodes in both zones for Odoo to "
    "follow it. (How many zones each pool spans is RES-AKS-001.)",
    remediation="Create the user pool in the zones of the primary and standby (or move the "
    "server's preferred zone with a planned failover), and prefer the primary's zone for "
    "Odoo pods with a soft node affinity on topology.kubernetes.io/zone.",
    risk="Every page view pays cross-zone database latency, and after a failover no Odoo pod "
    "runs next to the database",
    applies_to="zonal PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-high-availability",
                "https://learn.microsoft.com/azure/aks/availability-zones"],
)
def odoo_pools_follow_database_zones(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    pools = node_pools(ctx.ev)
    if pg.empty:
        return _nothing()
    user = pools[pools["mode"].astype(str).str.lower().eq("user")]
    user_zones = set().union(*user["zones"]) if not user.empty else set()
    primary = dig(pg["props"], "availabilityZone", "").astype(str)
    mode = dig(pg["props"], "highAvailability.mode", "Disabled").astype(str)
    standby = dig(pg["props"], "highAvailability.standbyAvailabilityZone", "").astype(str)
    standby = standby.where(mode.ne("Disabled"), "")
    needed = (primary + " " + standby).str.split().map(set)
    ok = needed.map(lambda z: z <= user_zones) & primary.ne("")
    zones_text = (", ".join(sorted(user_zones)) or "no zone (regional)") if not user.empty \
        else "none (no user node pool)"
    detail = ("primary in zone " + primary +
              np.where(standby.ne(""), ", standby in zone " + standby, "") +
              "; user node pools in zones " + zones_text)
    detail = detail.where(primary.ne(""), "the server has no availability zone")
    return outcome(pg["id"], ok, detail, assessed=primary.ne("") & bool(len(user)))


@check(
    id="ARC-AKS-005",
    domain="architecture",
    severity="medium",
    title="AKS uses the Standard load balancer",
    rationale="The Basic load balancer has no SLA, no availability zones and no multiple "
    "node pools, and was retired on 30 September 2025; AKS requires Standard for "
    "production designs (AKS load balancer guidance, APRL).",
    remediation="Migrate the cluster to the Standard load balancer (create a new cluster with "
    "loadBalancerSku standard and move the workloads: the SKU cannot be changed in place).",
    risk="The shop's ingress runs on an unsupported load balancer without zone redundancy",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/load-balancer-standard",
                "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/"
                "azure-resources/ContainerService/managedClusters/"],
)
def aks_standard_load_balancer(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    sku, note = reported(dig(aks["props"], "networkProfile.loadBalancerSku", None),
                         "standard", "ARM's default standard assumed")
    sku = sku.astype(str)
    return outcome(aks["id"], sku.str.lower().eq("standard"), "load balancer SKU " + sku + note)
