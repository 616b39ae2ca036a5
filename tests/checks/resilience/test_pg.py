"""Tests of the resilience checks RES-PG-*: PostgreSQL HA, cross-region recovery and backups."""

from factories import by_subject, real_body, run

from ._shared import details, pg


def test_pg_zone_redundant_ha_pass_and_fail():
    result = run("RES-PG-001", {"azure_resources": [pg("pg-a", "ZoneRedundant"),
                                                     pg("pg-b", "Disabled")]})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail"}
    assert "HA mode is Disabled" in result.detail.tolist()


def test_pg_zone_redundant_ha_not_assessed_without_evidence():
    result = run("RES-PG-001", {})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_resources" in result.detail[0]


def test_pg_cross_region_geo_backup_or_remote_replica():
    primary_c = pg("pg-c", "SameZone")
    rows = [pg("pg-a", "ZoneRedundant", geo="Enabled"), pg("pg-b", "SameZone"), primary_c,
            pg("pg-c-ne", "Disabled", location="northeurope", source=primary_c["id"].upper())]
    result = run("RES-PG-002", {"azure_resources": rows})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail", "pg-c": "pass"}
    d = details(result)
    assert d["pg-b"] == "geo-redundant backup Disabled; no read replica outside westeurope"
    assert "read replica in another region: pg-c-ne" in d["pg-c"]


def test_pg_cross_region_normal_case_without_any_replica():
    """No server has a cross-region replica (the replica map is empty) and none has
    geo-redundant backup: every primary fails with a sentence, the check does not raise."""
    result = run("RES-PG-002", {"azure_resources": [pg("pg-a", "ZoneRedundant"),
                                                     pg("pg-b", "SameZone", location="")]})
    assert by_subject(result) == {"pg-a": "fail", "pg-b": "fail"}
    assert details(result) == {
        "pg-a": "geo-redundant backup Disabled; no read replica outside westeurope",
        "pg-b": "geo-redundant backup Disabled; no read replica outside its region"}
    same_region = pg("pg-c", "SameZone")
    result = run("RES-PG-002", {"azure_resources": [
        same_region, pg("pg-c-r", "Disabled", source=same_region["id"])]})
    assert by_subject(result) == {"pg-c": "fail"}


def test_pg_backup_retention():
    result = run("RES-PG-003", {"azure_resources": [
        pg("pg-a", "ZoneRedundant", retention=35), pg("pg-b", "SameZone", retention=7),
        pg("pg-c", "Disabled", retention=None)]})
    assert by_subject(result) == {"pg-a": "pass", "pg-b": "fail", "pg-c": "fail"}
    d = details(result)
    assert d["pg-b"] == "backup retention is 7 days (minimum 14)"
    assert "Azure's default 7 days assumed" in d["pg-c"]


# --- live servers and factories for RES-PG-1xx ---------------------------------------------

from live_data_tier import assert_live  # noqa: E402


def test_live_wraparound_archiving_and_slots(live_bad, live_good):
    assert_live(live_bad, "RES-PG-101", {
        "postgres:pg-bad/db:shop_bad": ("pass", "% of the way to wraparound (at most 50%)"),
        "postgres:pg-bad/db:postgres": ("pass", "age(datfrozenxid)")})
    assert_live(live_bad, "RES-PG-102", {"postgres:pg-bad/archiving": (
        "fail", "archive_mode = on; 0 segments archived")})
    assert "the last attempt" in run_live_detail(live_bad, "RES-PG-102")
    assert_live(live_good, "RES-PG-102", {"postgres:pg-good/archiving": (
        "pass", "0 failures, last success")})
    assert_live(live_bad, "RES-PG-103", {"postgres:pg-bad/replication_slots": (
        "fail", "slots holding WAL: stale_standby (inactive, ")})
    assert_live(live_good, "RES-PG-103", {"postgres:pg-good/replication_slots": (
        "pass", "0 slot(s), none inactive or over 1 GiB")})


def run_live_detail(tenant, check_id):
    from live_data_tier import check_on
    return " ".join(d for _, d in check_on(tenant, check_id).values())


