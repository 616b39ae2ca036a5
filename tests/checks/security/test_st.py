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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------


def test_storage_security_real_bodies():
    from factories import real_body, renamed
    rows = [renamed(real_body("storage_account_tls12"), "tls12"),     # TLS1_2, HTTPS, no anon
            real_body("storage_account_grs_open"),                    # sto8596: 2017, unset
            renamed(real_body("storage_account_zrs_locked"), "nokeys")]  # shared key off
    result = run("SEC-ST-001", {"azure_resources": rows})
    assert by_subject(result)["tls12"] == "pass" and by_subject(result)["sto8596"] == "fail"
    assert detail_of(result, "sto8596") == ("minimum TLS TLS1_0 (not set; Azure interprets as "
                                            "TLS1_0), HTTPS only off")
    result = run("SEC-ST-002", {"azure_resources": rows})
    assert by_subject(result)["tls12"] == "pass" and by_subject(result)["sto8596"] == "fail"
    assert detail_of(result, "sto8596").startswith(
        "allowBlobPublicAccess not set: account created 2017-06-01, so Azure's default for it "
        "applies (allowed")
    result = run("SEC-ST-003", {"azure_resources": rows})
    assert by_subject(result) == {"tls12": "fail", "sto8596": "fail", "nokeys": "pass"}
    assert detail_of(result, "sto8596") == ("shared key access allowed (not reported; null is "
                                            "equivalent to true (ARM))")
