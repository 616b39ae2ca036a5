"""Resilience checks RES-RSV-*: Recovery Services vaults."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL
from readiness_kit.frames import dig, resources

RSV = "microsoft.recoveryservices/vaults"


@check(
    id="RES-RSV-001",
    domain="resilience",
    severity="high",
    title="Recovery Services vault stores backups geo-redundantly",
    rationale="A vault on LRS or ZRS storage loses its backups with the region. GRS (with "
    "Cross Region Restore) keeps restorable copies in the paired region (APRL).",
    remediation="Set the vault's storage redundancy to GeoRedundant before protecting items "
    "and enable Cross Region Restore.",
    risk="A regional outage would take the backups down with production",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault",
        APRL + "RecoveryServices/vaults/",
    ],
)
def vault_geo_redundant(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "redundancySettings.standardTierStorageRedundancy", None)
    redundancy = raw.fillna("GeoRedundant").astype(str)
    crr = dig(vault["props"], "redundancySettings.crossRegionRestore", "Disabled").astype(str)
    detail = "storage redundancy " + redundancy + ", cross region restore " + crr
    detail = detail.where(raw.notna(), "storage redundancy not reported: Azure's default "
                          "GeoRedundant assumed")
    return outcome(vault["id"], redundancy.str.lower().eq("georedundant"), detail)


@check(
    id="RES-RSV-002",
    domain="resilience",
    severity="high",
    title="Recovery Services vault has soft delete on",
    rationale="Soft delete keeps deleted backup data for 14+ days, which defeats the "
    "ransomware step of deleting backups before encrypting production (Azure Backup "
    "security guidance).",
    remediation="Set securitySettings.softDeleteSettings.softDeleteState to AlwaysON (or "
    "Enabled) with a retention of at least 14 days.",
    risk="An attacker or a mistake could delete every backup at once",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/backup/backup-azure-security-feature-cloud"],
)
def vault_soft_delete(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "securitySettings.softDeleteSettings.softDeleteState", None)
    state = raw.fillna("Enabled").astype(str)
    days = dig(vault["props"], "securitySettings.softDeleteSettings."
                               "softDeleteRetentionPeriodInDays", 14).astype(str)
    detail = ("soft delete " + state + " (" + days + " days)").where(
        raw.notna(), "soft delete not reported: Azure's default (Enabled, 14 days) assumed")
    return outcome(vault["id"], state.str.lower().isin(["enabled", "alwayson"]), detail)


@check(
    id="RES-RSV-003",
    domain="resilience",
    severity="medium",
    title="Recovery Services vault is immutable",
    rationale="An immutable vault refuses operations that would lose recovery points "
    "(reducing retention, stopping protection with delete); locking it makes this "
    "irreversible (Azure Backup immutable vault).",
    remediation="Enable immutability on the vault (state Unlocked), verify, then lock it.",
    risk="Backups could be shortened or deleted by anyone with vault rights",
    applies_to="Recovery Services vaults",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept"],
)
def vault_immutable(ctx: CheckContext):
    vault = resources(ctx.ev, RSV)
    raw = dig(vault["props"], "securitySettings.immutabilitySettings.state", None)
    state = raw.fillna("Disabled").astype(str)
    detail = ("immutability " + state).where(raw.notna(),
                                             "immutability not set (Azure's default: Disabled)")
    return outcome(vault["id"], state.str.lower().isin(["unlocked", "locked", "enabled"]),
                   detail)
