"""The PostgreSQL collector against real throwaway servers (see ``live_data_tier``)."""

from __future__ import annotations

import re
import time

import psycopg
import pytest
from azure.core.credentials import AccessToken
from live_data_tier import MONITOR_PW, SECRETS, environment
from odoo_shape import create_schema, seed_healthy

from readiness_kit.collectors.postgres import collect_server, settings_for, validate
from readiness_kit.collectors.postgres.odoo_db import cron_query, read_database
from readiness_kit.collectors.postgres.session import ENTRA_SCOPE, session
from readiness_kit.evidence import Evidence
from readiness_kit.params import PostgresSource

#: What the collector may send: reads and its own transaction framing.
ALLOWED = re.compile(r"^(SELECT|WITH|\(SELECT|SHOW|BEGIN( READ ONLY)?|COMMIT|ROLLBACK|"
                     r"SET TRANSACTION READ ONLY|SET LOCAL (statement_timeout|lock_timeout|"
                     r"idle_in_transaction_session_timeout|TimeZone) )", re.I)


def _collector_statements(log: str) -> list[str]:
    """Statements the collector's sessions sent (application_name readiness-kit)."""
    return [line.split("statement: ", 1)[1] for line in log.splitlines()
            if " readiness-kit " in line and "statement: " in line]


def test_the_session_refuses_writes_and_carries_its_timeouts(live_bad):
    """Even as a superuser, the collector's session cannot write and is time-boxed."""
    cfg = live_bad.params.params.sources.postgres
    with environment(live_bad.env), session(settings_for(cfg), "shop_bad") as s:
        shown = {k: s.fetch(f"SHOW {k}")[0][k] for k in (
            "statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout",
            "default_transaction_read_only", "transaction_read_only", "application_name")}
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            s.fetch("CREATE TABLE written_by_review (id int)")
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            s.fetch("UPDATE ir_cron SET active = false RETURNING id")
    assert shown == {"statement_timeout": "15s", "lock_timeout": "2s",
                     "idle_in_transaction_session_timeout": "30s",
                     "default_transaction_read_only": "on", "transaction_read_only": "on",
                     "application_name": "readiness-kit"}
    with live_bad.pg.admin("shop_bad") as c:
        assert c.execute("SELECT to_regclass('written_by_review')").fetchone()[0] is None
        assert c.execute("SELECT bool_and(active) FROM ir_cron WHERE id = 1").fetchone()[0]


@pytest.mark.parametrize("tenant", ["live_bad", "live_good"])
def test_statement_log_shows_only_reads_and_no_secret(tenant, request):
    t = request.getfixturevalue(tenant)
    sent = _collector_statements(t.collection_log)
    assert len(sent) > 20  # the log really holds the collector's statements
    statements = [part.strip() for s in sent for part in s.split(";") if part.strip()]
    assert [s for s in statements if not ALLOWED.match(s)] == []
    assert "SET TRANSACTION READ ONLY" in statements
    assert any(s.startswith("SET LOCAL statement_timeout = 15000") for s in statements)
    log = t.collection_log
    collector_lines = "\n".join(line for line in log.splitlines() if "readiness-kit" in line)
    assert not [s for s in SECRETS if s in collector_lines]


def test_server_evidence_names_what_is_wrong_on_the_misconfigured_server(live_bad):
    ev = live_bad.ev
    server = ev.table("pg_server").iloc[0]
    assert server["failed_count"] >= 1 and server["version_num"] >= 130000
    assert "superuser" in server["privileges"] and server["connected_as"] == "odoo"
    slots = ev.table("pg_slots")
    assert slots.set_index("slot_name").loc["stale_standby", "active"] == False  # noqa: E712
    settings = ev.table("pg_settings").set_index("name")
    assert settings.loc["max_locks_per_transaction", "pending_restart"]
    # the server's own timeouts, not the collector's session values
    assert settings.loc["idle_in_transaction_session_timeout", "setting"] == "0"
    assert settings.loc["statement_timeout", "setting"] == "0"
    act = ev.table("pg_activity")
    idle = act[act["state"].eq("idle in transaction")]
    assert idle["connections"].sum() == 1 and idle["application_name"].eq("odoo").all()
    assert act.loc[act["application_name"].eq("odoo"), "connections"].sum() == 17
    assert "query" not in act.columns
    idx = ev.table("pg_indexes").set_index("index")
    assert not idx.loc["sale_order_state_uniq", "is_valid"]
    tables = ev.table("pg_tables").set_index("table")
    assert tables.loc["mail_message", "dead_tuples"] >= 10000
    ssl = ev.table("pg_ssl")
    assert not ssl["ssl"].any()


