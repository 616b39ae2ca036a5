"""Tests of the resilience checks RES-REDIS-*: Redis zones."""

from factories import arm, by_subject, run

from ._shared import details


def redis(name: str, zones: list[str] | None, sku=("Premium", "P", 1)) -> dict:
    # Microsoft.Cache/Redis keeps its SKU in properties, not at the top level
    return arm("Microsoft.Cache/Redis", name, {
        "sku": {"name": sku[0], "family": sku[1], "capacity": sku[2]},
        "enableNonSslPort": False, "minimumTlsVersion": "1.2",
        "redisConfiguration": {"rdb-backup-enabled": "true", "maxmemory-policy": "volatile-lru"},
    }, rg="rg-data", zones=zones)


def test_redis_zones_against_target():
    rows = [redis("redis-a", ["1", "2"]), redis("redis-b", None, ("Standard", "C", 2))]
    result = run("RES-REDIS-001", {"azure_resources": rows})
    assert by_subject(result) == {"redis-a": "pass", "redis-b": "fail"}
    assert details(result)["redis-a"] == "zones 1, 2 (2 of 2 required); SKU Premium P1"
    stricter = run("RES-REDIS-001", {"azure_resources": rows},
                   targets={"min_availability_zones": 3})
    assert by_subject(stricter)["redis-a"] == "fail"


def test_persistence_on_the_live_servers(live_bad, live_good):
    from live_data_tier import assert_live
    assert_live(live_bad, "RES-REDIS-101", {"redis:redis-bad/persistence": (
        "fail", "aof_enabled 0, save ''")})
    assert_live(live_good, "RES-REDIS-101", {"redis:redis-good/persistence": (
        "pass", "aof_enabled 1")})


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body  # noqa: E402


def cache(fixture: str, name: str, **set_) -> dict:
    """A corpus cache renamed ``name`` (every Redis example calls its cache cache1)."""
    body = real_body(fixture, set=set_ or None)
    return {**body, "id": body["id"].replace("/cache1", "/" + name), "name": name}


def test_redis_zones_real_bodies_follow_the_zonal_allocation_policy():
    rows = [cache("redis_premium_automatic_zones", "automatic"),   # no zones list, Automatic
            cache("redis_premium_locked_down", "three-zones"),     # UserDefined, zones 1-3
            cache("redis_premium_one_zone", "one-zone"),           # UserDefined, zone 1
            cache("redis_premium_no_zones", "no-zones")]           # NoZones
    result = run("RES-REDIS-001", {"azure_resources": rows})
    assert by_subject(result) == {"automatic": "pass", "three-zones": "pass",
                                  "one-zone": "fail", "no-zones": "fail"}
    d = details(result)
    assert d["automatic"].startswith("zonalAllocationPolicy Automatic: Azure places")
    assert d["one-zone"] == "zones 1 (1 of 2 required); SKU Premium P1"
    assert d["no-zones"].startswith("zonalAllocationPolicy NoZones")


def test_redis_persistence_and_tier_real_bodies():
    rows = [cache("redis_premium_locked_down", "rdb"),             # rdb-backup-enabled true
            cache("redis_premium_one_zone", "none"),               # no persistence keys
            cache("redis_standard_automatic", "standard"),         # Standard C6
            cache("redis_standard_automatic", "basic", **{"properties.sku": {
                "name": "Basic", "family": "C", "capacity": 1}})]
    result = run("RES-REDIS-002", {"azure_resources": rows})
    assert by_subject(result) == {"rdb": "pass", "none": "fail"}   # Premium caches only
    assert details(result)["rdb"] == "RDB persistence on every 60 min"
    result = run("RES-REDIS-003", {"azure_resources": rows})
    assert by_subject(result) == {"rdb": "pass", "none": "pass", "standard": "pass",
                                  "basic": "fail"}
    assert details(result)["basic"] == "SKU Basic C1"
