"""Per-database evidence: extensions, largest tables, indexes and, where Odoo's schema is
present (``ir_module_module``), Odoo's own telemetry.

A multi-tenant server may hold hundreds of databases, so they are read concurrently by a
thread pool whose size is the bound (``max_connections_open``, default 8): each task opens
one short read-only session to its database and closes it, so at most that many
connections are ever open at once (``ConnectionGauge.peak`` proves it).

Queries fetch raw rows; the only filters scope what is read (the states that mean
"waiting", the largest tables); thresholds live in the checks.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg

from readiness_kit.collectors.postgres.session import (
    READ_ERRORS,
    ReadOnlySession,
    SessionSettings,
    reason,
    session,
)

EXTENSIONS = "SELECT extname, extversion FROM pg_extension ORDER BY extname"

TABLES = """
SELECT schemaname AS schema, relname AS "table", pg_total_relation_size(relid) AS total_bytes,
       n_live_tup AS live_tuples, n_dead_tup AS dead_tuples, seq_scan, idx_scan,
       extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum))::float8
         AS vacuum_age_seconds,
       extract(epoch FROM now() - greatest(last_analyze, last_autoanalyze))::float8
         AS analyze_age_seconds
FROM pg_stat_user_tables ORDER BY total_bytes DESC, relname LIMIT 20"""

INDEXES = """
WITH i AS (
  SELECT s.schemaname AS schema, s.relname AS "table", s.indexrelname AS index,
         pg_relation_size(s.indexrelid) AS size_bytes, s.idx_scan, x.indisvalid AS is_valid,
         x.indisunique AS is_unique, x.indisprimary AS is_primary
  FROM pg_stat_user_indexes s JOIN pg_index x ON x.indexrelid = s.indexrelid)
(SELECT * FROM i ORDER BY size_bytes DESC, index LIMIT 30)
UNION SELECT * FROM i WHERE NOT is_valid"""

SCHEMA = """
SELECT to_regclass('public.ir_module_module') IS NOT NULL AS odoo,
       to_regclass('public.queue_job') IS NOT NULL AS queue_job,
       to_regclass('public.sale_order') IS NOT NULL AS sale_order,
       to_regclass('public.stock_move') IS NOT NULL AS stock_move,
       ARRAY(SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = 'ir_cron') AS cron_columns"""

ODOO = """
SELECT (SELECT latest_version FROM ir_module_module WHERE name = 'base') AS version,
       ARRAY(SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name)
         AS modules,
       (SELECT count(*) FROM res_company) AS companies,
       (SELECT count(*) FROM res_users WHERE active AND NOT share) AS users_internal,
       (SELECT value FROM ir_config_parameter WHERE key = 'ir_attachment.location')
         AS attachment_location,
       a.attachments, a.attachments_in_db, a.attachments_in_db_bytes
FROM (SELECT count(*) AS attachments,
             count(*) FILTER (WHERE db_datas IS NOT NULL) AS attachments_in_db,
             coalesce(sum(coalesce(file_size, octet_length(db_datas)))
                      FILTER (WHERE db_datas IS NOT NULL), 0)::bigint
               AS attachments_in_db_bytes
      FROM ir_attachment) a"""

#: ir_cron columns by Odoo version: cron_name (13+, jsonb when translated, 16+), lastcall
#: (15+), failure_count / first_failure_date (18+). Absent ones are read as NULL.
CRON_COLUMNS = {
    "name": ("cron_name::text", "NULL::text"),
    "lag_seconds": ("extract(epoch FROM now() - nextcall)::float8", "NULL::float8"),
    "lastcall_age_seconds": ("extract(epoch FROM now() - lastcall)::float8", "NULL::float8"),
    "failure_count": ("failure_count", "NULL::int"),
    "first_failure_age_seconds": ("extract(epoch FROM now() - first_failure_date)::float8",
                                  "NULL::float8"),
}
_CRON_NEEDS = {"name": "cron_name", "lag_seconds": "nextcall", "lastcall_age_seconds": "lastcall",
               "failure_count": "failure_count", "first_failure_age_seconds": "first_failure_date"}

JOBS = """
SELECT channel, state, count(*) AS jobs,
       extract(epoch FROM now() - min(date_created))::float8 AS oldest_created_seconds,
       extract(epoch FROM now() - min(date_enqueued))::float8 AS oldest_enqueued_seconds,
       extract(epoch FROM now() - min(date_started))::float8 AS oldest_started_seconds
FROM queue_job GROUP BY channel, state ORDER BY channel, state"""

BUSINESS = {
    "sale_order": ("draft", "sent"),
    "stock_move": ("waiting", "confirmed", "partially_available"),
}
BUSINESS_QUERY = """
SELECT state, count(*) AS records,
       extract(epoch FROM now() - min(create_date))::float8 AS oldest_age_seconds
