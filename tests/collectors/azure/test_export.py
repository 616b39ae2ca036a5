"""Offline Resource Graph exports (az JSON, portal CSV) and saved ARM responses."""

from __future__ import annotations

import csv
import json

import pytest

from readiness_kit.collectors.azure import normalise_arg_row, read_arg_export
from readiness_kit.collectors.azure.export import gather_arm_export
from readiness_kit.collectors.azure.gathered import NAMED_REFUSALS, Gathered
from readiness_kit.collectors.azure.rows import arg_table_of
from readiness_kit.errors import EvidenceError

SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
PG_ID = (f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/"
         "Microsoft.DBforPostgreSQL/flexibleServers/pg-a")
# A flexible server row shaped as Resource Graph returns it (properties per the
# ServerGet example of Microsoft.DBforPostgreSQL 2024-08-01).
PG = {
    "id": PG_ID, "name": "pg-a", "type": "microsoft.dbforpostgresql/flexibleservers",
    "tenantId": "", "kind": "", "location": "westeurope", "resourceGroup": "rg-data",
    "subscriptionId": SUB, "managedBy": "", "plan": None, "zones": ["1"],
    "sku": {"name": "Standard_D4ds_v5", "tier": "GeneralPurpose"},
    "tags": {"environment": "production"}, "identity": None,
    "properties": {"version": "16", "state": "Ready",
                   "highAvailability": {"mode": "ZoneRedundant", "state": "Healthy",
                                        "standbyAvailabilityZone": "2"},
                   "storage": {"storageSizeGB": 512, "autoGrow": "Enabled"},
                   "availabilityZone": "1"},
}
VAULT_POLICY = {
    "id": f"/subscriptions/{SUB}/resourceGroups/rg-ops/providers/Microsoft.RecoveryServices/"
          "vaults/rsv-a/backupPolicies/daily",
    "name": "daily", "type": "microsoft.recoveryservices/vaults/backuppolicies",
    "subscriptionId": SUB, "resourceGroup": "rg-ops", "location": "westeurope",
    "properties": {"backupManagementType": "AzureIaasVM"},
}


def _write_csv(path, rows, *, formatted=False):
    columns = ["id", "name", "type", "tenantId", "kind", "location", "resourceGroup",
               "subscriptionId", "managedBy", "sku", "plan", "properties", "tags",
               "identity", "zones", "extendedLocation"]
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in rows:
            cells = []
            for c in columns:
                v = row.get(c)
                if c == "subscriptionId" and formatted:
                    v = "Retail Production"  # the portal's "format results" display name
                cells.append("" if v is None else json.dumps(v) if isinstance(v, dict | list)
                             else str(v))
            w.writerow(cells)


def test_json_and_portal_csv_of_the_same_rows_give_the_same_records(tmp_path):
    (tmp_path / "az.json").write_text(json.dumps(
        {"count": 2, "data": [PG, VAULT_POLICY], "skip_token": None, "total_records": 2}))
    _write_csv(tmp_path / "portal.csv", [PG, VAULT_POLICY], formatted=True)
    from_json = read_arg_export(tmp_path / "az.json").table("azure_resources")
    from_csv = read_arg_export(tmp_path / "portal.csv").table("azure_resources")
    assert from_json.to_dict("records") == from_csv.to_dict("records")
    pg = from_json.iloc[0]
    assert pg["subscription_id"] == SUB  # from the id, not the display name
    assert json.loads(pg["properties"])["highAvailability"]["mode"] == "ZoneRedundant"
    assert from_json["arg_table"].tolist() == ["resources", "recoveryservicesresources"]


def test_a_folder_of_exports_is_read_whole(tmp_path):
    (tmp_path / "resources.json").write_text(json.dumps([PG]))
    _write_csv(tmp_path / "recovery.csv", [VAULT_POLICY])
    (tmp_path / "notes.txt").write_text("not an export")
    df = read_arg_export(tmp_path).table("azure_resources")
    assert sorted(df["name"]) == ["daily", "pg-a"]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("properties", json.dumps(PG["properties"]), "properties: expected a JSON object"),
    ("zones", "1,2", "zones: expected a list of zone names"),
    ("tags", ["environment"], "tags: expected a JSON object of text values"),
    ("sku", "Standard_D4ds_v5", "sku: expected a JSON object"),
    ("identity", 7, "identity: expected a JSON object"),
])
def test_a_row_not_of_arm_shape_is_refused_naming_row_and_field(tmp_path, field, value,
                                                                expected):
    bad = {**PG, "id": PG_ID + "-bad", field: value}
    (tmp_path / "arg.json").write_text(json.dumps({"data": [PG, bad]}))
    ev = read_arg_export(tmp_path / "arg.json")
    assert ev.table("azure_resources")["id"].tolist() == [PG_ID]  # never silently emptied
    gap = ev.gaps.iloc[0]
    assert PG_ID + "-bad" in gap["what"] and "arg.json" in gap["what"]
    assert expected in gap["reason"]


def test_many_refused_rows_are_named_then_counted(tmp_path):
    rows = [{**PG, "id": f"{PG_ID}-{i}", "properties": "{}"} for i in range(NAMED_REFUSALS + 5)]
    (tmp_path / "arg.json").write_text(json.dumps(rows))
    ev = read_arg_export(tmp_path / "arg.json")
    assert not ev.has("azure_resources")
    assert len(ev.gaps) == NAMED_REFUSALS + 1  # the first ones named, then a count
    assert "5 more rows in arg.json" in ev.gaps["what"].tolist()


