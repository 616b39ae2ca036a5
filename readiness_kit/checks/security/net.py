"""Security checks SEC-NET-*: network segmentation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.checks.security._shared import _attribute_list
from readiness_kit.frames import (
    POD_SPEC_PATHS,
    dig,
    is_system_namespace,
    join_sorted,
    k8s,
    resources,
    tenant_namespaces,
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
    objs = k8s(ctx.ev, parsed=())
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


def _default_deny(pol: pd.DataFrame) -> pd.DataFrame:
    """Per NetworkPolicy: does it deny all ingress / egress of every pod of its namespace
    (empty podSelector, the policy type listed, no rules of that direction)?"""
    spec = pol["spec_obj"]
    every_pod = spec.map(lambda s: not ((s or {}).get("podSelector") or {}))
    types = spec.map(lambda s: set((s or {}).get("policyTypes") or (
        ["Ingress", "Egress"] if (s or {}).get("egress") else ["Ingress"])))
    no_in = spec.map(lambda s: not (s or {}).get("ingress"))
    no_out = spec.map(lambda s: not (s or {}).get("egress"))
    return pd.DataFrame({
        "cluster": text(pol["cluster"]), "namespace": text(pol["namespace"]),
        "name": pol["name"],
        "deny_in": every_pod & types.map(lambda t: "Ingress" in t) & no_in,
        "deny_out": every_pod & types.map(lambda t: "Egress" in t) & no_out,
    })


@check(
    id="SEC-NET-003",
    domain="security",
    severity="high",
    title="Each tenant namespace has a default-deny NetworkPolicy (multi-tenant clusters)",
    rationale="In a cluster shared by several shops, one tenant's pods must not reach "
    "another tenant's Odoo, its database clients or its Redis. Kubernetes allows all "
    "traffic until a policy selects a pod, so each tenant namespace needs a policy that "
    "selects every pod (podSelector: {}) and denies ingress (and egress) by default, with "
    "explicit allows beside it.",
    remediation="Add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] "
    "and no rules to every tenant namespace, then allow Traefik -> Odoo, Odoo -> "
    "PostgreSQL/Redis/DNS explicitly.",
    risk="A breach or a misconfiguration in one client's shop exposes the other clients' "
    "data",
    applies_to="tenant namespaces (hosting_model: multi-tenant)",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/services-networking/network-policies/"
                "#default-policies",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-"
                "isolation"],
)
def tenant_default_deny(ctx: CheckContext):
    if ctx.params.hosting_model != "multi-tenant":
        return not_assessed("Applies to multi-tenant hosting; this review is "
                            f"{ctx.params.hosting_model}.", subject="hosting_model")
    ns = tenant_namespaces(ctx.ev)
    pol = k8s(ctx.ev, "NetworkPolicy")
    # Kubernetes NetworkPolicies only: Calico's kind of the same name selects pods by a
    # selector expression, not podSelector.
    deny = _default_deny(pol[text(pol["api_version"]).str.startswith("networking.k8s.io/")])
    flags = deny.groupby(["cluster", "namespace"]).agg(
        deny_in=("deny_in", "any"), deny_out=("deny_out", "any"),
        policies=("name", join_sorted)).reset_index()
    ns = ns.merge(flags, on=["cluster", "namespace"], how="left")
    deny_in = ns["deny_in"].fillna(False).astype(bool)
    deny_out = ns["deny_out"].fillna(False).astype(bool)
    detail = np.where(deny_in, "default-deny ingress", "no default-deny ingress policy") + \
        np.where(deny_out, ", default-deny egress", ", egress open") + \
        ("; policies: " + text(ns["policies"], "none"))
    return outcome(ns["subject"], deny_in, detail)
