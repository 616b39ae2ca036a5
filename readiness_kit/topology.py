"""The platform as a graph drawn from evidence: what sits where and what the Internet reaches.

``platform_topology(ev, findings)`` returns ``nodes`` (key, label, kind, column, exposure,
detail) and ``edges`` (source, target, relation). Columns run left to right: the Internet,
entry points (public IPs, gateways, ingress routes), Kubernetes (AKS clusters and node
pools), networks (VNets and subnets), private endpoints, data and secrets (PostgreSQL,
Redis, storage, Key Vault). ``exposure`` is ``internet``, ``restricted`` or ``private``
(from ``SEC-EXP-001``'s exposure reading and the AKS API server setting).

Bounded for large estates: beyond ``max_per_kind`` nodes of one kind, the rest become one
node ("+37 more storage accounts, 5 reachable from the Internet") that keeps their edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames import dig, dig_one, k8s, lower_id, resources, text

COLUMNS = ("Internet", "Entry points", "Kubernetes (AKS)", "Networks", "Private endpoints",
           "Data and secrets")
NODE_COLUMNS = ["key", "label", "kind", "column", "exposure", "detail"]
EDGE_COLUMNS = ["source", "target", "relation"]
INTERNET = "internet"
KIND_PLURALS = {"Storage": "storage accounts", "Key Vault": "key vaults",
                "PostgreSQL": "PostgreSQL servers", "Redis": "Redis caches",
                "Private endpoint": "private endpoints", "Subnet": "subnets",
                "Node pool": "node pools", "Public IP": "public IPs",
                "Ingress route": "ingress routes", "Virtual network": "virtual networks",
                "AKS cluster": "AKS clusters", "Gateway": "gateways"}
_SERVICE_KIND = {"PostgreSQL": "PostgreSQL", "Redis": "Redis", "Storage": "Storage",
                 "Key Vault": "Key Vault"}
_EXPOSURE = {"public": "internet", "selected networks": "restricted",
             "public access disabled": "private", "private endpoint": "private",
             "VNet-integrated": "private"}
GATEWAYS = ("microsoft.network/applicationgateways", "microsoft.network/frontdoors",
            "microsoft.cdn/profiles")


@dataclass
class Topology:
    nodes: pd.DataFrame
    edges: pd.DataFrame

    def names(self, kind: str) -> list[str]:
        return self.nodes.loc[self.nodes["kind"] == kind, "label"].tolist()


def _nodes(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=NODE_COLUMNS)


def platform_topology(ev: Evidence, *, max_per_kind: int = 8) -> Topology:
    """The graph (rules in the module docstring); empty when Azure was not collected."""
    from readiness_kit.checks.security.exp import data_service_exposure

    nodes: list[dict] = []
    edges: list[tuple[str, str, str]] = []
    everything = resources(ev, parsed=())  # only "was it collected": no JSON parsed
    if everything is None:
        return Topology(_nodes([]), pd.DataFrame(columns=EDGE_COLUMNS))
    nodes.append({"key": INTERNET, "label": "Internet", "kind": "Internet", "column": 0,
                  "exposure": "internet", "detail": "shoppers, partners and attackers alike"})

    # networks
    vnets = resources(ev, "microsoft.network/virtualnetworks")
    for v in vnets.itertuples():
        vkey = str(v.id).lower().rstrip("/")
        prefixes = ", ".join(dig_one(v.props, "addressSpace.addressPrefixes", []))
        nodes.append({"key": vkey, "label": v.name, "kind": "Virtual network", "column": 3,
                      "exposure": "", "detail": f"address space {prefixes}"})
        for sn in (v.props or {}).get("subnets", []) or []:
            skey = str(sn.get("id", f"{vkey}/subnets/{sn.get('name')}")).lower()
            prefix = (sn.get("properties") or {}).get("addressPrefix", "")
            nodes.append({"key": skey, "label": sn.get("name", "subnet"), "kind": "Subnet",
                          "column": 3, "exposure": "", "detail": f"{prefix} in {v.name}"})
            edges.append((vkey, skey, "contains"))

    # Kubernetes
    aks = resources(ev, "microsoft.containerservice/managedclusters")
    node_rgs: dict[str, str] = {}
    for c in aks.itertuples():
        ckey = c.id.lower()
        private = bool(dig_one(c.props, "apiServerAccessProfile.enablePrivateCluster", False))
        ranges = dig_one(c.props, "apiServerAccessProfile.authorizedIPRanges", []) or []
        exposure = "private" if private else ("restricted" if ranges else "internet")
        api = ("private API server" if private else
               f"API server limited to {len(ranges)} IP ranges" if ranges else
               "API server open to the Internet")
        nodes.append({"key": ckey, "label": c.name, "kind": "AKS cluster", "column": 2,
                      "exposure": exposure, "detail": api})
        if exposure == "internet":
            edges.append((INTERNET, ckey, "exposed"))
        rg = str((c.props or {}).get("nodeResourceGroup", "")).lower()
        if rg:
            node_rgs[rg] = ckey
        for p in ((c.props or {}).get("agentPoolProfiles") or []):
            pkey = f"{ckey}/agentpools/{str(p.get('name')).lower()}"
            count = p.get("maxCount") if p.get("enableAutoScaling") else p.get("count")
            nodes.append({"key": pkey, "label": f"{c.name}/{p.get('name')}",
                          "kind": "Node pool", "column": 2, "exposure": "",
                          "detail": f"{p.get('mode', 'User')} pool, up to {count} x "
                                    f"{p.get('vmSize', '?')}"})
            edges.append((ckey, pkey, "contains"))
            if p.get("vnetSubnetID"):
                edges.append((pkey, str(p["vnetSubnetID"]).lower(), "runs in"))

    # entry points: public IPs and gateways (a public IP in a cluster's node resource group
    # fronts that cluster), ingress routes in the cluster
    entries = resources(ev, "microsoft.network/publicipaddresses", *GATEWAYS)
    by_name = {c.name: c.id.lower() for c in aks.itertuples()}
    fronted = _load_balancer_ips(ev, by_name)
    for e in entries.itertuples():
        ekey = e.id.lower()
        kind = "Public IP" if e.type.lower().endswith("publicipaddresses") else "Gateway"
        address = (e.props or {}).get("ipAddress", "")
        nodes.append({"key": ekey, "label": e.name, "kind": kind, "column": 1,
                      "exposure": "internet", "detail": f"public address {address}".strip()})
        edges.append((INTERNET, ekey, "reaches"))
        rg = str(getattr(e, "resourceGroup", "") or "").lower() or ekey.split(
            "/resourcegroups/")[-1].split("/")[0]
        if rg in node_rgs:
            edges.append((ekey, node_rgs[rg], "routes to"))
        if e.name in fronted:
            edges.append((ekey, fronted[e.name], "routes to"))
    routes = k8s(ev, "Ingress", "IngressRoute")
    if routes is not None:
        for r in routes.itertuples():
            rkey = f"k8s:{r.kind}/{r.namespace}/{r.name}"
            nodes.append({"key": rkey, "label": f"{r.namespace}/{r.name}",
                          "kind": "Ingress route", "column": 1, "exposure": "internet",
                          "detail": f"{r.kind} in cluster {r.cluster}"})
            target = by_name.get(r.cluster) or (next(iter(by_name.values())) if len(by_name) == 1
                                                else None)
            edges.append((INTERNET, rkey, "reaches"))
            if target:
                edges.append((rkey, target, "routes to"))

    # data services and how they are reached
    exposure = data_service_exposure(ev)
    for d in exposure.itertuples():
        dkey = d.id.lower()
        reach = _EXPOSURE.get(d.exposure, "internet")
        nodes.append({"key": dkey, "label": d.name, "kind": _SERVICE_KIND[d.service],
                      "column": 5, "exposure": reach, "detail": d.detail})
        if reach == "internet":
            edges.append((INTERNET, dkey, "exposed"))
    data = resources(ev, "microsoft.dbforpostgresql/flexibleservers", "microsoft.cache/redis")
    subnet = text(dig(data["props"], "network.delegatedSubnetResourceId", "")).where(
        lambda s: s.ne(""), text(dig(data["props"], "subnetId", "")))
    for key, sn in zip(lower_id(data["id"]), subnet.str.lower(), strict=True):
        if sn:
            edges.append((sn, key, "hosts"))

    pes = resources(ev, "microsoft.network/privateendpoints")
    for pe in pes.itertuples():
        pkey = pe.id.lower()
        props = pe.props or {}
        links = (props.get("privateLinkServiceConnections") or []) + (
            props.get("manualPrivateLinkServiceConnections") or [])
        targets = [str((link.get("properties") or {}).get("privateLinkServiceId", "")).lower()
                   for link in links]
        nodes.append({"key": pkey, "label": pe.name, "kind": "Private endpoint", "column": 4,
                      "exposure": "private", "detail": "private link to "
                      + ", ".join(t.rsplit("/", 1)[-1] for t in targets if t)})
        if (props.get("subnet") or {}).get("id"):
            edges.append((str(props["subnet"]["id"]).lower(), pkey, "hosts"))
        edges.extend((pkey, t, "private link") for t in targets if t)

    node_frame = _nodes(nodes).drop_duplicates("key")
    edge_frame = pd.DataFrame(edges, columns=EDGE_COLUMNS).drop_duplicates()
    known = set(node_frame["key"])
    edge_frame = edge_frame[edge_frame["source"].isin(known) & edge_frame["target"].isin(known)]
    return _bounded(Topology(node_frame.reset_index(drop=True),
                             edge_frame.reset_index(drop=True)), max_per_kind)


def _load_balancer_ips(ev: Evidence, clusters: dict[str, str]) -> dict[str, str]:
    """Public IP name -> cluster key, from LoadBalancer Services that name their IP
    (``service.beta.kubernetes.io/azure-pip-name``)."""
    services = k8s(ev, "Service", parsed=("annotations",))
    if services is None or not clusters:
        return {}
    out = {}
    for svc in services.itertuples():
        notes = svc.annotations_obj
        pip = (notes or {}).get("service.beta.kubernetes.io/azure-pip-name")
        cluster = clusters.get(svc.cluster) or (next(iter(clusters.values()))
                                                if len(clusters) == 1 else None)
        if pip and cluster:
            out[str(pip)] = cluster
    return out


def _bounded(topo: Topology, max_per_kind: int) -> Topology:
    """Group the nodes of a kind beyond ``max_per_kind`` into one node (edges follow)."""
    nodes, edges = topo.nodes, topo.edges
    rank = nodes.assign(_x=nodes["exposure"].eq("internet")).sort_values(
        ["_x", "label"], ascending=[False, True], kind="stable")  # exposed ones stay visible
    rank["_n"] = rank.groupby("kind").cumcount()
    overflow = rank[rank["_n"] >= max_per_kind]
    if overflow.empty:
        return topo
    mapping = {}
    groups = []
    for kind, rows in overflow.groupby("kind", sort=False):
        key = f"group:{kind}"
        exposed = int(rows["exposure"].eq("internet").sum())
        label = f"+{len(rows)} more {KIND_PLURALS.get(kind, kind)}"
        groups.append({"key": key, "label": label, "kind": kind,
                       "column": int(rows["column"].iloc[0]),
                       "exposure": "internet" if exposed else rows["exposure"].iloc[0],
                       "detail": f"{exposed} reachable from the Internet" if exposed else
                                 "none reachable from the Internet"})
        mapping.update(dict.fromkeys(rows["key"], key))
    kept = nodes[~nodes["key"].isin(mapping)]
    nodes = pd.concat([kept, _nodes(groups)], ignore_index=True)
    # map, not Series.replace: replace walks the whole column once per key of the mapping
    edges = edges.assign(source=_renamed(edges["source"], mapping),
                         target=_renamed(edges["target"], mapping)).drop_duplicates()
    edges = edges[edges["source"] != edges["target"]].reset_index(drop=True)
    return Topology(nodes, edges)


def _renamed(keys: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """``keys`` with those in ``mapping`` renamed, the rest as they are."""
    return pd.Series([mapping.get(k, k) for k in keys], index=keys.index, dtype=keys.dtype)
