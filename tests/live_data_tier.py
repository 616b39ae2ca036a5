"""Session fixtures: a misconfigured and a well-configured data tier, made for real.

Each tenant is a throwaway PostgreSQL server (``servers.PostgresServer``) with an
Odoo-shaped database, a throwaway ``redis-server`` and two odoo.conf files (web and cron
deployments). The misconfigurations are real: settings, a superuser application role, a
session left idle in transaction, connections held open, a failing archive_command, an
inactive replication slot, an invalid index, a table full of dead tuples, a setting
waiting for a restart, failed and stuck queue_job jobs, late crons, attachments in the
database. Both servers log every statement (``log_statement = all``) so the tests can prove
what the collector sent. Each tenant is collected once per test session (``LiveTenant.ev``)
through the real collectors.

Imported by ``tests/conftest.py`` so that every test module can use the fixtures.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import trustme
from odoo_shape import create_schema, seed_healthy, seed_troubled
from servers import PostgresServer, RedisServer, remove_initdb_template

from readiness_kit.collect import collect_sources
from readiness_kit.evidence import Evidence
from readiness_kit.params import LoadedParameters, Parameters

# Secret values the fixtures use; none may reach evidence, findings, logs or reports.
BAD_ODOO_PW = "Odoo-Superuser-Pw-7731"
GOOD_ODOO_PW = "Odoo-App-Pw-5520-long"
MONITOR_PW = "Monitor-Pw-9014-long"
REDIS_PW = "Redis-Pw-4471-long"
BAD_MASTER_SHORT = "Sh0rt!pw"
GOOD_MASTER_HASH = ("$pbkdf2-sha512$600000$c2FsdHNhbHRzYWx0$"
                    "9n2vQx0yZ0aG9z0dGhpc2lzYWZha2VoYXNoZm9ydGVzdHM")
DB_PASSWORD_IN_CONF = "Conf-Db-Pw-3391-long"
SECRETS = (BAD_ODOO_PW, GOOD_ODOO_PW, MONITOR_PW, REDIS_PW, BAD_MASTER_SHORT,
           GOOD_MASTER_HASH, DB_PASSWORD_IN_CONF)

LOGGING = {"log_statement": "'all'", "log_connections": "on", "log_disconnections": "on"}

BAD_PG = {
    **LOGGING, "max_connections": "25", "shared_buffers": "'16MB'", "work_mem": "'1GB'",
    "archive_mode": "on", "archive_command": "'/bin/false'", "wal_level": "replica",
    "log_checkpoints": "off", "log_lock_waits": "off", "log_connections": "off",
    "log_disconnections": "off", "log_autovacuum_min_duration": "-1", "log_temp_files": "-1",
    "log_min_duration_statement": "-1", "idle_in_transaction_session_timeout": "0",
    "max_replication_slots": "4",
}

GOOD_PG = {
    **LOGGING, "max_connections": "200", "shared_buffers": "'128MB'", "work_mem": "'16MB'",
    "archive_mode": "on", "wal_level": "replica", "log_checkpoints": "on",
    "log_lock_waits": "on", "log_autovacuum_min_duration": "'10s'", "log_temp_files": "0",
    "log_min_duration_statement": "1000", "idle_in_transaction_session_timeout": "'60s'",
}

BAD_WEB_CONF = f"""[options]
admin_passwd = admin
db_host = 127.0.0.1
db_user = odoo
db_password = {DB_PASSWORD_IN_CONF}
workers = 0
max_cron_threads = 2
db_maxconn = 64
list_db = True
proxy_mode = False
limit_memory_soft = 4294967296
limit_memory_hard = 2147483648
limit_time_cpu = 0
limit_time_real = 0
longpolling_port = 8072
without_demo = False
server_wide_modules = base,web
"""

BAD_CRON_CONF = f"""[options]
admin_passwd = {BAD_MASTER_SHORT}
db_user = odoo
db_password = {DB_PASSWORD_IN_CONF}
workers = 2
max_cron_threads = 4
http_enable = False
db_maxconn = 64
limit_time_cpu = 0
limit_time_real = 0
server_wide_modules = base,web
"""

GOOD_WEB_CONF = f"""[options]
admin_passwd = {GOOD_MASTER_HASH}
db_host = 127.0.0.1
db_user = odoo
db_password = {DB_PASSWORD_IN_CONF}
db_sslmode = verify-full
dbfilter = ^shop_good$
workers = 5
max_cron_threads = 0
db_maxconn = 8
list_db = False
proxy_mode = True
limit_memory_soft = 2147483648
limit_memory_hard = 2684354560
limit_time_cpu = 60
limit_time_real = 120
gevent_port = 8072
without_demo = all
server_wide_modules = base,web,queue_job
log_level = info

