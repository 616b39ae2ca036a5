"""Security checks: identity, secrets, policy enforcement, logging, segmentation, exposure.

Every check reads real source shapes (ARM properties from Resource Graph, Kubernetes specs,
pg_settings / pg_roles, odoo.conf options) and never a secret value: Odoo secret options
arrive as ``'<redacted>'`` and are only tested for presence.

``data_service_exposure`` (shared with ``readiness_kit.charts.security``) sits at the top;
the helpers every domain uses (cells, containers, setting lookups, private endpoints, image
references) live in ``readiness_kit.frames``.
"""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    PG_PARAMETER_TABLES,
    POD_SPEC_PATHS,
    arm_details,
    dig,
    falsy,
    has_private_endpoint,
    image_parts,
    is_system_namespace,
    join_sorted,
    k8s,
    lower_id,
    odoo_setting,
    parent_resource_id,
    per_evidence,
    pg_setting,
    resources,
    short_name,
    text,
    truthy,
    workload_containers,
    workload_pod_specs,
)

AKS = "microsoft.containerservice/managedclusters"
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
REDIS = "microsoft.cache/redis"
STORAGE = "microsoft.storage/storageaccounts"
KEY_VAULT = "microsoft.keyvault/vaults"
NSG = "microsoft.network/networksecuritygroups"
ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"
POLICY_ASSIGNMENT = "microsoft.authorization/policyassignments"
PRICING = "microsoft.security/pricings"
ACR = "microsoft.containerregistry/registries"
APP_GATEWAY = "microsoft.network/applicationgateways"
APPGW_WAF_POLICY = "microsoft.network/applicationgatewaywebapplicationfirewallpolicies"
FD_WAF_POLICY = "microsoft.network/frontdoorwebapplicationfirewallpolicies"

#: Built-in Owner role definition id (the same GUID in every tenant).
OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
#: Microsoft guidance: designate no more than 3 subscription owners.
MAX_SUBSCRIPTION_OWNERS = 3
#: Defender for Cloud plans a containerised Odoo on PostgreSQL needs (pricings name).
REQUIRED_DEFENDER_PLANS = {
    "Containers": "Defender for Containers",
    "OpenSourceRelationalDatabases": "Defender for open-source relational databases",
}


# ----------------------------------------------------------------------------- helpers
def _attribute_list(series: pd.Series) -> pd.Series:
    """``"a, b"`` from list cells (empty string for empty lists)."""
    return series.map(lambda v: ", ".join(str(x) for x in v) if isinstance(v, list) else "")


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


