"""Architecture checks: network topology, workload isolation, AKS design, ingress, data-tier
placement, hosting model and environment segregation."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.capacity import (
    containers,
    node_pools,
    odoo_option,
    odoo_options,
    odoo_workloads,
    server_key,
)
from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.frames import dig, fmt, is_dict, is_system_namespace, k8s, resources, short_name

AKS = "microsoft.containerservice/managedclusters"
VNET = "microsoft.network/virtualnetworks"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
REDIS = "microsoft.cache/redis"
SYSTEM_DATABASES = {"postgres", "azure_maintenance", "azure_sys", "template0", "template1"}
PROD_TOKENS = {"prod", "prd", "production", "live"}
NONPROD_TOKENS = {
    "staging", "stage", "stg", "test", "tst", "uat", "dev", "development", "qa", "preprod",
    "sandbox", "sbx", "nonprod", "training", "integration",
}
ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
AKS_BASELINE = ("https://learn.microsoft.com/azure/architecture/reference-architectures/"
                "containers/aks/baseline-aks")


# --- shared helpers ------------------------------------------------------------------------


def _environment(names: pd.Series) -> pd.Series:
    """``production`` / ``non-production`` / ``""`` from name tokens (``odoo_staging``,
    ``psql-retail-prod``); ``preprod`` is non-production."""
    tokens = names.fillna("").astype(str).str.lower().str.split(r"[-_.\s/]+", regex=True)
    nonprod = tokens.map(lambda t: bool(NONPROD_TOKENS.intersection(t)))
    prod = tokens.map(lambda t: bool(PROD_TOKENS.intersection(t)))
    return pd.Series(np.select([nonprod, prod], ["non-production", "production"], ""),
                     index=names.index)


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


def _nothing() -> pd.DataFrame:
    """No subjects: the engine reports "No <applies_to> found in the evidence."."""
    return outcome([], [], [])


def _ns_subject(namespace: pd.Series) -> pd.Series:
    return "Namespace/-/" + namespace.astype(str)


def _app_namespace(namespace: pd.Series) -> pd.Series:
    return ~is_system_namespace(namespace) & namespace.fillna("").ne("")


# --- network topology ----------------------------------------------------------------------


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


# --- workload isolation --------------------------------------------------------------------


@check(
    id="ARC-ISO-001",
    domain="architecture",
    severity="medium",
    title="Application namespaces have a ResourceQuota and a LimitRange",
    rationale="AKS best practice for cluster isolation is a namespace per application with "
    "resource quotas and default limits, so one workload (a runaway report, a debug pod, a "
    "memory leak) cannot starve the Odoo pods on shared nodes.",
    remediation="Add a ResourceQuota (requests.cpu, requests.memory, limits.memory, pods) and "
    "a LimitRange with defaultRequest/default for containers to every application namespace, "
    "through the GitOps repository.",
    risk="One misbehaving workload can take the CPU and memory the storefront needs during a "
    "sale",
    applies_to="application namespaces with workloads",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-scheduler",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"],
)
def namespace_quotas(ctx: CheckContext):
    cont = containers(ctx.ev)
    ns = cont.loc[_app_namespace(cont["namespace"]), ["cluster", "namespace"]].drop_duplicates()
    if ns.empty:
        return _nothing()
    objs = k8s(ctx.ev, "ResourceQuota", "LimitRange")
    flags = objs.assign(quota=objs["kind"].eq("ResourceQuota"),
                        limits=objs["kind"].eq("LimitRange")).groupby(
        ["cluster", "namespace"], dropna=False)[["quota", "limits"]].any().reset_index()
    ns = ns.merge(flags, on=["cluster", "namespace"], how="left")
    quota = ns["quota"].fillna(False).astype(bool)
    limits = ns["limits"].fillna(False).astype(bool)
    detail = (np.where(quota, "ResourceQuota present", "no ResourceQuota") + ", " +
              np.where(limits, "LimitRange present", "no LimitRange"))
    return outcome(_ns_subject(ns["namespace"]), quota & limits, detail)


@check(
    id="ARC-ISO-002",
    domain="architecture",
    severity="low",
    title="No workloads run in the default namespace",
    rationale="Workloads in the default namespace escape the per-application quotas, network "
    "policies and RBAC that isolation relies on, and are easily deleted or overwritten by "
    "mistake (AKS cluster isolation best practices).",
    remediation="Move the workloads to an application namespace managed by GitOps and deny "
    "the default namespace with Azure Policy or Gatekeeper.",
    risk="Unowned workloads outside the isolation boundaries share the storefront's nodes",
    applies_to="Kubernetes clusters",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"],
)
def no_default_namespace(ctx: CheckContext):
    cont = containers(ctx.ev).drop_duplicates("subject")
    bad = cont[cont["namespace"].eq("default")]
    clusters = pd.Series(k8s(ctx.ev)["cluster"].fillna("").astype(str).unique(), dtype=object)
    clean = clusters[~clusters.isin(bad["cluster"].fillna("").astype(str))]
    return pd.concat([
        outcome(bad["subject"], [False] * len(bad),
                bad["kind"] + " " + bad["name"] + " runs in the default namespace"),
        outcome(["Namespace/-/default"] * len(clean), [True] * len(clean),
                "no workloads in the default namespace of cluster " +
                clean.where(clean.ne(""), "(unnamed)")),
    ], ignore_index=True)


# --- AKS design ----------------------------------------------------------------------------


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
    plugin = dig(net, "networkProfile.networkPlugin", "kubenet").astype(str)
    mode = dig(net, "networkProfile.networkPluginMode", "").astype(str)
    dataplane = dig(net, "networkProfile.networkDataplane", "").astype(str)
    policy = dig(net, "networkProfile.networkPolicy", "").astype(str)
    policy = policy.where(policy.ne("") | dataplane.ne("cilium"), "cilium")
    ok = plugin.eq("azure") & policy.str.lower().isin({"azure", "calico", "cilium"})
    detail = ("network plugin " + plugin + np.where(mode.ne(""), " (" + mode + ")", "") +
              ", network policy " + policy.where(policy.ne(""), "none"))
    return outcome(aks["id"], ok, detail)


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
    mode = pools["mode"].astype(str).str.lower()
    per = pd.DataFrame({
        "system": pools["pool"].where(mode.eq("system")).groupby(pools["cluster_id"]).agg(
            lambda s: ", ".join(s.dropna())),
        "user": pools["pool"].where(mode.eq("user")).groupby(pools["cluster_id"]).agg(
            lambda s: ", ".join(s.dropna())),
    }).reindex(aks["id"]).fillna("")
    ok = per["system"].ne("") & per["user"].ne("")
    detail = ("system pools: " + per["system"].where(per["system"].ne(""), "none") +
              "; user pools: " + per["user"].where(per["user"].ne(""), "none"))
    return outcome(aks["id"], ok.to_numpy(), detail.to_numpy())


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


# --- ingress -------------------------------------------------------------------------------


def _backends(ctx: CheckContext) -> pd.DataFrame:
    """Every (route object, path, service, port) of Traefik IngressRoutes and Ingresses."""
    objs = k8s(ctx.ev, "IngressRoute", "Ingress")
    cols = ["subject", "cluster", "namespace", "path", "service", "port"]
    ir = objs[objs["kind"].eq("IngressRoute")]
    ir = ir.assign(route=dig(ir["spec_obj"], "routes", [])).explode("route")
    ir = ir[ir["route"].map(is_dict).astype(bool)]
    match = dig(ir["route"], "match", "").astype(str)
    ir = ir.assign(
        path=match.str.findall(r"Path(?:Prefix)?\(([^)]*)\)").map(
            lambda args: [p for a in args for p in re.findall(r"`([^`]*)`", a)] or ["/"]),
        svc=dig(ir["route"], "services", [])).explode("path").explode("svc")
    ir = ir[ir["svc"].map(is_dict).astype(bool)]
    ir_rows = pd.DataFrame({
        "subject": ir["subject"], "cluster": ir["cluster"],
        "namespace": dig(ir["svc"], "namespace").where(lambda s: s.notna(), ir["namespace"]),
        "path": ir["path"], "service": dig(ir["svc"], "name"),
        "port": dig(ir["svc"], "port").astype(str)})
    ing = objs[objs["kind"].eq("Ingress")]
    ing = ing.assign(rule=dig(ing["spec_obj"], "rules", [])).explode("rule")
    ing = ing.assign(p=dig(ing["rule"], "http.paths", [])).explode("p")
    ing = ing[ing["p"].map(is_dict).astype(bool)]
    port = dig(ing["p"], "backend.service.port.number").where(
        lambda s: s.notna(), dig(ing["p"], "backend.service.port.name"))
    ing_rows = pd.DataFrame({
        "subject": ing["subject"], "cluster": ing["cluster"], "namespace": ing["namespace"],
        "path": dig(ing["p"], "path", "/"), "service": dig(ing["p"], "backend.service.name"),
        "port": port.astype(str)})
    return pd.concat([ir_rows, ing_rows], ignore_index=True)[cols]


def _resolve_ports(ctx: CheckContext, backends: pd.DataFrame) -> pd.Series:
    """Container port each backend reaches: Service port (number or name) -> targetPort ->
    named container port; the route's own number when the Service is not in the evidence."""
    svc = k8s(ctx.ev, "Service")
    svc = svc.assign(p=dig(svc["spec_obj"], "ports", [])).explode("p")
    svc = svc[svc["p"].map(is_dict).astype(bool)]
    target = dig(svc["p"], "targetPort").where(lambda s: s.notna(), dig(svc["p"], "port"))
    by_number = pd.DataFrame({"namespace": svc["namespace"], "service": svc["name"],
                              "port": dig(svc["p"], "port").astype(str), "target": target})
    by_name = by_number.assign(port=dig(svc["p"], "name").astype(str))
    table = pd.concat([by_number, by_name]).drop_duplicates(["namespace", "service", "port"])
    merged = backends.merge(table, on=["namespace", "service", "port"], how="left")
    target = merged["target"].where(merged["target"].notna(), merged["port"]).astype(str)
    cont = containers(ctx.ev).assign(cp=lambda d: d["ports"]).explode("cp")
    cont = cont[cont["cp"].map(is_dict).astype(bool)]
    named = pd.Series(dig(cont["cp"], "containerPort").to_numpy(),
                      index=dig(cont["cp"], "name").astype(str).to_numpy())
    named = named[~named.index.duplicated()]
    number = pd.to_numeric(target, errors="coerce")
    return number.fillna(pd.to_numeric(target.map(named), errors="coerce")).set_axis(
        backends.index)


