"""Tests of the scalability checks SCL-PG-*: PostgreSQL capacity and connections."""

from factories import GIB, by_subject, detail_of, run

from ._shared import pg_server


def test_pg_storage_headroom_pass_and_fail():
    dbs = [{"server": "psql-retail-prod.postgres.database.azure.com", "datname": "odoo_prod",
            "size_bytes": 180 * GIB, "is_template": False},
           {"server": "psql-small", "datname": "odoo", "size_bytes": 115 * GIB,
            "is_template": False}]
    servers = [pg_server(),
               pg_server("psql-nogrow", storage={"storageSizeGB": 128, "tier": "P10"}),
               pg_server("psql-small", storage={"storageSizeGB": 128, "autoGrow": "Enabled"})]
    result = run("SCL-PG-001", {"azure_resources": servers, "pg_databases": dbs})
    assert by_subject(result) == {"psql-retail-prod": "pass", "psql-nogrow": "fail",
                                  "psql-small": "fail"}
    assert detail_of(result, "psql-retail-prod") == (
        "storage 512.0 GiB, autoGrow Enabled; databases use 180.0 GiB (35%)")
    assert "autoGrow Disabled (default)" in detail_of(result, "psql-nogrow")
    assert "(90%)" in detail_of(result, "psql-small")


def test_pg_not_burstable_pass_and_fail():
    result = run("SCL-PG-002", {"azure_resources": [
        pg_server(), pg_server("psql-cheap", tier="Burstable", sku="Standard_B2ms")]})
    assert by_subject(result) == {"psql-retail-prod": "pass", "psql-cheap": "fail"}
    assert detail_of(result, "psql-cheap") == "SKU Standard_B2ms (Burstable)"


def test_connections_now_and_memory_on_the_live_servers(live_bad, live_good):
    from live_data_tier import assert_live
    assert_live(live_bad, "SCL-PG-101", {"postgres:pg-bad/connections_now": (
        "fail", "18 client connections of 22 usable (max_connections 25 - 3 reserved) = 82%")})
    assert_live(live_good, "SCL-PG-101", {"postgres:pg-good/connections_now": (
        "pass", "of 197 usable")})
    assert_live(live_bad, "SCL-PG-102", {"postgres:pg-bad/memory": (
        "fail", "shared_buffers 16MB (at least 128MB), work_mem 1GB (at most 256MB)")})
    assert_live(live_good, "SCL-PG-102", {"postgres:pg-good/memory": (
        "pass", "shared_buffers 128MB (at least 128MB), work_mem 16MB")})


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body  # noqa: E402


def test_pg_storage_and_sku_real_bodies():
    grows = real_body("pg_server_autogrow")                   # autoGrow Enabled, 512 GB
    fixed = real_body("pg_server_ha_disabled_cmk")            # autoGrow Disabled
    dbs = [{"server": "exampleserver1.postgres.database.azure.com", "datname": "odoo",
            "size_bytes": 200 * GIB, "is_template": False}]
    result = run("SCL-PG-001", {"azure_resources": [grows, fixed], "pg_databases": dbs})
    assert by_subject(result) == {"exampleserver1": "pass", "exampleserver3": "fail"}
    assert detail_of(result, "exampleserver1") == (
        "storage 512.0 GiB, autoGrow Enabled; databases use 200.0 GiB (39%)")
    burstable = real_body("pg_server_public", set={
        "sku": {"name": "Standard_B2s", "tier": "Burstable"}})
    result = run("SCL-PG-002", {"azure_resources": [grows, burstable]})
    assert by_subject(result) == {"exampleserver1": "pass", "exampleserver2": "fail"}
    assert detail_of(result, "exampleserver2") == "SKU Standard_B2s (Burstable)"