# ----------------------------------------------------------------------------- identity
@check(
    id="SEC-AKS-001",
    domain="security",
    severity="high",
    title="AKS local accounts are disabled",
    rationale="The local cluster-admin certificate bypasses Entra ID, conditional access and "
    "audit by identity, and cannot be revoked short of rotating the cluster certificates. AKS "
    "best practice is to disable local accounts once Entra ID integration is in place.",
    remediation="Run `az aks update --disable-local-accounts` (set "
    "properties.disableLocalAccounts: true in the cluster template) after confirming every "
    "operator and pipeline signs in through Entra ID.",
    risk="Anyone holding the static cluster-admin credential controls the shop's cluster "
    "without leaving an identity in the audit trail",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
        "https://learn.microsoft.com/azure/aks/operator-best-practices-identity",
    ],
)
def aks_local_accounts_disabled(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    disabled = truthy(dig(aks["props"], "disableLocalAccounts", False))
    detail = pd.Series("local accounts are disabled", index=aks.index).where(
        disabled, "local accounts are enabled (disableLocalAccounts is false or not set)")
    return outcome(aks["id"], disabled, detail)


@check(
    id="SEC-AKS-002",
    domain="security",
    severity="high",
    title="AKS uses Entra ID authentication with Azure RBAC for Kubernetes",
    rationale="Entra ID integration ties cluster access to corporate identities, MFA and "
    "conditional access; Azure RBAC for Kubernetes authorization manages who may do what "
    "in the cluster with Azure role assignments that are reviewed and audited centrally.",
    remediation="Enable AKS-managed Entra ID integration (aadProfile.managed) and Azure RBAC "
    "(`az aks update --enable-aad --enable-azure-rbac`), then grant the Azure Kubernetes "
    "Service RBAC roles to groups rather than users.",
    risk="Cluster access is not tied to corporate identities, so leavers and compromised "
    "accounts are not cut off centrally",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id",
        "https://learn.microsoft.com/azure/aks/manage-azure-rbac",
    ],
)
def aks_entra_azure_rbac(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    props = aks["props"]
    managed = truthy(dig(props, "aadProfile.managed", False))
    azure_rbac = truthy(dig(props, "aadProfile.enableAzureRBAC", False))
    k8s_rbac = ~falsy(dig(props, "enableRBAC", True))  # AKS default: RBAC on
    entra = ("Entra ID integration " + managed.map({True: "on", False: "off"})
             + ", Azure RBAC for Kubernetes " + azure_rbac.map({True: "on", False: "off"})
             + ", Kubernetes RBAC " + k8s_rbac.map({True: "on", False: "off"}))
    return outcome(aks["id"], managed & azure_rbac & k8s_rbac, entra)


@check(
    id="SEC-AKS-003",
    domain="security",
    severity="medium",
    title="AKS workload identity is enabled (no stored cloud credentials in pods)",
    rationale="Microsoft Entra Workload ID lets pods obtain tokens for Key Vault, Storage and "
    "PostgreSQL through federated credentials, so no client secret or storage key has to "
    "live in a Kubernetes Secret. It needs the OIDC issuer and the workload identity "
    "webhook; the pod-managed identity add-on it replaces is deprecated.",
    remediation="Run `az aks update --enable-oidc-issuer --enable-workload-identity`, create "
    "federated identity credentials for the Odoo service account and move Key Vault / "
    "Storage access from secrets to the managed identity.",
    risk="Cloud credentials sit in cluster secrets, where any leak of the cluster gives "
    "standing access to customer data",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/workload-identity-overview",
        "https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster",
    ],
)
def aks_workload_identity(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    wi = truthy(dig(aks["props"], "securityProfile.workloadIdentity.enabled", False))
    oidc = truthy(dig(aks["props"], "oidcIssuerProfile.enabled", False))
    detail = ("workload identity " + wi.map({True: "enabled", False: "disabled"})
              + ", OIDC issuer " + oidc.map({True: "enabled", False: "disabled"}))
    return outcome(aks["id"], wi & oidc, detail)


@check(
    id="SEC-IAM-001",
    domain="security",
    severity="high",
    title=f"No more than {MAX_SUBSCRIPTION_OWNERS} standing Owner assignments per subscription",
    rationale="Owner can change anything including access itself. Microsoft Defender for "
    f"Cloud and the Azure RBAC best practices recommend at most {MAX_SUBSCRIPTION_OWNERS} "
    "subscription owners, with other administrators made eligible through Privileged "
    "Identity Management (just-in-time) instead of standing assignments.",
    remediation="Remove standing Owner assignments beyond the break-glass and platform owner "
    "accounts; make the remaining administrators eligible via PIM with approval, and grant "
    "narrower built-in roles (Contributor, User Access Administrator with conditions) to "
    "automation.",
    risk="Too many people can take over the whole production subscription, multiplying the "
    "ways a single phished account becomes a full outage or data breach",
    applies_to="subscriptions with role assignments",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/role-based-access-control/best-practices",
        "https://learn.microsoft.com/azure/defender-for-cloud/"
        "recommendations-reference-identity-access",
    ],
)
def subscription_owner_count(ctx: CheckContext):
    ra = resources(ctx.ev, ROLE_ASSIGNMENT)
    scope = text(dig(ra["props"], "scope", "")).str.rstrip("/")
    sub = "/subscriptions/" + text(ra["subscription_id"]).str.lower()
    ra = ra.assign(
        sub=sub,
        is_owner=text(dig(ra["props"], "roleDefinitionId", "")).str.lower()
        .str.endswith(OWNER_ROLE_ID),
        at_sub=scope.str.lower().eq(sub),
        principal=text(dig(ra["props"], "principalType", "principal")),
    )
    owners = ra[ra["is_owner"] & ra["at_sub"]]
    counts = owners.groupby("sub").size().reindex(sorted(ra["sub"].unique()), fill_value=0)
    kinds = owners.groupby("sub")["principal"].agg(
        lambda s: ", ".join(f"{n} {k}" for k, n in s.value_counts().sort_index().items()))
    kinds = kinds.reindex(counts.index, fill_value="")
    plural = pd.Series("s", index=counts.index).where(counts.ne(1), "")
    detail = (counts.astype(str) + " standing Owner assignment" + plural
              + " at subscription scope"
              + (" (" + kinds + ")").where(kinds.ne(""), "")
              + f"; at most {MAX_SUBSCRIPTION_OWNERS} recommended")
    return outcome(counts.index, counts.le(MAX_SUBSCRIPTION_OWNERS), detail)


