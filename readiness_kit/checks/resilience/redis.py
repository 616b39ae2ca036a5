"""Resilience checks RES-REDIS-*: Redis zones."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.resilience._shared import APRL, _zones_text, sku_name
from readiness_kit.frames import resources

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
