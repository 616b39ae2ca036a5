"""Evidence from the parameters' sources: bundles, Resource Graph exports, gaps, attestations."""

import json

import pytest
from servers import free_port

from readiness_kit.collect import gather_evidence
from readiness_kit.collectors.azure import read_arg_export
from readiness_kit.errors import EvidenceError
from readiness_kit.params import load_parameters

SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
ROW = {
    "id": f"/subscriptions/{SUB}/resourceGroups/RG-Data/providers/"
          "Microsoft.Cache/Redis/redis-a",
    "name": "redis-a", "type": "Microsoft.Cache/Redis", "location": "WestEurope",
    "zones": ["1", "2"], "tags": {"env": "prod"},
    "properties": {"sku": {"name": "Premium", "family": "P", "capacity": 1},
                   "publicNetworkAccess": "Disabled"},
}


def test_arg_export_in_az_cli_shape(tmp_path):
    path = tmp_path / "arg.json"
    path.write_text(json.dumps({"count": 1, "data": [ROW], "skip_token": None,
                                "total_records": 1}))
    df = read_arg_export(path).table("azure_resources")
    row = df.iloc[0]
    assert row["type"] == "microsoft.cache/redis"  # normalised for matching
    assert row["resource_group"] == "RG-Data" and row["subscription_id"] == SUB
    assert row["location"] == "westeurope"
    assert json.loads(row["zones"]) == ["1", "2"]
    assert json.loads(row["properties"])["publicNetworkAccess"] == "Disabled"


@pytest.mark.parametrize(("content", "expected"), [
    ('{"data": [', "not valid JSON"),
    ('{"rows": []}', 'expected a JSON list of rows or an object with "data"'),
    ('[{"name": "x"}]', 'row 0: expected an object with at least "id" and "type"'),
])
def test_malformed_export_names_file_and_place(tmp_path, content, expected):
    path = tmp_path / "arg.json"
    path.write_text(content)
    with pytest.raises(EvidenceError) as info:
        read_arg_export(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_sources_that_cannot_be_read_become_named_gaps(tmp_path):
    (tmp_path / "arg.json").write_text(json.dumps([ROW]))
    params = tmp_path / "t.yaml"
    closed = free_port()  # nothing listens there: the collector records a gap, no retry
    params.write_text(
        "tenant: t\nsources:\n  azure:\n    export: arg.json\n"
        f"  postgres:\n    dsn: host=127.0.0.1 port={closed} dbname=postgres user=readiness"
        " connect_timeout=2\n"
        "attestations:\n  oncall.rota:\n    value: 24x7 rota\n"
        "    attested_by: Ops Lead\n    attested_at: 2026-11-20\n")
    ev = gather_evidence(load_parameters(params))
    assert len(ev.table("azure_resources")) == 1
    gaps = ev.gaps.set_index("source")
    assert sorted(gaps.index) == ["azure", "postgres"]
    assert gaps.loc["postgres", "what"] == "connection to the server"
    assert gaps.loc["postgres", "reason"].startswith("connection failed")
    # the export carries no ARM details: said so, not silently absent
    assert gaps.loc["azure", "table"] == "azure_arm_details"
    assert "arm_export" in gaps.loc["azure", "reason"]
    a = ev.table("attestations").iloc[0]
    assert (a["key"], a["value"], a["attested_by"]) == ("oncall.rota", "24x7 rota", "Ops Lead")
    assert ev.provenance["attestations"].source == "attested"


def test_parameter_attestations_replace_the_bundles(tmp_path):
    params = tmp_path / "t.yaml"
    params.write_text(
        "tenant: t\nsources:\n  evidence: demo\n"
        "attestations:\n  oncall.rota:\n    value: none yet\n"
        "    attested_by: New Lead\n    attested_at: 2026-11-26\n")
    ev = gather_evidence(load_parameters(params))
    rota = ev.table("attestations").set_index("key").loc["oncall.rota"]
    assert rota["value"] == "none yet" and rota["attested_by"] == "New Lead"


def test_an_explicit_bundle_still_gets_the_parameters_attestations():
    """A notebook's evidence_dir stands in for sources.evidence; interview answers from the
    parameters file are evidence either way (no live-source gaps are invented for it)."""
    from readiness_kit.evidence import DEMO_BUNDLE

    loaded = load_parameters("parameters/demo-retail.yaml")
    ev = gather_evidence(loaded, DEMO_BUNDLE)
    keys = set(ev.table("attestations")["key"])
    assert keys == set(loaded.params.attestations)
    assert ev.gaps["source"].tolist() == ["azure"]  # the bundle's own gap only
