"""Operations checks OPS-PG-*: PostgreSQL insights."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import PG_PARAMETER_TABLES, pg_setting


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