@check(
    id="ARC-ING-001",
    domain="architecture",
    severity="high",
    title="The ingress routes /websocket to the Odoo gevent port (Odoo 16+)",
    rationale="From Odoo 16 the bus (live chat, POS synchronisation, notifications) uses a "
    "websocket served by the gevent process on gevent_port (default 8072); the Odoo "
    "deployment guide requires the proxy to send /websocket there and everything else to "
    "the HTTP port. Before Odoo 16 the path was /longpolling.",
    remediation="Add a route for PathPrefix(`/websocket`) to the Odoo Service port that "
    "targets gevent_port (Traefik IngressRoute or Ingress path), keep / on the HTTP port, "
    "and set proxy_mode = True.",
    risk="Point of sale and live chat lose real-time updates and the web client keeps "
    "reconnecting, loading the HTTP workers at peak",
    applies_to="ingress routes to Odoo",
    requires=["k8s_objects"],
    references=[ODOO_DEPLOY, "https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/"],
)
def odoo_websocket_route(ctx: CheckContext):
    options = odoo_options(ctx.ev)
    keys = set(options.index) if options is not None else set()
    port_key = "gevent_port" if "gevent_port" in keys or "longpolling_port" not in keys \
        else "longpolling_port"
    gevent = int(odoo_option(options, port_key, 8072))
    http = int(odoo_option(options, "http_port"))
    odoo = odoo_workloads(ctx.ev)
    version = odoo["version"].max() if odoo is not None and not odoo.empty else np.nan
    ws_path = "/longpolling" if version == version and version < 16 else "/websocket"
    b = _backends(ctx)
    if b.empty:
        return _nothing()
    b["resolved"] = _resolve_ports(ctx, b)
    is_odoo = (b["resolved"].isin([http, gevent])
               | b["service"].fillna("").str.contains("odoo", case=False))
    b = b[is_odoo]
    if b.empty:
        return _nothing()
    b["ws"] = b["path"].fillna("").str.startswith(ws_path)
    b["good"] = b["ws"] & b["resolved"].eq(gevent)
    b["text"] = (b["path"].fillna("/") + " -> " + b["service"].fillna("?") + ":" +
                 b["resolved"].map(lambda v: f"{v:g}" if v == v else "?"))
    per = b.groupby("subject").agg(good=("good", "any"), ws=("ws", "any"),
                                   routes=("text", lambda s: ", ".join(dict.fromkeys(s))))
    ver = f"Odoo {version:g}" if version == version else "Odoo version unknown (16+ assumed)"
    src = "" if port_key in keys else " (default)"
    detail = np.where(
        per["good"], f"{ver}: {ws_path} reaches the gevent port {gevent}{src}; routes: " +
        per["routes"],
        np.where(per["ws"], f"{ver}: {ws_path} is routed, but not to the gevent port "
                 f"{gevent}{src}; routes: " + per["routes"],
                 f"{ver}: no {ws_path} route to the gevent port {gevent}{src}; routes: " +
                 per["routes"]))
    return outcome(per.index, per["good"], detail)