# ----------------------------------------------------------------------------- secrets
@check(
    id="SEC-KV-001",
    domain="security",
    severity="high",
    title="Key Vault has soft delete and purge protection enabled",
    rationale="Soft delete keeps deleted vaults and secrets recoverable; purge protection "
    "stops anyone, including an attacker with Owner rights, from permanently purging them "
    "during the retention period. Both are Key Vault best practice and required by the "
    "Microsoft cloud security benchmark.",
    remediation="Set enablePurgeProtection: true on the vault (`az keyvault update "
    "--enable-purge-protection true`); it cannot be turned off again, which is the point.",
    risk="A malicious or mistaken purge destroys the keys and secrets the shop needs to run, "
    "with no way back",
    applies_to="Key Vaults",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
        "https://learn.microsoft.com/azure/key-vault/general/best-practices",
    ],
)
def kv_purge_protection(ctx: CheckContext):
    kv = resources(ctx.ev, KEY_VAULT)
    soft_raw = dig(kv["props"], "enableSoftDelete", None)
    soft = ~falsy(soft_raw)  # Azure default since 2020: soft delete always on
    purge = truthy(dig(kv["props"], "enablePurgeProtection", False))
    soft_text = ("soft delete " + soft.map({True: "on", False: "off"})).where(
        soft_raw.notna(), "soft delete on (not set; Azure default)")
    detail = soft_text + ", purge protection " + purge.map({True: "on", False: "off"})
    return outcome(kv["id"], soft & purge, detail)


@check(
    id="SEC-KV-002",
    domain="security",
    severity="medium",
    title="Key Vault uses Azure RBAC for data-plane authorization",
    rationale="With access policies anyone with Contributor on the vault can grant "
    "themselves secret access; Azure RBAC separates management from data access, supports "
    "PIM and per-secret scopes, and is the recommended permission model.",
    remediation="Migrate access policies to role assignments (Key Vault Secrets User for "
    "workloads, Key Vault Administrator via PIM for people), then set "
    "enableRbacAuthorization: true.",
    risk="Infrastructure administrators can silently read payment and database secrets",
    applies_to="Key Vaults",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/key-vault/general/rbac-guide",
        "https://learn.microsoft.com/azure/key-vault/general/rbac-migration",
    ],
)
def kv_rbac_authorization(ctx: CheckContext):
    kv = resources(ctx.ev, KEY_VAULT)
    raw = dig(kv["props"], "enableRbacAuthorization", None)
    rbac = truthy(raw)
    detail = pd.Series("Azure RBAC authorization is enabled", index=kv.index).where(
        rbac, ("vault access policies are used (enableRbacAuthorization is "
               + text(raw).str.lower() + ")").where(
            raw.notna(), "vault access policies are used (enableRbacAuthorization not set)"))
    return outcome(kv["id"], rbac, detail)


