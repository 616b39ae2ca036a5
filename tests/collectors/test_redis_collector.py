"""The Redis collector against real throwaway redis-server processes."""

from __future__ import annotations

import pytest
from live_data_tier import REDIS_PW, environment
from pydantic import ValidationError
from servers import RedisServer

from readiness_kit.collectors.redis import collect, parse_info, validate
from readiness_kit.evidence import Evidence
from readiness_kit.params import RedisSource


def _values(ev: Evidence) -> dict[tuple[str, str], str]:
    t = ev.table("redis_info")
    return dict(zip(zip(t["section"], t["key"], strict=True), t["value"], strict=True))


def test_info_and_config_from_the_misconfigured_server(live_bad):
    v = _values(live_bad.ev)
    assert v[("config", "maxmemory")] == "0" and v[("memory", "maxmemory")] == "0"
    assert v[("config", "maxmemory-policy")] == "noeviction"
    assert v[("config", "save")] == "" and v[("persistence", "aof_enabled")] == "0"
    assert int(v[("stats", "rejected_connections")]) >= 1
    assert v[("collector", "password_supplied")] == "no"
    assert v[("server", "redis_version")].split(".")[0].isdigit()


def test_password_comes_from_the_environment_and_is_never_stored(live_good):
    v = _values(live_good.ev)
    assert v[("collector", "password_supplied")] == "yes"
    assert v[("config", "appendonly")] == "yes" and v[("config", "maxmemory")] == "67108864"
    table = live_good.ev.table("redis_info")
    assert not table["value"].astype(str).str.contains(REDIS_PW, regex=False).any()
    assert ("config", "requirepass") not in v
    ev = Evidence()  # without the password: one gap, no retry storm, no partial table
    collect(live_good.params.params.sources.redis, None, ev, lambda _m: None)
    assert ev.table("redis_info") is None
    assert "AuthenticationError" in ev.gaps.iloc[0]["reason"] or \
        "NOAUTH" in ev.gaps.iloc[0]["reason"]


def test_config_refused_is_not_assessed_and_acl_user_from_url():
    """An ACL user that may run INFO but not CONFIG (as on Azure Cache for Redis)."""
    with RedisServer() as server:
        import redis
        admin = redis.Redis(port=server.port)
        admin.execute_command("ACL", "SETUSER", "reviewer", "on", ">Reviewer-Pw-7781",
                              "+info", "+ping", "+client|setname", "+hello")
        admin.close()
        cfg = RedisSource(url=f"redis://reviewer@127.0.0.1:{server.port}/0", name="r",
                          password_env="RK_TEST_ACL_PW")
        ev = Evidence()
        with environment({"RK_TEST_ACL_PW": "Reviewer-Pw-7781"}):
            collect(cfg, None, ev, lambda _m: None)
    v = _values(ev)
    assert ("memory", "used_memory") in v and not any(s == "config" for s, _ in v)
    gap = ev.gaps.iloc[0]
    assert gap["what"].startswith("CONFIG GET") and gap["reason"].startswith("not assessed")


def test_url_with_a_password_is_refused_and_user_only_is_allowed():
    with pytest.raises(ValidationError, match="must not carry credentials"):
        RedisSource(url="rediss://user:secret@cache.example.com:6380")
    assert validate(RedisSource(url="rediss://reviewer@cache.example.com:6380"), None) == []
    assert "expected redis://" in validate(RedisSource(url="http://cache:6379"), None)[0]


def test_parse_info_keeps_sections():
    text = "# Server\r\nredis_version:7.2.4\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=1\r\n"
    assert parse_info(text) == [("server", "redis_version", "7.2.4"),
                                ("keyspace", "db0", "keys=3,expires=1")]
