"""Tests of the resilience checks RES-STG-*: storage accounts."""

from factories import by_subject, run

from ._shared import blob_services, details, storage


def test_filestore_zone_redundant_by_name_and_tag():
    rows = [storage("stfilesprod", "Standard_ZRS"), storage("stodoodata", "Standard_LRS",
                                                            {"role": "filestore"}),
            storage("stbackupprod", "Standard_LRS")]
    result = run("RES-STG-001", {"azure_resources": rows})
    assert by_subject(result) == {"stfilesprod": "pass", "stodoodata": "fail"}
    assert details(result)["stodoodata"] == "SKU Standard_LRS"


def test_filestore_soft_delete_and_versioning():
    rows = [storage("stfilesa", "Standard_ZRS"), storage("stfilesb", "Standard_ZRS"),
            storage("stfilesc", "Standard_ZRS")]
    blobs = [blob_services("stfilesa", soft_delete=True, versioning=True),
             blob_services("stfilesb", soft_delete=True, versioning=False)]
    result = run("RES-STG-002", {"azure_resources": rows, "azure_arm_details": blobs})
    assert by_subject(result) == {"stfilesa": "pass", "stfilesb": "fail",
                                "stfilesc": "not_assessed"}
    d = details(result)
    assert d["stfilesb"] == "blob soft delete on (7 days), versioning off"
    assert "not collected" in d["stfilesc"]


def test_backup_storage_redundancy_and_soft_delete():
    rows = [storage("stbackupa", "Standard_GRS"), storage("stbackupb", "Standard_LRS"),
            storage("stfiles", "Standard_LRS")]
    result = run("RES-STG-003", {"azure_resources": rows})
    assert by_subject(result) == {"stbackupa": "pass", "stbackupb": "fail"}
    assert "one datacenter" in details(result)["stbackupb"]
    blobs = [blob_services("stbackupa", soft_delete=True, versioning=None, days=30),
             blob_services("stbackupb", soft_delete=None, versioning=None)]
    result = run("RES-STG-004", {"azure_resources": rows, "azure_arm_details": blobs})
    assert by_subject(result) == {"stbackupa": "pass", "stbackupb": "fail"}
    assert details(result)["stbackupb"] == ("blob soft delete off (not set: Azure leaves it "
                                            "off)")
