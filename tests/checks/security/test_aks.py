"""Tests of the security checks SEC-AKS-*: AKS cluster security."""

from factories import by_subject, detail_of, run

from ._shared import aks


def test_aks_local_accounts():
    result = run("SEC-AKS-001", {"azure_resources": [
        aks("aks-good", disableLocalAccounts=True), aks("aks-bad")]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert "local accounts are enabled" in detail_of(result, "aks-bad")


def test_aks_local_accounts_not_assessed_without_evidence():
    result = run("SEC-AKS-001", {})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_resources" in result.detail[0]


def test_aks_entra_and_azure_rbac():
    result = run("SEC-AKS-002", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", aadProfile=None)]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert "Entra ID integration off" in detail_of(result, "aks-bad")
    assert "Azure RBAC for Kubernetes on" in detail_of(result, "aks-good")


def test_aks_workload_identity():
    result = run("SEC-AKS-003", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", securityProfile={}, oidcIssuerProfile=None)]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert detail_of(result, "aks-bad") == "workload identity disabled, OIDC issuer disabled"


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, renamed  # noqa: E402


def clusters(**fixtures) -> list[dict]:
    """Corpus clusters renamed by keyword: ``clusters(rbac="aks_cluster_azure_rbac")``."""
    return [renamed(real_body(f) if isinstance(f, str) else real_body(f[0], set=f[1]), name)
            for name, f in fixtures.items()]


def test_aks_identity_checks_real_bodies():
    rows = clusters(
        rbac="aks_cluster_azure_rbac",                       # Entra + Azure RBAC, RBAC on
        plain="aks_cluster_get",                             # enableRBAC false, no aadProfile
        local_off=("aks_cluster_azure_rbac", {"properties.disableLocalAccounts": True}),
        wi="aks_cluster_security_profile",                   # workload identity, no OIDC
        wi_oidc=("aks_cluster_security_profile", {"properties.oidcIssuerProfile":
                                                  {"enabled": True}}),
        uami="aks_cluster_create")                           # identity UserAssigned
    result = run("SEC-AKS-001", {"azure_resources": rows})
    assert {k: v for k, v in by_subject(result).items() if k in ("rbac", "local_off")} == {
        "rbac": "fail", "local_off": "pass"}
    result = run("SEC-AKS-002", {"azure_resources": rows})
    assert by_subject(result)["rbac"] == "pass" and by_subject(result)["plain"] == "fail"
    assert detail_of(result, "plain") == ("Entra ID integration off, Azure RBAC for Kubernetes "
                                          "off, Kubernetes RBAC off")
    result = run("SEC-AKS-003", {"azure_resources": rows})
    assert by_subject(result)["wi"] == "fail" and by_subject(result)["wi_oidc"] == "pass"
    assert detail_of(result, "wi") == "workload identity enabled, OIDC issuer disabled"
    result = run("SEC-AKS-007", {"azure_resources": rows})
    assert by_subject(result)["uami"] == "pass" and by_subject(result)["plain"] == "fail"
    assert detail_of(result, "plain") == "no managed identity, service principal clientid"


def test_aks_addon_and_security_profile_checks_real_bodies():
    rows = clusters(
        kv="aks_cluster_kv_secrets_provider",                # enabled, rotation "true"
        kv_static=("aks_cluster_kv_secrets_provider", {
            "properties.addonProfiles.azureKeyvaultSecretsProvider.config."
            "enableSecretRotation": "false"}),
        defender="aks_cluster_security_profile",             # securityMonitoring enabled
        cleaner="aks_cluster_image_cleaner",                 # imageCleaner 168 h
        bare="aks_cluster_create")
    result = run("SEC-AKS-004", {"azure_resources": rows})
    d = by_subject(result)
    assert (d["kv"], d["kv_static"], d["bare"]) == ("pass", "fail", "fail")
    assert detail_of(result, "bare") == ("Key Vault secrets provider off (not reported; add-on "
                                         "absent: not installed), secret rotation off")
    result = run("SEC-AKS-005", {"azure_resources": rows})
    assert by_subject(result)["defender"] == "pass" and by_subject(result)["bare"] == "fail"
    result = run("SEC-AKS-006", {"azure_resources": rows})
    assert by_subject(result)["cleaner"] == "pass" and by_subject(result)["defender"] == "fail"
    assert detail_of(result, "cleaner") == "image cleaner on, every 168 h"


def test_aks_node_public_ips_real_bodies():
    result = run("SEC-AKS-008", {"azure_resources": clusters(
        public="aks_cluster_create",                          # enableNodePublicIP true
        unset="aks_cluster_get")})                            # not reported
    assert dict(zip(result.subject.str.split("/").str[-3], result.status, strict=True)) == {
        "public": "fail", "unset": "pass"}
    assert result.detail.tolist()[1] == ("pool nodepool1: node public IPs off (not reported; "
                                         "ARM's default false assumed)")
