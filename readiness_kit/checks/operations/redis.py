"""Operations checks OPS-REDIS-*: Redis memory health from INFO."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.anchors import REDIS_MEMORY
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import fmt, setting_values

FRAGMENTATION_MAX = 1.5
FRAGMENTATION_MIN_BYTES = 100 * 1024**2


@check(
    id="OPS-REDIS-001",
    domain="operations",
    severity="low",
    title=f"Redis memory fragmentation stays below {FRAGMENTATION_MAX}",
    rationale="mem_fragmentation_ratio is the memory the OS gives Redis over what Redis "
    f"uses; above {FRAGMENTATION_MAX} the Redis memory guide calls it fragmented: the cache "
    "hits its limit early and evicts or fails. Small instances are judged only when the "
    "wasted memory (mem_fragmentation_bytes) exceeds 100 MiB.",
    remediation="Enable activedefrag yes (Redis 4+ with jemalloc) or restart the instance "
    "in a quiet hour; avoid churny large values.",
    risk="The cache fills up and evicts sessions long before its nominal size",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=[REDIS_MEMORY, "https://redis.io/docs/latest/commands/info/"],
)
def redis_fragmentation(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "mem_fragmentation_ratio",
                          "mem_fragmentation_bytes", "used_memory_rss", "used_memory")
    if wide.empty:
        return outcome([], [], [])
    ratio = pd.to_numeric(wide["mem_fragmentation_ratio"], errors="coerce")
    wasted = pd.to_numeric(wide["mem_fragmentation_bytes"], errors="coerce").fillna(
        pd.to_numeric(wide["used_memory_rss"], errors="coerce") -
        pd.to_numeric(wide["used_memory"], errors="coerce"))
    ok = ~((ratio > FRAGMENTATION_MAX) & (wasted > FRAGMENTATION_MIN_BYTES))
    detail = ("mem_fragmentation_ratio " + ratio.map(fmt) + ", " +
              (wasted / 1024**2).map(lambda v: f"{v:.0f}" if v == v else "?") +
              f" MiB fragmented (fails above {FRAGMENTATION_MAX} with more than 100 MiB)")
    return outcome("redis:" + wide["instance"] + "/fragmentation", ok, detail,
                   assessed=ratio.notna())
