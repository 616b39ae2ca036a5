"""Tests of the operations checks OPS-REDIS-*: Redis memory health."""

from factories import run
from live_data_tier import assert_live


def test_fragmentation_on_the_live_servers(live_bad, live_good):
    # a fresh instance has a high ratio over a few MiB: not judged as fragmented
    assert_live(live_bad, "OPS-REDIS-001", {"redis:redis-bad/fragmentation": (
        "pass", "MiB fragmented (fails above 1.5 with more than 100 MiB)")})
    assert_live(live_good, "OPS-REDIS-001", {"redis:redis-good/fragmentation": (
        "pass", "mem_fragmentation_ratio")})


def test_fragmented_instance_fails():
    info = [{"instance": "cache", "section": "memory", "key": k, "value": v} for k, v in {
        "mem_fragmentation_ratio": "1.92", "mem_fragmentation_bytes": str(900 * 1024**2),
        "used_memory": str(1024**3)}.items()]
    result = run("OPS-REDIS-001", {"redis_info": info})
    assert result.status.tolist() == ["fail"]
    assert result.detail[0].startswith("mem_fragmentation_ratio 1.92, 900 MiB fragmented")
