"""RPO/RTO achieved vs target, worked out from evidence (worked examples)."""

import datetime as dt

from factories import arm, attestation, params_for, real_body, rid

from readiness_kit.evidence import evidence_from_records
from readiness_kit.recovery import recovery_figures

AS_OF = dt.date(2026, 11, 20)


def tables(*, geo="Enabled", sku="Standard_GZRS", versioning=True, drill_rto="45",
           drill_date="2026-10-01", dr_rto=None):
    pg = real_body("pg_server_zone_redundant", set={
        "properties.backup.geoRedundantBackup": geo, "properties.backup.backupRetentionDays": 14})
    files = arm("Microsoft.Storage/storageAccounts", "stretailfiles",
                {"minimumTlsVersion": "TLS1_2"}, rg="rg-data", kind="StorageV2",
                sku={"name": sku, "tier": "Standard"})
    blob = {"resource_id": rid("rg-data", "Microsoft.Storage/storageAccounts", "stretailfiles"),
            "detail_type": "blobServices", "name": "default",
            "properties": {"isVersioningEnabled": versioning}}
    atts = [attestation("restore_drill.achieved_rto_minutes", drill_rto),
            attestation("restore_drill.last_date", drill_date)]
    if dr_rto is not None:
        atts.append(attestation("dr_drill.achieved_rto_minutes", dr_rto))
    return {"azure_resources": [pg, files], "azure_arm_details": [blob], "k8s_objects": [],
            "attestations": atts}


def figures(t, **targets):
    params = params_for("t", targets={"rpo_minutes": 15, "rto_minutes": 60, **targets})
    rec = recovery_figures(evidence_from_records(t), params, AS_OF)
    return {(r.kind, r.scope): r for r in rec.itertuples()}


def test_worked_example_everything_within_in_place_but_geo_restore_misses_15_minutes():
    rec = figures(tables(dr_rto="240"))
    pg, fs = rec[("PostgreSQL", "local")], rec[("Odoo filestore", "local")]
    # PITR replays archived WAL: 5 min <= 15; versioning keeps every overwrite: 0 min
    assert (pg.rpo_minutes, pg.rpo_status) == (5.0, "within")
    assert (fs.rpo_minutes, fs.rpo_status) == (0.0, "within")
    # the drill of 2026-10-01 took 45 min <= 60, 50 days ago
    assert (pg.rto_minutes, pg.rto_status) == (45.0, "within")
    assert "50 days ago" in pg.rto_basis
    # another region: geo-restore under 1 h (60 > 15 misses), GZRS within 15 min (15 <= 15)
    geo_pg, geo_fs = rec[("PostgreSQL", "regional")], rec[("Odoo filestore", "regional")]
    assert (geo_pg.rpo_minutes, geo_pg.rpo_status) == (60.0, "breach")
    assert (geo_fs.rpo_minutes, geo_fs.rpo_status) == (15.0, "within")
    # the regional drill measured 240 min > 60
    assert (geo_pg.rto_minutes, geo_pg.rto_status) == (240.0, "breach")
    # no GitOps evidence: the platform configuration's RPO is unknown, never assumed
    cfg = rec[("Platform configuration", "local")]
    assert cfg.rpo_status == "unknown" and "no evidence" in cfg.rpo_basis


def test_a_looser_rpo_target_turns_the_geo_restore_within():
    rec = figures(tables(), rpo_minutes=60)
    assert rec[("PostgreSQL", "regional")].rpo_status == "within"


def test_no_copy_outside_the_region_breaches_both_objectives():
    rec = figures(tables(geo="Disabled", sku="Standard_ZRS"))
    for kind in ("PostgreSQL", "Odoo filestore"):
        row = rec[(kind, "regional")]
        assert (row.rpo_status, row.rto_status) == ("breach", "breach")
        assert row.rpo_minutes != row.rpo_minutes  # NaN: there is no figure to give
    assert "no copy outside" in rec[("PostgreSQL", "regional")].rpo_basis


def test_rto_is_only_what_a_drill_measured_and_a_stale_drill_is_tight():
    rec = figures(tables(drill_date="2025-01-10"))
    pg = rec[("PostgreSQL", "local")]
    assert pg.rto_status == "tight" and "older than 180 days" in pg.rto_basis
    fs = rec[("Odoo filestore", "local")]
    assert fs.rto_status == "unknown" and "restore_drill.filestore_rto_minutes" in fs.rto_basis
    assert figures(tables(drill_rto="75"))[("PostgreSQL", "local")].rto_status == "breach"


def test_filestore_without_versioning_or_sync_job_has_no_bounded_rpo():
    fs = figures(tables(versioning=False))[("Odoo filestore", "local")]
    assert fs.rpo_status in ("unknown", "breach")
    assert fs.rpo_minutes != fs.rpo_minutes
