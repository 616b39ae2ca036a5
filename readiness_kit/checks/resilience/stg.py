"""Resilience checks RES-STG-*: storage accounts."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    APRL,
    STORAGE,
    WAF_DR,
    blob_service,
    sku_name,
    storage_accounts,
    storage_role,
)
from readiness_kit.frames import (
    arm_details,
    dig,
    flag,
    gaps_for,
    join_sorted,
    lower_id,
    on_off,
    resources,
    text,
    truthy,
    uncollected,
)

ZONE_REDUNDANT_SKUS = ("ZRS", "GZRS", "RAGZRS")


@check(
    id="RES-STG-001",
    domain="resilience",
    severity="high",
    title="The Odoo filestore storage account is zone-redundant (ZRS or GZRS)",
    rationale="The filestore holds attachments, product images and invoices PDFs that the "
    "database points to. LRS keeps all copies in one datacenter; ZRS/GZRS survive a zone "
    "failure (APRL, Well-Architected for Storage).",
    remediation="Convert the account to Standard_ZRS or Standard_GZRS (customer-initiated "
    "conversion from the portal or az storage account migration start).",
    risk="A zone outage could make product images and invoice attachments unavailable",
    applies_to="storage accounts holding the Odoo filestore (tag role=filestore or a name "
    "with 'file')",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/storage-redundancy",
        APRL + "Storage/storageAccounts/",
    ],
)
def filestore_zone_redundant(ctx: CheckContext):
    sa = storage_accounts(ctx.ev, "filestore")
    sku = sku_name(sa)
    redundancy = sku.str.split("_").str[-1].str.upper()
    detail = ("SKU " + sku).where(sku.ne(""), "SKU not reported")
    return outcome(sa["id"], redundancy.isin(ZONE_REDUNDANT_SKUS), detail)


def _blob_protection(ctx: CheckContext, role: str, need_versioning: bool) -> pd.DataFrame:
    blob = blob_service(ctx.ev, storage_accounts(ctx.ev, role))
    read = blob["blob"].notna()
    soft = truthy(dig(blob["blob"], "deleteRetentionPolicy.enabled", False))
    days = dig(blob["blob"], "deleteRetentionPolicy.days", "?").astype(str)
    versioning = truthy(dig(blob["blob"], "isVersioningEnabled", False))
    detail = ("blob soft delete " + on_off(soft)
              + (" (" + days + " days)").where(soft, " (not set: Azure leaves it off)"))
    passed = soft
    if need_versioning:
        detail = detail + ", versioning " + on_off(versioning)
        passed = soft & versioning
    gap = gaps_for(ctx.ev, "blobServices", blob["id"]).fillna(
        "no blobServices read for this account")
    detail = detail.where(read, "blob service properties not collected (" + gap + ")")
    return outcome(blob["id"], passed, detail, read)


@check(
    id="RES-STG-002",
    domain="resilience",
    severity="high",
    title="The Odoo filestore has blob soft delete and versioning on",
    rationale="Odoo overwrites and garbage-collects filestore blobs. Soft delete recovers "
    "deleted blobs and versioning recovers overwritten ones; together they give a near-zero "
    "RPO for the filestore (Azure Storage data protection guidance).",
    remediation="Enable blob soft delete (>= 7 days), container soft delete and blob "
    "versioning on the filestore account (blobServices/default).",
    risk="A faulty module or script could destroy attachments with no way back",
    applies_to="storage accounts holding the Odoo filestore",
    requires=["azure_resources", "azure_arm_details"],
    references=[
        "https://learn.microsoft.com/azure/storage/blobs/data-protection-overview",
        "https://learn.microsoft.com/azure/storage/blobs/versioning-overview",
    ],
)
def filestore_soft_delete_versioning(ctx: CheckContext):
    return _blob_protection(ctx, "filestore", need_versioning=True)


@check(
    id="RES-STG-003",
    domain="resilience",
    severity="high",
    title="The backup storage account is not locally redundant (LRS)",
    rationale="Backups kept with LRS share the fate of the datacenter they protect against. "
    "Backup copies belong on GRS/GZRS (or at least ZRS) storage.",
    remediation="Convert the backup account to Standard_GRS / Standard_GZRS (RA- variants "
    "allow reads from the secondary region).",
    risk="One datacenter incident could destroy the data and its backup together",
    applies_to="backup storage accounts (tag role=backup or a name with 'backup')",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/storage-redundancy",
        WAF_DR,
    ],
)
def backup_storage_not_lrs(ctx: CheckContext):
    sa = storage_accounts(ctx.ev, "backup")
    sku = sku_name(sa)
    lrs = sku.str.upper().str.endswith("_LRS")
    detail = ("SKU " + sku).where(~lrs, "SKU " + sku + ": every copy sits in one datacenter")
    return outcome(sa["id"], ~lrs & sku.ne(""), detail.where(sku.ne(""), "SKU not reported"))


@check(
    id="RES-STG-004",
    domain="resilience",
    severity="medium",
    title="The backup storage account has blob soft delete on",
    rationale="Backups are the last line of defence against deletion (by mistake or by an "
    "attacker); soft delete keeps deleted backup blobs recoverable for its retention.",
    remediation="Enable blob and container soft delete (>= 14 days) on the backup account; "
    "consider an immutability policy on the backup container.",
    risk="Deleting the backup container would delete the backups for good",
    applies_to="backup storage accounts",
    requires=["azure_resources", "azure_arm_details"],
    references=["https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview"],
)
def backup_storage_soft_delete(ctx: CheckContext):
    return _blob_protection(ctx, "backup", need_versioning=False)


@check(
    id="RES-STG-005",
    domain="resilience",
    severity="medium",
    title="Filestore and backup storage accounts have container soft delete on",
    rationale="Blob soft delete does not bring back a deleted container: deleting the "
    "filestore or backup container removes every blob in it at once. Container soft delete "
    "keeps it restorable for its retention (Azure Storage data protection guidance).",
    remediation="Enable container soft delete (containerDeleteRetentionPolicy, 7-30 days) "
    "on blobServices/default of the filestore and backup accounts.",
    risk="One deleted container would take every attachment or backup with it",
    applies_to="filestore and backup storage accounts",
    requires=["azure_resources", "azure_arm_details"],
    references=["https://learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview",
                "https://learn.microsoft.com/azure/storage/blobs/data-protection-overview"],
)
def container_soft_delete(ctx: CheckContext):
    sa = resources(ctx.ev, STORAGE)
    blob = blob_service(ctx.ev, sa[storage_role(sa).isin(["filestore", "backup"])]
                        .reset_index(drop=True))
    read = blob["blob"].notna()
    on, note = flag(dig(blob["blob"], "containerDeleteRetentionPolicy", {}).where(read, None),
                    "enabled", False, "Azure leaves container soft delete off unless enabled")
    days = text(dig(blob["blob"], "containerDeleteRetentionPolicy.days", "?"))
    detail = "container soft delete " + on_off(on) + (" (" + days + " days)").where(on, note)
    missing = uncollected(ctx.ev, "blobServices", blob["id"]).fillna(
        "no blobServices read for this account")
    detail = detail.where(read, "blob service properties not collected (" + missing + ")")
    return outcome(blob["id"], on, detail, read)


@check(
    id="RES-STG-006",
    domain="resilience",
    severity="medium",
    title="Backup storage is immutable (WORM) at account or container level",
    rationale="Ransomware and rogue administrators delete or encrypt backups before "
    "production. A locked time-based retention policy (or version-level immutability on the "
    "account) makes backup blobs impossible to change or delete for their retention "
    "(immutable storage for blobs).",
    remediation="Enable version-level immutability on the backup account "
    "(immutableStorageWithVersioning) or a time-based retention policy on the backup "
    "container, test a restore, then lock the policy.",
    risk="An attacker could delete the backups before encrypting the shop's data",
    applies_to="backup storage accounts",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/storage/blobs/immutable-storage-overview",
                WAF_DR],
)
def backup_storage_immutable(ctx: CheckContext):
    sa = storage_accounts(ctx.ev, "backup")
    account = truthy(dig(sa["props"], "immutableStorageWithVersioning.enabled", False))
    containers = arm_details(ctx.ev, "containers")
    key = lower_id(sa["id"])
    if containers is not None and not containers.empty:
        owner = lower_id(containers["resource_id"]).str.replace(
            r"/blobservices/[^/]+/containers/[^/]+$", "", regex=True)
        state = text(dig(containers["props"], "immutabilityPolicy.properties.state", ""))
        locked = containers.assign(owner=owner, name_=text(containers["name"]) + " ("
                                   + state.str.lower() + ")")[state.ne("")]
        worm = key.map(locked.groupby("owner")["name_"].agg(join_sorted))
    else:
        worm = pd.Series(None, index=sa.index, dtype=object)
    missing = uncollected(ctx.ev, "containers", sa["id"])
    passed = account | worm.notna()
    detail = pd.Series("version-level immutability on the account", index=sa.index,
                       dtype=object).where(account, ("immutability policy on container "
                                                     + text(worm)).where(
        worm.notna(), "no immutability on the account or its containers"))
    assessed = passed | missing.isna()
    detail = detail.where(assessed, "account-level immutability off (Azure's default); "
                          "container policies not assessed: " + text(missing))
    return outcome(sa["id"], passed, detail, assessed)