def test_odoo_evidence_from_the_database(live_bad, live_good):
    bad, good = live_bad.ev, live_good.ev
    db = bad.table("odoo_databases").iloc[0]
    assert (db["datname"], db["version"], db["attachment_location"]) == (
        "shop_bad", "16.0.1.3", "db")
    assert db["attachments_in_db"] == 300 and db["attachments_in_db_bytes"] == 300 * 4096
    assert "queue_job" in db["modules"].split(",") and db["companies"] == 1
    assert db["users_internal"] == 2
    jobs = bad.table("odoo_jobs").set_index(["channel", "state"])
    assert jobs.loc[("root.marketplace", "failed"), "jobs"] == 12
    assert jobs.loc[("root.stock", "pending"), "jobs"] == 2500
    assert jobs.loc[("root.invoice", "started"), "oldest_started_seconds"] > 5 * 3600 - 60
    crons = bad.table("odoo_crons").set_index("name")
    assert crons.loc["Mail: Email Queue Manager", "lag_seconds"] > 3 * 3600 - 60
    assert crons.loc["Mail: Email Queue Manager", "failure_count"] == 3
    business = bad.table("odoo_business").set_index("signal")
    assert business.loc["sale_order", "records"] == 40
    assert business.loc["stock_move", "oldest_age_seconds"] > 4 * 86400 - 60
    gdb = good.table("odoo_databases").iloc[0]
    assert (gdb["version"], gdb["attachment_location"], gdb["attachments_in_db"]) == (
        "18.0.1.3", "file", 0)
    assert good.table("odoo_crons")["lag_seconds"].max() < 0  # none is due yet
    # TLS for the collector's own session on the well-configured server
    ssl = good.table("pg_ssl")
    assert ssl.set_index("application_name").loc["readiness-kit", "ssl"].all()


def test_a_monitoring_role_without_odoo_grants_gets_named_gaps(live_good):
    pg = live_good.pg
    with pg.admin() as c:
        c.execute("CREATE ROLE rk_min LOGIN PASSWORD 'Rk-Min-Pw-55190' IN ROLE pg_monitor")
        c.execute("CREATE ROLE rk_none LOGIN PASSWORD 'Rk-None-Pw-55191'")
    ev = Evidence()
    with environment({"PGPASSWORD": "Rk-Min-Pw-55190"}):
        collect_server(PostgresSource(dsn=pg.dsn("rk_min", sslmode="require"), name="g"), ev)
    gap = ev.gaps.set_index("table").loc["odoo_databases"]
    assert "pg_read_all_data" in gap["reason"] and gap["scope"] == "g/shop_good"
    assert len(ev.table("pg_settings")) > 300 and ev.table("odoo_databases").empty
    ev = Evidence()
    with environment({"PGPASSWORD": "Rk-None-Pw-55191"}):
        collect_server(PostgresSource(dsn=pg.dsn("rk_none", sslmode="require"), name="g"), ev)
    reasons = " ".join(ev.gaps["reason"])
    assert "pg_read_all_stats" in reasons and "pg_read_all_settings" in reasons


def test_wrong_password_is_one_gap_and_one_attempt(live_good):
    pg = live_good.pg
    before = pg.log_text().count('password authentication failed for user "rk_monitor"')
    ev = Evidence()
    with environment({"PGPASSWORD": "not-the-password"}):
        stats = collect_server(PostgresSource(dsn=pg.dsn("rk_monitor", sslmode="require"),
                                              name="g"), ev)
    time.sleep(0.2)
    after = pg.log_text().count('password authentication failed for user "rk_monitor"')
    assert after - before == 1 and stats.connections_opened == 0
    gap = ev.gaps.iloc[0]
    assert gap["what"] == "connection to the server" and "password authentication" in \
        gap["reason"] and "not-the-password" not in gap["reason"]
    assert ev.table("pg_settings") is None


