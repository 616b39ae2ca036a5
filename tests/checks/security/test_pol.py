"""Tests of the security checks SEC-POL-*: policy enforcement."""

from factories import SUB, arm, by_subject, detail_of, run

from ._shared import aks


def test_aks_azure_policy_addon():
    result = run("SEC-POL-001", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", addonProfiles={"omsagent": {"enabled": True}})]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert detail_of(result, "aks-bad") == "azurepolicy add-on not enabled"


def policy_assignment(name: str, display: str, mode: str | None) -> dict:
    props = {"displayName": display, "scope": f"/subscriptions/{SUB}",
             "policyDefinitionId": "/providers/Microsoft.Authorization/policySetDefinitions/"
                                   "1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
             "parameters": {}}
    if mode:
        props["enforcementMode"] = mode
    return arm("microsoft.authorization/policyassignments", name, props, location=None,
               id=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments/"
                  f"{name}", arg_table="policyresources")


def test_policy_enforcement_mode():
    result = run("SEC-POL-002", {"azure_resources": [
        policy_assignment("asb", "Azure Security Benchmark", "Default"),
        policy_assignment("legacy", "Require tags", None),
        policy_assignment("allowed-images", "Kubernetes cluster containers should only use "
                          "allowed images", "DoNotEnforce")]})
    assert by_subject(result) == {"asb": "pass", "legacy": "pass", "allowed-images": "fail"}
    assert "enforcementMode DoNotEnforce" in detail_of(result, "allowed-images")


def test_aks_policy_addon_real_bodies():
    from factories import real_body, renamed
    result = run("SEC-POL-001", {"azure_resources": [
        renamed(real_body("aks_cluster_create"), "bare"),
        renamed(real_body("aks_cluster_create", set={
            "properties.addonProfiles": {"azurepolicy": {"enabled": True}}}), "policy")]})
    assert by_subject(result) == {"bare": "fail", "policy": "pass"}


def test_policy_enforcement_mode_real_bodies():
    from factories import real_body, renamed
    result = run("SEC-POL-002", {"azure_resources": [
        real_body("policy_assignment"),                                       # Default
        renamed(real_body("policy_assignment_do_not_enforce"), "audit-only")]})
    assert by_subject(result) == {"EnforceNaming": "pass", "audit-only": "fail"}
    assert detail_of(result, "audit-only") == ("'Enforce resource naming rules' enforcementMode "
                                               "DoNotEnforce")
