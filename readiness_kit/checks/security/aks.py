"""Security checks SEC-AKS-*: AKS cluster security."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import AKS
from readiness_kit.frames import dig, falsy, resources, truthy


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