def test_wraparound_fails_past_half_way():
    dbs = [{"server": "pg", "datname": "odoo", "age_datfrozenxid": 1_200_000_000,
            "is_template": False}]
    result = run("RES-PG-101", {"pg_databases": dbs})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0] == ("age(datfrozenxid) 1200000000 = 55.9% of the way to "
                                "wraparound (at most 50%)")


def test_archiving_off_fails():
    from factories import pg_settings
    srv = [{"server": "pg", "archived_count": 0, "failed_count": 0}]
    result = run("RES-PG-102", {"pg_server": srv, "pg_settings": pg_settings(
        "pg", archive_mode="off")})
    assert result.status.tolist() == ["fail"]
    assert "no point-in-time recovery" in result.detail[0]


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------


def test_pg_ha_real_bodies_replicas_are_judged_through_their_primary():
    zone_redundant = real_body("pg_server_zone_redundant")
    same_zone = real_body("pg_server_same_zone", id=zone_redundant["id"][:-1] + "-same-zone",
                          name="same-zone")
    no_ha = real_body("pg_server_ha_disabled_cmk")
    replica = real_body("pg_server_replica")        # AsyncReplica, highAvailability Disabled
    result = run("RES-PG-001", {"azure_resources": [zone_redundant, same_zone, no_ha,
                                                     replica]})
    assert by_subject(result) == {"exampleserver1": "pass", "exampleserver-same-zone": "fail",
                                  "exampleserver3": "fail", "exampleserver": "not_assessed"}
    d = details(result)
    assert d["exampleserver-same-zone"] == "HA mode is SameZone"
    assert d["exampleserver"] == ("read replica (AsyncReplica) of examplesourceserver: high "
                                  "availability is configured on the primary")


def test_pg_cross_region_real_bodies_compare_regions_canonically():
    primary = real_body("pg_server_ha_disabled_cmk")   # geo-redundant backup Disabled, eastus
    # the replica example's source re-pointed at this primary (the one property judged)
    replica = real_body("pg_server_replica",
                        set={"properties.sourceServerResourceId": primary["id"]})
    assert replica["location"] == "westus"
    result = run("RES-PG-002", {"azure_resources": [primary, replica]})
    assert by_subject(result) == {"exampleserver3": "pass"}
    assert details(result)["exampleserver3"].endswith(
        "read replica in another region: exampleserver")
    # the same replica in "East US" is in the primary's region, however ARM spells it
    same_region = {**replica, "location": "East US"}
    result = run("RES-PG-002", {"azure_resources": [primary, same_region]})
    assert by_subject(result) == {"exampleserver3": "fail"}
    result = run("RES-PG-002", {"azure_resources": [real_body("pg_server_zone_redundant")]})
    assert by_subject(result) == {"exampleserver1": "pass"}    # geoRedundantBackup Enabled


def test_pg_backup_retention_real_bodies():
    seven = real_body("pg_server_zone_redundant")          # backupRetentionDays 7
    long = real_body("pg_server_ha_disabled_cmk", set={"properties.backup.backupRetentionDays":
                                                       35})
    unset = real_body("pg_server_public", set={"properties.backup": {
        "geoRedundantBackup": "Enabled"}})                  # retention not reported
    result = run("RES-PG-003", {"azure_resources": [seven, long, unset,
                                                     real_body("pg_server_replica")]})
    assert by_subject(result) == {"exampleserver1": "fail", "exampleserver3": "pass",
                                  "exampleserver2": "fail"}   # the replica is not judged
    assert details(result)["exampleserver2"] == (
        "backup retention is 7 days (minimum 14); not reported, Azure's default 7 days assumed")


def test_pg_ha_healthy_real_bodies():
    healthy = real_body("pg_server_zone_redundant")        # highAvailability.state Healthy
    rebuilding = real_body("pg_server_public",
                           set={"properties.highAvailability.state": "ReplicatingData"})
    result = run("RES-PG-004", {"azure_resources": [healthy, rebuilding,
                                                     real_body("pg_server_ha_disabled_cmk")]})
    assert by_subject(result) == {"exampleserver1": "pass", "exampleserver2": "fail"}
    assert details(result)["exampleserver2"] == (
        "HA ZoneRedundant, standby state ReplicatingData in zone 1")
