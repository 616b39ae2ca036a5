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
