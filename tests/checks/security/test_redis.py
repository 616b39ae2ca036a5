"""Tests of the security checks SEC-REDIS-*: Redis."""

from factories import arm, by_subject, detail_of, run


def test_redis_tls_only():
    result = run("SEC-REDIS-001", {"azure_resources": [
        arm("Microsoft.Cache/Redis", "redis-good", {"enableNonSslPort": False,
                                                    "minimumTlsVersion": "1.2"}),
        arm("Microsoft.Cache/Redis", "redis-port", {"enableNonSslPort": True,
                                                    "minimumTlsVersion": "1.2"}),
        arm("Microsoft.Cache/Redis", "redis-old", {"minimumTlsVersion": "1.0"}),
        arm("Microsoft.Cache/Redis", "redis-default", {"sku": {"name": "Standard"}})]})
    assert by_subject(result) == {"redis-good": "pass", "redis-port": "fail", "redis-old": "fail",
                                "redis-default": "pass"}
    assert detail_of(result, "redis-port") == "non-TLS port enabled, minimum TLS 1.2"
    assert "Azure default" in detail_of(result, "redis-default")


def test_unauthenticated_access_on_the_live_servers(live_bad, live_good):
    from live_data_tier import assert_live
    assert_live(live_bad, "SEC-REDIS-101", {"redis:redis-bad/auth": (
        "fail", "INFO answered without a password")})
    assert_live(live_good, "SEC-REDIS-101", {"redis:redis-good/auth": (
        "pass", "authenticated with a password")})


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body  # noqa: E402


def cache(fixture: str, name: str, **set_) -> dict:
    """A corpus cache renamed ``name`` (every Redis example calls its cache cache1)."""
    body = real_body(fixture, set=set_ or None)
    return {**body, "id": body["id"].replace("/cache1", "/" + name), "name": name}


def test_redis_tls_and_access_keys_real_bodies():
    rows = [cache("redis_premium_one_zone", "tls-only"),           # non-TLS port off, TLS 1.2
            cache("redis_premium_no_zones", "plain-port"),         # enableNonSslPort true
            cache("redis_premium_one_zone", "entra-only",
                  **{"properties.disableAccessKeyAuthentication": True})]
    result = run("SEC-REDIS-001", {"azure_resources": rows})
    assert by_subject(result) == {"tls-only": "pass", "plain-port": "fail", "entra-only": "pass"}
    assert detail_of(result, "plain-port") == "non-TLS port enabled, minimum TLS 1.2"
    result = run("SEC-REDIS-002", {"azure_resources": rows})
    assert by_subject(result) == {"tls-only": "fail", "plain-port": "fail", "entra-only": "pass"}
    assert detail_of(result, "tls-only") == ("access keys accepted (not reported; ARM's default "
                                             "false assumed: keys accepted)")
