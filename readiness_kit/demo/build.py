"""Build the demo tenant's evidence bundle: fiction built from real resource shapes.

"Demo Retail Group" (tenant ``demo-retail``) runs Odoo 17 on AKS in Azure West Europe with
Traefik, Azure Database for PostgreSQL Flexible Server, Azure Cache for Redis, Blob storage,
Key Vault, Azure Monitor and Azure Backup. The company and every name, id and number here
are invented; the *shapes* are not: the Azure part is shipped as source files
(``sources/azure/``: ``az graph query -o json`` exports whose ``properties`` follow the ARM
REST API examples, and the ARM detail responses) read through the same offline readers a
client's export goes through; Kubernetes objects carry
``apiVersion``/``kind``/labels/``spec``/``status`` as the API server returns them, and the
PostgreSQL, Redis and Odoo tables hold what ``pg_settings``, ``INFO all`` and ``odoo.conf``
really contain. The platform is deliberately mixed, so every review domain shows good and
bad findings.

This module is the single source of truth for ``readiness_kit/demo/bundle``; regenerate with::

    .venv/bin/python -m readiness_kit.demo.build [OUTDIR]

Everything is deterministic (fixed ``collected_at``, name-derived GUIDs) so a rebuild yields
tables equal in content to the committed ones. No secret value appears anywhere: Secrets
keep metadata, ``type`` and key names; secret Odoo options keep only ``<redacted>``.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from readiness_kit.collectors.azure import EXPORT_COLLECTOR
from readiness_kit.collectors.azure.export import gather_arg_export, gather_arm_export
from readiness_kit.collectors.azure.gathered import Gathered
from readiness_kit.collectors.azure.resource_graph import ARG_TABLES
from readiness_kit.collectors.kubernetes import add_manifests
from readiness_kit.demo import BUNDLE, SOURCES_DIR, TENANT
from readiness_kit.evidence import TABLES, Evidence, evidence_from_records, write_bundle

Row = dict[str, Any]

# --------------------------------------------------------------------------- identities
SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
NONPROD_SUB = "8d2e4b17-3c9a-4f61-a0b5-2e7d9c4f1a36"
LOCATION = "westeurope"
RG_NET = "rg-retail-prod-network"
RG_AKS = "rg-retail-prod-aks"
RG_DATA = "rg-retail-prod-data"
RG_OPS = "rg-retail-prod-ops"
RG_NODES = "MC_rg-retail-prod-aks_aks-retail-prod_westeurope"
RG_NETWATCH = "NetworkWatcherRG"
CLUSTER = "aks-retail-prod"
VMSS_SUFFIX = "31415926"
PIP_TRAEFIK_IP = "20.76.201.14"
HOST = "shop.demo-retail.example"

_NS = uuid.UUID("6f1c9b52-0d4e-4a57-9a3c-4d2b8e7f1c00")


def guid(*parts: str) -> str:
    """A stable, name-derived GUID (the same demo object always gets the same id)."""
    return str(uuid.uuid5(_NS, "/".join(parts)))


def sha(*parts: str, n: int = 64) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


ENTRA_TENANT = guid("entra-tenant")

COLLECTED_AT = {
    "azure_resources": "2026-11-25T09:00:00+00:00",
    "azure_arm_details": "2026-11-25T09:02:00+00:00",
    "collection_gaps": "2026-11-25T09:02:00+00:00",
    "k8s_objects": "2026-11-25T09:05:00+00:00",
    "pg_settings": "2026-11-25T09:10:00+00:00",
    "pg_databases": "2026-11-25T09:10:00+00:00",
    "pg_activity": "2026-11-25T09:10:00+00:00",
    "pg_replication": "2026-11-25T09:10:00+00:00",
    "pg_roles": "2026-11-25T09:10:00+00:00",
    "pg_extensions": "2026-11-25T09:10:00+00:00",
    "redis_info": "2026-11-25T09:12:00+00:00",
    "odoo_config": "2026-11-25T09:13:00+00:00",
    "gitops_pipelines": "2026-11-25T09:15:00+00:00",
    "gitops_releases": "2026-11-25T09:15:00+00:00",
}


def arm_id(rg: str, rtype: str, name: str, sub: str = SUB) -> str:
    """``Microsoft.Network/privateDnsZones/virtualNetworkLinks`` + ``zone/link`` -> ARM id."""
    namespace, *types = rtype.split("/")
    names = name.split("/")
    if len(types) != len(names):
        raise ValueError(f"{rtype} needs {len(types)} name segments, got {name!r}")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}"


AZURE_SOURCES = SOURCES_DIR / "azure"


# ============================================================================= Azure
@cache
def azure_gathered() -> Gathered:
    """The demo's Azure part, read from its shipped source files through the offline
    readers a client's export goes through: one ``az graph query -o json`` export per
    Resource Graph table (``sources/azure/resource-graph/``) and the ARM detail responses
    the live collector would have received (``sources/azure/arm/``, a 403 included)."""
    got = Gathered()
    gather_arg_export(AZURE_SOURCES / "resource-graph", got)
    gather_arm_export(AZURE_SOURCES / "arm", got)
    got.finish()
    return got


# ======================================================================== Kubernetes
#: The cluster's objects as `kubectl get ... -o yaml` dumps (one List per namespace), read by
#: the offline collector a client's manifests folder goes through.
K8S_SOURCES = SOURCES_DIR / "kubernetes" / CLUSTER


# ======================================================================== PostgreSQL
PG_SERVER = "psql-retail-prod"


def pg_settings() -> list[Row]:
    """~45 rows of pg_settings from the production server (PostgreSQL 16.4)."""
    conn = "Connections and Authentication / Connection Settings"
    auth = "Connections and Authentication / Authentication"
    ssl = "Connections and Authentication / SSL"
    tcp = "Connections and Authentication / TCP Settings"
    mem = "Resource Usage / Memory"
    asyn = "Resource Usage / Asynchronous Behavior"
    wal = "Write-Ahead Log / Settings"
    ckpt = "Write-Ahead Log / Checkpoints"
    arch = "Write-Ahead Log / Archiving"
    send = "Replication / Sending Servers"
    stby = "Replication / Standby Servers"
    cost = "Query Tuning / Planner Cost Constants"
    other = "Query Tuning / Other Planner Options"
    when = "Reporting and Logging / When to Log"
    what = "Reporting and Logging / What to Log"
    stats = "Statistics / Cumulative Query and Index Statistics"
    vac = "Autovacuum"
    stmt = "Client Connection Defaults / Statement Behavior"
    loc = "Client Connection Defaults / Locale and Formatting"
    preload = "Client Connection Defaults / Shared Library Preloading"
    preset = "Preset Options"
    custom = "Customized Options"
    cf, df = "configuration file", "default"
    table = [
        ("max_connections", "400", None, conn, cf),
        ("superuser_reserved_connections", "3", None, conn, df),
        ("reserved_connections", "5", None, conn, cf),
        ("password_encryption", "scram-sha-256", None, auth, cf),
        ("ssl", "on", None, ssl, cf),
        ("ssl_min_protocol_version", "TLSv1.2", None, ssl, cf),
        ("require_secure_transport", "on", None, custom, cf),
        ("tcp_keepalives_idle", "120", "s", tcp, cf),
        ("shared_buffers", "1048576", "8kB", mem, cf),
        ("work_mem", "4096", "kB", mem, cf),
        ("maintenance_work_mem", "524288", "kB", mem, cf),
        ("huge_pages", "try", None, mem, cf),
        ("max_worker_processes", "8", None, asyn, cf),
        ("max_parallel_workers", "8", None, asyn, df),
        ("max_parallel_workers_per_gather", "2", None, asyn, df),
        ("wal_level", "replica", None, wal, cf),
        ("synchronous_commit", "on", None, wal, df),
        ("checkpoint_timeout", "600", "s", ckpt, cf),
        ("checkpoint_completion_target", "0.9", None, ckpt, df),
        ("max_wal_size", "12288", "MB", ckpt, cf),
        ("min_wal_size", "80", "MB", ckpt, df),
        ("archive_mode", "always", None, arch, cf),
        ("max_wal_senders", "10", None, send, cf),
        ("max_replication_slots", "10", None, send, cf),
        ("hot_standby", "on", None, stby, df),
        ("effective_cache_size", "3145728", "8kB", cost, cf),
        ("random_page_cost", "2", None, cost, cf),
        ("jit", "off", None, other, cf),
        ("log_min_duration_statement", "-1", "ms", when, df),
        ("log_connections", "on", None, what, cf),
        ("log_disconnections", "on", None, what, cf),
        ("log_checkpoints", "on", None, what, cf),
        ("log_lock_waits", "off", None, what, df),
        ("log_temp_files", "-1", "kB", what, df),
        ("log_line_prefix", "%t-%c-", None, what, cf),
        ("log_statement", "none", None, what, df),
        ("track_io_timing", "on", None, stats, cf),
        ("autovacuum", "on", None, vac, df),
        ("autovacuum_max_workers", "3", None, vac, df),
        ("autovacuum_naptime", "60", "s", vac, df),
        ("autovacuum_vacuum_scale_factor", "0.2", None, vac, df),
        ("autovacuum_freeze_max_age", "200000000", None, vac, df),
        ("idle_in_transaction_session_timeout", "0", "ms", stmt, df),
        ("idle_session_timeout", "0", "ms", stmt, df),
        ("statement_timeout", "0", "ms", stmt, df),
        ("lock_timeout", "0", "ms", stmt, df),
        ("default_transaction_isolation", "read committed", None, stmt, df),
        ("timezone", "UTC", None, loc, cf),
        ("shared_preload_libraries", "pg_cron,pg_stat_statements", None, preload, cf),
        ("pg_stat_statements.track", "top", None, custom, cf),
        ("azure.extensions", "pg_stat_statements,pg_trgm,unaccent", None, custom, cf),
        ("server_version", "16.4", None, preset, df),
    ]
    return [{"server": PG_SERVER, "name": n, "setting": s, "unit": u, "category": c,
             "source": src, "pending_restart": False} for n, s, u, c, src in table]


def pg_databases() -> list[Row]:
    gib = 1024 ** 3
    table = [
        ("odoo_prod", 193_814_213_427, -1, 148_203_551, False, "odoo"),
        ("odoo_staging", int(41.6 * gib), -1, 96_417_209, False, "odoo"),
        ("postgres", 9_012_131, -1, 2_104_332, False, "azuresu"),
        ("azure_maintenance", 8_921_603, -1, 2_104_332, False, "azuresu"),
        ("azure_sys", 62_310_915, -1, 2_104_332, False, "azuresu"),
        ("template0", 7_631_471, -1, 2_104_332, True, "azuresu"),
        ("template1", 7_709_295, -1, 2_104_332, True, "azuresu"),
    ]
    return [{"server": PG_SERVER, "datname": d, "size_bytes": size, "encoding": "UTF8",
             "connection_limit": limit, "age_datfrozenxid": age, "is_template": tmpl,
             "owner": owner} for d, size, limit, age, tmpl, owner in table]


def pg_activity() -> list[Row]:
    table: list[tuple] = [
        ("odoo_prod", "odoo", "odoo", "client backend", "idle", 112, None),
        ("odoo_prod", "odoo", "odoo", "client backend", "active", 9, 2.4),
        ("odoo_prod", "odoo", "odoo", "client backend", "idle in transaction", 4, 1843.0),
        ("odoo_staging", "odoo", "odoo", "client backend", "idle", 14, None),
        ("odoo_staging", "odoo", "odoo", "client backend", "active", 1, 0.3),
        ("odoo_prod", "readonly_bi", "Metabase", "client backend", "idle", 3, None),
        ("postgres", "readiness", "readiness-kit", "client backend", "active", 1, 0.0),
        ("azure_maintenance", "azuresu", "", "client backend", "idle", 3, None),
        ("azure_sys", "azuresu", "", "client backend", "idle", 1, None),
        (None, None, "", "autovacuum launcher", None, 1, None),
        (None, "azuresu", "", "logical replication launcher", None, 1, None),
        (None, "azuresu", "pg_cron scheduler", "pg_cron launcher", None, 1, None),
        (None, "replication", "walreceiver", "walsender", "active", 1, None),
        (None, None, "", "background writer", None, 1, None),
        (None, None, "", "checkpointer", None, 1, None),
        (None, None, "", "walwriter", None, 1, None),
        (None, None, "", "archiver", None, 1, None),
    ]
    return [{"server": PG_SERVER, "datname": d, "usename": u, "application_name": a,
             "backend_type": b, "state": s, "connections": n, "oldest_xact_seconds": x}
            for d, u, a, b, s, n, x in table]


def pg_replication() -> list[Row]:
    return [{"server": PG_SERVER, "application_name": "walreceiver", "state": "streaming",
             "sync_state": "sync", "replay_lag_seconds": 0.002,
             "slot_name": "azure_standby", "slot_active": True}]


def pg_roles() -> list[Row]:
    table: list[tuple] = [
        ("azuresu", True, True, True, True, True, True, -1, None, []),
        ("azure_pg_admin", False, False, False, False, False, False, -1, None, []),
        ("replication", False, False, False, True, True, False, -1, None, []),
        ("pgadmin", False, True, True, True, False, False, -1, None,
         ["azure_pg_admin", "pg_monitor"]),
        ("odoo", False, False, True, True, False, False, -1, None, []),
        ("readonly_bi", False, False, False, True, False, False, 10, None,
         ["pg_read_all_data"]),
        ("readiness", False, False, False, True, False, False, 5, "2026-12-31 00:00:00+00",
         ["pg_monitor", "pg_read_all_settings"]),
    ]
    return [{"server": PG_SERVER, "rolname": r, "superuser": su, "createrole": cr,
             "createdb": cdb, "can_login": login, "replication": repl, "bypass_rls": brls,
             "connection_limit": limit, "valid_until": until, "member_of": member}
            for r, su, cr, cdb, login, repl, brls, limit, until, member in table]


def pg_extensions() -> list[Row]:
    table = [
        ("odoo_prod", "plpgsql", "1.0"), ("odoo_prod", "pg_trgm", "1.6"),
        ("odoo_prod", "unaccent", "1.1"),
        ("odoo_staging", "plpgsql", "1.0"), ("odoo_staging", "pg_trgm", "1.6"),
        ("odoo_staging", "unaccent", "1.1"),
        ("postgres", "plpgsql", "1.0"), ("postgres", "pg_stat_statements", "1.10"),
        ("postgres", "pg_cron", "1.6"),
        ("azure_sys", "plpgsql", "1.0"), ("azure_sys", "pg_stat_statements", "1.10"),
    ]
    return [{"server": PG_SERVER, "datname": d, "extname": e, "extversion": v}
            for d, e, v in table]


# ============================================================================= Redis
def redis_info() -> list[Row]:
    """``INFO all`` of redis-retail-prod (Premium P1, 6 GB), one row per field."""
    sections: dict[str, list[tuple[str, str]]] = {
        "server": [
            ("redis_version", "6.2.14"), ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"), ("redis_build_id", sha("redis-build", n=16)),
            ("redis_mode", "standalone"), ("os", "Linux 5.15.0-1073-azure x86_64"),
            ("arch_bits", "64"), ("multiplexing_api", "epoll"),
            ("atomicvar_api", "c11-builtin"), ("gcc_version", "11.4.0"),
            ("process_id", "1183"), ("run_id", sha("redis-run", n=40)),
            ("tcp_port", "6379"), ("uptime_in_seconds", "3457211"),
            ("uptime_in_days", "40"), ("hz", "10"), ("configured_hz", "10"),
        ],
        "clients": [
            ("connected_clients", "85"), ("cluster_connections", "0"),
            ("maxclients", "7500"), ("client_recent_max_input_buffer", "24"),
            ("client_recent_max_output_buffer", "0"), ("blocked_clients", "0"),
            ("tracking_clients", "0"), ("clients_in_timeout_table", "0"),
        ],
        "memory": [
            ("used_memory", "4617089843"), ("used_memory_human", "4.30G"),
            ("used_memory_rss", "4989124608"), ("used_memory_rss_human", "4.65G"),
            ("used_memory_peak", "5893217280"), ("used_memory_peak_human", "5.49G"),
            ("used_memory_peak_perc", "78.35%"), ("used_memory_dataset", "4541302117"),
            ("maxmemory", "6442450944"), ("maxmemory_human", "6.00G"),
            ("maxmemory_policy", "volatile-lru"), ("mem_fragmentation_ratio", "1.08"),
            ("mem_allocator", "jemalloc-5.1.0"), ("lazyfree_pending_objects", "0"),
        ],
        "persistence": [
            ("loading", "0"), ("rdb_changes_since_last_save", "48213"),
            ("rdb_bgsave_in_progress", "0"), ("rdb_last_save_time", "1796108412"),
            ("rdb_last_bgsave_status", "ok"), ("rdb_last_bgsave_time_sec", "21"),
            ("aof_enabled", "0"), ("aof_rewrite_in_progress", "0"),
            ("aof_last_bgrewrite_status", "ok"),
        ],
        "stats": [
            ("total_connections_received", "1843305"),
            ("total_commands_processed", "7411920318"),
            ("instantaneous_ops_per_sec", "2150"), ("total_net_input_bytes", "918203311204"),
            ("total_net_output_bytes", "2213470932870"), ("rejected_connections", "0"),
            ("expired_keys", "12094331"), ("evicted_keys", "18342"),
            ("keyspace_hits", "5120448213"), ("keyspace_misses", "391201577"),
            ("pubsub_channels", "0"), ("latest_fork_usec", "18204"),
            ("total_error_replies", "0"),
        ],
        "replication": [
            ("role", "master"), ("connected_slaves", "1"),
            ("slave0", "ip=10.0.0.5,port=15001,state=online,offset=918173301928,lag=0"),
            ("master_failover_state", "no-failover"),
            ("master_replid", sha("redis-replid", n=40)),
            ("master_repl_offset", "918173302144"), ("repl_backlog_active", "1"),
            ("repl_backlog_size", "52428800"),
        ],
        "cpu": [("used_cpu_sys", "41873.220116"), ("used_cpu_user", "98731.540233")],
        "keyspace": [
            ("db0", "keys=412387,expires=398120,avg_ttl=2591234"),
            ("db1", "keys=20931,expires=20931,avg_ttl=86011"),
        ],
    }
    return [{"instance": "redis-retail-prod", "section": section, "key": k, "value": v}
            for section, pairs in sections.items() for k, v in pairs]


# ============================================================================== Odoo
def odoo_config() -> list[Row]:
    """odoo.conf from ConfigMap odoo-prod/odoo-conf; secret options keep presence only."""
    options = [
        ("addons_path", "/usr/lib/python3/dist-packages/odoo/addons,/mnt/extra-addons"),
        ("data_dir", "/var/lib/odoo"),
        ("admin_passwd", "<redacted>"),
        ("db_host", "psql-retail-prod.postgres.database.azure.com"),
        ("db_port", "5432"),
        ("db_user", "odoo"),
        ("db_password", "<redacted>"),
        ("db_sslmode", "require"),
        ("db_maxconn", "64"),
        ("db_template", "template0"),
        ("dbfilter", "^odoo_prod$"),
        ("list_db", "True"),
        ("proxy_mode", "True"),
        ("http_port", "8069"),
        ("gevent_port", "8072"),
        ("workers", "8"),
        ("max_cron_threads", "2"),
        ("limit_memory_soft", "2147483648"),
        ("limit_memory_hard", "2684354560"),
        ("limit_time_cpu", "60"),
        ("limit_time_real", "120"),
        ("limit_time_real_cron", "-1"),
        ("limit_request", "65536"),
        ("log_level", "info"),
        ("log_handler", ":INFO"),
        ("logfile", ""),
        ("server_wide_modules", "base,web"),
        ("without_demo", "all"),
        ("unaccent", "True"),
    ]
    return [{"source": "ConfigMap/odoo-prod/odoo-conf", "section": "options", "key": k,
             "value": v} for k, v in options]


# ============================================================================ GitOps
APP_REPO = "demo-retail/odoo-retail"
GITOPS_REPO = "demo-retail/retail-gitops"


def gitops_pipelines() -> list[Row]:
    rows = [
        (APP_REPO, ".github/workflows/build-odoo.yml", "build-odoo", None,
         "push (main), pull_request", True, True, True, False, False, None, False, False),
        (GITOPS_REPO, ".github/workflows/deploy-staging.yml", "deploy-staging", "staging",
         "workflow_run: build-odoo completed on main", False, False, False, False, False,
         "flux", False, False),
        (GITOPS_REPO, ".github/workflows/deploy-prod.yml", "deploy-prod", "production",
         "workflow_dispatch", False, False, False, False, True, "flux", False, False),
    ]
    keys = ("repo", "path", "name", "environment", "trigger", "runs_tests", "builds_image",
            "scans_image", "signs_image", "requires_approval", "deploy_method",
            "has_rollback", "pins_digest")
    return [{"system": "github-actions", **dict(zip(keys, r, strict=True))} for r in rows]


def gitops_releases() -> list[Row]:
    table = [
        ("staging", "odoo", "acrretailprod.azurecr.io/odoo", "17.0-20261120", 2, None),
        ("production", "odoo", "acrretailprod.azurecr.io/odoo", "17.0-20261102", 3, None),
        ("staging", "traefik", "acrretailprod.azurecr.io/traefik", "v3.0.4", 1, "28.3.0"),
        ("production", "traefik", "acrretailprod.azurecr.io/traefik", "v2.11.0", 2,
         "26.1.0"),
        ("staging", "redis-exporter", "acrretailprod.azurecr.io/oliver006/redis_exporter",
         "v1.62.0", 1, "6.4.0"),
        ("production", "redis-exporter",
         "acrretailprod.azurecr.io/oliver006/redis_exporter", "v1.62.0", 1, "6.4.0"),
    ]
    return [{"repo": GITOPS_REPO, "environment": env, "component": comp, "image": image,
             "tag": tag, "digest": None, "replicas": replicas, "chart_version": chart,
             "config_sha256": sha("overlay", env, comp)}
            for env, comp, image, tag, replicas, chart in table]


# ========================================================================= assembly
_ARG_QUERIES = "; ".join(
    f"az graph query -q \"{t.query}\" -o json > resource-graph/{t.name}.json".replace("\n", " ")
    for t in ARG_TABLES if t.name not in ("resourcecontainers", "healthresources"))

#: table -> (builder, collector, provenance query)
SOURCES: dict[str, tuple[Any, str, str]] = {
    "azure_resources": (lambda: azure_gathered().resources, EXPORT_COLLECTOR, _ARG_QUERIES),
    "azure_arm_details": (
        lambda: azure_gathered().details, EXPORT_COLLECTOR,
        "recorded ARM responses (arm/responses.json) to "
        "GET {resourceId}/providers/Microsoft.Insights/diagnosticSettings"
        "?api-version=2021-05-01-preview for the data services, AKS, Key Vault, storage, "
        "Recovery Services and the subscription; "
        "GET {storageAccountId}/blobServices/default?api-version=2023-05-01; "
        "GET {flexibleServerId}/configurations?api-version=2024-08-01"),
    "pg_settings": (
        pg_settings, "readiness_kit.collectors.postgres",
        "SELECT name, setting, unit, category, source, pending_restart FROM pg_settings "
        "WHERE name = ANY(%(reviewed)s)"),
    "pg_databases": (
        pg_databases, "readiness_kit.collectors.postgres",
        "SELECT d.datname, pg_database_size(d.oid) AS size_bytes, "
        "pg_encoding_to_char(d.encoding) AS encoding, d.datconnlimit AS connection_limit, "
        "age(d.datfrozenxid) AS age_datfrozenxid, d.datistemplate AS is_template, "
        "pg_get_userbyid(d.datdba) AS owner FROM pg_database d ORDER BY d.datname"),
    "pg_activity": (
        pg_activity, "readiness_kit.collectors.postgres",
        "SELECT datname, usename, regexp_replace(application_name, '-[0-9]+$', '') AS "
        "application_name, backend_type, state, count(*) AS connections, "
        "max(extract(epoch FROM now() - xact_start)) FILTER (WHERE xact_start IS NOT NULL) "
        "AS oldest_xact_seconds FROM pg_stat_activity GROUP BY 1, 2, 3, 4, 5"),
    "pg_replication": (
        pg_replication, "readiness_kit.collectors.postgres",
        "SELECT r.application_name, r.state, r.sync_state, "
        "extract(epoch FROM r.replay_lag) AS replay_lag_seconds, s.slot_name, "
        "s.active AS slot_active FROM pg_stat_replication r "
        "FULL JOIN pg_replication_slots s ON s.active_pid = r.pid"),
    "pg_roles": (
        pg_roles, "readiness_kit.collectors.postgres",
        "SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, "
        "r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil, "
        "ARRAY(SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid "
        "WHERE m.member = r.oid ORDER BY 1) AS member_of FROM pg_roles r "
        "WHERE r.rolname !~ '^pg_'"),
    "pg_extensions": (
        pg_extensions, "readiness_kit.collectors.postgres",
        "SELECT current_database() AS datname, extname, extversion FROM pg_extension "
        "(run in every database that allows connections)"),
    "redis_info": (redis_info, "readiness_kit.collectors.redis",
                   "INFO all (rediss://redis-retail-prod.redis.cache.windows.net:6380)"),
    "odoo_config": (odoo_config, "readiness_kit.collectors.odoo",
                    "parse odoo.conf from ConfigMap odoo-prod/odoo-conf key odoo.conf "
                    "(admin_passwd, db_password kept as <redacted>)"),
    "gitops_pipelines": (gitops_pipelines, "readiness_kit.collectors.gitops",
                         f"parse .github/workflows/*.yml in {APP_REPO}@main and "
                         f"{GITOPS_REPO}@main"),
    "gitops_releases": (gitops_releases, "readiness_kit.collectors.gitops",
                        f"kustomize build {GITOPS_REPO}@main apps/{{staging,production}} "
                        "infrastructure/{staging,production}; images, replicas, HelmRelease "
                        "chart versions"),
    "collection_gaps": (lambda: azure_gathered().gaps, EXPORT_COLLECTOR,
                        "collection gaps recorded during collection"),
}


def build_evidence() -> Evidence:
    """Every demo table with its own provenance (all of TABLES except attestations): the
    tables built here, then the source folders read by the offline collectors."""
    ev = Evidence()
    for name, (builder, collector, query) in SOURCES.items():
        part = evidence_from_records({name: builder()}, collector=collector, query=query,
                                     collected_at=COLLECTED_AT[name])
        ev.tables[name] = part.tables[name]
        ev.provenance[name] = part.provenance[name]
    add_manifests(ev, K8S_SOURCES, CLUSTER, collected_at=COLLECTED_AT["k8s_objects"],
                  query_root=K8S_SOURCES.relative_to(SOURCES_DIR.parents[1]).as_posix())
    return ev


def build(outdir: str | Path = BUNDLE) -> dict:
    """Build the demo bundle into ``outdir``; returns the manifest."""
    out = Path(outdir)
    for name in TABLES:  # drop stale tables from an earlier build, nothing else
        (out / f"{name}.parquet").unlink(missing_ok=True)
    return write_bundle(build_evidence(), out, tenant=TENANT)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print("usage: python -m readiness_kit.demo.build [OUTDIR]")
        return 0 if args and args[0] in {"-h", "--help"} else 2
    outdir = Path(args[0]) if args else BUNDLE
    manifest = build(outdir)
    for name, entry in manifest["tables"].items():
        print(f"{name:<20} {entry['rows']:>4} rows")
    print(f"wrote {outdir} (bundle_sha256 {manifest['bundle_sha256'][:12]}...)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
