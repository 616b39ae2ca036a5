"""Scalability checks SCL-REDIS-*: Redis memory."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.anchors import REDIS_ADMIN, REDIS_CLIENTS, REDIS_EVICTION
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _capacity, _nothing
from readiness_kit.frames import fmt, setting_values


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


CLIENTS_MAX_PCT = 80


@check(
    id="SCL-REDIS-101",
    domain="scalability",
    severity="high",
    title="Redis has not rejected clients and has room for more",
    rationale="When connected_clients reaches maxclients Redis rejects new connections "
    "(INFO stats rejected_connections); Odoo then fails to load sessions. The Redis clients "
    f"reference documents the limit; above {CLIENTS_MAX_PCT}% of it the peak's extra pods "
    "have no room.",
    remediation="Raise maxclients (Azure: a larger cache size), reuse connections in the "
    "clients (pools), and alert on rejected_connections.",
    risk="Shoppers lose their sessions when the cache turns connections away",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=[REDIS_CLIENTS, REDIS_ADMIN],
)
def redis_clients_room(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "connected_clients", "maxclients",
                          "rejected_connections")
    if wide.empty:
        return _nothing()
    clients = pd.to_numeric(wide["connected_clients"], errors="coerce")
    maxc = pd.to_numeric(wide["maxclients"], errors="coerce")
    rejected = pd.to_numeric(wide["rejected_connections"], errors="coerce")
    pct = clients / maxc.where(maxc > 0) * 100
    ok = rejected.eq(0) & (pct.isna() | (pct <= CLIENTS_MAX_PCT))
    detail = ("rejected_connections " + rejected.map(fmt) + ", connected_clients " +
              clients.map(fmt) + " of maxclients " + maxc.map(fmt) +
              f" (at most {CLIENTS_MAX_PCT}%, no rejection)")
    return outcome("redis:" + wide["instance"] + "/clients", ok, detail,
                   assessed=rejected.notna())


@check(
    id="SCL-REDIS-102",
    domain="scalability",
    severity="medium",
    title="Redis has a memory limit (maxmemory is set)",
    rationale="Without maxmemory Redis grows until the host runs out of memory and the OS "
    "kills it (losing every session), instead of applying its eviction policy. The Redis "
    "eviction and administration guides: always set maxmemory below the host's memory. "
    "Azure Cache for Redis sets it from the cache size.",
    remediation="Set maxmemory to about 75 % of the host's memory (leave room for "
    "fork-based persistence) with a maxmemory-policy that suits the data.",
    risk="The cache is killed by the OS at peak instead of evicting, logging shoppers out",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=[REDIS_EVICTION, REDIS_ADMIN],
)
def redis_maxmemory_set(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "maxmemory", "maxmemory_policy")
    if wide.empty:
        return _nothing()
    limit = pd.to_numeric(wide["maxmemory"], errors="coerce")
    detail = ("maxmemory " + (limit / 1024**2).map(lambda v: f"{v:.0f} MiB" if v == v
                                                    else "?") +
              ", maxmemory_policy " + wide["maxmemory_policy"].fillna("?").astype(str))
    detail = detail.where(limit != 0, "maxmemory 0: no limit, Redis grows until the host "
                          "runs out of memory")
    return outcome("redis:" + wide["instance"] + "/maxmemory", limit > 0, detail,
                   assessed=limit.notna())
