"""Resilience checks RES-PG-*: PostgreSQL HA, cross-region recovery and backups."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL, PG_FLEX, REL_PG, pg_primaries
from readiness_kit.frames import dig, lower_id, reported, resources, text

#: Azure Backup / APRL guidance: keep at least two weeks of PostgreSQL backups.
PG_MIN_BACKUP_RETENTION_DAYS = 14


@check(
    id="RES-PG-001",
    domain="resilience",
    severity="critical",
    title="PostgreSQL Flexible Server runs zone-redundant high availability",
    rationale="Odoo keeps every order, stock move and invoice in PostgreSQL. Without a "
    "zone-redundant standby, a zone failure takes the database down until Azure restores it.",
    remediation="Enable high availability in ZoneRedundant mode (General Purpose or Memory "
    "Optimized tier) and place the standby in a different zone from the primary.",
    risk="PostgreSQL has no zone-redundant HA: a zone outage stops order capture",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
        "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/azure-resources/"
        "DBforPostgreSQL/flexibleServers/",
    ],
)
def pg_zone_redundant_ha(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    mode, note = reported(dig(pg["props"], "highAvailability.mode", None), "Disabled",
                          "ARM's default highAvailability.mode Disabled assumed")
    return outcome(pg["id"], mode.eq("ZoneRedundant"), "HA mode is " + mode.astype(str) + note)


@check(
    id="RES-PG-002",
    domain="resilience",
    severity="high",
    title="PostgreSQL can be recovered in another region (geo-redundant backup or replica)",
    rationale="Zone-redundant HA does not survive a regional outage. Geo-redundant backup "
    "copies backups to the paired region for geo-restore; a read replica in another region "
    "can be promoted. Azure Well-Architected (RE:09) and APRL ask for one of the two.",
    remediation="Enable geoRedundantBackup when creating the server (it cannot be changed "
    "later: restore into a new server with it on) or create a read replica in the paired "
    "region, and document the promotion in the DR runbook.",
    risk="A regional Azure outage would leave the shop without its order database",
    applies_to="PostgreSQL flexible servers (primaries)",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-read-replicas",
        APRL + "DBforPostgreSQL/flexibleServers/",
    ],
)
def pg_cross_region_recovery(ctx: CheckContext):
    pg = pg_primaries(ctx.ev)
    everything = resources(ctx.ev, PG_FLEX)
    source = lower_id(dig(everything["props"], "sourceServerResourceId", "").astype(str))
    replicas = pd.DataFrame({"key": source, "replica_location": everything["location"],
                             "replica": everything["name"]})
    pg = pg.assign(key=lower_id(pg["id"]))
    remote = pg.merge(replicas, on="key")
    remote = remote[remote["replica_location"] != remote["location"]]
    remote_names = remote.groupby("key")["replica"].agg(", ".join)
    # Usually no server has a remote replica: the map is empty, so build text with text().
    replica = pg["key"].map(remote_names)
    has_replica = replica.notna()
    geo = text(dig(pg["props"], "backup.geoRedundantBackup", "Disabled"))
    passed = geo.eq("Enabled") | has_replica
    detail = ("geo-redundant backup " + geo + "; "
              + ("read replica in another region: " + text(replica)).where(
                  has_replica, "no read replica outside " + text(pg["location"], "its region")))
    return outcome(pg["id"], passed, detail)


@check(
    id="RES-PG-003",
    domain="resilience",
    severity="medium",
    title=f"PostgreSQL keeps at least {PG_MIN_BACKUP_RETENTION_DAYS} days of backups",
    rationale="Data corruption (a faulty module upgrade, a bad import) is often noticed days "
    "later. The 7-day default leaves little room to restore to a point before it happened.",
    remediation="Set backup.backupRetentionDays to 14-35 on the server (az postgres flexible-"
    "server update --backup-retention 35).",
    risk="Corruption found after a week could no longer be undone from backup",
    applies_to="PostgreSQL flexible servers (primaries)",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
    ],
)
def pg_backup_retention(ctx: CheckContext):
    pg = pg_primaries(ctx.ev)
    raw = dig(pg["props"], "backup.backupRetentionDays", None)
    days = pd.to_numeric(raw, errors="coerce").fillna(7)
    detail = ("backup retention is " + days.astype(int).astype(str) + " days (minimum "
              + str(PG_MIN_BACKUP_RETENTION_DAYS) + ")")
    detail = detail.where(raw.notna(), detail + "; not reported, Azure's default 7 days assumed")
    return outcome(pg["id"], days >= PG_MIN_BACKUP_RETENTION_DAYS, detail)


@check(
    id="RES-PG-004",
    domain="resilience",
    severity="high",
    title="PostgreSQL high availability is healthy (standby in sync)",
    rationale="Configured HA protects nothing while the standby is being created, "
    "rebuilt or out of sync: a failure then is an outage. ARM reports the state of the "
    "standby in highAvailability.state (Healthy when it can take over).",
    remediation="Find why the standby is not Healthy (provisioning, replication lag, "
    "a failed failover) in the server's activity log and resource health; re-enable HA if "
    "it stays in a failed state.",
    risk="The database has no working standby: the next failure stops the shop",
    applies_to="PostgreSQL flexible servers with high availability",
    requires=["azure_resources"],
    references=[REL_PG, "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "how-to-monitor-high-availability"],
)
def pg_ha_healthy(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    mode = text(dig(pg["props"], "highAvailability.mode", "Disabled"))
    pg = pg[~mode.str.lower().eq("disabled")]
    state = text(dig(pg["props"], "highAvailability.state", ""))
    zone = text(dig(pg["props"], "highAvailability.standbyAvailabilityZone", ""))
    detail = ("HA " + mode[pg.index] + ", standby state " + state
              + (" in zone " + zone).where(zone.ne(""), "")).where(
        state.ne(""), "HA " + mode[pg.index] + ": standby state not reported")
    return outcome(pg["id"], state.str.lower().eq("healthy"), detail, state.ne(""))