def test_a_locked_table_times_out_into_a_gap(live_good):
    cfg = PostgresSource(dsn=live_good.pg.dsn("rk_monitor", sslmode="require"))
    with live_good.pg.admin("shop_good") as locker:
        locker.execute("BEGIN")
        locker.execute("LOCK TABLE res_users IN ACCESS EXCLUSIVE MODE")
        with environment({"PGPASSWORD": MONITOR_PW}):
            read = read_database(settings_for(cfg), "shop_good")
        locker.execute("ROLLBACK")
    reasons = {t: r.split(":")[0] for t, _, r in read.gaps}
    assert reasons == {"pg_tables": "lock timeout", "odoo_databases": "lock timeout"}
    assert read.tables["pg_extensions"]  # the rest of the database was still read


def test_databases_are_read_with_a_bounded_number_of_connections(live_good):
    pg = live_good.pg
    with pg.admin() as c:
        c.execute("CREATE DATABASE tmpl_odoo")
    with pg.admin("tmpl_odoo") as c:
        create_schema(c, version="18.0.1.0")
        seed_healthy(c)
    with pg.admin() as c:
        for i in range(12):
            c.execute(f"CREATE DATABASE tenant_{i:02d} TEMPLATE tmpl_odoo")
    try:
        ev = Evidence()
        cfg = PostgresSource(dsn=pg.dsn("rk_monitor", sslmode="require"), name="g",
                             max_connections_open=3, databases=["tenant_*"])
        with environment({"PGPASSWORD": MONITOR_PW}):
            stats = collect_server(cfg, ev)
        assert (stats.databases, stats.odoo_databases) == (12, 12)
        assert 2 <= stats.peak_connections <= 3 and stats.connections_opened == 13
        assert sorted(ev.table("odoo_databases")["datname"]) == [
            f"tenant_{i:02d}" for i in range(12)]
    finally:
        with pg.admin() as c:
            for i in range(12):
                c.execute(f"DROP DATABASE tenant_{i:02d}")
            c.execute("DROP DATABASE tmpl_odoo")


def test_entra_token_is_the_password(live_good):
    """With entra_auth the token from azure-identity is sent as the password."""
    token = "entra-token-value-31337"
    with live_good.pg.admin() as c:
        c.execute(f"CREATE ROLE entra_reader LOGIN PASSWORD '{token}' IN ROLE pg_monitor")
    scopes = []

    class Credential:  # azure-identity's TokenCredential protocol
        def get_token(self, *requested, **_kw):
            scopes.extend(requested)
            return AccessToken(token, int(time.time()) + 3600)

    cfg = PostgresSource(dsn=live_good.pg.dsn("entra_reader", sslmode="require"),
                         entra_auth=True)
    settings = settings_for(cfg)
    from readiness_kit.collectors.postgres.session import entra_token_provider
    settings.password = entra_token_provider(Credential())
    with session(settings) as s:
        assert s.fetch("SELECT current_user AS u")[0]["u"] == "entra_reader"
    assert scopes == [ENTRA_SCOPE]


def test_cron_query_follows_the_odoo_version():
    odoo17 = cron_query({"id", "cron_name", "nextcall", "lastcall", "active"})
    odoo18 = cron_query({"id", "cron_name", "nextcall", "lastcall", "failure_count",
                         "first_failure_date"})
    assert "NULL::int AS failure_count" in odoo17 and "failure_count AS failure_count" in odoo18
    assert "now() - first_failure_date" in odoo18


def test_validate_reads_the_dsn_without_connecting():
    assert validate(PostgresSource(dsn="host=db user=x"), None) == []
    assert "not a libpq connection string" in validate(
        PostgresSource(dsn="host='unterminated"), None)[0]
    assert "user=" in validate(PostgresSource(dsn="host=db", entra_auth=True), None)[0]
