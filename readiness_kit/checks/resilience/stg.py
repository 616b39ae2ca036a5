"""Resilience checks RES-STG-*: storage accounts."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    APRL,
    WAF_DR,
    blob_service,
    sku_name,
    storage_accounts,
)
from readiness_kit.frames import dig, gaps_for, truthy

ZONE_REDUNDANT_SKUS = ("ZRS", "GZRS", "RAGZRS")


def on_off(flag: pd.Series) -> pd.Series:
    return flag.map({True: "on", False: "off"})


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