@check(
    id="SEC-ODOO-001",
    domain="security",
    severity="critical",
    title="Odoo master password (admin_passwd) is set",
    rationale="The master password protects Odoo's database manager (create, duplicate, "
    "back up, restore and drop databases). Odoo's deployment guide requires a strong, "
    "randomly generated admin_passwd; without it, anyone reaching /web/database can set one.",
    remediation="Set admin_passwd in odoo.conf from a Key Vault secret (a long random value), "
    "and keep the database manager disabled with list_db = False.",
    risk="Anyone on the Internet could download or drop the production database",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[
        "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
        "#database-manager-security",
    ],
)
def odoo_admin_passwd_set(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "admin_passwd")
    # Presence only: the (redacted) value is never read beyond "is it empty".
    present = text(opt["value"]).str.strip().ne("")
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = pd.Series("admin_passwd is set (value not read)", index=opt.index).where(
        present, "admin_passwd is not set: the database manager accepts any new master "
        "password") + where
    return outcome(opt["subject"], present, detail)


@check(
    id="SEC-ODOO-002",
    domain="security",
    severity="high",
    title="Odoo database manager is disabled (list_db = False)",
    rationale="Odoo's deployment guide recommends disabling the database manager in "
    "production: with list_db = False the /web/database pages and the database list are "
    "unavailable, removing a brute-force target and an information leak.",
    remediation="Set list_db = False in odoo.conf (and a dbfilter such as ^odoo_prod$); "
    "manage databases with pg tools instead.",
    risk="The database manager is exposed on the storefront: database names leak and the "
    "master password is one guess away from a full database download",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[
        "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
        "#database-manager-security",
    ],
)
def odoo_list_db_disabled(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "list_db")
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = ("list_db = " + text(opt["value"])).where(
        opt["value"].notna(), "list_db not set (Odoo default: True)") + where
    return outcome(opt["subject"], falsy(opt["value"]), detail)


# ----------------------------------------------------------------------------- policy
@check(
    id="SEC-POL-001",
    domain="security",
    severity="high",
    title="Azure Policy add-on is enabled on AKS",
    rationale="The Azure Policy add-on runs Gatekeeper in the cluster so that Azure Policy "
    "can audit and deny non-compliant pods (privileged containers, untrusted registries, "
    "missing limits) at admission, with compliance reported centrally.",
    remediation="Enable the add-on (`az aks enable-addons --addons azure-policy`) and assign "
    "the Kubernetes cluster pod security baseline initiative in Deny mode.",
    risk="Nothing stops an unsafe container from being deployed into production",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/use-azure-policy",
        "https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes",
    ],
)
def aks_azure_policy_addon(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    on = truthy(dig(aks["props"], "addonProfiles.azurepolicy.enabled", False))
    detail = pd.Series("azurepolicy add-on enabled", index=aks.index).where(
        on, "azurepolicy add-on not enabled")
    return outcome(aks["id"], on, detail)


@check(
    id="SEC-POL-002",
    domain="security",
    severity="medium",
    title="Policy assignments are enforced (enforcementMode Default)",
    rationale="An assignment in DoNotEnforce mode evaluates compliance but never denies or "
    "remediates: the guardrail exists on paper only. Azure Policy's enforcementMode Default "
    "is what makes deny and deployIfNotExists effects act.",
    remediation="Set enforcementMode to Default on the assignment once its non-compliant "
    "resources are fixed or exempted (use exemptions with an expiry rather than "
    "DoNotEnforce).",
    risk="Governance guardrails that appear in place do not actually stop unsafe changes",
    applies_to="policy assignments",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure"
        "#enforcement-mode",
    ],
)
def policy_enforcement_mode(ctx: CheckContext):
    pa = resources(ctx.ev, POLICY_ASSIGNMENT)
    mode = text(dig(pa["props"], "enforcementMode", "Default"))
    name = text(dig(pa["props"], "displayName", ""))
    name = name.where(name.ne(""), pa["name"])
    detail = "'" + name + "' enforcementMode " + mode
    return outcome(pa["id"], mode.str.lower().eq("default"), detail)


