"""Tests of the operations checks OPS-PG-*: PostgreSQL insights."""

from factories import pg_settings, run

from ._shared import pg


def test_pg_stat_statements():
    rows = (pg_settings("psql-a", shared_preload_libraries="azure,pg_cron,pg_stat_statements")
            + pg_settings("psql-b", shared_preload_libraries="azure"))
    ext = [{"server": "psql-a", "datname": "odoo_prod", "extname": "pg_stat_statements",
            "extversion": "1.10"}]
    result = run("OPS-PG-001", {"pg_settings": rows, "pg_extensions": ext})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-a/shared_preload_libraries": "pass",
        "postgres:psql-b/shared_preload_libraries": "fail"}
    assert "extension created in odoo_prod" in result.detail[0]
    assert result.detail[1].endswith("pg_stat_statements not loaded")


def test_pg_slow_statement_logging_from_pg_settings_or_arm():
    result = run("OPS-PG-002", {"pg_settings": pg_settings("psql-a",
                                                           log_min_duration_statement="-1")
                                + pg_settings("psql-b", log_min_duration_statement="1000")})
    assert result.status.tolist() == ["fail", "pass"]
    assert result.detail[0] == "log_min_duration_statement = -1 ms: slow statement logging is off"
    server = pg("psql-c")["id"]
    conf = {"resource_id": f"{server}/configurations/log_min_duration_statement",
            "detail_type": "configurations", "name": "log_min_duration_statement",
            "properties": {"value": "0", "defaultValue": "-1", "dataType": "Integer",
                           "source": "user-override", "allowedValues": "-1-2147483647"}}
    result = run("OPS-PG-002", {"azure_arm_details": [conf]})
    assert result.subject.tolist() == ["postgres:psql-c/log_min_duration_statement"]
    assert result.status.tolist() == ["fail"]
    assert "every statement is logged" in result.detail[0]
    assert run("OPS-PG-002", {}).status.tolist() == ["not_assessed"]


# --- live servers (tests/live_data_tier.py) and small factories --------------------------

import pytest  # noqa: E402
from live_data_tier import assert_live  # noqa: E402

BAD, GOOD = "postgres:pg-bad", "postgres:pg-good"
LIVE = [
    ("OPS-PG-101",
     {f"{BAD}/idle_in_transaction_session_timeout":
      ("fail", "1 session(s) idle in transaction, oldest")},
     {f"{GOOD}/idle_in_transaction_session_timeout":
      ("pass", "idle_in_transaction_session_timeout = 1min")}),
    ("OPS-PG-102", {f"{BAD}/transactions": ("pass", "(odoo/odoo in shop_bad)")},
     {f"{GOOD}/transactions": ("pass", "no open transaction")}),
    ("OPS-PG-103", {f"{BAD}/checkpoints": ("not_assessed", "fewer than 10")},
     {f"{GOOD}/checkpoints": ("not_assessed", "fewer than 10")}),
    ("OPS-PG-104", {f"{BAD}/cache_hit_ratio": ("pass", "at least 95%")},
     {f"{GOOD}/cache_hit_ratio": ("pass", "at least 95%")}),
    ("OPS-PG-105",
     {f"{BAD}/db:shop_bad": ("fail", "invalid: public.sale_order_state_uniq on sale_order"),
      f"{BAD}/db:postgres": ("pass", "no invalid index")},
     {f"{GOOD}/db:shop_good": ("pass", "no invalid index"),
      f"{GOOD}/db:postgres": ("pass", "no invalid index")}),
    ("OPS-PG-106", {f"{BAD}/db:shop_bad": ("not_assessed", "fewer than 7"),
                    f"{BAD}/db:postgres": ("not_assessed", "fewer than 7")},
     {f"{GOOD}/db:shop_good": ("not_assessed", "fewer than 7"),
      f"{GOOD}/db:postgres": ("not_assessed", "fewer than 7")}),
    ("OPS-PG-107",
     {f"{BAD}/db:shop_bad": ("fail", "mail_message 75% dead (15000 rows, last vacuum never)"),
      f"{BAD}/db:postgres": ("pass", "no table")},
     {f"{GOOD}/db:shop_good": ("pass", "no table with 10000+ dead rows"),
      f"{GOOD}/db:postgres": ("pass", "no table")}),
    ("OPS-PG-108",
     {f"{BAD}/pending_restart": ("fail", "pending restart: max_locks_per_transaction")},
     {f"{GOOD}/pending_restart": ("pass", "no setting pending a restart")}),
    ("OPS-PG-109", {f"{BAD}/logging": ("fail", "log_checkpoints = off, log_lock_waits = off")},
     {f"{GOOD}/logging": ("pass", "log_checkpoints = on, log_lock_waits = on")}),
    ("OPS-PG-110", {f"{BAD}/version": ("pass", "community support ends 2027-11-11")},
     {f"{GOOD}/version": ("pass", "community support ends 2027-11-11")}),
    ("OPS-PG-001", {f"{BAD}/shared_preload_libraries": ("fail", "not loaded")},
     {f"{GOOD}/shared_preload_libraries": ("pass", "extension created in shop_good")}),
    ("OPS-PG-002", {f"{BAD}/log_min_duration_statement": ("fail", "= -1")},
     {f"{GOOD}/log_min_duration_statement": ("pass", "= 1000")}),
]


