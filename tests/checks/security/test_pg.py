"""Tests of the security checks SEC-PG-*: PostgreSQL."""

import pytest
from factories import odoo_conf, pg_settings, rid, run


def test_pg_password_encryption():
    rows = (pg_settings("psql-good", password_encryption="scram-sha-256", ssl="on")
            + pg_settings("psql-bad", password_encryption="md5")
            + pg_settings("psql-none", ssl="on"))
    result = run("SEC-PG-001", {"pg_settings": rows})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-good/password_encryption": "pass",
        "postgres:psql-bad/password_encryption": "fail",
        "postgres:psql-none/password_encryption": "not_assessed"}
    assert "password_encryption = md5" in result.detail.tolist()


def test_pg_password_encryption_from_arm_configurations():
    server = rid("rg-retail-prod-data", "Microsoft.DBforPostgreSQL/flexibleServers", "psql-x")
    details = [{"resource_id": server, "detail_type": "configurations",
                "name": "password_encryption",
                "properties": {"value": "md5", "defaultValue": "scram-sha-256",
                               "source": "user-override", "dataType": "Enumeration"}}]
    result = run("SEC-PG-001", {"azure_arm_details": details})
    assert result.status.tolist() == ["fail"]
    assert result.subject[0] == "postgres:psql-x/password_encryption"


@pytest.mark.parametrize("check_id", ["SEC-PG-001", "SEC-PG-002"])
def test_pg_not_assessed_without_either_source(check_id):
    result = run(check_id, {})
    assert result.status.tolist() == ["not_assessed"]
    assert result.subject[0] == "evidence:pg_settings or azure_arm_details"
    assert result.evidence_tables[0] == "pg_settings, azure_arm_details"
    # either source is enough for the engine to run the check
    assert run(check_id, {"azure_arm_details": []}).status.tolist() == ["not_assessed"]
    assert run(check_id, {"pg_settings": pg_settings("psql-a", password_encryption="md5",
                                                     require_secure_transport="off")}
               ).status.tolist() == ["fail"]


def test_pg_secure_transport():
    rows = (pg_settings("psql-good", require_secure_transport="on", ssl="on")
            + pg_settings("psql-bad", require_secure_transport="off", ssl="on")
            + pg_settings("psql-default", ssl="on"))
    result = run("SEC-PG-002", {"pg_settings": rows})
    by_subject = dict(zip(result.subject, result.status, strict=True))
    assert by_subject == {"postgres:psql-good/require_secure_transport": "pass",
                          "postgres:psql-bad/require_secure_transport": "fail",
                          "postgres:psql-default/require_secure_transport": "pass"}
    assert "Azure default: on" in result.detail[
        result.subject.str.contains("psql-default")].iloc[0]


def pg_role(rolname: str, **attrs) -> dict:
    base = {"server": "psql-retail-prod", "rolname": rolname, "superuser": False,
            "createrole": False, "createdb": False, "can_login": True, "replication": False,
            "bypass_rls": False, "connection_limit": -1, "valid_until": None,
            "member_of": "[]"}
    base.update(attrs)
    return base


def test_pg_app_role_least_privilege():
    roles = [pg_role("odoo", createdb=True), pg_role("readonly_bi"),
             pg_role("pgadmin", createdb=True, createrole=True, member_of='["azure_pg_admin"]')]
    result = run("SEC-PG-003", {"pg_roles": roles})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-retail-prod/role:odoo": "fail"}
    assert result.detail[0] == "role odoo has CREATEDB"
    cfg = odoo_conf(db_user="shop")
    good = run("SEC-PG-003", {"pg_roles": [pg_role("shop"), pg_role("odoo", createdb=True)],
                              "odoo_config": cfg})
    assert dict(zip(good.subject, good.status, strict=True)) == {
        "postgres:psql-retail-prod/role:shop": "pass"}
    assert "no superuser, CREATEDB or CREATEROLE" in good.detail[0]


def test_pg_app_role_admin_membership_fails():
    result = run("SEC-PG-003", {"pg_roles": [pg_role("odoo", member_of="{azure_pg_admin}")]})
    assert result.status.tolist() == ["fail"]
    assert "azure_pg_admin member" in result.detail[0]


# --- live servers (tests/live_data_tier.py) ------------------------------------------------

from live_data_tier import assert_live  # noqa: E402

BAD, GOOD = "postgres:pg-bad", "postgres:pg-good"


def test_existing_checks_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "SEC-PG-001", {f"{BAD}/password_encryption": ("fail", "= md5")})
    assert_live(live_good, "SEC-PG-001", {f"{GOOD}/password_encryption": (
        "pass", "= scram-sha-256")})
    assert_live(live_bad, "SEC-PG-002", {f"{BAD}/require_secure_transport": (
        "fail", "ssl = off")})
    assert_live(live_good, "SEC-PG-002", {f"{GOOD}/require_secure_transport": (
        "pass", "ssl = on")})
    assert_live(live_bad, "SEC-PG-003", {f"{BAD}/role:odoo": ("fail", "role odoo has superuser")})
    assert_live(live_good, "SEC-PG-003", {f"{GOOD}/role:odoo": ("pass", "has no superuser")})