@pytest.mark.parametrize("content", ['{"count": 0, "data": [], "total_records": 0}', "[]"])
def test_an_export_with_no_rows_is_a_gap_not_an_empty_table(tmp_path, content):
    (tmp_path / "arg.json").write_text(content)
    ev = read_arg_export(tmp_path / "arg.json")
    assert not ev.has("azure_resources")  # checks say not_assessed, never pass
    gap = ev.gaps.iloc[0]
    assert gap["table"] == "azure_resources" and "holds no rows" in gap["reason"]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b'{"data": {"id": 1}}', 'expected a JSON list of rows or an object with "data"'),
    (b'{"data": [{"id": "/x", "type": "t"}, {"id": ', "not valid JSON"),
    ('[{"id": "/x"}]'.encode("utf-16"), "UTF-16"),
])
def test_unreadable_exports_name_the_file(tmp_path, content, expected):
    path = tmp_path / "arg.json"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as info:
        read_arg_export(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_missing_export_and_csv_without_id_column(tmp_path):
    with pytest.raises(EvidenceError, match="Azure export not found"):
        read_arg_export(tmp_path / "nowhere.json")
    (tmp_path / "x.csv").write_text("name,location\na,westeurope\n")
    with pytest.raises(EvidenceError, match='"id" and "type" columns'):
        read_arg_export(tmp_path / "x.csv")


def test_arg_table_follows_the_type_as_resource_graph_files_it():
    assert arg_table_of("Microsoft.Resources/subscriptions/resourceGroups") == \
        "resourcecontainers"
    assert arg_table_of("microsoft.policyinsights/policystates") == "policyresources"
    assert arg_table_of("microsoft.authorization/roleassignments") == "authorizationresources"
    assert arg_table_of("microsoft.recoveryservices/vaults") == "resources"
    assert arg_table_of("microsoft.dataprotection/backupvaults/backupinstances") == \
        "recoveryservicesresources"
    # a live row keeps the table it was read from
    assert normalise_arg_row(PG, "resources")["arg_table"] == "resources"


DIAG = {
    "id": f"{PG_ID}/providers/microsoft.insights/diagnosticSettings/to-law",
    "name": "to-law", "type": "Microsoft.Insights/diagnosticSettings",
    "properties": {"workspaceId": "/subscriptions/x/resourceGroups/rg/providers/"
                                  "Microsoft.OperationalInsights/workspaces/law",
                   "logs": [{"category": "PostgreSQLLogs", "enabled": True}], "metrics": []},
}


def test_saved_arm_responses_bodies_lists_and_recorded_errors(tmp_path):
    folder = tmp_path / "arm"
    folder.mkdir()
    (folder / "pg-diag.json").write_text(json.dumps({"value": [DIAG]}))
    (folder / "recorded.json").write_text(json.dumps({"responses": [
        {"request": f"GET {PG_ID}/configurations?api-version=2024-08-01", "status": 200,
         "body": {"value": [{"id": f"{PG_ID}/configurations/require_secure_transport",
                             "name": "require_secure_transport",
                             "type": "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
                             "properties": {"value": "on", "source": "system-default"}}]}},
        {"request": f"GET {PG_ID.replace('pg-a', 'pg-b')}/providers/Microsoft.Insights/"
                    "diagnosticSettings?api-version=2021-05-01-preview", "status": 403,
         "body": {"error": {"code": "AuthorizationFailed",
                            "message": "The client does not have authorization to perform "
                                       "action 'Microsoft.Insights/diagnosticSettings/read'"}}},
    ]}))
    got = Gathered()
    gather_arm_export(folder, got)
    by_type = {(d["detail_type"], d["name"]): d for d in got.details}
    assert by_type[("diagnosticSettings", "to-law")]["resource_id"] == PG_ID
    conf = by_type[("configurations", "require_secure_transport")]
    assert conf["resource_id"] == PG_ID and json.loads(conf["properties"])["value"] == "on"
    (gap,) = got.gaps
    assert gap["what"] == ("diagnosticSettings of "
                           "microsoft.dbforpostgresql/flexibleservers/pg-b")
    assert gap["reason"].startswith("403 AuthorizationFailed")


def test_saved_arm_response_without_an_arm_id_is_refused(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps([{"id": "not-an-id", "properties": {}}]))
    with pytest.raises(EvidenceError) as info:
        gather_arm_export(tmp_path / "x.json", Gathered())
    assert "item 0" in str(info.value) and "id: expected" in str(info.value)


def test_an_empty_tags_text_is_no_tags(tmp_path):
    """ARM's own example of an Application Insights component writes ``"tags": ""``: the row
    is read (without tags), not refused."""
    component = {"id": "/subscriptions/subid/resourceGroups/my-resource-group/providers/"
                       "Microsoft.Insights/components/my-component", "name": "my-component",
                 "type": "microsoft.insights/components", "location": "southcentralus",
                 "tags": "", "kind": "web", "properties": {"IngestionMode": "LogAnalytics"}}
    (tmp_path / "arg.json").write_text(json.dumps({"data": [component]}))
    ev = read_arg_export(tmp_path / "arg.json")
    df = ev.table("azure_resources")
    assert df["name"].tolist() == ["my-component"] and df["tags"].isna().all()
    assert ev.gaps.empty
