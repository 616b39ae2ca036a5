import datetime as dt

from readiness_kit.checks import REGISTRY, CheckContext, run_check
from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.evidence import evidence_from_records
from readiness_kit.params import Parameters

SUB = "00000000-0000-0000-0000-000000000001"


def ctx_for(tables: dict[str, list[dict]]) -> CheckContext:
    return CheckContext(ev=evidence_from_records(tables), params=Parameters(tenant="t"),
                        as_of=dt.date(2026, 11, 27))


def pg(name: str, ha_mode: str) -> dict:
    return normalise_arg_row({
        "id": f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/"
              f"Microsoft.DBforPostgreSQL/flexibleServers/{name}",
        "name": name, "type": "Microsoft.DBforPostgreSQL/flexibleServers",
        "location": "westeurope",
        "properties": {"highAvailability": {"mode": ha_mode}, "version": "16"},
    })


def test_pg_zone_redundant_ha_pass_and_fail():
    result = run_check(REGISTRY["RES-PG-001"],
                       ctx_for({"azure_resources": [pg("pg-a", "ZoneRedundant"),
                                                    pg("pg-b", "Disabled")]}))
    by_name = dict(zip(result.subject.str.rsplit("/", n=1).str[-1], result.status, strict=True))
    assert by_name == {"pg-a": "pass", "pg-b": "fail"}
    assert "HA mode is Disabled" in result.detail.tolist()


def test_pg_zone_redundant_ha_not_assessed_without_evidence():
    result = run_check(REGISTRY["RES-PG-001"], ctx_for({}))
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_resources" in result.detail[0]