@check(
    id="SEC-DEF-001",
    domain="security",
    severity="high",
    title="Defender for Cloud covers containers and open-source databases",
    rationale="Defender for Containers gives runtime threat detection, vulnerability "
    "assessment of images and Kubernetes posture; Defender for open-source relational "
    "databases detects brute force, SQL injection and anomalous access on Azure Database "
    "for PostgreSQL. Both are Standard-tier plans per subscription.",
    remediation="Enable the Containers and OpenSourceRelationalDatabases plans (pricingTier "
    "Standard) on the production subscription and route alerts to the on-call rota.",
    risk="An attack on the cluster or the order database would go unnoticed",
    applies_to="subscriptions with Defender for Cloud pricings",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction",
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-databases-introduction",
    ],
)
def defender_plans(ctx: CheckContext):
    pr = resources(ctx.ev, PRICING)
    subs = pd.Series(text(pr["subscription_id"]).unique(), name="subscription_id")
    wanted = subs.to_frame().merge(
        pd.DataFrame({"plan": list(REQUIRED_DEFENDER_PLANS)}), how="cross")
    have = pr.assign(plan=pr["name"], tier=text(dig(pr["props"], "pricingTier", "Free")),
                     subscription_id=text(pr["subscription_id"]))
    merged = wanted.merge(have[["subscription_id", "plan", "id", "tier"]],
                          on=["subscription_id", "plan"], how="left")
    missing = merged["id"].isna()
    subject = merged["id"].where(~missing, "/subscriptions/" + merged["subscription_id"]
                                 + "/providers/Microsoft.Security/pricings/" + merged["plan"])
    tier = text(merged["tier"])
    label = merged["plan"].map(REQUIRED_DEFENDER_PLANS)
    detail = (label + " is on the " + tier + " tier").where(
        ~missing, label + " plan not returned (treated as Free, the Azure default)")
    return outcome(subject, tier.str.lower().eq("standard"), detail)


# ----------------------------------------------------------------------------- logging
@check(
    id="SEC-LOG-001",
    domain="security",
    severity="high",
    title="AKS control-plane audit logs (kube-audit) are collected",
    rationale="The Kubernetes audit log records who read secrets, exec'd into pods or "
    "changed RBAC. AKS only keeps it when a diagnostic setting sends kube-audit or "
    "kube-audit-admin (or the audit category group) to Log Analytics or storage; without it "
    "an incident cannot be investigated.",
    remediation="Add a diagnostic setting on the cluster sending kube-audit-admin (or "
    "kube-audit) to the Log Analytics workspace, with retention that meets the incident "
    "response policy.",
    risk="After a breach nobody can tell who accessed the cluster or what they changed",
    applies_to="AKS clusters",
    requires=["azure_resources", "azure_arm_details"],
    references=[
        "https://learn.microsoft.com/azure/aks/monitor-aks",
        "https://learn.microsoft.com/azure/aks/monitor-aks-reference",
    ],
)
def aks_audit_logs(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    diag = arm_details(ctx.ev, "diagnosticSettings")
    diag = diag.assign(
        rid=parent_resource_id(diag["resource_id"]),
        destination=text(dig(diag["props"], "workspaceId", "")).ne("").map(
            {True: "Log Analytics", False: ""})
        .where(lambda s: s.ne(""), text(dig(diag["props"], "storageAccountId", "")).ne("")
               .map({True: "a storage account", False: ""}))
        .where(lambda s: s.ne(""), text(dig(diag["props"], "eventHubAuthorizationRuleId", ""))
               .ne("").map({True: "Event Hubs", False: ""})),
        log=dig(diag["props"], "logs", []),
    ).explode("log", ignore_index=True)
    category = text(dig(diag["log"], "category", "")).str.lower()
    group = text(dig(diag["log"], "categoryGroup", "")).str.lower()
    covers = (truthy(dig(diag["log"], "enabled", False)) & diag["destination"].ne("")
              & (category.isin({"kube-audit", "kube-audit-admin"})
                 | group.isin({"audit", "alllogs"})))
    hits = diag[covers].assign(what=(category.where(category.ne(""), group)[covers]
                                     + " to " + diag["destination"][covers]
                                     + " (setting '" + text(diag["name"])[covers] + "')"))
    found = hits.groupby("rid")["what"].agg(join_sorted)
    rid = lower_id(aks["id"])
    covered = rid.map(found)
    settings = rid.map(diag.groupby("rid")["name"].agg(join_sorted)).fillna("")
    detail = ("kube audit logs sent: " + text(covered)).where(
        covered.notna(), ("diagnostic settings (" + settings + ") do not send kube-audit "
                          "or kube-audit-admin").where(
            settings.ne(""), "no diagnostic setting on the cluster: audit logs are not kept"))
    return outcome(aks["id"], covered.notna(), detail)


# ----------------------------------------------------------------------------- segmentation
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


# ----------------------------------------------------------------------------- exposure
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
    attached = (dig(props, "applicationGateways", []).map(len)
                + dig(props, "frontendEndpointLinks", []).map(len)
                + dig(props, "securityPolicyLinks", []).map(len)).gt(0)
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


# ----------------------------------------------------------------------------- workloads
@check(
    id="SEC-K8S-001",
    domain="security",
    severity="high",
    title="No application container runs privileged or as root (UID 0)",
    rationale="A privileged container has full access to the node and escapes to the host "
    "trivially; UID 0 makes any container breakout worse. The Kubernetes Pod Security "
    "Standards (baseline forbids privileged, restricted requires non-root) and AKS pod "
    "security best practices both rule this out.",
    remediation="Remove `privileged: true` and `runAsUser: 0`; set runAsNonRoot: true, "
    "allowPrivilegeEscalation: false and drop capabilities; use `kubectl debug` with an "
    "ephemeral container instead of a standing debug pod.",
    risk="A single compromised container can take over the node and everything running on it",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/developer-best-practices-pod-security",
        "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
    ],
)
def no_privileged_or_root(ctx: CheckContext):
    wl = workload_pod_specs(ctx.ev)
    c = workload_containers(ctx.ev)
    privileged = truthy(dig(c["container"], "securityContext.privileged", False))
    uid = dig(c["container"], "securityContext.runAsUser", None)
    uid = uid.where(uid.notna(), dig(c["pod"], "securityContext.runAsUser", None))
    root = pd.to_numeric(uid, errors="coerce").eq(0)
    issue = (privileged.map({True: "privileged", False: ""}) + ", "
             + root.map({True: "runs as UID 0", False: ""})).str.strip(", ")
    bad = c[privileged | root].assign(
        what="container " + c["container_name"][privileged | root] + ": "
        + issue[privileged | root])
    found = bad.groupby("subject")["what"].agg("; ".join)
    hit = wl["subject"].map(found)
    detail = text(hit).where(hit.notna(), "no privileged container, none set to run as UID 0")
    return outcome(wl["subject"], hit.isna(), detail)


