"""Resilience checks RES-REDIS-*: Redis zones."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL, _zones_text, sku_name
from readiness_kit.frames import dig, resources, text, truthy

REDIS_TYPES = ("microsoft.cache/redis", "microsoft.cache/redisenterprise")


@check(
    id="RES-REDIS-001",
    domain="resilience",
    severity="medium",
    title="Redis cache spans the target number of availability zones",
    rationale="Odoo sessions and the cache live in Redis. A zone-redundant cache (Premium or "
    "Enterprise with zones) keeps its replicas in different zones so a zone failure "
    "fails over instead of logging every shopper out.",
    remediation="Use the Premium (or Enterprise) tier with replicas spread over zones 1, 2 "
    "and 3 (zones on the cache resource).",
    risk="A zone outage could drop every session and cart held in Redis",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-high-availability",
        APRL + "Cache/Redis/",
    ],
)
def redis_zones(ctx: CheckContext):
    redis = resources(ctx.ev, *REDIS_TYPES)
    need = ctx.params.targets.min_availability_zones
    count = redis["zones_list"].map(len)
    sku = sku_name(redis)
    # API 2024-11-01+: zonalAllocationPolicy Automatic lets Azure spread the nodes over the
    # region's zones (the zones list stays empty); NoZones pins none; UserDefined (or an
    # older cache without the property) uses the zones list.
    policy = text(dig(redis["props"], "zonalAllocationPolicy", ""))
    automatic = policy.str.lower().eq("automatic")
    single_node = sku.str.lower().str.startswith("basic")
    passed = ((count >= need) | automatic) & ~single_node & ~policy.str.lower().eq("nozones")
    zones = ("zones " + _zones_text(redis["zones_list"]) + " (" + count.astype(str) + " of "
             + str(need) + " required)")
    zones = zones.where(~automatic, "zonalAllocationPolicy Automatic: Azure places the "
                        "cache's nodes across the region's availability zones")
    zones = zones.where(~policy.str.lower().eq("nozones"), "zonalAllocationPolicy NoZones: "
                        "no availability zones")
    detail = zones + "; SKU " + sku + pd.Series(" (a single node: Basic has no replica)",
                                               index=redis.index).where(single_node, "")
    return outcome(redis["id"], passed, detail)


REDIS_PERSISTENCE = ("https://learn.microsoft.com/azure/azure-cache-for-redis/"
                     "cache-how-to-premium-persistence")


@check(
    id="RES-REDIS-002",
    domain="resilience",
    severity="low",
    title="Premium Redis caches persist their data (RDB or AOF)",
    rationale="Odoo keeps sessions (and often the bus and cache) in Redis; a Premium cache "
    "without persistence comes back empty after a regional incident or a full restart, "
    "logging every shopper out. Premium supports RDB snapshots or AOF (Azure Cache for "
    "Redis persistence, APRL).",
    remediation="Enable RDB persistence (rdb-backup-enabled, hourly frequency) to a storage "
    "account reached through a managed identity, or AOF where every write matters.",
    risk="A cache restart would log every shopper out and empty their carts",
    applies_to="Premium Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=[REDIS_PERSISTENCE, APRL + "Cache/Redis/"],
)
def redis_persistence(ctx: CheckContext):
    redis = resources(ctx.ev, *REDIS_TYPES)
    redis = redis[sku_name(redis).str.lower().str.startswith("premium")]
    conf = dig(redis["props"], "redisConfiguration", {})
    rdb = truthy(dig(conf, ["rdb-backup-enabled"], False))
    aof = truthy(dig(conf, ["aof-backup-enabled"], False))
    freq = text(dig(conf, ["rdb-backup-frequency"], ""))
    none = pd.Series("no persistence (rdb-backup-enabled and aof-backup-enabled not set)",
                     index=redis.index, dtype=object)
    detail = none.mask(aof, "AOF persistence on").mask(
        rdb, "RDB persistence on" + (" every " + freq + " min").where(freq.ne(""), ""))
    return outcome(redis["id"], rdb | aof, detail)


@check(
    id="RES-REDIS-003",
    domain="resilience",
    severity="high",
    title="Redis runs on a replicated tier (Standard, Premium or Enterprise), not Basic",
    rationale="A Basic cache is a single node with no replica and no SLA: any maintenance "
    "or node failure drops every session and cached page (Azure Cache for Redis tiers, "
    "APRL).",
    remediation="Scale the cache to Standard or Premium (`az redis update --sku Standard`); "
    "Premium adds zones and persistence.",
    risk="Routine maintenance on the cache logs every shopper out",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/cache-overview"
                "#service-tiers", APRL + "Cache/Redis/"],
)
def redis_replicated_tier(ctx: CheckContext):
    redis = resources(ctx.ev, *REDIS_TYPES)
    sku = sku_name(redis)
    known = sku.ne("")
    detail = ("SKU " + sku).where(known, "SKU not reported")
    return outcome(redis["id"], known & ~sku.str.lower().str.startswith("basic"), detail,
                   known)
