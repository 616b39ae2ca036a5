"""Resilience checks RES-PG-*: PostgreSQL HA, cross-region recovery and backups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import CHECK_POSTGRES, PG_DOCS, PG_GATHER, PGMONITOR_RULES
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import (
    APRL,
    PG_FLEX,
    REL_PG,
    cross_region_replicas,
    is_replica,
    pg_primaries,
    replica_role,
)
from readiness_kit.frames import (
    db_subject,
    dig,
    fmt,
    listed,
    pg_quantity,
    pg_server_rows,
    reported,
    resources,
    short_name,
    text,
)

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
    detail = "HA mode is " + mode.astype(str) + note
    # A read replica has no HA of its own (Azure offers none on replicas): it is judged
    # through its primary here and through RES-PG-002, never failed for it.
    replica = is_replica(pg)
    source = short_name(text(dig(pg["props"], "sourceServerResourceId", "")))
    detail = detail.where(~replica, "read replica (" + replica_role(pg) + ") of "
                          + source.where(source.ne(""), "its primary")
                          + ": high availability is configured on the primary")
    return outcome(pg["id"], text(mode).str.lower().eq("zoneredundant"), detail, ~replica)


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
    replica = cross_region_replicas(ctx.ev, pg)
    has_replica = replica.notna()
    geo = text(dig(pg["props"], "backup.geoRedundantBackup", "Disabled"))
    passed = geo.str.lower().eq("enabled") | has_replica
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


# --- live server evidence (pg_databases, pg_server, pg_slots, pg_settings) ---------------

#: PostgreSQL stops assigning transaction ids about 2^31 - 3 million before wraparound.
XID_LIMIT = 2**31 - 1_000_000
WRAPAROUND_MAX_PCT = 50
SLOT_WAL_MAX_BYTES = 1024**3


@check(
    id="RES-PG-101",
    domain="resilience",
    severity="critical",
    title=f"No database is past {WRAPAROUND_MAX_PCT}% of transaction-id wraparound",
    rationale="PostgreSQL must freeze old rows before transaction ids wrap around; when "
    "vacuum cannot keep up it finally refuses writes to protect the data. Crunchy "
    f"pgmonitor warns at {WRAPAROUND_MAX_PCT}% of the way to wraparound (age(datfrozenxid) "
    "/ (2^31 - 1,000,000)) and check_postgres (txn_wraparound) alerts on the same age.",
    remediation="Run VACUUM (FREEZE) on the oldest tables of the database, find what blocks "
    "autovacuum (long transactions, abandoned replication slots, prepared transactions) and "
    "raise autovacuum_max_workers / lower autovacuum_freeze_max_age pressure.",
    risk="The database stops accepting orders until an emergency vacuum completes",
    applies_to="PostgreSQL databases",
    requires=["pg_databases"],
    references=[PGMONITOR_RULES, CHECK_POSTGRES + "#txn_wraparound",
                PG_DOCS + "routine-vacuuming.html#VACUUM-FOR-WRAPAROUND"],
)
def pg_wraparound(ctx: CheckContext):
    dbs = ctx.ev.table("pg_databases")
    dbs = dbs[~dbs["is_template"].astype(bool)]
    if dbs.empty:
        return outcome([], [], [])
    age = dbs["age_datfrozenxid"].astype(float)
    pct = age / XID_LIMIT * 100
    detail = ("age(datfrozenxid) " + age.map("{:.0f}".format) + " = " + pct.map("{:.1f}".format) +
              f"% of the way to wraparound (at most {WRAPAROUND_MAX_PCT}%)")
    return outcome(db_subject(dbs), pct <= WRAPAROUND_MAX_PCT, detail, assessed=age.notna())


@check(
    id="RES-PG-102",
    domain="resilience",
    severity="critical",
    title="WAL archiving is on and its last attempt succeeded",
    rationale="Point-in-time recovery needs every WAL segment archived. When archive_command "
    "fails, WAL piles up in pg_wal until the disk fills, and the recovery point falls "
    "behind. pgmonitor alerts on a failure more recent than the last success "
    "(pg_stat_archiver); check_postgres (archive_ready) watches the backlog.",
    remediation="Fix archive_command (permissions, destination, credentials) and watch "
    "pg_stat_archiver.failed_count; on Azure, archiving is managed: open a support case.",
    risk="Backups stop covering new orders and the disk fills with unarchived WAL",
    applies_to="PostgreSQL servers",
    requires=["pg_server", "pg_settings"],
    references=[PGMONITOR_RULES, CHECK_POSTGRES + "#archive_ready",
                PG_DOCS + "continuous-archiving.html"],
)
def pg_archiving_works(ctx: CheckContext):
    srv = pg_server_rows(ctx.ev)
    if srv.empty:
        return outcome([], [], [])
    mode = srv["server"].map(pg_quantity(ctx.ev, "archive_mode").set_index("server")["raw"])
    on = text(mode).str.lower().isin(["on", "always"])
    failed_age = srv["last_failed_age_seconds"].astype(float)
    ok_age = srv["last_archived_age_seconds"].astype(float)
    failing = failed_age.notna() & (ok_age.isna() | (failed_age < ok_age))
    detail = ("archive_mode = " + text(mode, "?") + "; " + srv["archived_count"].map(fmt) +
              " segments archived, " + srv["failed_count"].map(fmt) + " failures" +
              np.where(failing, ", the last attempt (" + failed_age.map(fmt) +
                       " s ago) failed", "") +
              np.where(ok_age.notna(), ", last success " + ok_age.map(fmt) + " s ago", ""))
    detail = detail.where(on, "archive_mode = " + text(mode, "?") + ": WAL is not archived, "
                          "no point-in-time recovery from this server")
    return outcome(srv["subject"] + "/archiving", on & ~failing, detail, assessed=mode.notna())


@check(
    id="RES-PG-103",
    domain="resilience",
    severity="high",
    title="No replication slot is inactive or holds more than 1 GiB of WAL",
    rationale="A replication slot keeps every WAL segment its consumer has not confirmed. "
    "An abandoned slot (a removed standby, a stopped CDC tool) grows pg_wal until the disk "
    "fills and the server stops. Crunchy pgmonitor alerts on inactive slots; pg_gather "
    "reports the WAL each slot retains.",
    remediation="Drop the slot if its consumer is gone (pg_drop_replication_slot), or bring "
    "the consumer back; set max_slot_wal_keep_size to cap what a slot may retain.",
    risk="The database disk fills with retained WAL and the server stops",
    applies_to="PostgreSQL servers",
    requires=["pg_slots", "pg_server"],
    references=[PGMONITOR_RULES, PG_GATHER,
                PG_DOCS + "warm-standby.html#STREAMING-REPLICATION-SLOTS"],
)
def pg_slots_healthy(ctx: CheckContext):
    slots = ctx.ev.table("pg_slots")
    servers = text(pg_server_rows(ctx.ev)["server"])
    bad = slots[~slots["active"].fillna(False).astype(bool) |
                (slots["retained_wal_bytes"].fillna(0) > SLOT_WAL_MAX_BYTES)]
    text_bad = bad.assign(q=text(bad["slot_name"]) + " (" + np.where(
        bad["active"].fillna(False).astype(bool), "active", "inactive") + ", " +
        (bad["retained_wal_bytes"].fillna(0) / 1024**2).map("{:.0f}".format).astype(str) +
        " MiB WAL retained)").groupby("server")["q"].agg(", ".join)
    count = slots.groupby("server").size()
    found = servers.map(text_bad)
    detail = listed(found, "slots holding WAL: ", "")
    detail = detail.where(found.notna(), servers.map(count).fillna(0).map(fmt).astype(str) +
                          " slot(s), none inactive or over 1 GiB")
    return outcome("postgres:" + servers + "/replication_slots", found.isna(), detail)
