"""Tests of the resilience checks RES-RSV-*: Recovery Services vaults."""

from factories import arm, by_subject, run

from ._shared import details


def vault(name: str, *, redundancy: str | None = "GeoRedundant", soft: str | None = "Enabled",
          immutability: str | None = None) -> dict:
    props: dict = {"provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"}
    if redundancy:
        props["redundancySettings"] = {"standardTierStorageRedundancy": redundancy,
                                       "crossRegionRestore": "Disabled"}
    security: dict = {}
    if soft:
        security["softDeleteSettings"] = {"softDeleteState": soft,
                                          "softDeleteRetentionPeriodInDays": 14,
                                          "enhancedSecurityState": "Enabled"}
    if immutability:
        security["immutabilitySettings"] = {"state": immutability}
    if security:
        props["securitySettings"] = security
    return arm("Microsoft.RecoveryServices/vaults", name, props, rg="rg-ops",
               sku={"name": "RS0", "tier": "Standard"})


def test_vault_redundancy_soft_delete_immutability():
    rows = [vault("rsv-a", immutability="Locked"),
            vault("rsv-b", redundancy="LocallyRedundant", soft="Disabled",
                  immutability="Disabled"),
            vault("rsv-c", redundancy=None, soft=None)]
    tables = {"azure_resources": rows}
    assert by_subject(run("RES-RSV-001", tables)) == {"rsv-a": "pass", "rsv-b": "fail",
                                                    "rsv-c": "pass"}
    assert "default GeoRedundant assumed" in details(run("RES-RSV-001", tables))["rsv-c"]
    assert by_subject(run("RES-RSV-002", tables)) == {"rsv-a": "pass", "rsv-b": "fail",
                                                    "rsv-c": "pass"}
    assert details(run("RES-RSV-002", tables))["rsv-b"] == "soft delete Disabled (14 days)"
    result = run("RES-RSV-003", tables)
    assert by_subject(result) == {"rsv-a": "pass", "rsv-b": "fail", "rsv-c": "fail"}
    assert details(result)["rsv-c"] == "immutability not set (Azure's default: Disabled)"


def test_vault_settings_real_bodies():
    from factories import real_body, renamed
    rows = [renamed(real_body("recovery_vault"), "grs"),             # GRS + CRR, soft delete on
            renamed(real_body("recovery_vault_weak"), "weak"),       # LRS, soft delete off
            renamed(real_body("recovery_vault_immutable"), "locked")]
    result = run("RES-RSV-001", {"azure_resources": rows})
    assert by_subject(result) == {"grs": "pass", "weak": "fail", "locked": "pass"}
    assert details(result)["weak"] == ("storage redundancy LocallyRedundant, cross region "
                                       "restore Disabled")
    result = run("RES-RSV-002", {"azure_resources": rows})
    assert by_subject(result) == {"grs": "pass", "weak": "fail", "locked": "pass"}
    result = run("RES-RSV-003", {"azure_resources": rows})
    assert by_subject(result) == {"grs": "fail", "weak": "fail", "locked": "pass"}
    assert details(result)["grs"] == "immutability Disabled"