@check(
    id="SEC-K8S-002",
    domain="security",
    severity="medium",
    title="Application images come from trusted registries",
    rationale="Images pulled straight from public registries can change under the same tag, "
    "disappear, hit Docker Hub rate limits or carry malware. AKS image management best "
    "practice is to import them into your own Azure Container Registry, scan them there and "
    "allow only that registry (Azure Policy 'allowed images').",
    remediation="Import the images into the Azure Container Registry (`az acr import`), "
    "reference them from there, and enforce the 'Kubernetes cluster containers should only "
    "use allowed images' policy in Deny mode.",
    risk="Production runs software the company does not control, which can change or be "
    "poisoned without notice",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/operator-best-practices-container-image-management",
        "https://learn.microsoft.com/azure/container-registry/buffer-gate-public-content",
    ],
)
def images_from_trusted_registries(ctx: CheckContext):
    wl = workload_pod_specs(ctx.ev)
    c = workload_containers(ctx.ev)
    acr = resources(ctx.ev, ACR) if ctx.ev.has("azure_resources") else None
    login = set() if acr is None else set(
        text(dig(acr["props"], "loginServer", "")).str.lower()) - {""}
    registry = image_parts(c["image"])["registry"]
    trusted = registry.eq("mcr.microsoft.com") | (
        registry.isin(login) if login else registry.str.endswith(".azurecr.io"))
    bad = c[~trusted].assign(what=c["image"][~trusted] + " (" + registry[~trusted] + ")")
    found = bad.groupby("subject")["what"].agg(join_sorted)
    ok = c.groupby("subject")["image"].agg(join_sorted)
    hit = wl["subject"].map(found)
    basis = ("your registries " + ", ".join(sorted(login))) if login else (
        "an Azure Container Registry")
    detail = ("untrusted registry: " + text(hit)).where(
        hit.notna(), "images from " + basis + " or MCR: " + text(wl["subject"].map(ok)))
    return outcome(wl["subject"], hit.isna(), detail)


