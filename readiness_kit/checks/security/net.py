"""Security checks SEC-NET-*: network segmentation."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import _attribute_list
from readiness_kit.frames import (
    POD_SPEC_PATHS,
    dig,
    is_system_namespace,
    join_sorted,
    k8s,
    resources,
    text,
)

NSG = "microsoft.network/networksecuritygroups"


@check(
    id="SEC-NET-001",
    domain="security",
    severity="medium",
    title="Every application namespace has a NetworkPolicy",
    rationale="Kubernetes allows all pod-to-pod traffic by default. AKS network policy "
    "(Azure, Calico or Cilium) only restricts a namespace once a NetworkPolicy selects its "
    "pods; a default-deny policy per namespace plus explicit allows is the AKS baseline.",
    remediation="Add a default-deny ingress NetworkPolicy to each application namespace and "
    "explicit allow rules (e.g. Traefik to odoo-web on 8069/8072, Prometheus scrapes).",
    risk="One compromised pod can reach every other service in the cluster, including the "
    "database clients and admin tools",
    applies_to="application namespaces",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/use-network-policies",
        "https://learn.microsoft.com/azure/aks/operator-best-practices-network",
    ],
)
def namespaces_have_network_policy(ctx: CheckContext):
    objs = k8s(ctx.ev)
    objs = objs.assign(cluster=text(objs["cluster"]), namespace=text(objs["namespace"]))
    ns_objs = objs[objs["kind"].eq("Namespace")]
    workloads = objs[objs["kind"].isin(list(POD_SPEC_PATHS))]
    ns = pd.concat([
        pd.DataFrame({"cluster": ns_objs["cluster"], "namespace": ns_objs["name"]}),
        workloads[["cluster", "namespace"]],
    ]).drop_duplicates()
    ns = ns[ns["namespace"].ne("") & ~is_system_namespace(ns["namespace"])]
    pols = objs[objs["kind"].isin(["NetworkPolicy", "CiliumNetworkPolicy"])]
    names = pols.groupby(["cluster", "namespace"])["name"].agg(join_sorted).rename("policies")
    ns = ns.merge(names.reset_index(), on=["cluster", "namespace"], how="left").sort_values(
        ["cluster", "namespace"])
    found = ns["policies"].notna()
    detail = ("NetworkPolicy: " + text(ns["policies"])).where(
        found, "no NetworkPolicy: every pod accepts traffic from any pod in the cluster")
    return outcome("Namespace/-/" + ns["namespace"], found, detail)


def _port_spec_hits(spec: object, ports: tuple[int, ...]) -> bool:
    """True if an NSG port spec ('22', '*', '20-30', or a list of them) includes a port."""
    specs = spec if isinstance(spec, list) else [spec]
    for item in specs:
        s = str(item or "").strip()
        if s in {"*", "Any"}:
            return True
        lo, _, hi = s.partition("-")
        if lo.isdigit() and any(int(lo) <= p <= int(hi or lo) for p in ports):
            return True
    return False


@check(
    id="SEC-NET-002",
    domain="security",
    severity="high",
    title="No NSG rule allows SSH or RDP from the Internet",
    rationale="Management ports open to the Internet are scanned continuously and are a "
    "top initial-access vector. The Microsoft cloud security benchmark and CIS Azure "
    "Foundations require that 22 and 3389 are not reachable from 0.0.0.0/0; use Azure "
    "Bastion or just-in-time access instead.",
    remediation="Delete the inbound allow rule (or restrict its source to a management "
    "range) and use Azure Bastion / `az aks command invoke` for break-glass access.",
    risk="Servers in the shop's network can be brute-forced directly from the Internet",
    applies_to="network security groups",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        "https://learn.microsoft.com/azure/bastion/bastion-overview",
    ],
)
def nsg_no_internet_management_ports(ctx: CheckContext):
    nsg = resources(ctx.ev, NSG)
    rules = nsg.assign(rule=dig(nsg["props"], "securityRules", [])).explode(
        "rule", ignore_index=True)
    rp = dig(rules["rule"], "properties", {})
    sources = (dig(rp, "sourceAddressPrefix", None).map(lambda v: [v] if v else [])
               + dig(rp, "sourceAddressPrefixes", []))
    from_internet = sources.map(
        lambda vs: any(str(v).strip().lower() in {"*", "internet", "any", "0.0.0.0/0"}
                       for v in vs))
    ports = (dig(rp, "destinationPortRange", None).map(lambda v: [v] if v else [])
             + dig(rp, "destinationPortRanges", []))
    mgmt = ports.map(lambda p: _port_spec_hits(p, (22, 3389)))
    open_ = (text(dig(rp, "access", "")).str.lower().eq("allow")
             & text(dig(rp, "direction", "")).str.lower().eq("inbound")
             & from_internet & mgmt)
    bad = rules[open_].assign(
        what="'" + text(dig(rules["rule"], "name", "?"))[open_] + "' (port "
        + _attribute_list(ports)[open_] + " from " + _attribute_list(sources)[open_] + ")")
    found = bad.groupby("id")["what"].agg(join_sorted)
    hit = nsg["id"].map(found)
    detail = ("allows management ports from the Internet: " + text(hit)).where(
        hit.notna(), "no inbound rule opens 22 or 3389 to the Internet")
    return outcome(nsg["id"], hit.isna(), detail)
