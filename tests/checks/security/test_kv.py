"""Tests of the security checks SEC-KV-*: Key Vault secrets."""

from factories import by_subject, detail_of, run

from ._shared import key_vault


def test_key_vault_purge_protection():
    result = run("SEC-KV-001", {"azure_resources": [
        key_vault("kv-good", enablePurgeProtection=True, enableSoftDelete=None),
        key_vault("kv-bad", enablePurgeProtection=None)]})
    assert by_subject(result) == {"kv-good": "pass", "kv-bad": "fail"}
    assert detail_of(result, "kv-bad") == "soft delete on, purge protection off"
    assert "Azure default" in detail_of(result, "kv-good")


def test_key_vault_rbac_authorization():
    result = run("SEC-KV-002", {"azure_resources": [
        key_vault("kv-good"), key_vault("kv-bad", enableRbacAuthorization=False),
        key_vault("kv-unset", enableRbacAuthorization=None)]})
    assert by_subject(result) == {"kv-good": "pass", "kv-bad": "fail", "kv-unset": "fail"}
    assert "access policies" in detail_of(result, "kv-unset")


def test_key_vault_real_bodies():
    from factories import real_body, renamed
    rows = [renamed(real_body("keyvault_hardened"), "hardened"),     # purge protection, RBAC
            renamed(real_body("keyvault_access_policies"), "policies")]  # neither reported
    result = run("SEC-KV-001", {"azure_resources": rows})
    assert by_subject(result) == {"hardened": "pass", "policies": "fail"}
    assert detail_of(result, "policies") == ("soft delete on (not set; Azure default), purge "
                                             "protection off")
    result = run("SEC-KV-002", {"azure_resources": rows})
    assert by_subject(result) == {"hardened": "pass", "policies": "fail"}
    assert detail_of(result, "policies") == ("vault access policies are used "
                                             "(enableRbacAuthorization not set)")
