"""Operations checks OPS-PG-*: PostgreSQL insights."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import PG_PARAMETER_TABLES, dig, pg_setting, reported, resources, text


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
