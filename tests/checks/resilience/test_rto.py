"""Tests of the resilience checks RES-RTO-*: recovery time objective."""

from factories import attestation, run


def test_rto_achieved_attested():
    bad = run("RES-RTO-001", {"attestations": [
        attestation("restore_drill.achieved_rto_minutes", "95")]})
    assert bad.status.tolist() == ["fail"]
    assert bad.subject[0] == "attestation:restore_drill.achieved_rto_minutes"
    assert bad.detail[0] == ("last restore drill took 95 min against the RTO target of 60 min "
                             "(attested by Marta Keller (Platform Lead) on 2026-11-20)")
    good = run("RES-RTO-001", {"attestations": [
        attestation("restore_drill.achieved_rto_minutes", "45")]},
        targets={"rto_minutes": 60})
    assert good.status.tolist() == ["pass"]
    missing = run("RES-RTO-001", {"attestations": [attestation("oncall.rota", "x")]})
    assert missing.status.tolist() == ["not_assessed"]
    assert "No attestation 'restore_drill.achieved_rto_minutes'" in missing.detail[0]
