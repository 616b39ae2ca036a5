"""Operations checks OPS-PG-*: PostgreSQL insights."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import (
    CHECK_POSTGRES,
    PG_DOCS,
    PG_GATHER,
    PG_VERSIONING,
    PGMONITOR_RULES,
)
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    PG_PARAMETER_TABLES,
    client_sessions,
    db_subject,
    dig,
    fmt,
    join_sorted,
    listed,
    pg_human,
    pg_quantity,
    pg_server_rows,
    pg_setting,
    reported,
    resources,
    text,
    truthy,
)


@check(
    id="OPS-PG-001",
    domain="operations",
    severity="low",
    title="PostgreSQL loads pg_stat_statements",
    rationale="pg_stat_statements records which queries use the time; without it a slow "
    "checkout during a peak cannot be traced to a query (PostgreSQL docs, Azure Query "
    "Store builds on it).",
    remediation="Add pg_stat_statements to shared_preload_libraries (server restart) and run "
    "CREATE EXTENSION pg_stat_statements in the Odoo database.",
    risk="Database slowdowns on a peak day could not be traced to their cause",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=["https://www.postgresql.org/docs/current/pgstatstatements.html",
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-query-store"],
)
def pg_stat_statements(ctx: CheckContext):
    s = pg_setting(ctx.ev, "shared_preload_libraries")
    loaded = s["value"].str.lower().str.contains("pg_stat_statements", regex=False)
    ext = ctx.ev.table("pg_extensions")
    created = ""
    if ext is not None:
        dbs = ext.loc[ext["extname"] == "pg_stat_statements", "datname"]
        created = "; extension created in " + (", ".join(sorted(dbs.dropna())) or "no database")
    detail = ("shared_preload_libraries = '" + s["value"] + "'" + created)
    detail = detail.where(loaded, detail + ": pg_stat_statements not loaded")
    return outcome(s["subject"], loaded, detail)


@check(
    id="OPS-PG-002",
    domain="operations",
    severity="medium",
    title="PostgreSQL logs slow statements (log_min_duration_statement)",
    rationale="Logging statements slower than a threshold (e.g. 1 s) shows the queries that "
    "hurt checkout; -1 disables it and 0 logs everything, flooding the logs.",
    remediation="Set log_min_duration_statement to a threshold such as 1000 ms and export "
    "PostgreSQL logs with a diagnostic setting.",
    risk="Slow queries that stall checkout would leave no trace",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=["https://www.postgresql.org/docs/current/runtime-config-logging.html",
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-logging"],
)
def pg_slow_statement_log(ctx: CheckContext):
    s = pg_setting(ctx.ev, "log_min_duration_statement")
    ms = pd.to_numeric(s["value"], errors="coerce")
    detail = ("log_min_duration_statement = " + s["value"] + " ms")
    detail = detail.where(~(ms < 0), detail + ": slow statement logging is off")
    detail = detail.where(~(ms == 0), detail + ": every statement is logged")
    return outcome(s["subject"], ms > 0, detail, ms.notna())


PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"
#: Community support ended for 13 in November 2025 and for 14 in November 2026; Azure then
#: moves servers to paid extended support (PostgreSQL versioning policy).
PG_MIN_SUPPORTED_MAJOR = 15


@check(
    id="OPS-PG-003",
    domain="operations",
    severity="low",
    title="PostgreSQL has a custom maintenance window outside trading hours",
    rationale="With the system-managed schedule Azure picks the patching window and the "
    "server restarts when it chooses; a custom window puts the few seconds to minutes of "
    "downtime (and the HA failover) where the shop expects it (scheduled maintenance "
    "guidance, Well-Architected PostgreSQL guide).",
    remediation="Set a custom maintenance window (day and start hour, UTC) in the quietest "
    "trading hour: `az postgres flexible-server update --maintenance-window Sun:2:00`.",
    risk="A database restart for patching could land in the middle of a sale",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-maintenance",
                "https://learn.microsoft.com/azure/well-architected/service-guides/"
                "postgresql"],
)
def pg_maintenance_window(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    window, note = reported(dig(pg["props"], "maintenanceWindow.customWindow", None),
                            "Disabled", "ARM's default system-managed schedule assumed")
    custom = text(window).str.lower().eq("enabled")
    days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    day = pd.to_numeric(dig(pg["props"], "maintenanceWindow.dayOfWeek", None),
                        errors="coerce").map(lambda d: days[int(d) % 7] if d == d else "?")
    hour = pd.to_numeric(dig(pg["props"], "maintenanceWindow.startHour", None),
                         errors="coerce").map(lambda h: f"{int(h):02d}:00" if h == h else "?")
    day, hour = day.astype(str), hour.astype(str)  # an empty server list stays text
    detail = ("custom maintenance window " + day + " " + hour + " UTC").where(
        custom, "system-managed maintenance schedule" + note)
    return outcome(pg["id"], custom, detail)


@check(
    id="OPS-PG-004",
    domain="operations",
    severity="medium",
    title=f"PostgreSQL runs a community-supported major version ({PG_MIN_SUPPORTED_MAJOR}+)",
    rationale="A major version past its community end of life gets no security fixes; Azure "
    "moves such servers to paid extended support and later forces an upgrade (Azure "
    "Database for PostgreSQL versioning policy).",
    remediation="Plan an in-place major version upgrade (`az postgres flexible-server "
    "upgrade --version 17`) after testing Odoo and its extensions on a restored copy.",
    risk="The order database runs without security fixes and faces a forced upgrade",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-version-policy",
                "https://www.postgresql.org/support/versioning/"],
)
def pg_supported_version(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    raw = dig(pg["props"], "version", None)
    major = pd.to_numeric(text(raw).str.extract(r"^(\d+)")[0], errors="coerce")
    minor = text(dig(pg["props"], "minorVersion", ""))
    version = text(raw) + ("." + minor).where(minor.ne(""), "")
    detail = ("PostgreSQL " + version + " (minimum supported major "
              + str(PG_MIN_SUPPORTED_MAJOR) + ")").where(major.notna(),
                                                        "PostgreSQL version not reported")
    return outcome(pg["id"], major >= PG_MIN_SUPPORTED_MAJOR, detail, major.notna())


# --- live server evidence (pg_activity, pg_server, pg_tables, pg_indexes, pg_settings) ---

IDLE_IN_TX_MAX_S = 300
LONG_XACT_MAX_S = 3600
REQUESTED_CHECKPOINT_MAX_PCT = 20
MIN_CHECKPOINTS = 10
CACHE_HIT_MIN_PCT = 95
MIN_BLOCKS = 10_000
UNUSED_INDEX_MIN_BYTES = 100 * 1024**2
STATS_MIN_AGE_S = 7 * 86400
DEAD_TUPLE_MAX_PCT = 20
DEAD_TUPLES_MIN = 10_000
#: Final minor release dates of PostgreSQL major versions (the versioning policy page).
PG_END_OF_LIFE = {11: "2023-11-09", 12: "2024-11-21", 13: "2025-11-13", 14: "2026-11-12",
                  15: "2027-11-11", 16: "2028-11-09", 17: "2029-11-08", 18: "2030-11-14"}
LOG_SETTINGS = {"log_checkpoints": "on", "log_lock_waits": "on",
                "log_autovacuum_min_duration": ">= 0", "log_temp_files": ">= 0"}



def _servers(ev) -> pd.Series:
    srv = pg_server_rows(ev)
    return text(srv["server"]) if srv is not None else pd.Series(dtype=object)


@check(
    id="OPS-PG-101",
    domain="operations",
    severity="high",
    title="Sessions idle in transaction are bounded",
    rationale="A session idle in transaction holds its locks and its snapshot: vacuum cannot "
    "remove dead rows behind it and a lock it holds can stall checkout. check_postgres "
    "(txn_idle) and pg_gather flag such sessions; idle_in_transaction_session_timeout makes "
    f"the server end them. Fails when the timeout is off while such sessions exist, or one is "
    f"older than {IDLE_IN_TX_MAX_S} s.",
    remediation="Set idle_in_transaction_session_timeout (e.g. 60s, per role for Odoo with "
    "ALTER ROLE odoo SET ...) and find the client that leaves transactions open "
    "(pg_stat_activity.application_name).",
    risk="A forgotten open transaction blocks vacuum and locks rows the shop needs",
    applies_to="PostgreSQL servers",
    requires=["pg_activity", "pg_settings"],
    references=[CHECK_POSTGRES + "#txn_idle", PG_GATHER,
                PG_DOCS + "runtime-config-client.html"],
)
def pg_idle_in_transaction(ctx: CheckContext):
    timeout = pg_quantity(ctx.ev, "idle_in_transaction_session_timeout")
    if timeout.empty:
        return outcome([], [], [])
    act = client_sessions(ctx.ev)
    idle = act[text(act["state"]).eq("idle in transaction")]
    per = idle.groupby("server").agg(n=("connections", "sum"),
                                     oldest=("oldest_xact_seconds", "max"),
                                     apps=("application_name", join_sorted))
    n = timeout["server"].map(per["n"]).fillna(0)
    oldest = timeout["server"].map(per["oldest"])
    off = timeout["value"].fillna(0).le(0)
    ok = ~((off & (n > 0)) | (oldest > IDLE_IN_TX_MAX_S))
    detail = (n.map(fmt) + " session(s) idle in transaction" +
              np.where(n > 0, ", oldest " + oldest.map(fmt) + " s (apps: " +
                       timeout["server"].map(per["apps"]).astype(object).fillna("") + ")", "") +
              "; idle_in_transaction_session_timeout = " +
              pg_human(timeout["value"], timeout["unit"]).where(~off, "0 (off)") +
              f" (fails when off with such sessions, or one older than {IDLE_IN_TX_MAX_S} s)")
    return outcome(timeout["subject"], ok, detail, assessed=timeout["raw"].notna())


@check(
    id="OPS-PG-102",
    domain="operations",
    severity="medium",
    title="No transaction has been open for more than an hour",
    rationale="A long transaction keeps every row version since it began: tables bloat, "
    "vacuum falls behind and transaction-id wraparound comes closer. check_postgres "
    f"(txn_time) alerts on transaction age; the threshold here is {LONG_XACT_MAX_S} s.",
    remediation="Find the session (pg_stat_activity where xact_start is oldest) and fix the "
    "job that holds it open; for reporting, use a replica; set a statement_timeout per role.",
    risk="Tables bloat and queries slow down while an old transaction stays open",
    applies_to="PostgreSQL servers",
    requires=["pg_activity"],
    references=[CHECK_POSTGRES + "#txn_time", PG_DOCS + "routine-vacuuming.html"],
)
def pg_long_transactions(ctx: CheckContext):
    act = client_sessions(ctx.ev)
    servers = pd.concat([_servers(ctx.ev), text(act["server"])]).drop_duplicates()
    worst = act.sort_values("oldest_xact_seconds", ascending=False).drop_duplicates("server")
    worst = worst.set_index("server")
    oldest = servers.map(worst["oldest_xact_seconds"])
    who = (servers.map(worst["usename"]).fillna("?").astype(str) + "/" +
           servers.map(worst["application_name"]).fillna("").astype(str) + " in " +
           servers.map(worst["datname"]).fillna("?").astype(str))
    ok = oldest.isna() | (oldest <= LONG_XACT_MAX_S)
    detail = ("oldest open transaction " + oldest.map(fmt) + " s (" + who + ")").where(
        oldest.notna(), "no open transaction") + f"; threshold {LONG_XACT_MAX_S} s"
    return outcome("postgres:" + servers + "/transactions", ok, detail)


@check(
    id="OPS-PG-103",
    domain="operations",
    severity="medium",
    title="Checkpoints are mostly timed, not forced by WAL volume",
    rationale="When max_wal_size is too small for the write rate, PostgreSQL forces "
    "checkpoints: I/O spikes and full-page writes multiply WAL exactly when the shop is "
    f"busiest. pg_gather and pgmonitor track requested vs timed checkpoints; more than "
    f"{REQUESTED_CHECKPOINT_MAX_PCT}% requested fails (assessed from {MIN_CHECKPOINTS} "
    "checkpoints).",
    remediation="Raise max_wal_size (and checkpoint_timeout to 15min) so checkpoints are "
    "timed; turn on log_checkpoints to see them.",
    risk="Write bursts during the sale trigger I/O storms that slow every order",
    applies_to="PostgreSQL servers",
    requires=["pg_server"],
    references=[PG_GATHER, PGMONITOR_RULES, PG_DOCS + "wal-configuration.html"],
)
def pg_checkpoints_timed(ctx: CheckContext):
    srv = pg_server_rows(ctx.ev)
    if srv.empty:
        return outcome([], [], [])
    timed = srv["checkpoints_timed"].astype(float)
    req = srv["checkpoints_requested"].astype(float)
    total = timed + req
    pct = req / total.where(total > 0) * 100
    enough = total >= MIN_CHECKPOINTS
    detail = (req.map(fmt) + " requested of " + total.map(fmt) + " checkpoints (" +
              pct.map(lambda v: f"{v:.0f}%" if v == v else "-") + f"); at most "
              f"{REQUESTED_CHECKPOINT_MAX_PCT}% requested").where(
        enough, total.map(fmt) + f" checkpoints since the statistics reset: fewer than "
        f"{MIN_CHECKPOINTS}, not assessed")
    return outcome(srv["subject"] + "/checkpoints", pct.fillna(0) <= REQUESTED_CHECKPOINT_MAX_PCT,
                   detail, assessed=enough)


@check(
    id="OPS-PG-104",
    domain="operations",
    severity="medium",
    title=f"Buffer cache hit ratio is at least {CACHE_HIT_MIN_PCT}%",
    rationale="Odoo reads the same products, prices and stock rows on every page; when they "
    "do not fit in shared_buffers and the OS cache, each read goes to disk. check_postgres "
    f"(hitratio) and pg_gather report the ratio; below {CACHE_HIT_MIN_PCT}% the server is "
    "short of memory for its working set.",
    remediation="Give the server more memory (a larger SKU) and size shared_buffers to about "
    "25 % of it; find the queries reading most blocks (pg_stat_statements).",
    risk="Catalogue pages slow down as reads go to disk under load",
    applies_to="PostgreSQL servers",
    requires=["pg_server"],
    references=[CHECK_POSTGRES + "#hitratio", PG_GATHER],
)
def pg_cache_hit_ratio(ctx: CheckContext):
    srv = pg_server_rows(ctx.ev)
    if srv.empty:
        return outcome([], [], [])
    hit, read = srv["blks_hit"].astype(float), srv["blks_read"].astype(float)
    total = hit + read
    pct = hit / total.where(total > 0) * 100
    enough = total >= MIN_BLOCKS
    detail = ("cache hit ratio " + pct.map(lambda v: f"{v:.2f}%" if v == v else "?") + " (" +
              hit.map(fmt) + " hits, " + read.map(fmt) + f" reads); at least "
              f"{CACHE_HIT_MIN_PCT}%").where(enough, total.map(fmt) + " block reads since the "
                                              f"statistics reset: fewer than {MIN_BLOCKS}")
    return outcome(srv["subject"] + "/cache_hit_ratio", pct >= CACHE_HIT_MIN_PCT, detail,
                   assessed=enough)


@check(
    id="OPS-PG-105",
    domain="operations",
    severity="medium",
    title="No index is invalid",
    rationale="A CREATE INDEX CONCURRENTLY or REINDEX that failed leaves an invalid index: "
    "the planner ignores it, yet every write still maintains it. pg_gather lists invalid "
    "indexes; check_postgres reports them too.",
    remediation="DROP INDEX CONCURRENTLY the invalid index and create it again (or REINDEX "
    "INDEX CONCURRENTLY); find why it failed (a unique violation, a cancelled upgrade).",
    risk="Queries run without the index they were designed for while writes still pay for it",
    applies_to="PostgreSQL databases",
    requires=["pg_indexes"],
    references=[PG_GATHER, PG_DOCS + "sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY"],
)
def pg_invalid_indexes(ctx: CheckContext):
    idx = ctx.ev.table("pg_indexes")
    dbs = _databases(ctx.ev, idx)
    bad = idx[~idx["is_valid"].astype(bool)]
    names = bad.assign(q=text(bad["schema"]) + "." + text(bad["index"]) + " on " +
                       text(bad["table"])).groupby(["server", "datname"])["q"].agg(join_sorted)
    found = dbs.set_index(["server", "datname"]).index.map(names)
    found = pd.Series(found, index=dbs.index, dtype=object)
    detail = listed(found, "invalid: ", "no invalid index")
    return outcome(db_subject(dbs), found.isna(), detail)


def _databases(ev, table: pd.DataFrame) -> pd.DataFrame:
    """Databases the collector read (rows in ``table`` or in ``pg_extensions``, which every
    database read has), limited to non-template ones of pg_databases: server, datname."""
    ext = ev.table("pg_extensions")
    read = pd.concat([table[["server", "datname"]]] + (
        [ext[["server", "datname"]]] if ext is not None else [])).drop_duplicates()
    dbs = ev.table("pg_databases")
    if dbs is not None:
        dbs = dbs[~dbs["is_template"].astype(bool)]
        frame = dbs[["server", "datname"]]
        return frame.merge(read, how="inner").reset_index(drop=True) if not read.empty \
            else read.reset_index(drop=True)
    return read.reset_index(drop=True)


@check(
    id="OPS-PG-106",
    domain="operations",
    severity="low",
    title="No large index goes unused",
    rationale="An index that is never scanned still costs on every insert and update (and "
    "in backups and memory). pg_gather and check_postgres report unused indexes; here an "
    "index of 100 MiB or more, not backing a primary key or unique constraint, with no scan "
    "in at least 7 days of statistics fails.",
    remediation="Confirm on the replica too, then DROP INDEX CONCURRENTLY it (keep the DDL "
    "to recreate it); Odoo modules re-create their own indexes on upgrade.",
    risk="Order writes pay for indexes that no query uses",
    applies_to="PostgreSQL databases",
    requires=["pg_indexes", "pg_server"],
    references=[PG_GATHER, CHECK_POSTGRES, PG_DOCS + "monitoring-stats.html"],
)
def pg_unused_indexes(ctx: CheckContext):
    idx = ctx.ev.table("pg_indexes")
    srv = pg_server_rows(ctx.ev).set_index("server")
    age = srv["checkpoint_stats_age_seconds"].fillna(srv["uptime_seconds"])
    dbs = _databases(ctx.ev, idx)
    if dbs.empty:
        return outcome([], [], [])
    unused = idx[(idx["idx_scan"].fillna(0) == 0) & ~idx["is_unique"].astype(bool) &
                 ~idx["is_primary"].astype(bool) & (idx["size_bytes"] >= UNUSED_INDEX_MIN_BYTES)]
    names = unused.assign(q=text(unused["index"]) + " (" +
                          (unused["size_bytes"] / 1024**2).map("{:.0f}".format).astype(str) +
                          " MiB)"
                          ).groupby(["server", "datname"])["q"].agg(join_sorted)
    found = pd.Series(dbs.set_index(["server", "datname"]).index.map(names), index=dbs.index,
                      dtype=object)
    stats_age = dbs["server"].map(age)
    assessed = stats_age >= STATS_MIN_AGE_S
    detail = listed(found, "never scanned since statistics began: ",
                     "no unused index of 100 MiB or more")
    detail = detail.where(assessed, "statistics only " + (stats_age / 86400).map(
        lambda v: f"{v:.1f}" if v == v else "?") + " days old: fewer than 7, not assessed")
    return outcome(db_subject(dbs), found.isna(), detail, assessed=assessed)


@check(
    id="OPS-PG-107",
    domain="operations",
    severity="medium",
    title="Large tables are not bloated with dead rows",
    rationale="Dead row versions that vacuum has not removed make scans read pages of "
    "nothing. With autovacuum_vacuum_scale_factor 0.2 a healthy table stays under about "
    f"{DEAD_TUPLE_MAX_PCT}% dead rows; check_postgres (bloat) and pg_gather flag more. Tables "
    f"with {DEAD_TUPLES_MIN} dead rows or more are judged.",
    remediation="VACUUM (ANALYZE) the table, check that autovacuum is enabled for it "
    "(reloptions) and lower its autovacuum_vacuum_scale_factor; look for long transactions.",
    risk="Order and stock queries slow down as tables fill with dead rows",
    applies_to="PostgreSQL tables",
    requires=["pg_tables"],
    references=[CHECK_POSTGRES + "#bloat", PG_GATHER, PG_DOCS + "routine-vacuuming.html"],
)
def pg_dead_tuples(ctx: CheckContext):
    t = ctx.ev.table("pg_tables")
    dbs = _databases(ctx.ev, t)
    live, dead = t["live_tuples"].fillna(0).astype(float), t["dead_tuples"].fillna(0).astype(float)
    pct = dead / (live + dead).where(live + dead > 0) * 100
    bloated = t[(dead >= DEAD_TUPLES_MIN) & (pct > DEAD_TUPLE_MAX_PCT)]
    vacuumed = bloated["vacuum_age_seconds"].map(
        lambda v: f"{v / 3600:.1f} h ago" if v == v else "never").astype(str)
    names = bloated.assign(q=text(bloated["table"]) + " " + pct[bloated.index].map(
        "{:.0f}%".format).astype(str) + " dead (" + dead[bloated.index].map(fmt).astype(str) +
        " rows, last vacuum " + vacuumed + ")").groupby(
        ["server", "datname"])["q"].agg("; ".join)
    found = pd.Series(dbs.set_index(["server", "datname"]).index.map(names), index=dbs.index,
                      dtype=object)
    detail = listed(found, "", f"no table with {DEAD_TUPLES_MIN}+ dead rows over "
                     f"{DEAD_TUPLE_MAX_PCT}%") + f" (threshold {DEAD_TUPLE_MAX_PCT}%)"
    return outcome(db_subject(dbs), found.isna(), detail)


@check(
    id="OPS-PG-108",
    domain="operations",
    severity="medium",
    title="No setting is waiting for a restart",
    rationale="A setting changed in the configuration but waiting for a restart "
    "(pg_settings.pending_restart) is not in force: the server runs with something other "
    "than what was reviewed, and the next restart (a failover, maintenance) changes its "
    "behaviour without anyone deciding it then.",
    remediation="Restart the server in a maintenance window (Azure: az postgres "
    "flexible-server restart) or revert the change.",
    risk="An unplanned restart changes the database's behaviour on the day of the sale",
    applies_to="PostgreSQL servers",
    requires=["pg_settings"],
    references=[PG_DOCS + "view-pg-settings.html"],
)
def pg_pending_restart(ctx: CheckContext):
    pgs = ctx.ev.table("pg_settings")
    servers = pd.Series(sorted(text(pgs["server"]).unique()), dtype=object)
    pend = pgs[pgs["pending_restart"].fillna(False).astype(bool)]
    names = pend.groupby("server")["name"].agg(join_sorted)
    found = servers.map(names)
    detail = listed(found, "pending restart: ", "no setting pending a restart")
    return outcome("postgres:" + servers + "/pending_restart", found.isna(), detail)


@check(
    id="OPS-PG-109",
    domain="operations",
    severity="low",
    title="PostgreSQL logs checkpoints, lock waits, autovacuum and temporary files",
    rationale="Without these log lines a slow peak cannot be explained afterwards: lock "
    "waits behind a stuck job, checkpoint storms, autovacuum falling behind, sorts spilling "
    "to disk. pgBadger and pg_gather read exactly these settings.",
    remediation="Set log_checkpoints = on, log_lock_waits = on, log_autovacuum_min_duration "
    "= 10s and log_temp_files = 0 (server parameters on Azure).",
    risk="After an incident at peak there is no record of what the database was waiting on",
    applies_to="PostgreSQL servers",
    requires=["pg_settings"],
    references=[PG_DOCS + "runtime-config-logging.html", PG_GATHER,
                "https://pgbadger.darold.net/documentation.html"],
)
def pg_diagnostic_logging(ctx: CheckContext):
    parts, bad = [], []
    for name, want in LOG_SETTINGS.items():
        q = pg_quantity(ctx.ev, name)
        ok = truthy(q["raw"]) if want == "on" else q["value"].ge(0)
        parts.append(name + " = " + text(q["raw"], "?"))
        bad.append(~ok)
    servers = pg_quantity(ctx.ev, "log_checkpoints")
    if servers.empty:
        return outcome([], [], [])
    wrong = pd.concat(bad, axis=1)
    detail = pd.concat(parts, axis=1).agg(", ".join, axis=1) + np.where(
        wrong.any(axis=1), "; wanted " + ", ".join(f"{k} {v}" for k, v in LOG_SETTINGS.items()),
        "")
    return outcome(servers["server"].radd("postgres:") + "/logging", ~wrong.any(axis=1), detail)


@check(
    id="OPS-PG-110",
    domain="operations",
    severity="high",
    title="The PostgreSQL major version is still supported",
    rationale="The PostgreSQL community supports a major version for five years; after its "
    "final release there are no security or data-corruption fixes (Azure moves such servers "
    "to paid extended support). The end dates are those of the versioning policy.",
    remediation="Plan a major version upgrade (Azure in-place major version upgrade, or "
    "pg_upgrade / logical replication) and test Odoo against it first.",
    risk="Security and corruption fixes stop for the order database",
    applies_to="PostgreSQL servers",
    requires=["pg_server"],
    references=[PG_VERSIONING,
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-version-policy"],
)
def pg_version_supported(ctx: CheckContext):
    srv = pg_server_rows(ctx.ev)
    major = (srv["version_num"].astype(float) // 10000).astype(int)
    eol = pd.to_datetime(major.map(PG_END_OF_LIFE)).dt.date
    ok = eol.map(lambda d: d is not None and d == d and d > ctx.as_of)
    detail = ("PostgreSQL " + text(srv["version"]) + ": community support ends " +
              eol.astype(str)).where(eol.notna(), "PostgreSQL " + text(srv["version"]) +
                                     ": no end date known")
    detail = detail.where(ok | eol.isna(), detail.str.replace("ends", "ended", regex=False))
    return outcome(srv["subject"] + "/version", ok, detail, assessed=eol.notna())