FROM {table} WHERE state = ANY(%(states)s) GROUP BY state ORDER BY state"""

ODOO_TABLES = ("odoo_databases", "odoo_crons", "odoo_jobs", "odoo_business")
ODOO_PRIVILEGE = ("not assessed: the role cannot read Odoo's tables; grant it SELECT on them "
                  "or membership of pg_read_all_data")


def cron_query(columns: set[str]) -> str:
    """The ir_cron SELECT for the columns this Odoo version has."""
    picks = [f"{real if _CRON_NEEDS[k] in columns else missing} AS {k}"
             for k, (real, missing) in CRON_COLUMNS.items()]
    return ("SELECT id AS cron_id, " + ", ".join(picks[:1]) + ", active, interval_number, "
            "interval_type, " + ", ".join(picks[1:]) + " FROM ir_cron ORDER BY id")


def _cron_name(value: str | None) -> str | None:
    """A translated cron_name (jsonb in Odoo 16+) reduced to its English text."""
    if value and value.startswith("{"):
        try:
            names = json.loads(value)
        except ValueError:
            return value
        if isinstance(names, dict):
            return names.get("en_US") or next(iter(names.values()), None)
    return value


@dataclass
class DatabaseRead:
    datname: str
    tables: dict[str, list[dict]] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=dict)
    gaps: list[tuple[str, str, str]] = field(default_factory=list)  # table, what, reason


def _read(conn: ReadOnlySession, out: DatabaseRead, table: str, what: str, query: str,
          params=None) -> list[dict] | None:
    try:
        rows = conn.fetch(query, params)
    except READ_ERRORS as exc:
        privilege = isinstance(exc, psycopg.errors.InsufficientPrivilege)
        out.gaps.append((table, what, ODOO_PRIVILEGE if privilege and table.startswith("odoo_")
                         else reason(exc)))
        return None
    out.queries.setdefault(table, " ".join(query.split()))
    return [{"datname": out.datname, **r} for r in rows]


def _odoo(conn: ReadOnlySession, out: DatabaseRead, schema: dict) -> None:
    rows = _read(conn, out, "odoo_databases", "Odoo version, modules, attachments", ODOO)
    if rows is None:
        return  # no SELECT on Odoo's tables: the rest would fail the same way
    db = rows[0]
    db["modules_installed"] = len(db["modules"])
    db["modules"] = ",".join(db["modules"])
    db["attachment_location"] = db["attachment_location"] or "file"
    db["queue_job"] = bool(schema["queue_job"])
    out.tables["odoo_databases"] = [db]
    crons = _read(conn, out, "odoo_crons", "scheduled actions (ir_cron)",
                  cron_query(set(schema["cron_columns"])))
    if crons is not None:
        for c in crons:
            c["name"] = _cron_name(c["name"])
        out.tables["odoo_crons"] = crons
    if schema["queue_job"]:
        jobs = _read(conn, out, "odoo_jobs", "queue_job backlog", JOBS)
        if jobs is not None:
            out.tables["odoo_jobs"] = jobs
    else:
        out.tables["odoo_jobs"] = []
    business: list[dict] = []
    for table, states in BUSINESS.items():
        if not schema[table]:
            continue
        rows = _read(conn, out, "odoo_business", f"{table} waiting",
                     BUSINESS_QUERY.format(table=table), {"states": list(states)})
        business += [{**r, "signal": table} for r in rows or []]
    out.tables["odoo_business"] = business


def read_database(settings: SessionSettings, datname: str) -> DatabaseRead:
    """Everything read from one database, in one short session."""
    out = DatabaseRead(datname)
    try:
        with session(settings, datname) as conn:
            for table, what, query in (("pg_extensions", "extensions", EXTENSIONS),
                                       ("pg_tables", "largest tables", TABLES),
                                       ("pg_indexes", "indexes", INDEXES)):
                rows = _read(conn, out, table, what, query)
                if rows is not None:
                    out.tables[table] = rows
            schema = _read(conn, out, "odoo_databases", "Odoo schema", SCHEMA)
            if schema and schema[0]["odoo"]:
                _odoo(conn, out, schema[0])
            elif schema:  # read, and no Odoo here: the Odoo tables are collected, empty
                for table in ODOO_TABLES:
                    out.tables.setdefault(table, [])
    except READ_ERRORS as exc:
        out.gaps.append(("pg_extensions", "database session", reason(exc)))
    return out


def read_databases(settings: SessionSettings, datnames: list[str],
                   bound: int) -> list[DatabaseRead]:
    """Read every database with at most ``bound`` sessions open at once."""
    if not datnames:
        return []
    with ThreadPoolExecutor(max_workers=bound, thread_name_prefix="pg-db") as pool:
        return list(pool.map(lambda d: read_database(settings, d), datnames))
