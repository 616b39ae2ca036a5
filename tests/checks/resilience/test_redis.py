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
