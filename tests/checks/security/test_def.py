"""Tests of the security checks SEC-DEF-*: Defender for Cloud."""

from factories import SUB, arm, by_subject, detail_of, run

from ._shared import aks


def pricing(plan: str, tier: str, sub: str = SUB) -> dict:
    return arm("microsoft.security/pricings", plan,
               {"pricingTier": tier, "freeTrialRemainingTime": "PT0S"}, location=None,
               id=f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}",
               arg_table="securityresources")


def test_defender_plans():
    result = run("SEC-DEF-001", {"azure_resources": [
        pricing("Containers", "Standard"), pricing("OpenSourceRelationalDatabases", "Free"),
        pricing("KeyVaults", "Standard")]})
    assert by_subject(result) == {"Containers": "pass", "OpenSourceRelationalDatabases": "fail"}
    assert "Free tier" in detail_of(result, "OpenSourceRelationalDatabases")


def test_defender_missing_plan_is_free():
    result = run("SEC-DEF-001", {"azure_resources": [pricing("Containers", "Standard")]})
    assert by_subject(result)["OpenSourceRelationalDatabases"] == "fail"
    assert "treated as Free" in detail_of(result, "OpenSourceRelationalDatabases")


def test_defender_no_pricings_is_not_assessed():
    result = run("SEC-DEF-001", {"azure_resources": [aks()]})
    assert result.status.tolist() == ["not_assessed"]


def test_defender_plans_real_bodies():
    from factories import real_body
    # ListPricings_example: Containers on Standard, OpenSourceRelationalDatabases on Free
    result = run("SEC-DEF-001", {"azure_resources": [
        real_body("defender_pricing_containers"), real_body("defender_pricing_oss_databases")]})
    assert by_subject(result) == {"Containers": "pass", "OpenSourceRelationalDatabases": "fail"}
    assert detail_of(result, "OpenSourceRelationalDatabases") == (
        "Defender for open-source relational databases is on the Free tier")
    # only one plan returned: the other is not silently passed
    result = run("SEC-DEF-001", {"azure_resources": [real_body("defender_pricing_containers")]})
    assert by_subject(result) == {"Containers": "pass", "OpenSourceRelationalDatabases": "fail"}
    assert "plan not returned" in detail_of(result, "OpenSourceRelationalDatabases")
