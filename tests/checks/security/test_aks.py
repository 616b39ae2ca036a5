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
