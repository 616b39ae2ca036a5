"""Tests of the resilience checks RES-DR-*: DR runbooks."""

from factories import attestation, run


def test_dr_runbook_owner_and_review():
    owner = run("RES-DR-001", {"attestations": [
        attestation("dr_runbook.owner", "Head of Platform Engineering", by="Jonas Weber")]})
    assert owner.status.tolist() == ["pass"]
    assert owner.detail[0].startswith("DR runbook owner: Head of Platform Engineering "
                                      "(attested by Jonas Weber on")
    nobody = run("RES-DR-001", {"attestations": [attestation("dr_runbook.owner", "none")]})
    assert nobody.status.tolist() == ["fail"]
    reviewed = run("RES-DR-002", {"attestations": [
        attestation("dr_runbook.last_reviewed", "2026-09-01")]})
    assert reviewed.status.tolist() == ["pass"]
    assert "87 days ago (max 365" in reviewed.detail[0]
    stale = run("RES-DR-002", {"attestations": [
        attestation("dr_runbook.last_reviewed", "2025-06-30")]})
    assert stale.status.tolist() == ["fail"]