def test_role_expiry_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "SEC-PG-101", {f"{BAD}/role:odoo": (
        "fail", "role odoo can log in with no password expiry")})
    assert_live(live_good, "SEC-PG-101", {
        f"{GOOD}/role:odoo": ("pass", "valid until 2027-06-30"),
        f"{GOOD}/role:rk_monitor": ("pass", "valid until 2027-06-30")})


def test_clients_tls_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "SEC-PG-102", {
        f"{BAD}/db:shop_bad/role:odoo/app:odoo": ("fail", "18 connection(s), 18 without TLS"),
        f"{BAD}/db:postgres/role:odoo/app:readiness-kit": ("fail", "1 without TLS")})
    assert_live(live_good, "SEC-PG-102", {
        f"{GOOD}/db:shop_good/role:odoo/app:odoo": ("pass", "0 without TLS; TLS in use: TLSv1"),
        f"{GOOD}/db:postgres/role:rk_monitor/app:readiness-kit": ("pass", "0 without TLS")})


def test_connection_logging_and_review_role_on_the_live_servers(live_bad, live_good):
    assert_live(live_bad, "SEC-PG-103", {f"{BAD}/log_connections": (
        "fail", "log_connections = off, log_disconnections = off")})
    assert_live(live_good, "SEC-PG-103", {f"{GOOD}/log_connections": (
        "pass", "log_connections = on, log_disconnections = on")})
    assert_live(live_bad, "SEC-PG-104", {f"{BAD}/review_role": (
        "fail", "connected as odoo holding pg_monitor,")})
    assert "superuser" in __import__("live_data_tier").check_on(
        live_bad, "SEC-PG-104")[f"{BAD}/review_role"][1]
    assert_live(live_good, "SEC-PG-104", {f"{GOOD}/review_role": (
        "pass", "connected as rk_monitor holding pg_monitor,pg_read_all_data")})


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import by_subject, real_body, real_detail  # noqa: E402


def _on(server: dict, *names: str, **values: str) -> list[dict]:
    """Configuration bodies re-homed under ``server``; ``values`` change only the value."""
    return [real_detail(f"pg_config_{n}", parent=server["id"],
                        set={"properties.value": values[n]} if n in values else None)
            for n in names]


def test_pg_password_encryption_and_tls_real_configuration_bodies():
    good, bad = real_body("pg_server_zone_redundant"), real_body("pg_server_ha_disabled_cmk")
    details = (_on(good, "password_encryption", "require_secure_transport", "ssl",
                   password_encryption="scram-sha-256")
               + _on(bad, "password_encryption", "ssl")       # md5, as the example reports
               + [real_detail("pg_config_require_secure_transport_off", parent=bad["id"])])
    result = run("SEC-PG-001", {"azure_arm_details": details})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:exampleserver1/password_encryption": "pass",
        "postgres:exampleserver3/password_encryption": "fail"}
    result = run("SEC-PG-002", {"azure_arm_details": details})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:exampleserver1/require_secure_transport": "pass",
        "postgres:exampleserver3/require_secure_transport": "fail"}
    assert result.detail.tolist()[1] == "require_secure_transport = off, ssl = on"


def test_pg_connection_logging_real_configuration_bodies():
    good, bad = real_body("pg_server_zone_redundant"), real_body("pg_server_ha_disabled_cmk")
    details = (_on(good, "log_connections", "log_disconnections")          # on, on
               + _on(bad, "log_connections", "log_disconnections", log_disconnections="off")
               + _on(real_body("pg_server_public"), "log_connections"))   # one of the two
    result = run("SEC-PG-103", {"azure_arm_details": details})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:exampleserver1/log_connections": "pass",
        "postgres:exampleserver3/log_connections": "fail",
        "postgres:exampleserver2/log_connections": "not_assessed"}
    assert result.detail[1] == "log_connections = on, log_disconnections = off"


def test_pg_entra_authentication_real_bodies():
    result = run("SEC-PG-004", {"azure_resources": [
        real_body("pg_server_zone_redundant"),      # activeDirectoryAuth Enabled
        real_body("pg_server_password_only"),       # passwordAuth only
        real_body("pg_server_public", set={"properties.authConfig": None})]})
    assert by_subject(result) == {"exampleserver1": "pass", "exampleserver4": "fail",
                                  "exampleserver2": "fail"}
    d = by_subject(result, "detail")
    assert d["exampleserver4"] == ("Microsoft Entra authentication Disabled, password "
                                   "authentication Enabled")
    assert "Disabled (not reported; ARM's default Disabled assumed)" in d["exampleserver2"]