# ----------------------------------------------------------------------------- PostgreSQL
def _pg_servers(ev) -> pd.Series:
    pgs = ev.table("pg_settings")
    names = [] if pgs is None else list(text(pgs["server"]).unique())
    return pd.Series(sorted(names), dtype=object)


@check(
    id="SEC-PG-001",
    domain="security",
    severity="medium",
    title="PostgreSQL stores passwords as SCRAM-SHA-256",
    rationale="MD5 password hashes are weak and replayable by anyone who obtains them; "
    "PostgreSQL documentation recommends scram-sha-256, the default since PostgreSQL 14, "
    "and Azure Database for PostgreSQL supports it for every client Odoo uses (psycopg2).",
    remediation="Set the server parameter password_encryption = scram-sha-256, reset the "
    "application passwords so they are re-hashed, then require scram-sha-256 for all users.",
    risk="Stolen password hashes could let an attacker log in to the order database",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=[
        "https://www.postgresql.org/docs/16/auth-password.html",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-scram",
    ],
)
def pg_password_encryption(ctx: CheckContext):
    s = pg_setting(ctx.ev, "password_encryption")
    servers = pd.concat([_pg_servers(ctx.ev), s["server"]]).drop_duplicates()
    value = servers.map(s.set_index("server")["value"])
    detail = ("password_encryption = " + text(value)).where(
        value.notna(), "password_encryption not reported by the server")
    return outcome("postgres:" + servers + "/password_encryption",
                   text(value).str.lower().eq("scram-sha-256"), detail,
                   assessed=value.notna())


@check(
    id="SEC-PG-002",
    domain="security",
    severity="high",
    title="PostgreSQL requires TLS for every connection",
    rationale="Odoo sends customer data and credentials to PostgreSQL; Azure Database for "
    "PostgreSQL enforces encrypted connections with require_secure_transport = on (the "
    "default), and the server must have ssl on.",
    remediation="Set require_secure_transport = on and make clients connect with "
    "sslmode=require or stricter (Odoo: db_sslmode = verify-full).",
    risk="Customer data and database passwords could cross the network in clear text",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-tls-ssl",
        "https://www.postgresql.org/docs/16/ssl-tcp.html",
    ],
)
def pg_secure_transport(ctx: CheckContext):
    rst = pg_setting(ctx.ev, "require_secure_transport")
    ssl = pg_setting(ctx.ev, "ssl")
    servers = pd.concat([_pg_servers(ctx.ev), rst["server"], ssl["server"]]).drop_duplicates()
    req = servers.map(rst.set_index("server")["value"])
    ssl_v = servers.map(ssl.set_index("server")["value"])
    required = truthy(req) | req.isna()  # Azure default: on
    ssl_on = truthy(ssl_v) | ssl_v.isna()
    detail = ("require_secure_transport = " + text(req)).where(
        req.notna(), "require_secure_transport not reported (Azure default: on)") + (
        ", ssl = " + text(ssl_v)).where(ssl_v.notna(), "")
    return outcome("postgres:" + servers + "/require_secure_transport", required & ssl_on,
                   detail)