@check(
    id="ARC-ING-002",
    domain="architecture",
    severity="medium",
    title="Odoo runs in proxy mode behind the ingress",
    rationale="Behind Traefik, Odoo only sees the proxy's connection. The Odoo deployment "
    "guide requires proxy_mode = True so that Odoo reads X-Forwarded-Host, -Proto and -For: "
    "without it redirects and generated links use the internal host and http, secure "
    "cookies and OAuth callbacks break, and every request appears to come from the proxy.",
    remediation="Set proxy_mode = True in odoo.conf (or --proxy-mode) and let Traefik set "
    "the X-Forwarded-* headers; never expose the Odoo port except through the proxy.",
    risk="Shoppers are sent to wrong or insecure links after login or payment, and abuse "
    "cannot be traced to a client address",
    applies_to="Odoo configurations",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#https"],
)
def odoo_proxy_mode(ctx: CheckContext):
    options = odoo_options(ctx.ev)
    raw = odoo_option(options, "proxy_mode", "False")
    on = str(raw).strip().lower() in ("true", "1", "yes", "on")
    default = "" if options is not None and "proxy_mode" in options.index else " (default)"
    return outcome(["odoo:proxy_mode"], [on], [
        f"proxy_mode {raw}{default}: " +
        ("Odoo honours X-Forwarded-Host/Proto/For from the ingress" if on else
         "Odoo ignores X-Forwarded-* headers, so links, redirects and client addresses are "
         "those of the proxy")])


