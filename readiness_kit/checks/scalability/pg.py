"""Scalability checks SCL-PG-*: PostgreSQL capacity and connections."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import GIB, server_key
from readiness_kit.checks.anchors import CHECK_POSTGRES, PG_DOCS, PG_EXPORTER_MIXIN, PG_GATHER
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _gib, _nothing
from readiness_kit.frames import client_sessions, dig, fmt, pg_human, pg_quantity, resources

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
    ok = grow.str.lower().eq("enabled") & (pct.isna() | (pct <= STORAGE_HEADROOM_PCT))
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
    return outcome(pg["id"], tier.str.lower().ne("burstable") & tier.ne("unknown"),
                   "SKU " + name + " (" + tier + ")", assessed=tier.ne("unknown"))


# --- live server evidence (pg_activity, pg_settings) --------------------------------------

CONNECTIONS_MAX_PCT = 80
SHARED_BUFFERS_MIN = 128 * 1024**2
WORK_MEM_MAX = 256 * 1024**2


@check(
    id="SCL-PG-101",
    domain="scalability",
    severity="high",
    title=f"Connections in use now stay below {CONNECTIONS_MAX_PCT}% of max_connections",
    rationale="The peak multiplies today's connections; a server already near its limit "
    "refuses new ones at the first surge. The postgres_exporter alert rules "
    f"(PostgreSQLHighConnections) and check_postgres (backends) warn at {CONNECTIONS_MAX_PCT}% "
    "of max_connections minus the reserved slots.",
    remediation="Lower the Odoo pools (db_maxconn), close idle clients, add PgBouncer "
    "(built into Azure flexible server) or raise max_connections with the SKU.",
    risk="The database turns clients away at the first surge of the sale",
    applies_to="PostgreSQL servers",
    requires=["pg_activity", "pg_settings"],
    references=[PG_EXPORTER_MIXIN, CHECK_POSTGRES + "#backends",
                PG_DOCS + "runtime-config-connection.html"],
)
def pg_connections_now(ctx: CheckContext):
    maxc = pg_quantity(ctx.ev, "max_connections")
    if maxc.empty:
        return _nothing()
    su = pg_quantity(ctx.ev, "superuser_reserved_connections")["value"].fillna(3)
    res = pg_quantity(ctx.ev, "reserved_connections")["value"].fillna(0)
    usable = maxc["value"] - su - res
    client = client_sessions(ctx.ev)  # client backends, the review's own session left out
    used = maxc["server"].map(client.groupby("server")["connections"].sum()).fillna(0)
    pct = used / usable.where(usable > 0) * 100
    detail = (used.map(fmt) + " client connections of " + usable.map(fmt) + " usable "
              "(max_connections " + maxc["value"].map(fmt) + " - " + (su + res).map(fmt) +
              " reserved) = " + pct.map(lambda v: f"{v:.0f}%" if v == v else "?") +
              f"; at most {CONNECTIONS_MAX_PCT}%")
    return outcome(maxc["subject"].str.replace("/max_connections", "/connections_now"),
                   pct <= CONNECTIONS_MAX_PCT, detail, assessed=pct.notna())


@check(
    id="SCL-PG-102",
    domain="scalability",
    severity="medium",
    title="shared_buffers and work_mem are sized for a production server",
    rationale="shared_buffers below its 128MB default starves the cache; the PostgreSQL "
    "documentation suggests about 25 % of memory on a dedicated server. work_mem is per "
    "sort or hash, per query node, per connection: above 256MB a few hundred Odoo "
    "connections can ask for more memory than the server has (pg_gather flags both).",
    remediation="Set shared_buffers to about 25 % of the server's memory (Azure sets it by "
    "SKU) and work_mem to 4-64MB, raising it per role or session for reports.",
    risk="The database either thrashes its cache or runs out of memory under load",
    applies_to="PostgreSQL servers",
    requires=["pg_settings"],
    references=[PG_DOCS + "runtime-config-resource.html", PG_GATHER],
)
def pg_memory_settings(ctx: CheckContext):
    sb = pg_quantity(ctx.ev, "shared_buffers")
    if sb.empty:
        return _nothing()
    wm = pg_quantity(ctx.ev, "work_mem")
    ok = (sb["value"] >= SHARED_BUFFERS_MIN) & (wm["value"] <= WORK_MEM_MAX)
    detail = ("shared_buffers " + pg_human(sb["value"], sb["unit"]) + " (at least 128MB), "
              "work_mem " + pg_human(wm["value"], wm["unit"]) + " (at most 256MB)")
    return outcome("postgres:" + sb["server"] + "/memory", ok, detail,
                   assessed=sb["value"].notna() & wm["value"].notna())
