"""Server-wide PostgreSQL evidence: one read-only session, raw rows (no SQL that decides).

Each query fills one table; the query text is the table's provenance. Queries adapt to the
server version (``pg_stat_checkpointer`` on 17+, ``pg_stat_bgwriter`` before; ``wal_status``
of slots on 13+). A query the role may not run becomes a gap naming the privilege.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from readiness_kit.collectors.postgres.session import READ_ERRORS, ReadOnlySession, reason

MONITORING_ROLES = ("pg_monitor", "pg_read_all_settings", "pg_read_all_stats",
                    "pg_read_all_data")

SERVER_INFO = """
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       pg_is_in_recovery() AS in_recovery,
       extract(epoch FROM now() - pg_postmaster_start_time())::float8 AS uptime_seconds,
       current_user AS connected_as,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       ARRAY(SELECT r.rolname FROM pg_roles r
             WHERE r.rolname = ANY(%(roles)s) AND pg_has_role(current_user, r.oid, 'USAGE')
             ORDER BY 1) AS monitoring_roles"""

ARCHIVER = """
SELECT archived_count, failed_count,
       extract(epoch FROM now() - last_archived_time)::float8 AS last_archived_age_seconds,
       extract(epoch FROM now() - last_failed_time)::float8 AS last_failed_age_seconds
FROM pg_stat_archiver"""

CHECKPOINTER_17 = """
SELECT num_timed AS checkpoints_timed, num_requested AS checkpoints_requested,
       extract(epoch FROM now() - stats_reset)::float8 AS checkpoint_stats_age_seconds
FROM pg_stat_checkpointer"""

BGWRITER = """
SELECT checkpoints_timed, checkpoints_req AS checkpoints_requested,
       extract(epoch FROM now() - stats_reset)::float8 AS checkpoint_stats_age_seconds
FROM pg_stat_bgwriter"""

DATABASE_TOTALS = """
SELECT sum(blks_hit)::bigint AS blks_hit, sum(blks_read)::bigint AS blks_read,
       sum(xact_commit)::bigint AS xact_commit, sum(xact_rollback)::bigint AS xact_rollback,
       sum(deadlocks)::bigint AS deadlocks, sum(temp_bytes)::bigint AS temp_bytes
FROM pg_stat_database WHERE datname IS NOT NULL"""

SETTINGS = """
SELECT name, setting, unit, category, source, pending_restart FROM pg_settings ORDER BY name"""

DATABASES = """
SELECT d.datname, pg_database_size(d.oid) AS size_bytes,
       pg_encoding_to_char(d.encoding) AS encoding, d.datconnlimit AS connection_limit,
       age(d.datfrozenxid)::bigint AS age_datfrozenxid, d.datistemplate AS is_template,
       pg_get_userbyid(d.datdba) AS owner, d.datallowconn AS allow_connections,
       has_database_privilege(d.oid, 'CONNECT') AS can_connect
FROM pg_database d ORDER BY d.datname"""

ACTIVITY = """
SELECT datname, usename, regexp_replace(application_name, '-[0-9]+$', '') AS application_name,
       backend_type, state, count(*) AS connections,
       max(extract(epoch FROM now() - xact_start))::float8 AS oldest_xact_seconds
FROM pg_stat_activity GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"""

SSL = """
SELECT a.datname, a.usename,
       regexp_replace(a.application_name, '-[0-9]+$', '') AS application_name,
       s.ssl, s.version, count(*) AS connections
FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
WHERE a.backend_type = 'client backend' AND a.client_port IS NOT NULL
GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"""

REPLICATION = """
SELECT r.application_name, r.state, r.sync_state,
       extract(epoch FROM r.replay_lag)::float8 AS replay_lag_seconds, s.slot_name,
       s.active AS slot_active
FROM pg_stat_replication r FULL JOIN pg_replication_slots s ON s.active_pid = r.pid"""

SLOTS = """
SELECT slot_name, slot_type, database AS datname, active, temporary, {wal_status} AS wal_status,
       pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                            ELSE pg_current_wal_lsn() END, restart_lsn)::bigint
         AS retained_wal_bytes
