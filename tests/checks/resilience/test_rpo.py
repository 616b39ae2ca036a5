"""Tests of the resilience checks RES-RPO-*: recovery point objective."""

import pytest
from factories import by_subject, kobj, params_for, run

from readiness_kit.checks.resilience import cron_max_interval_minutes, rpo_estimates
from readiness_kit.evidence import evidence_from_records

from ._shared import blob_services, details, pg, storage


def cronjob(ns: str, name: str, schedule: str, suspend: bool = False) -> dict:
    return kobj("CronJob", ns, name, {
        "schedule": schedule, "suspend": suspend, "concurrencyPolicy": "Forbid",
        "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure",
            "containers": [{"name": "azcopy", "image": "mcr.microsoft.com/azure-cli:2.67.0"}]}}}}},
        labels={"app.kubernetes.io/name": name}, api="batch/v1")


@pytest.mark.parametrize("schedule, minutes", [
    ("0 */6 * * *", 360), ("*/15 * * * *", 15), ("@hourly", 60), ("30 2 * * *", 1440),
    ("0 1 * * 1-5", 3 * 1440), ("0 0 1 * *", 31 * 1440), ("0,30 8-18 * * *", 13 * 60 + 30),
    ("0 0 * * SUN", 7 * 1440), ("not a cron", None), ("61 * * * *", None),
])
def test_cron_max_interval(schedule, minutes):
    assert cron_max_interval_minutes(schedule) == minutes


def rpo_story(versioning: bool | None, jobs: list[dict] | None):
    tables = {"azure_resources": [pg("psql-prod", "SameZone"),
                                  storage("strprodfiles", "Standard_ZRS")]}
    if versioning is not None:
        tables["azure_arm_details"] = [blob_services("strprodfiles", soft_delete=True,
                                                     versioning=versioning)]
    if jobs is not None:
        tables["k8s_objects"] = jobs
    return tables


def test_rpo_pg_pass_filestore_fail_on_cron_interval():
    result = run("RES-RPO-001", rpo_story(False, [cronjob("odoo-prod", "filestore-sync",
                                                          "0 */6 * * *")]))
    assert by_subject(result) == {"psql-prod": "pass", "strprodfiles": "fail"}
    d = details(result)
    assert "RPO about 5 min (target 15 min)" in d["psql-prod"]
    assert ("CronJob odoo-prod/filestore-sync ('0 */6 * * *') copies it every 360 min at "
            "worst: RPO 360 min (target 15 min)") in d["strprodfiles"]


def test_rpo_filestore_pass_with_versioning_or_frequent_sync():
    result = run("RES-RPO-001", rpo_story(True, None))
    assert by_subject(result)["strprodfiles"] == "pass"
    assert "blob versioning keeps every overwrite" in details(result)["strprodfiles"]
    result = run("RES-RPO-001", rpo_story(None, [cronjob("odoo-prod", "filestore-sync",
                                                         "*/10 * * * *")]))
    assert by_subject(result)["strprodfiles"] == "pass"
    assert "blob versioning not collected" in details(result)["strprodfiles"]


def test_rpo_filestore_without_mechanism_fails_and_unknown_is_not_assessed():
    suspended = [cronjob("odoo-prod", "filestore-sync", "*/5 * * * *", suspend=True)]
    result = run("RES-RPO-001", rpo_story(False, suspended))
    assert by_subject(result)["strprodfiles"] == "fail"
    assert "nothing bounds" in details(result)["strprodfiles"]
    result = run("RES-RPO-001", rpo_story(False, None))
    assert by_subject(result)["strprodfiles"] == "not_assessed"


def test_rpo_estimates_table_for_charts():
    story = rpo_story(False, [cronjob("odoo-prod", "filestore-sync", "0 */6 * * *")])
    table = rpo_estimates(evidence_from_records(story), params_for())
    assert table.set_index("kind")["rpo_minutes"].to_dict() == {"PostgreSQL": 5.0,
                                                                "Odoo filestore": 360.0}
    assert (table["target_minutes"] == 15).all()


def test_rpo_real_bodies():
    from factories import real_body, real_detail, renamed
    server = real_body("pg_server_zone_redundant")
    versioned = renamed(real_body("storage_account_tls12", set={"tags.role": "filestore"}),
                        "fs-versioned")
    unversioned = renamed(real_body("storage_account_tls12", set={"tags.role": "filestore"}),
                          "fs-plain")
    blobs = [real_detail("storage_blob_service", parent=versioned["id"]),   # versioning on
             real_detail("storage_blob_service", parent=unversioned["id"],
                         set={"properties.isVersioningEnabled": False})]
    result = run("RES-RPO-001", {"azure_resources": [server, versioned, unversioned],
                                 "azure_arm_details": blobs, "k8s_objects": []})
    assert by_subject(result) == {"exampleserver1": "pass", "fs-versioned": "pass",
                                  "fs-plain": "fail"}
    assert details(result)["fs-plain"] == ("blob versioning off and no filestore sync CronJob: "
                                           "nothing bounds how much of the filestore is lost")