# --- data-tier placement -------------------------------------------------------------------


@check(
    id="ARC-DATA-001",
    domain="architecture",
    severity="medium",
    title="PostgreSQL and Redis run in the same region as the AKS cluster",
    rationale="Odoo makes many short database and cache round trips per request; a data "
    "service in another region adds tens of milliseconds to each and cross-region egress "
    "charges, and ties the shop's availability to two regions (AKS baseline: co-locate the "
    "workload's dependencies in its region).",
    remediation="Recreate or restore the server / cache in the AKS region (point-in-time "
    "restore or geo-restore for PostgreSQL, export/import for Redis) and repoint Odoo.",
    risk="Every page view waits on cross-region round trips, and an outage in either region "
    "stops the shop",
    applies_to="PostgreSQL servers and Redis caches",
    requires=["azure_resources"],
    references=[AKS_BASELINE,
                "https://learn.microsoft.com/azure/well-architected/service-guides/"
                "postgresql"],
)
def data_same_region(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    data = resources(ctx.ev, PG_FLEX, REDIS)
    regions = sorted(set(aks["location"].dropna()))
    if data.empty:
        return _nothing()
    if not regions:
        return not_assessed("No AKS cluster in the evidence to compare regions with.")
    ok = data["location"].isin(regions)
    return outcome(data["id"], ok, "region " + data["location"].fillna("?") +
                   "; AKS in " + ", ".join(regions))


# --- hosting model and environments --------------------------------------------------------


def _app_databases(ctx: CheckContext) -> pd.DataFrame | None:
    dbs = ctx.ev.table("pg_databases")
    if dbs is None:
        return None
    return dbs[~dbs["datname"].isin(SYSTEM_DATABASES)
               & ~dbs["is_template"].fillna(False).astype(bool)].reset_index(drop=True)


@check(
    id="ARC-HOST-001",
    domain="architecture",
    severity="high",
    title="Odoo's dbfilter matches the hosting model (dedicated or multi-tenant)",
    rationale="Odoo decides which database a request reaches with dbfilter. In dedicated "
    "hosting it must select exactly the tenant's database; in multi-tenant hosting it must "
    "route by hostname (%h) or subdomain (%d) so each tenant only ever reaches its own "
    "database (Odoo deployment guide, dbfilter).",
    remediation="Dedicated: set dbfilter = ^<production database>$. Multi-tenant: set "
    "dbfilter = ^%d$ (or ^%h$) with one database per tenant hostname, and keep list_db = "
    "False.",
    risk="Shoppers or staff can land on the wrong database: another tenant's or a test copy",
    applies_to="Odoo configurations",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#dbfilter",
                "https://learn.microsoft.com/azure/architecture/guide/multitenant/"
                "considerations/tenancy-models"],
)
def hosting_model_dbfilter(ctx: CheckContext):
    model = ctx.params.hosting_model
    dbfilter = str(odoo_option(odoo_options(ctx.ev), "dbfilter", "") or "")
    by_host = "%d" in dbfilter or "%h" in dbfilter
    subject = "odoo:dbfilter"
    if model == "multi-tenant":
        return outcome([subject], [by_host], [
            f"multi-tenant hosting; dbfilter {dbfilter!r} " +
            ("routes each hostname to its own database" if by_host else
             "is not host-based: every tenant hostname reaches the same database(s)")])
    if not dbfilter:
        return outcome([subject], [False], [
            "dedicated hosting but dbfilter is empty: Odoo serves every database on the "
            "server"])
    if by_host:
        return outcome([subject], [True], [
            f"dedicated hosting; host-based dbfilter {dbfilter!r} limits each hostname to "
            "its database"])
    try:
        re.compile(dbfilter)
    except re.error as exc:
        return outcome([subject], [False], [f"dbfilter {dbfilter!r} is not a valid regular "
                                            f"expression ({exc})"])
    dbs = _app_databases(ctx)
    if dbs is None:
        anchored = dbfilter.startswith("^") and dbfilter.endswith("$")
        return outcome([subject], [anchored], [
            f"dedicated hosting; dbfilter {dbfilter!r} is "
            f"{'anchored' if anchored else 'not anchored'} (pg_databases not collected, so "
            "not matched against the server's databases)"])
    matched = dbs.loc[dbs["datname"].str.match(dbfilter), "datname"].drop_duplicates()
    names = ", ".join(matched) or "none"
    return outcome([subject], [len(matched) == 1], [
        f"dedicated hosting; dbfilter {dbfilter!r} selects {len(matched)} of "
        f"{dbs['datname'].nunique()} application databases ({names})"])


