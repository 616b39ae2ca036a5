"""Tests of the resilience checks RES-DRL-*: restore drills."""

import datetime as dt

from factories import attestation, run


def test_restore_drill_age():
    old = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-03-12")]})
    assert old.status.tolist() == ["fail"]
    assert "260 days before the review (max 180" in old.detail[0]
    recent = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-10-01")]})
    assert recent.status.tolist() == ["pass"]
    latest_wins = run("RES-DRL-001", {"attestations": [
        attestation("restore_drill.last_date", "2026-10-01", at=dt.date(2026, 11, 1)),
        attestation("restore_drill.last_date", "2025-01-01", at=dt.date(2026, 1, 1))]})
    assert latest_wins.status.tolist() == ["pass"]


def test_attestation_checks_not_assessed_without_table():
    result = run("RES-DRL-001", {"azure_resources": []})
    assert result.status.tolist() == ["not_assessed"]
    assert "attestations" in result.detail[0]
