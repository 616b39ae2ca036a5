"""Scalability checks SCL-REDIS-*: Redis memory."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _capacity, _nothing
from readiness_kit.frames import setting_values


@check(
    id="SCL-REDIS-001",
    domain="scalability",
    severity="high",
    title="Redis has memory headroom for the peak",
    rationale="Sessions and cached data grow with concurrent shoppers. When used_memory "
    "reaches maxmemory, Redis evicts keys (logging customers out or dropping cache) or "
    "refuses writes; Azure Cache for Redis memory guidance keeps usage well below the limit.",
    remediation="Scale the cache up (a larger Premium size) or out (clustering) so that "
    "used memory x peak factor stays below maxmemory, and reserve memory with "
    "maxmemory-reserved / maxfragmentationmemory-reserved.",
    risk="At peak the cache fills up: shoppers are logged out or baskets vanish",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-best-practices-memory-management"],
)
def redis_memory_headroom(ctx: CheckContext):
    return _capacity(ctx, "Redis memory")


@check(
    id="SCL-REDIS-002",
    domain="scalability",
    severity="medium",
    title="Redis does not evict keys and has a usable eviction policy",
    rationale="evicted_keys > 0 means Redis already ran out of memory and threw data away; "
    "maxmemory-policy noeviction makes writes fail when memory is full. Either way the "
    "cache or session store is undersized for today's load, before any peak.",
    remediation="Scale the cache up, set TTLs on cached keys, and choose volatile-lru (or "
    "allkeys-lru for a pure cache) as maxmemory-policy; alert on evicted keys.",
    risk="Customers already lose sessions or cached data under today's load",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-best-practices-memory-management",
                "https://redis.io/docs/latest/develop/reference/eviction/"],
)
def redis_no_evictions(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "evicted_keys", "maxmemory_policy")
    if wide.empty:
        return _nothing()
    evicted = pd.to_numeric(wide["evicted_keys"], errors="coerce")
    policy = wide["maxmemory_policy"].astype(object).fillna("unknown").astype(str)
    ok = evicted.eq(0) & policy.ne("noeviction")
    detail = ("evicted_keys " + evicted.map(lambda v: f"{v:g}" if v == v else "unknown") +
              ", maxmemory_policy " + policy)
    return outcome("redis:" + wide["instance"], ok, detail, assessed=evicted.notna())