FROM pg_replication_slots ORDER BY slot_name"""

ROLES = """
SELECT r.rolname, r.rolsuper AS superuser, r.rolcreaterole AS createrole,
       r.rolcreatedb AS createdb, r.rolcanlogin AS can_login, r.rolreplication AS replication,
       r.rolbypassrls AS bypass_rls, r.rolconnlimit AS connection_limit,
       r.rolvaliduntil::text AS valid_until,
       ARRAY(SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid
             WHERE m.member = r.oid ORDER BY 1) AS member_of
FROM pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY r.rolname"""


@dataclass
class ServerRead:
    """What one server session returned: rows per table, the queries run, and gaps
    (table, what, reason)."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=dict)
    gaps: list[tuple[str, str, str]] = field(default_factory=list)
    databases: list[dict] = field(default_factory=list)
    version_num: int = 0
    privileges: set[str] = field(default_factory=set)


def _one(conn: ReadOnlySession, query: str, out: ServerRead, table: str, what: str,
         params=None, server_view: bool = False) -> list[dict] | None:
    try:
        rows = conn.fetch(query, params, server_view=server_view)
    except READ_ERRORS as exc:
        out.gaps.append((table, what, reason(exc)))
        return None
    out.queries.setdefault(table, " ".join(query.split()))
    return rows


def read_server(conn: ReadOnlySession) -> ServerRead:
    """Every server-wide table from one session (see the module docstring)."""
    out = ServerRead()
    info = _one(conn, SERVER_INFO, out, "pg_server", "server version and role",
                {"roles": list(MONITORING_ROLES)})
    if not info:
        return out
    head = info[0]
    out.version_num = int(head["version_num"])
    out.privileges = set(head["monitoring_roles"]) | ({"superuser"} if head["superuser"]
                                                      else set())
    server = {k: head[k] for k in ("version", "version_num", "in_recovery", "uptime_seconds",
                                   "connected_as")}
    server["privileges"] = ",".join(sorted(out.privileges))
    checkpoints = CHECKPOINTER_17 if out.version_num >= 170000 else BGWRITER
    for query, what in ((ARCHIVER, "WAL archiver statistics (pg_stat_archiver)"),
                        (checkpoints, "checkpoint statistics"),
                        (DATABASE_TOTALS, "database statistics (pg_stat_database)")):
        rows = _one(conn, query, out, "pg_server", what)
        if rows:
            server.update(rows[0])
    out.tables["pg_server"] = [server]
    out.queries["pg_server"] = "; ".join(
        " ".join(q.split()) for q in (SERVER_INFO, ARCHIVER, checkpoints, DATABASE_TOTALS))

    slots = SLOTS.format(wal_status="wal_status" if out.version_num >= 130000 else "NULL")
    for table, query, what in (
            ("pg_settings", SETTINGS, "server settings (pg_settings)"),
            ("pg_databases", DATABASES, "databases (pg_database)"),
            ("pg_activity", ACTIVITY, "connections (pg_stat_activity)"),
            ("pg_ssl", SSL, "TLS per connection (pg_stat_ssl)"),
            ("pg_replication", REPLICATION, "standbys and slots (pg_stat_replication)"),
            ("pg_slots", slots, "replication slots (pg_replication_slots)"),
            ("pg_roles", ROLES, "roles (pg_roles)")):
        rows = _one(conn, query, out, table, what, server_view=table == "pg_settings")
        if rows is not None:
            out.tables[table] = rows
    out.databases = [dict(db) for db in out.tables.get("pg_databases", [])]
    for db in out.tables.get("pg_databases", []):
        db.pop("allow_connections", None)
        db.pop("can_connect", None)
    return out


def privilege_gaps(out: ServerRead) -> list[tuple[str, str, str]]:
    """What the connected role cannot see, named with the privilege that would show it."""
    have = out.privileges
    if "superuser" in have or "pg_monitor" in have:
        return []
    gaps = []
    if "pg_read_all_stats" not in have:
        gaps.append(("pg_activity", "other roles' sessions: state, transaction age, TLS",
                     "not assessed: the role lacks pg_read_all_stats (grant pg_monitor)"))
    if "pg_read_all_settings" not in have:
        gaps.append(("pg_settings", "superuser-only settings",
                     "not assessed: the role lacks pg_read_all_settings (grant pg_monitor)"))
    return gaps