@check(
    id="SEC-PG-003",
    domain="security",
    severity="high",
    title="The Odoo database role has no superuser, CREATEDB or CREATEROLE rights",
    rationale="Least privilege: the application role should own its database and nothing "
    "more. With CREATEDB (or admin membership) a compromised Odoo process or an exposed "
    "database manager can create, copy and drop databases on the shared server; PostgreSQL "
    "documents these attributes as powerful privileges to grant sparingly.",
    remediation="`ALTER ROLE odoo NOSUPERUSER NOCREATEDB NOCREATEROLE;` remove it from "
    "azure_pg_admin, and create new tenant databases with an administrative role.",
    risk="A compromised storefront could create, copy or destroy databases on the "
    "production server",
    applies_to="Odoo application roles",
    requires=["pg_roles"],
    references=[
        "https://www.postgresql.org/docs/16/role-attributes.html",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-create-users",
    ],
)
def pg_app_role_least_privilege(ctx: CheckContext):
    roles = ctx.ev.table("pg_roles")
    db_user = odoo_setting(ctx.ev, "db_user")
    app_users = set() if db_user is None else set(text(db_user["value"].dropna()))
    name = text(roles["rolname"])
    # The role Odoo connects as (db_user); without odoo.conf, roles named like odoo.
    is_app = name.isin(app_users) if app_users else name.str.contains("odoo", case=False)
    app = roles[is_app]
    flags = pd.DataFrame({
        "superuser": truthy(app["superuser"]), "CREATEDB": truthy(app["createdb"]),
        "CREATEROLE": truthy(app["createrole"]),
        "azure_pg_admin member": text(app["member_of"]).str.contains("azure_pg_admin"),
    })
    granted = flags.apply(lambda col: col.map({True: col.name, False: ""})).agg(
        lambda r: ", ".join(v for v in r if v), axis=1) if not flags.empty else pd.Series(
        dtype=object)
    detail = ("role " + text(app["rolname"]) + " has " + text(granted)).where(
        granted.ne(""), "role " + text(app["rolname"]) + " has no superuser, CREATEDB or "
        "CREATEROLE attribute")
    return outcome("postgres:" + text(app["server"]) + "/role:" + text(app["rolname"]),
                   granted.eq(""), detail)


# ----------------------------------------------------------------------------- transport
@check(
    id="SEC-REDIS-001",
    domain="security",
    severity="medium",
    title="Azure Cache for Redis accepts TLS 1.2+ connections only",
    rationale="The non-TLS port 6379 sends the access key and session data in clear text; "
    "Azure disables it by default and requires TLS 1.2 as the minimum version since TLS "
    "1.0/1.1 retirement.",
    remediation="Set enableNonSslPort: false and minimumTlsVersion: '1.2', and connect Odoo "
    "/ session stores with rediss:// on port 6380.",
    risk="Session data and the cache access key can be read off the network",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-configure#access-ports",
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-remove-tls-10-11",
    ],
)
def redis_tls_only(ctx: CheckContext):
    r = resources(ctx.ev, REDIS)
    non_ssl = truthy(dig(r["props"], "enableNonSslPort", False))
    tls_raw = dig(r["props"], "minimumTlsVersion", None)
    tls = text(tls_raw, "1.2")
    tls_ok = pd.to_numeric(tls, errors="coerce").ge(1.2)
    detail = ("non-TLS port " + non_ssl.map({True: "enabled", False: "disabled"})
              + ", minimum TLS " + tls + pd.Series(" (not set; Azure default)",
                                                   index=r.index).where(tls_raw.isna(), ""))
    return outcome(r["id"], ~non_ssl & tls_ok, detail)


@check(
    id="SEC-ST-001",
    domain="security",
    severity="medium",
    title="Storage accounts require HTTPS with TLS 1.2 or later",
    rationale="Azure Storage interprets an unset minimumTlsVersion as TLS 1.0; Microsoft "
    "recommends TLS 1.2 minimum and HTTPS-only traffic for every account (the Odoo "
    "filestore holds invoices and customer attachments).",
    remediation="Set minimumTlsVersion: TLS1_2 and supportsHttpsTrafficOnly: true on the "
    "account (`az storage account update --min-tls-version TLS1_2 --https-only true`).",
    risk="Customer documents could be intercepted over outdated encryption",
    applies_to="storage accounts",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/"
        "transport-layer-security-configure-minimum-version",
        "https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer",
    ],
)
def storage_min_tls(ctx: CheckContext):
    st = resources(ctx.ev, STORAGE)
    raw = dig(st["props"], "minimumTlsVersion", None)
    tls = text(raw, "TLS1_0")
    https = ~falsy(dig(st["props"], "supportsHttpsTrafficOnly", True))
    ok = tls.str.upper().isin({"TLS1_2", "TLS1_3"}) & https
    detail = ("minimum TLS " + tls + pd.Series(" (not set; Azure interprets as TLS1_0)",
                                               index=st.index).where(raw.isna(), "")
              + ", HTTPS only " + https.map({True: "on", False: "off"}))
    return outcome(st["id"], ok, detail)
