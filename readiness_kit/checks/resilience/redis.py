"""Resilience checks RES-REDIS-*: Redis zones."""

from __future__ import annotations

import numpy as np

from readiness_kit.checks.anchors import REDIS_PERSISTENCE
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL, _zones_text, sku_name
from readiness_kit.frames import resources, setting_values, text

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
    detail = ("zones " + _zones_text(redis["zones_list"]) + " (" + count.astype(str) + " of "
              + str(need) + " required); SKU " + sku_name(redis))
    return outcome(redis["id"], count >= need, detail)


@check(
    id="RES-REDIS-101",
    domain="resilience",
    severity="medium",
    title="Redis persists its data (AOF or RDB snapshots)",
    rationale="Odoo keeps web sessions (and often the queue_job and bus state of add-ons) in "
    "Redis; without persistence a restart or failover logs every shopper out and empties "
    "carts. The Redis persistence guide recommends AOF (appendonly yes, fsync every second) "
    "or at least RDB snapshots; on Azure Cache for Redis, Premium data persistence.",
    remediation="Enable appendonly yes (appendfsync everysec) or a save schedule; on Azure "
    "enable RDB/AOF data persistence (Premium) or accept sessions as disposable explicitly.",
    risk="A cache restart during the sale logs every shopper out and empties their carts",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=[REDIS_PERSISTENCE,
                "https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-how-to-premium-persistence"],
)
def redis_persistence(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "aof_enabled", "save", "rdb_last_save_time",
                          "rdb_last_bgsave_status")
    aof = text(wide["aof_enabled"]).eq("1")
    save = text(wide["save"])
    rdb = save.str.strip().ne("") & wide["save"].notna()
    known = wide["aof_enabled"].notna()
    detail = ("aof_enabled " + text(wide["aof_enabled"], "?") + ", save '" +
              text(wide["save"], "not readable (CONFIG refused)") + "'" +
              np.where(text(wide["rdb_last_bgsave_status"]).eq("err"),
                       ", last RDB save failed", ""))
    return outcome("redis:" + wide["instance"] + "/persistence", aof | rdb, detail,
                   assessed=known)
