"""Security checks SEC-AKS-*: AKS cluster security."""

from __future__ import annotations

import pandas as pd

from readiness_kit.capacity import node_pools
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import AKS
from readiness_kit.frames import dig, falsy, flag, on_off, resources, text, truthy


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


AKS_SECURITY = ("https://learn.microsoft.com/azure/well-architected/service-guides/"
                "azure-kubernetes-service")
MCSB_AKS = ("https://learn.microsoft.com/security/benchmark/azure/baselines/"
            "azure-kubernetes-service-aks-security-baseline")


@check(
    id="SEC-AKS-004",
    domain="security",
    severity="medium",
    title="AKS mounts Key Vault secrets through the Secrets Store CSI driver with rotation",
    rationale="The Azure Key Vault provider for the Secrets Store CSI driver mounts secrets "
    "from Key Vault into pods, so database and payment credentials need not live in "
    "Kubernetes Secrets; with rotation on, a secret rotated in Key Vault reaches the pods "
    "without a redeploy (AKS security baseline, Well-Architected AKS guide).",
    remediation="`az aks enable-addons --addons azure-keyvault-secrets-provider "
    "--enable-secret-rotation` and mount the Odoo database password and API keys with a "
    "SecretProviderClass instead of a Kubernetes Secret.",
    risk="Shop credentials sit in cluster secrets and a leaked password stays valid in the "
    "pods until someone redeploys them",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/csi-secrets-store-driver",
                "https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options",
                AKS_SECURITY],
)
def aks_key_vault_secrets_provider(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    addon = dig(aks["props"], "addonProfiles.azureKeyvaultSecretsProvider", {})
    on, note = flag(addon, "enabled", False, "add-on absent: not installed")
    rotation, rot_note = flag(addon, "config.enableSecretRotation", False,
                              "rotation is off unless enabled")
    detail = ("Key Vault secrets provider " + on_off(on) + note + ", secret rotation "
              + on_off(rotation) + rot_note.where(on, ""))
    return outcome(aks["id"], on & rotation, detail)


@check(
    id="SEC-AKS-005",
    domain="security",
    severity="medium",
    title="Defender for Containers runs its sensor on the AKS cluster",
    rationale="Subscription-level Defender for Containers only watches a cluster whose "
    "security profile deploys the Defender sensor (securityProfile.defender."
    "securityMonitoring); without it there is no runtime threat detection in the cluster "
    "(Microsoft cloud security benchmark LT-1).",
    remediation="`az aks update --enable-defender` (with the platform's Log Analytics "
    "workspace), or let Defender for Cloud auto-provision the sensor.",
    risk="An attacker running code in the shop's cluster would not raise any alert",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/defender-for-cloud/"
                "defender-for-containers-enable", MCSB_AKS],
)
def aks_defender_sensor(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    on, note = flag(aks["props"], "securityProfile.defender.securityMonitoring.enabled", False,
                    "no Defender profile on the cluster")
    return outcome(aks["id"], on, "Defender sensor " + on_off(on) + note)


@check(
    id="SEC-AKS-006",
    domain="security",
    severity="low",
    title="AKS image cleaner removes unused, vulnerable images from the nodes",
    rationale="Images left on nodes after upgrades keep known-vulnerable layers that a "
    "compromised pod could start; the AKS image cleaner (Eraser) removes unused images on a "
    "schedule (AKS security best practice).",
    remediation="`az aks update --enable-image-cleaner --image-cleaner-interval-hours 168`.",
    risk="Old, vulnerable images stay ready to run on the shop's nodes",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/image-cleaner", AKS_SECURITY],
)
def aks_image_cleaner(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    on, note = flag(aks["props"], "securityProfile.imageCleaner.enabled", False,
                    "image cleaner is off unless enabled")
    hours = text(dig(aks["props"], "securityProfile.imageCleaner.intervalHours", ""))
    detail = "image cleaner " + on_off(on) + note + (", every " + hours + " h").where(
        on & hours.ne(""), "")
    return outcome(aks["id"], on, detail)


@check(
    id="SEC-AKS-007",
    domain="security",
    severity="medium",
    title="AKS uses a managed identity, not a service principal secret",
    rationale="A cluster running on a service principal depends on a client secret that "
    "expires and must be rotated by hand; a managed identity has no secret to leak or "
    "forget (AKS identity guidance, Microsoft cloud security benchmark IM-3).",
    remediation="`az aks update --enable-managed-identity`, upgrade the node pools, then "
    "delete the old service principal.",
    risk="An expired or leaked cluster secret stops scaling and load balancing, or hands an "
    "attacker the cluster's Azure rights",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-managed-identity", MCSB_AKS],
)
def aks_managed_identity(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    kind = text(dig(aks["identity_obj"], "type", ""))
    client = text(dig(aks["props"], "servicePrincipalProfile.clientId", ""))
    managed = kind.str.lower().str.contains("assigned") | client.str.lower().eq("msi")
    sp = client.ne("") & ~client.str.lower().eq("msi")
    detail = ("identity " + kind).where(kind.ne(""), "no managed identity") + (
        ", service principal " + client).where(sp, "")
    return outcome(aks["id"], managed, detail)


@check(
    id="SEC-AKS-008",
    domain="security",
    severity="medium",
    title="AKS nodes have no public IP addresses",
    rationale="A node with its own public IP is reachable from the Internet around the load "
    "balancer and the network design; the AKS baseline keeps nodes private and sends egress "
    "through the load balancer, NAT gateway or firewall.",
    remediation="Recreate the pool without --enable-node-public-ip (it cannot be changed on "
    "an existing pool), then cordon, drain and delete the old pool.",
    risk="Cluster nodes can be attacked directly from the Internet",
    applies_to="AKS node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/use-node-public-ips",
                "https://learn.microsoft.com/azure/architecture/reference-architectures/"
                "containers/aks/baseline-aks"],
)
def aks_no_node_public_ip(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    public, note = flag(pools["pool_props"], "enableNodePublicIP", False,
                        "ARM's default false assumed")
    detail = "pool " + pools["pool"] + ": node public IPs " + on_off(public) + note
    return outcome(pools["subject"], ~public, detail)