[queue_job]
channels = root:2
"""

GOOD_CRON_CONF = f"""[options]
admin_passwd = {GOOD_MASTER_HASH}
db_host = 127.0.0.1
db_user = odoo
db_password = {DB_PASSWORD_IN_CONF}
dbfilter = ^shop_good$
workers = 2
max_cron_threads = 2
http_enable = False
db_maxconn = 8
list_db = False
proxy_mode = True
limit_memory_soft = 2147483648
limit_memory_hard = 2684354560
limit_time_cpu = 60
limit_time_real = 120
without_demo = all
server_wide_modules = base,web,queue_job
"""


@dataclass
class LiveTenant:
    """One collected tenant: its servers, parameters and the evidence collected from them."""

    name: str
    pg: PostgresServer
    redis: RedisServer
    params: LoadedParameters
    env: dict[str, str]
    ev: Evidence = field(default_factory=Evidence)
    progress: list[str] = field(default_factory=list)
    held: list[psycopg.Connection] = field(default_factory=list)

    collection_log: str = ""

    def collect(self) -> Evidence:
        """Collect (a fresh Evidence) with this tenant's environment; the server's log of
        this collection is kept in ``collection_log``."""
        ev = Evidence()
        start = len(self.pg.log_text())
        with environment(self.env):
            collect_sources(self.params, ev, self.progress.append)
        time.sleep(0.1)
        self.collection_log = self.pg.log_text()[start:]
        return ev


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _wait(conn: psycopg.Connection, query: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conn.execute(query).fetchone()[0]:
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for: {query}")


def _params(tmp: Path, tenant: str, sources: dict) -> LoadedParameters:
    path = tmp / f"{tenant}.yaml"
    path.write_text(f"tenant: {tenant}\n")
    return LoadedParameters(params=Parameters(tenant=tenant, sources=sources), path=path)


def _build_bad(tmp: Path) -> LiveTenant:
    pg = PostgresServer(BAD_PG, auth="md5").start()
    redis = RedisServer("--maxclients", "1", "--maxmemory", "0",
                        "--maxmemory-policy", "noeviction").start()
    tenant = None
    try:
        with pg.admin() as c:
            c.execute(f"CREATE ROLE odoo LOGIN SUPERUSER PASSWORD '{BAD_ODOO_PW}'")
            c.execute("CREATE DATABASE shop_bad OWNER odoo")
            c.execute("SELECT pg_create_physical_replication_slot('stale_standby', true)")
            c.execute("ALTER SYSTEM SET max_locks_per_transaction = 128")
            c.execute("SELECT pg_reload_conf()")
        with pg.admin("shop_bad") as c:
            create_schema(c, version="16.0.1.3")
            seed_troubled(c)
            c.execute("CREATE TABLE mail_message (id serial PRIMARY KEY, body text) "
                      "WITH (autovacuum_enabled = off)")
            c.execute("INSERT INTO mail_message (body) SELECT repeat('m', 50) "
                      "FROM generate_series(1, 20000)")
            c.execute("DELETE FROM mail_message WHERE id > 5000")
            with contextlib.suppress(psycopg.errors.UniqueViolation):
                c.execute("CREATE UNIQUE INDEX CONCURRENTLY sale_order_state_uniq "
                          "ON sale_order (state)")
        with pg.admin() as c:
            c.execute("SELECT pg_switch_wal()")
            _wait(c, "SELECT failed_count > 0 FROM pg_stat_archiver")
            _wait(c, "SELECT bool_or(pending_restart) FROM pg_settings")
        conf = tmp / "bad"
        conf.mkdir()
        (conf / "odoo-web.conf").write_text(BAD_WEB_CONF)
        (conf / "odoo-cron.conf").write_text(BAD_CRON_CONF)
        params = _params(conf, "live-bad", {
            "postgres": {"dsn": pg.dsn("odoo", application_name="ignored"),
                         "name": "pg-bad", "max_connections_open": 2},
            "redis": {"url": f"redis://127.0.0.1:{redis.port}/0", "name": "redis-bad"},
            "odoo": {"configs": ["odoo-web.conf", "odoo-cron.conf"]},
        })
        tenant = LiveTenant("bad", pg, redis, params, {"PGPASSWORD": BAD_ODOO_PW})
        # Odoo sessions: one left idle in transaction, 16 idle ones holding connections.
        dsn = pg.dsn("odoo", dbname="shop_bad", password=BAD_ODOO_PW,
                     application_name="odoo-4242")
        idle_tx = psycopg.connect(dsn)
        idle_tx.execute("SELECT count(*) FROM sale_order")  # transaction stays open
        tenant.held = [idle_tx] + [psycopg.connect(dsn, autocommit=True) for _ in range(16)]
        # A Redis client holding the one allowed connection: the collector's is rejected
        # once (rejected_connections), then it gets in.
        blocker = __import__("redis").Redis(port=redis.port, socket_timeout=2)
        blocker.ping()
        with contextlib.suppress(Exception):
            __import__("redis").Redis(port=redis.port, socket_timeout=2).ping()
        blocker.close()
        time.sleep(0.2)
        tenant.ev = tenant.collect()
        return tenant
    except BaseException:
        for c in (tenant.held if tenant else []):
            c.close()
        pg.stop()
        redis.stop()
        raise


def _build_good(tmp: Path) -> LiveTenant:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    conf_dir = tmp / "good"
    conf_dir.mkdir()
    pg = PostgresServer(GOOD_PG, ssl_files=(cert.cert_chain_pems[0].bytes(),
                                            cert.private_key_pem.bytes()))
    pg.settings["archive_command"] = f"'cp %p {pg.archive}/%f'"
    pg.start()
    redis = RedisServer("--requirepass", REDIS_PW, "--appendonly", "yes", "--maxmemory",
                        "64mb", "--maxmemory-policy", "volatile-lru").start()
    try:
        with pg.admin() as c:
            c.execute(f"CREATE ROLE odoo LOGIN PASSWORD '{GOOD_ODOO_PW}' "
                      "VALID UNTIL '2027-06-30'")
            c.execute(f"CREATE ROLE rk_monitor LOGIN PASSWORD '{MONITOR_PW}' "
                      "VALID UNTIL '2027-06-30' IN ROLE pg_monitor, pg_read_all_data")
            c.execute("CREATE DATABASE shop_good OWNER odoo")
        with pg.admin("shop_good") as c:
            create_schema(c, version="18.0.1.3")
            seed_healthy(c)
        with pg.admin() as c:
            c.execute("SELECT pg_switch_wal()")
            _wait(c, "SELECT archived_count > 0 FROM pg_stat_archiver")
        (conf_dir / "odoo-web.conf").write_text(GOOD_WEB_CONF)
        (conf_dir / "odoo-cron.conf").write_text(GOOD_CRON_CONF)
        dsn = pg.dsn("rk_monitor", sslmode="verify-full", sslrootcert=str(ca_file))
        params = _params(conf_dir, "live-good", {
            "postgres": {"dsn": dsn, "name": "pg-good"},
            "redis": {"url": f"redis://127.0.0.1:{redis.port}/0", "name": "redis-good",
                      "password_env": "RK_TEST_REDIS_KEY"},
            "odoo": {"config": "odoo-web.conf", "configs": ["odoo-cron.conf"]},
        })
        tenant = LiveTenant("good", pg, redis, params,
                            {"PGPASSWORD": MONITOR_PW, "RK_TEST_REDIS_KEY": REDIS_PW})
        app = psycopg.connect(pg.dsn("odoo", dbname="shop_good", password=GOOD_ODOO_PW,
                                     sslmode="require", application_name="odoo-77"),
                              autocommit=True)
        tenant.held = [app]
        tenant.ev = tenant.collect()
        return tenant
    except BaseException:
        pg.stop()
        redis.stop()
        raise


def _teardown(tenant: LiveTenant) -> None:
    for c in tenant.held:
        with contextlib.suppress(Exception):
            c.close()
    tenant.pg.stop()
    tenant.redis.stop()


@pytest.fixture(scope="session")
def live_bad(tmp_path_factory) -> Iterator[LiveTenant]:
    tenant = _build_bad(tmp_path_factory.mktemp("live-bad"))
    yield tenant
    _teardown(tenant)


@pytest.fixture(scope="session")
def live_good(tmp_path_factory) -> Iterator[LiveTenant]:
    tenant = _build_good(tmp_path_factory.mktemp("live-good"))
    yield tenant
    _teardown(tenant)
    remove_initdb_template()
