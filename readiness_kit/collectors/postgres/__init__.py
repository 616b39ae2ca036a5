"""PostgreSQL collector: server evidence and, in every database with Odoo's schema, Odoo's
own telemetry, read through strictly read-only sessions (see ``session``).

Entry point ``collect(cfg, loaded, ev, progress)`` (the contract in ``readiness_kit.collect``)
fills ``pg_settings``, ``pg_databases``, ``pg_activity``, ``pg_ssl``, ``pg_replication``,
``pg_slots``, ``pg_roles``, ``pg_server`` from one server session, then ``pg_extensions``,
``pg_tables``, ``pg_indexes``, ``odoo_databases``, ``odoo_crons``, ``odoo_jobs`` and
``odoo_business`` from each database (bounded concurrency). Whatever could not be read is a
collection gap; gaps that many databases share are reported once with a count.
"""

from __future__ import annotations

import fnmatch
import json
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
import psycopg

from readiness_kit.collectors.postgres.odoo_db import DatabaseRead, read_databases
from readiness_kit.collectors.postgres.server import ServerRead, privilege_gaps, read_server
from readiness_kit.collectors.postgres.session import (
    READ_ERRORS,
    ConnectionGauge,
    SessionSettings,
    entra_token_provider,
    reason,
    session,
)
from readiness_kit.evidence import TABLES, Evidence, TableProvenance
from readiness_kit.redaction import redact_text

COLLECTOR = "readiness_kit.collectors.postgres"
#: Gaps shared by more databases than this are summarised (count + first names).
GAP_EXAMPLES = 5


@dataclass
class CollectionStats:
    databases: int
    odoo_databases: int
    peak_connections: int
    connections_opened: int


def settings_for(cfg, gauge: ConnectionGauge | None = None) -> SessionSettings:
    return SessionSettings(
        dsn=cfg.dsn, connect_timeout=cfg.connect_timeout,
        statement_timeout_ms=cfg.statement_timeout_ms,
        password=entra_token_provider() if cfg.entra_auth else None,
        gauge=gauge or ConnectionGauge())


def server_name(cfg) -> str:
    if cfg.name:
        return cfg.name
    parsed = psycopg.conninfo.conninfo_to_dict(cfg.dsn)
    host = str(parsed.get("host") or "localhost").split(",")[0]
    port = str(parsed.get("port") or "5432").split(",")[0]
    return host if port == "5432" else f"{host}:{port}"


def validate(cfg, loaded) -> list[str]:
    """Problems with ``sources.postgres`` found without connecting."""
    try:
        parsed = psycopg.conninfo.conninfo_to_dict(cfg.dsn)
    except psycopg.ProgrammingError as exc:
        return [f"sources.postgres.dsn: not a libpq connection string ({exc})"]
    problems = []
    if "password" in parsed:
        problems.append("sources.postgres.dsn: must not carry a password")
    if cfg.entra_auth and "user" not in parsed:
        problems.append("sources.postgres.dsn: Entra authentication needs user= (the Entra "
                        "principal's name)")
    return problems


def _selected(cfg, databases: list[dict]) -> list[str]:
    names = [d["datname"] for d in databases
             if d.get("allow_connections") and d.get("can_connect") and not d.get("is_template")]
    if cfg.databases:
        names = [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in cfg.databases)]
    return names


def _clean(table: str, rows: list[dict], server: str) -> pd.DataFrame:
    """Rows -> the table's columns, server added, text redacted, lists as JSON."""
    columns = TABLES[table].columns
    df = pd.DataFrame([{"server": server, **r} for r in rows], columns=list(columns))
    for col, dtype in columns.items():
        if str(dtype) == "string":
            df[col] = df[col].map(lambda v: None if v is None else redact_text(
                json.dumps(v) if isinstance(v, list | dict) else str(v)), na_action="ignore")
    return df


def _gap_rows(server: str, reads: list[DatabaseRead]) -> list[tuple[str, str, str, str]]:
    """Per-database gaps grouped by (table, what, reason): one gap each, with a count."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for r in reads:
        for table, what, why in r.gaps:
            grouped[(table, what, why)].append(r.datname)
    out = []
    for (table, what, why), names in grouped.items():
        scope = (f"{server}/{names[0]}" if len(names) == 1 else
                 f"{server}: {len(names)} databases ({', '.join(names[:GAP_EXAMPLES])}"
                 f"{', ...' if len(names) > GAP_EXAMPLES else ''})")
        out.append((scope, table, what, why))
    return out


def collect_server(cfg, ev: Evidence, progress=lambda _m: None,
                   gauge: ConnectionGauge | None = None) -> CollectionStats:
    """Collect one server into ``ev``; returns counts and the peak of open connections."""
    settings = settings_for(cfg, gauge)
    server = server_name(cfg)
    try:
        with session(settings) as conn:
            srv = read_server(conn)
    except READ_ERRORS as exc:
        ev.add_gap("postgres", server, "pg_settings", "connection to the server", reason(exc))
        return CollectionStats(0, 0, settings.gauge.peak, settings.gauge.opened)
    except Exception as exc:  # noqa: BLE001 - e.g. no Entra credential: a gap, not a crash
        first = (str(exc).splitlines() or [""])[0]
        ev.add_gap("postgres", server, "pg_settings", "connection to the server",
                   f"{type(exc).__name__}: {redact_text(first)}")
        return CollectionStats(0, 0, settings.gauge.peak, settings.gauge.opened)
    for table, what, why in srv.gaps + privilege_gaps(srv):
        ev.add_gap("postgres", server, table, what, why)
    names = _selected(cfg, srv.databases)
    progress(f"postgres: {server}: server read; reading {len(names)} databases "
             f"(at most {cfg.max_connections_open} at once)")
    reads = read_databases(settings, names, cfg.max_connections_open)
    for scope, table, what, why in _gap_rows(server, reads):
        ev.add_gap("postgres", scope, table, what, why)
    _add_tables(ev, server, srv, reads)
    odoo = sum(1 for r in reads if r.tables.get("odoo_databases"))
    progress(f"postgres: {server}: {len(reads)} databases read, {odoo} with Odoo")
    return CollectionStats(len(reads), odoo, settings.gauge.peak, settings.gauge.opened)


def _add_tables(ev: Evidence, server: str, srv: ServerRead, reads: list[DatabaseRead]) -> None:
    merged: dict[str, list[dict]] = defaultdict(list)
    queries: dict[str, str] = dict(srv.queries)
    for table, rows in srv.tables.items():
        merged[table] += rows
    for r in reads:
        for table, rows in r.tables.items():
            merged[table] += rows
        for table, query in r.queries.items():
            queries.setdefault(table, query + " (in every database that allows connections)")
    read_tables = set(srv.tables) | {t for r in reads for t in r.tables}
    for table in sorted(read_tables):
        df = _clean(table, merged[table], server)
        prev = ev.table(table)
        if prev is not None:  # a second server of the same review
            df = pd.concat([prev, df], ignore_index=True)
        ev.add(table, df, TableProvenance("postgres", COLLECTOR,
                                          queries.get(table, "see collector")))


def collect(cfg, loaded, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``)."""
    collect_server(cfg, ev, progress)
