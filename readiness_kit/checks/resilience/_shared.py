"""What several resilience area modules share: constants, references and helpers."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from readiness_kit.checks.registry import CheckContext
from readiness_kit.evidence import Evidence
from readiness_kit.frames import (
    arm_details,
    attestation_frame,
    attested_outcome,
    canonical_location,
    days_since,
    dig,
    fmt,
    lower_id,
    parent_resource_id,
    resources,
    text,
)

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
STORAGE = "microsoft.storage/storageaccounts"
REL_PG = "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server"
APRL = "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/azure-resources/"
WAF_DR = "https://learn.microsoft.com/azure/well-architected/reliability/disaster-recovery"


def storage_role(sa: pd.DataFrame) -> pd.Series:
    """``filestore`` | ``backup`` | ``other`` for storage accounts.

    A ``role``/``purpose``/``usage``/``workload`` tag wins; otherwise the account name
    decides (``backup``/``bkp`` before ``filestore``/``files``).
    """
    tag_text = sa["tags_obj"].map(
        lambda t: " ".join(str(v) for k, v in (t or {}).items()
                           if k.lower() in {"role", "purpose", "usage", "workload"}).lower())
    name = sa["name"].fillna("").astype(str).str.lower()

    def classify(text: pd.Series) -> pd.Series:
        role = pd.Series("", index=text.index, dtype=object)
        role = role.mask(text.str.contains(r"file", regex=True), "filestore")
        return role.mask(text.str.contains(r"backup|bkp", regex=True), "backup")

    by_tag, by_name = classify(tag_text), classify(name)
    return by_tag.where(by_tag != "", by_name).replace("", "other")


def storage_accounts(ev: Evidence, role: str) -> pd.DataFrame | None:
    sa = resources(ev, STORAGE)
    if sa is None:
        return None
    return sa[storage_role(sa) == role].reset_index(drop=True)


def blob_service(ev: Evidence, sa: pd.DataFrame) -> pd.DataFrame:
    """The storage accounts with their blobServices properties (``blob`` NaN if not read)."""
    blob = arm_details(ev, "blobServices")
    out = sa.assign(key=lower_id(sa["id"]))
    if blob is None or blob.empty:
        return out.assign(blob=None)
    blob = blob.assign(key=parent_resource_id(blob["resource_id"]))
    blob = blob.drop_duplicates("key")[["key", "props"]].rename(columns={"props": "blob"})
    return out.merge(blob, on="key", how="left")


def sku_name(df: pd.DataFrame) -> pd.Series:
    """``Standard_ZRS``; ``Premium P1`` where the SKU has a family and capacity (Redis keeps
    its SKU in ``properties.sku``)."""
    sku = df["sku_obj"].where(df["sku_obj"].map(bool), dig(df["props"], "sku", {}))
    name = dig(sku, "name", "").astype(str)
    size = dig(sku, "family", "").astype(str) + dig(sku, "capacity", "").astype(str)
    return name.where(size.eq(""), name + " " + size)


def replica_role(pg: pd.DataFrame) -> pd.Series:
    """``replica.role`` (API 2024+) or the older ``replicationRole`` of flexible servers:
    ``Primary``, ``AsyncReplica``, ``GeoAsyncReplica`` ... ("" when not reported)."""
    return text(dig(pg["props"], "replica.role", None).fillna(
        dig(pg["props"], "replicationRole", "")))


def is_replica(pg: pd.DataFrame) -> pd.Series:
    return replica_role(pg).str.lower().str.contains("replica")


def pg_primaries(ev: Evidence) -> pd.DataFrame | None:
    """Flexible servers that are not replicas (replicas follow their primary)."""
    pg = resources(ev, PG_FLEX)
    if pg is None:
        return None
    return pg[~is_replica(pg)].reset_index(drop=True)


def cross_region_replicas(ev: Evidence, pg: pd.DataFrame) -> pd.Series:
    """Per primary in ``pg`` (aligned to its index): the names of its read replicas in
    another region (", "-joined), NaN when it has none."""
    everything = resources(ev, PG_FLEX)
    source = lower_id(dig(everything["props"], "sourceServerResourceId", "").astype(str))
    # ARM names a region "East US" in one body and "eastus" in another: compare canonically
    replicas = pd.DataFrame({"key": source,
                             "replica_location": canonical_location(everything["location"]),
                             "replica": everything["name"]})
    keyed = pg.assign(key=lower_id(pg["id"]), region=canonical_location(pg["location"]))
    remote = keyed.merge(replicas, on="key")
    remote = remote[remote["replica_location"] != remote["region"]]
    # Usually no server has a remote replica: the map is empty (callers build text with text())
    return keyed["key"].map(remote.groupby("key")["replica"].agg(", ".join))


def _zones_text(zones: pd.Series) -> pd.Series:
    return zones.map(lambda z: ", ".join(str(x) for x in z) if z else "none").astype(str)


def _attestation_check(ctx: CheckContext, key: str,
                       judge: Callable[[pd.DataFrame], tuple[pd.Series, pd.Series]]):
    df = attestation_frame(ctx.ev, key)
    passed, detail = judge(df)
    return attested_outcome(df, passed, detail)


RSV_PROTECTED_ITEM = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/" \
                     "protecteditems"
BACKUP_INSTANCE = "microsoft.dataprotection/backupvaults/backupinstances"
BACKUP_TABLE = "recoveryservicesresources"
#: A protected item whose last backup is older than this is not healthy, whatever its flag.
BACKUP_MAX_AGE_DAYS = 2
#: Recovery Services protected items report lastBackupStatus Completed / protectionStatus
#: Healthy when fine; Backup vault instances report protectionStatus.status
#: ProtectionConfigured.
HEALTHY_BACKUP_STATES = {"completed", "healthy", "protectionconfigured", "passed"}


def backup_items(ev: Evidence, as_of) -> pd.DataFrame | None:
    """Azure Backup items (Recovery Services protected items and Backup vault instances):
    id, key (lower-case id of the protected resource), name, healthy, detail. None when
    azure_resources was not collected."""
    items = resources(ev, RSV_PROTECTED_ITEM, BACKUP_INSTANCE)
    if items is None:
        return None
    props = items["props"]
    source = dig(props, "sourceResourceId", None).fillna(
        dig(props, "dataSourceInfo.resourceID", ""))
    last = dig(props, "lastBackupStatus", None)
    status = dig(props, "protectionStatus", None)
    status = status.map(lambda v: v.get("status") if isinstance(v, dict) else v)
    state = text(last.fillna(status).fillna(dig(props, "currentProtectionState", None)),
                 "unknown")
    age = days_since(dig(props, "lastBackupTime", None), as_of)
    stopped = text(dig(props, "protectionState", "")).str.contains("Stopped")
    stale = age > BACKUP_MAX_AGE_DAYS
    healthy = state.str.lower().isin(HEALTHY_BACKUP_STATES) & ~stopped & ~stale
    name = text(dig(props, "friendlyName", None).fillna(items["name"]))
    detail = ("backup item " + name + " status " + state
              + pd.Series(" (protection stopped)", index=items.index).where(stopped, "")
              + (", last backup " + age.map(fmt).astype(str) + " days ago").where(
                  age.notna(), "")
              + pd.Series(f" (older than {BACKUP_MAX_AGE_DAYS} days)",
                          index=items.index).where(stale, ""))
    return pd.DataFrame({"id": items["id"], "key": lower_id(text(source)), "name": name,
                         "healthy": healthy, "detail": detail})