@check(
    id="ARC-ENV-001",
    domain="architecture",
    severity="high",
    title="Production database servers hold no non-production databases",
    rationale="Staging and test databases on the production server share its CPU, memory, "
    "connections, credentials and backups: a load test or a careless restore in staging "
    "hits production, and test users often get rights on the production server. Azure "
    "Well-Architected segmentation guidance keeps environments on separate resources.",
    remediation="Move non-production databases to a separate (smaller) flexible server in a "
    "non-production subscription or resource group, and refresh them from backups.",
    risk="A staging job or test migration can slow down or damage the production database",
    applies_to="PostgreSQL application databases",
    requires=["pg_databases"],
    references=["https://learn.microsoft.com/azure/well-architected/security/segmentation"],
)
def no_nonprod_on_prod_server(ctx: CheckContext):
    dbs = _app_databases(ctx)
    if dbs.empty:
        return _nothing()
    env = _environment(dbs["datname"])
    server_env = _environment(server_key(dbs["server"]))
    hosts_prod = env.eq("production").groupby(dbs["server"]).transform("any")
    server_env = server_env.where(server_env.ne("") | ~hosts_prod, "production")
    bad = ((env.eq("non-production") & server_env.eq("production"))
           | (env.eq("production") & server_env.eq("non-production")))
    label = env.where(env.ne(""), "unlabelled")
    detail = (label + " database on " + server_env.where(server_env.ne(""), "unlabelled") +
              " server " + server_key(dbs["server"]) +
              np.where(bad, ": environments share one server", ""))
    return outcome("postgres:" + server_key(dbs["server"]) + "/" + dbs["datname"], ~bad, detail)