@pytest.mark.parametrize(("check_id", "bad", "good"), LIVE, ids=[c for c, _, _ in LIVE])
def test_on_the_live_servers(check_id, bad, good, live_bad, live_good):
    assert_live(live_bad, check_id, bad)
    assert_live(live_good, check_id, good)


def _server(**fields) -> dict:
    return {"server": "pg-a", "version": "14.12", "version_num": 140012, "uptime_seconds":
            30 * 86400.0, "checkpoints_timed": 90, "checkpoints_requested": 10,
            "blks_hit": 990_000, "blks_read": 10_000, "connected_as": "readiness",
            "privileges": "pg_monitor", **fields}


def test_long_transaction_fails_past_an_hour():
    act = [{"server": "pg-a", "datname": "odoo", "usename": "etl", "application_name":
            "airbyte", "backend_type": "client backend", "state": "active",
            "connections": 1, "oldest_xact_seconds": 5400.0}]
    result = run("OPS-PG-102", {"pg_activity": act, "pg_server": [_server()]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == ("oldest open transaction 5400 s (etl/airbyte in odoo); "
                                "threshold 3600 s")


@pytest.mark.parametrize(("requested", "status"), [(10, "pass"), (40, "fail")])
def test_checkpoint_pressure(requested, status):
    result = run("OPS-PG-103", {"pg_server": [_server(checkpoints_requested=requested)]})
    assert result.status.tolist() == [status]
    assert f"{requested} requested of {90 + requested} checkpoints" in result.detail[0]


def test_cache_hit_ratio_below_threshold_and_old_version():
    row = _server(blks_hit=900_000, blks_read=100_000)
    assert run("OPS-PG-104", {"pg_server": [row]}).status.tolist() == ["fail"]
    old = run("OPS-PG-110", {"pg_server": [row]})
    assert old.status.tolist() == ["fail"]
    assert old.detail[0] == "PostgreSQL 14.12: community support ended 2026-11-12"


def test_unused_large_index_fails_with_old_statistics():
    idx = [{"server": "pg-a", "datname": "odoo", "schema": "public", "table": "sale_order",
            "index": "sale_order_note_idx", "size_bytes": 300 * 1024**2, "idx_scan": 0,
            "is_valid": True, "is_unique": False, "is_primary": False},
           {"server": "pg-a", "datname": "odoo", "schema": "public", "table": "sale_order",
            "index": "sale_order_pkey", "size_bytes": 900 * 1024**2, "idx_scan": 0,
            "is_valid": True, "is_unique": True, "is_primary": True}]
    result = run("OPS-PG-106", {"pg_indexes": idx, "pg_server": [_server()]})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == "never scanned since statistics began: sale_order_note_idx " \
                               "(300 MiB)"


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, real_detail  # noqa: E402


def test_pg_parameters_from_real_configuration_bodies():
    good = real_body("pg_server_zone_redundant")["id"]
    bad = real_body("pg_server_ha_disabled_cmk")["id"]
    details = [real_detail("pg_config_shared_preload_libraries", parent=good),
               real_detail("pg_config_shared_preload_libraries", parent=bad,
                           set={"properties.value": "pg_cron"}),
               real_detail("pg_config_log_min_duration_statement", parent=good,
                           set={"properties.value": "1000"}),
               real_detail("pg_config_log_min_duration_statement", parent=bad)]  # -1
    result = run("OPS-PG-001", {"azure_arm_details": details})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:exampleserver1/shared_preload_libraries": "pass",
        "postgres:exampleserver3/shared_preload_libraries": "fail"}
    result = run("OPS-PG-002", {"azure_arm_details": details})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:exampleserver1/log_min_duration_statement": "pass",
        "postgres:exampleserver3/log_min_duration_statement": "fail"}
    assert result.detail[1] == ("log_min_duration_statement = -1 ms: slow statement logging "
                                "is off")


def test_pg_maintenance_window_and_version_real_bodies():
    custom = real_body("pg_server_custom_maintenance")    # customWindow Enabled, Sun 08:00
    system = real_body("pg_server_zone_redundant")         # customWindow Disabled
    result = run("OPS-PG-003", {"azure_resources": [custom, system]})
    assert result.status.tolist() == ["pass", "fail"]
    assert result.detail.tolist() == ["custom maintenance window Sunday 08:00 UTC",
                                      "system-managed maintenance schedule"]
    old = real_body("pg_server_ha_disabled_cmk", set={"properties.version": "13",
                                                      "properties.minorVersion": "16"})
    result = run("OPS-PG-004", {"azure_resources": [system, old]})
    assert result.status.tolist() == ["pass", "fail"]
    assert result.detail.tolist() == ["PostgreSQL 17.5 (minimum supported major 15)",
                                      "PostgreSQL 13.16 (minimum supported major 15)"]
