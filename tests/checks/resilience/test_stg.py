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


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, real_detail, renamed  # noqa: E402


def account(fixture: str, name: str, role: str, **set_) -> dict:
    """A corpus storage account renamed ``name`` with a ``role`` tag (how the review tells
    the filestore and backup accounts apart), the example's own tags kept."""
    return renamed(real_body(fixture, set={"tags.role": role, **set_}), name)


def blob(parent: dict, **set_) -> dict:
    return real_detail("storage_blob_service", parent=parent["id"], set=set_ or None)


def test_storage_redundancy_real_bodies():
    rows = [account("storage_account_zrs_locked", "fs-gzrs", "filestore"),   # Standard_GZRS
            account("storage_account_tls12", "fs-grs", "filestore"),         # Standard_GRS
            account("storage_account_lrs", "bk-lrs", "backup"),              # Standard_LRS
            account("storage_account_grs_open", "bk-grs", "backup")]
    result = run("RES-STG-001", {"azure_resources": rows})
    assert by_subject(result) == {"fs-gzrs": "pass", "fs-grs": "fail"}
    result = run("RES-STG-003", {"azure_resources": rows})
    assert by_subject(result) == {"bk-lrs": "fail", "bk-grs": "pass"}
    assert details(result)["bk-lrs"] == "SKU Standard_LRS: every copy sits in one datacenter"


def test_blob_and_container_soft_delete_real_bodies():
    fs = account("storage_account_tls12", "fs-prod", "filestore")
    fs_off = account("storage_account_tls12", "fs-old", "filestore")
    bk = account("storage_account_lrs", "bk-prod", "backup")
    bk_unread = account("storage_account_lrs", "bk-unread", "backup")
    details_ = [blob(fs),                                       # soft delete 300 d, versioning
                blob(fs_off, **{"properties.isVersioningEnabled": False}),
                real_detail("storage_blob_service_container_soft_delete", parent=bk["id"])]
    tables = {"azure_resources": [fs, fs_off, bk, bk_unread], "azure_arm_details": details_}
    result = run("RES-STG-002", tables)
    assert by_subject(result) == {"fs-prod": "pass", "fs-old": "fail"}
    assert details(result)["fs-prod"] == "blob soft delete on (300 days), versioning on"
    result = run("RES-STG-004", tables)
    assert by_subject(result) == {"bk-prod": "pass", "bk-unread": "not_assessed"}
    result = run("RES-STG-005", tables)
    assert by_subject(result) == {"fs-prod": "fail", "fs-old": "fail", "bk-prod": "pass",
                                  "bk-unread": "not_assessed"}
    assert details(result)["bk-prod"] == "container soft delete on (14 days)"
    assert details(result)["fs-prod"] == ("container soft delete off (not reported; Azure "
                                          "leaves container soft delete off unless enabled)")


def test_backup_storage_immutability_real_bodies():
    worm = account("storage_account_zrs_locked", "bk-worm", "backup")   # versioning-level WORM
    plain = account("storage_account_lrs", "bk-plain", "backup")
    locked = account("storage_account_lrs", "bk-locked", "backup")
    container = real_detail("storage_container_immutable", parent=locked["id"])  # Locked
    result = run("RES-STG-006", {"azure_resources": [worm, plain, locked],
                                 "azure_arm_details": [container]})
    assert by_subject(result) == {"bk-worm": "pass", "bk-plain": "fail", "bk-locked": "pass"}
    assert details(result)["bk-locked"] == "immutability policy on container container1634 " \
        "(locked)"
    # containers never read: only account-level immutability can be judged
    result = run("RES-STG-006", {"azure_resources": [worm, plain]})
    assert by_subject(result) == {"bk-worm": "pass", "bk-plain": "not_assessed"}