@check(
    id="ARC-ENV-002",
    domain="architecture",
    severity="medium",
    title="The production cluster runs no non-production namespaces",
    rationale="Staging or test namespaces in the production cluster share its nodes, "
    "ingress, identities and upgrade windows: a test load or a broken staging release "
    "affects shoppers. Separate clusters (or at least node pools and subscriptions) per "
    "environment are the AKS baseline.",
    remediation="Run staging and test on a separate AKS cluster, promote the same images and "
    "manifests through GitOps, and remove the non-production namespaces from production.",
    risk="Testing in the production cluster can take capacity or break the ingress the shop "
    "relies on",
    applies_to="application namespaces",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation",
                AKS_BASELINE],
)
def no_nonprod_namespaces(ctx: CheckContext):
    objs = k8s(ctx.ev)
    names = objs["namespace"].where(objs["kind"].ne("Namespace"), objs["name"])
    ns = pd.DataFrame({"cluster": objs["cluster"].fillna(""), "namespace": names})
    ns = ns[_app_namespace(ns["namespace"])].drop_duplicates().reset_index(drop=True)
    if ns.empty:
        return _nothing()
    env = _environment(ns["namespace"])
    cluster_env = _environment(ns["cluster"])
    hosts_prod = env.eq("production").groupby(ns["cluster"]).transform("any")
    cluster_env = cluster_env.where(cluster_env.ne("") | ~hosts_prod, "production")
    bad = env.eq("non-production") & cluster_env.eq("production")
    detail = (env.where(env.ne(""), "unlabelled") + " namespace in " +
              cluster_env.where(cluster_env.ne(""), "unlabelled") + " cluster " +
              ns["cluster"].where(ns["cluster"].ne(""), "(unnamed)"))
    return outcome(_ns_subject(ns["namespace"]), ~bad, detail)
