"""Tests of the scalability checks SCL-REDIS-*: Redis memory."""

import pytest
from factories import GIB, run


def redis_info(used_gib: float, max_gib: float = 6, evicted: int = 0,
               policy: str = "volatile-lru") -> list[dict]:
    rows = [("memory", "used_memory", str(int(used_gib * GIB))),
            ("memory", "maxmemory", str(int(max_gib * GIB))),
            ("memory", "maxmemory_policy", policy), ("stats", "evicted_keys", str(evicted)),
            ("clients", "connected_clients", "85"), ("server", "redis_version", "6.2.14")]
    return [{"instance": "redis-retail-prod", "section": s, "key": k, "value": v}
            for s, k, v in rows]


def test_redis_memory_headroom_fail_and_pass():
    bad = run("SCL-REDIS-001", {"redis_info": redis_info(4.3)}, targets={"peak_multiplier": 4})
    assert bad.subject.tolist() == ["redis:redis-retail-prod"]
    assert bad.status.tolist() == ["fail"]
    assert "used_memory 4.30 GiB x 4 = 17.20 GiB vs maxmemory 6.00 GiB" in bad.detail[0]
    good = run("SCL-REDIS-001", {"redis_info": redis_info(1.0)}, targets={"peak_multiplier": 4})
    assert good.status.tolist() == ["pass"]


@pytest.mark.parametrize("evicted, policy, status", [
    (1532, "volatile-lru", "fail"), (0, "volatile-lru", "pass"), (0, "noeviction", "fail")])
def test_redis_evictions(evicted, policy, status):
    result = run("SCL-REDIS-002", {"redis_info": redis_info(4.3, evicted=evicted,
                                                            policy=policy)})
    assert result.status.tolist() == [status]
    assert result.detail[0] == f"evicted_keys {evicted}, maxmemory_policy {policy}"


def test_clients_and_maxmemory_on_the_live_servers(live_bad, live_good):
    from live_data_tier import assert_live
    assert_live(live_bad, "SCL-REDIS-101", {"redis:redis-bad/clients": (
        "fail", "of maxclients 1")})
    assert_live(live_good, "SCL-REDIS-101", {"redis:redis-good/clients": (
        "pass", "rejected_connections 0")})
    assert_live(live_bad, "SCL-REDIS-102", {"redis:redis-bad/maxmemory": (
        "fail", "maxmemory 0: no limit")})
    assert_live(live_good, "SCL-REDIS-102", {"redis:redis-good/maxmemory": (
        "pass", "maxmemory 64 MiB, maxmemory_policy volatile-lru")})
    assert_live(live_bad, "SCL-REDIS-002", {"redis:redis-bad": ("fail", "noeviction")})
    assert_live(live_good, "SCL-REDIS-002", {"redis:redis-good": ("pass", "volatile-lru")})
