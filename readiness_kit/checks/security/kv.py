"""Security checks SEC-KV-*: Key Vault secrets."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import KEY_VAULT
from readiness_kit.frames import dig, falsy, resources, text, truthy


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
