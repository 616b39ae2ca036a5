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
