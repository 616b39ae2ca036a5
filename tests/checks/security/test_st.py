"""Tests of the security checks SEC-ST-*: storage transport."""

from factories import arm, by_subject, detail_of, run


def test_storage_min_tls():
    result = run("SEC-ST-001", {"azure_resources": [
        arm("Microsoft.Storage/storageAccounts", "stgood", {"minimumTlsVersion": "TLS1_2",
                                                            "supportsHttpsTrafficOnly": True}),
        arm("Microsoft.Storage/storageAccounts", "stold", {"minimumTlsVersion": "TLS1_0"}),
        arm("Microsoft.Storage/storageAccounts", "stunset", {}),
        arm("Microsoft.Storage/storageAccounts", "sthttp", {
            "minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": False})]})
    assert by_subject(result) == {"stgood": "pass", "stold": "fail", "stunset": "fail",
                                "sthttp": "fail"}
    assert "Azure interprets as TLS1_0" in detail_of(result, "stunset")
    assert detail_of(result, "sthttp").endswith("HTTPS only off")
