"""Scalability checks SCL-PG-*: PostgreSQL capacity and connections."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import GIB, server_key
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _gib, _nothing
from readiness_kit.frames import dig, resources

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
STORAGE_HEADROOM_PCT = 80


@check(
    id="SCL-PG-001",
    domain="scalability",
    severity="high",
    title="PostgreSQL storage grows automatically and has headroom",
    rationale="A flexible server whose storage fills up goes read-only: Odoo can no longer "
    "write orders. Storage autogrow (Disabled by default) grows the disk before it fills; "
    f"below {STORAGE_HEADROOM_PCT}% use there is also room for the peak's extra orders, "
    "logs and WAL.",
    remediation="Enable storage autogrow (az postgres flexible-server update "
    "--storage-auto-grow Enabled), size the disk for a year of growth, and alert on "
    "storage_percent above 80 %.",
    risk="The database turns read-only when the disk fills, stopping order capture",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-storage"],
)
def pg_storage_headroom(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    if pg.empty:
        return _nothing()
    grow = dig(pg["props"], "storage.autoGrow", "Disabled").astype(str)
    size = pd.to_numeric(dig(pg["props"], "storage.storageSizeGB"), errors="coerce") * GIB
    dbs = ctx.ev.table("pg_databases")
    used = (server_key(pg["name"]).map(dbs.groupby(server_key(dbs["server"]))["size_bytes"]
                                       .sum()) if dbs is not None
            else pd.Series(np.nan, index=pg.index)).astype(float)
    pct = used / size * 100
    ok = grow.eq("Enabled") & (pct.isna() | (pct <= STORAGE_HEADROOM_PCT))
    usage = np.where(used.notna(), "; databases use " + _gib(used) + " (" +
                     pct.map(lambda v: f"{v:.0f}%" if v == v else "?") + ")",
                     "; database sizes not collected (pg_databases)")
    detail = ("storage " + _gib(size) + ", autoGrow " + grow +
              np.where(dig(pg["props"], "storage.autoGrow").isna(), " (default)", "") + usage)
    return outcome(pg["id"], ok, detail)


@check(
    id="SCL-PG-002",
    domain="scalability",
    severity="high",
    title="Production PostgreSQL does not run on a Burstable SKU",
    rationale="Burstable (B-series) compute runs on CPU credits: once they are spent at peak "
    "the server is throttled to its baseline share. Azure recommends General Purpose or "
    "Memory Optimized for production workloads, and Burstable servers cannot use high "
    "availability.",
    remediation="Scale the server to General Purpose (e.g. Standard_D4ds_v5) or Memory "
    "Optimized; a compute change restarts the server, so do it in a maintenance window.",
    risk="The database slows to a crawl once CPU credits run out during the sale",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-compute"],
)
def pg_not_burstable(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    if pg.empty:
        return _nothing()
    tier = dig(pg["sku_obj"], "tier", "unknown").astype(str)
    name = dig(pg["sku_obj"], "name", "?").astype(str)
    return outcome(pg["id"], tier.ne("Burstable") & tier.ne("unknown"),
                   "SKU " + name + " (" + tier + ")", assessed=tier.ne("unknown"))
