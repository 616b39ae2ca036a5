"""Security checks SEC-EXP-*: exposure of data services."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import AKS, KEY_VAULT, REDIS, STORAGE, _attribute_list
from readiness_kit.frames import (
    dig,
    has_private_endpoint,
    k8s,
    per_evidence,
    resources,
    short_name,
    text,
    truthy,
)

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
APP_GATEWAY = "microsoft.network/applicationgateways"
APPGW_WAF_POLICY = "microsoft.network/applicationgatewaywebapplicationfirewallpolicies"
FD_WAF_POLICY = "microsoft.network/frontdoorwebapplicationfirewallpolicies"


@per_evidence
def data_service_exposure(ev) -> pd.DataFrame | None:
    """How each PostgreSQL / Redis / Storage / Key Vault is reachable.

    Columns: id, name, service, exposure (``public`` | ``selected networks`` |
    ``public access disabled`` | ``private endpoint`` | ``VNet-integrated``), detail.
    ``None`` when azure_resources was not collected.
    """
    services = {PG_FLEX: "PostgreSQL", REDIS: "Redis", STORAGE: "Storage",
                KEY_VAULT: "Key Vault"}
    df = resources(ev, *services)
    if df is None:
        return None
    props = df["props"]
    pna_raw = dig(props, "publicNetworkAccess", None)
    pna_raw = pna_raw.where(pna_raw.notna(), dig(props, "network.publicNetworkAccess", None))
    pna = text(pna_raw)
    subnet = text(dig(props, "network.delegatedSubnetResourceId", "")).where(
        lambda v: v.ne(""), text(dig(props, "subnetId", "")))
    vnet = subnet.ne("")
    has_pe = has_private_endpoint(ev, df)
    default_action = text(dig(props, "networkAcls.defaultAction", ""))
    firewall_types = df["type"].isin([STORAGE, KEY_VAULT])
    disabled = pna.str.lower().eq("disabled")
    restricted = firewall_types & default_action.str.lower().eq("deny")
    exposure = pd.Series("public", index=df.index, dtype=object)
    exposure = exposure.mask(restricted, "selected networks")
    exposure = exposure.mask(disabled, "public access disabled")
    exposure = exposure.mask(disabled & has_pe, "private endpoint")
    exposure = exposure.mask(vnet, "VNet-integrated")
    pna_text = ("publicNetworkAccess " + pna).where(
        pna.ne(""), "publicNetworkAccess not set (Azure default: Enabled)")
    acl_text = ("; firewall default action " + default_action).where(
        firewall_types & default_action.ne(""), "")
    pe_text = pd.Series("; private endpoint connected", index=df.index).where(has_pe, "")
    subnet_text = ("; subnet " + short_name(subnet)).where(vnet, "")
    detail = (df["type"].map(services) + " " + exposure.map({
        "public": "is reachable from the Internet",
        "selected networks": "accepts only selected networks",
        "public access disabled": "has public network access disabled",
        "private endpoint": "is reachable only through a private endpoint",
        "VNet-integrated": "is injected into a virtual network",
    }) + " (" + pna_text + acl_text + pe_text + subnet_text + ")")
    return pd.DataFrame({
        "id": df["id"], "name": df["name"], "service": df["type"].map(services),
        "exposure": exposure, "detail": detail,
    })


@check(
    id="SEC-EXP-001",
    domain="security",
    severity="high",
    title="Data services are not reachable from the public Internet",
    rationale="PostgreSQL, Redis, Storage and Key Vault hold orders, sessions, the filestore "
    "and secrets. Azure Well-Architected and the Microsoft cloud security benchmark call for "
    "private endpoints or VNet integration with public network access disabled (or, for "
    "Storage and Key Vault, a firewall that denies by default).",
    remediation="Create a private endpoint in snet-private-endpoints (with its private DNS "
    "zone) and set publicNetworkAccess to Disabled; for Storage / Key Vault at least set "
    "networkAcls.defaultAction to Deny.",
    risk="Customer and order data services are exposed to attacks from the whole Internet, "
    "protected only by credentials",
    applies_to="PostgreSQL, Redis, Storage or Key Vault resources",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking",
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-private-link",
        "https://learn.microsoft.com/azure/storage/common/storage-network-security",
        "https://learn.microsoft.com/azure/key-vault/general/network-security",
    ],
)
def data_services_not_public(ctx: CheckContext):
    exp = data_service_exposure(ctx.ev)
    return outcome(exp["id"], exp["exposure"].ne("public"), exp["detail"])


@check(
    id="SEC-EXP-002",
    domain="security",
    severity="high",
    title="AKS API server is private or limited to authorized IP ranges",
    rationale="A public API server with no authorized IP ranges accepts connections from "
    "anywhere, so any leaked kubeconfig or token is usable from the Internet. AKS best "
    "practice is a private cluster (or API Server VNet integration) or authorized IP ranges.",
    remediation="Set apiServerAccessProfile.authorizedIPRanges to the CI runners' and "
    "administrators' egress ranges, or move to a private cluster / API Server VNet "
    "integration.",
    risk="The cluster's control plane can be attacked from anywhere on the Internet",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
        "https://learn.microsoft.com/azure/aks/private-clusters",
    ],
)
def aks_api_server_restricted(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    api = dig(aks["props"], "apiServerAccessProfile", {})
    private = truthy(dig(api, "enablePrivateCluster", False))
    ranges = _attribute_list(dig(api, "authorizedIPRanges", []))
    detail = pd.Series("private cluster", index=aks.index).where(
        private, ("public API server limited to " + ranges).where(
            ranges.ne(""), "public API server with no authorized IP ranges"))
    return outcome(aks["id"], private | ranges.ne(""), detail)


def _wafs(ev) -> pd.DataFrame:
    """Enabled WAFs in the evidence: name, kind, mode (Prevention / Detection)."""
    res = resources(ev, APP_GATEWAY, APPGW_WAF_POLICY, FD_WAF_POLICY)
    props = res["props"]
    is_gw = res["type"].eq(APP_GATEWAY)
    gw_tier = text(dig(props, "sku.tier", "")).str.upper()
    gw_conf = truthy(dig(props, "webApplicationFirewallConfiguration.enabled", False))
    gw_policy = text(dig(props, "firewallPolicy.id", "")).ne("")
    gw_mode = text(dig(props, "webApplicationFirewallConfiguration.firewallMode", "Detection"))
    gw_on = gw_tier.str.startswith("WAF") & (gw_conf | gw_policy)
    is_fd = res["type"].eq(FD_WAF_POLICY)
    pol_state = text(dig(props, "policySettings.enabledState", None).where(
        lambda s: s.notna(), dig(props, "policySettings.state", "Enabled")))
    pol_mode = text(dig(props, "policySettings.mode", None)).where(
        lambda s: s.ne(""), is_fd.map({True: "Prevention", False: "Detection"}))
    # a policy protects traffic wherever it is linked: a gateway, one of its listeners or
    # path rules, an Application Gateway for Containers, a Front Door endpoint or security
    # policy (ARM's WafPolicyGet example is linked only to applicationGatewayForContainers)
    links = ("applicationGateways", "httpListeners", "pathBasedRules",
             "applicationGatewayForContainers", "frontendEndpointLinks", "securityPolicyLinks")
    attached = sum(dig(props, key, []).map(lambda v: len(v) if isinstance(v, list) else 0)
                   for key in links).gt(0)
    pol_on = ~is_gw & pol_state.str.lower().eq("enabled") & attached
    kind = res["type"].map({APP_GATEWAY: "Application Gateway WAF",
                            APPGW_WAF_POLICY: "Application Gateway WAF policy",
                            FD_WAF_POLICY: "Front Door WAF policy"})
    waf = pd.DataFrame({"name": res["name"], "kind": kind,
                        "mode": gw_mode.where(is_gw, pol_mode), "id": res["id"]})
    return waf[(is_gw & gw_on) | pol_on].reset_index(drop=True)


@check(
    id="SEC-EXP-003",
    domain="security",
    severity="high",
    title="A web application firewall protects the public storefront",
    rationale="An Internet-facing Odoo storefront receives injection, credential stuffing "
    "and bot traffic. Azure Well-Architected recommends Azure WAF on Front Door or "
    "Application Gateway in Prevention mode in front of public web workloads, with the "
    "origin reachable only through it.",
    remediation="Put Azure Front Door Premium (WAF policy in Prevention mode, managed rule "
    "set + bot protection) or Application Gateway WAF_v2 in front of Traefik, make the "
    "Traefik Service internal or restrict it to the AzureFrontDoor.Backend service tag.",
    risk="Web attacks and bots hit the shop directly, with nothing to filter them before "
    "Odoo",
    applies_to="public storefront entry points (Internet-facing LoadBalancer Services or WAFs)",
    requires=["azure_resources", "k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/web-application-firewall/overview",
        "https://learn.microsoft.com/azure/frontdoor/web-application-firewall",
        "https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview",
    ],
)
def storefront_behind_waf(ctx: CheckContext):
    waf = _wafs(ctx.ev)
    blocking = waf[waf["mode"].str.lower().eq("prevention")]
    blocking_names = ", ".join(blocking["kind"] + " " + blocking["name"])
    detecting = ", ".join((waf["kind"] + " " + waf["name"])[~waf.index.isin(blocking.index)])
    svc = k8s(ctx.ev, "Service")
    internal = truthy(dig(svc["annotations_obj"],
                          ["service.beta.kubernetes.io/azure-load-balancer-internal"]))
    public = svc[text(dig(svc["spec_obj"], "type", "")).eq("LoadBalancer") & ~internal]
    tags = text(dig(public["annotations_obj"],
                    ["service.beta.kubernetes.io/azure-allowed-service-tags"]))
    ranges = dig(public["spec_obj"], "loadBalancerSourceRanges", []).map(
        lambda r: [x for x in r if x not in ("0.0.0.0/0", "*")])
    restricted = tags.str.contains("AzureFrontDoor", case=False) | ranges.map(len).gt(0)
    has_waf = bool(len(blocking))
    no_waf = "Internet-facing LoadBalancer with no WAF in Prevention mode in front" + (
        f" (only in Detection mode: {detecting})" if detecting else
        " (no Application Gateway WAF or Front Door WAF policy in the evidence)")
    detail = pd.Series(no_waf, index=public.index, dtype=object)
    if has_waf:
        detail = pd.Series(f"reachable only through {blocking_names}", index=public.index,
                           dtype=object).where(
            restricted, f"{blocking_names} exists but this LoadBalancer accepts traffic from "
            "any source, so the WAF can be bypassed")
    rows = outcome(public["subject"], restricted & has_waf, detail)
    if public.empty and has_waf:  # the storefront is served only through the WAF(s)
        rows = outcome(blocking["id"], [True] * len(blocking),
                       blocking["kind"] + " in Prevention mode; no Internet-facing "
                       "LoadBalancer Service bypasses it")
    return rows
