"""Tests of the DevOps checks DEV-REL-*: releases."""

import datetime as dt

import pytest
from factories import attestation, run, statuses

from ._shared import BUILD, PROD, demo_pipelines, good_pipelines, pipeline, subj


def test_production_has_rollback():
    demo = run("DEV-REL-001", {"gitops_pipelines": demo_pipelines()})
    assert statuses(demo) == {subj(PROD): "fail"}
    assert demo.detail[0] == "no rollback path is defined for production deployments"
    good = run("DEV-REL-001", {"gitops_pipelines": good_pipelines()})
    assert good.status.tolist() == ["pass"]


def test_no_production_pipeline_is_not_assessed():
    result = run("DEV-REL-001", {"gitops_pipelines": [pipeline(BUILD, builds_image=True)]})
    assert result.status.tolist() == ["not_assessed"]


def rollback(value: str, key: str = "release.rollback_tested") -> dict:
    return attestation(key, value, by="Release Manager", note="interview")


@pytest.mark.parametrize(("value", "status"), [
    ("false", "fail"), ("False", "fail"), ("true", "pass"), ("2026-10-02", "pass"),
    ("not sure", "not_assessed"), ("2025-01-10", "fail")])
def test_rollback_tested_attestation(value, status):
    result = run("DEV-REL-002", {"attestations": [rollback(value)]})
    assert statuses(result) == {"attestation:release.rollback_tested": status}
    stale = "; 686 days ago, more than 180" if value == "2025-01-10" else ""
    assert result.detail[0] == (f"rollback tested: {value}{stale} (attested by Release "
                                "Manager on 2026-11-20)")
    assert result.evidence_basis[0] == "attested"


def test_rollback_tested_missing_attestation():
    result = run("DEV-REL-002", {"attestations": [rollback("x", key="oncall.rota")]})
    assert result.status.tolist() == ["not_assessed"]
    assert result.subject.tolist() == ["attestation:release.rollback_tested"]
    assert result.detail[0] == ("No attestation 'release.rollback_tested' recorded: ask for "
                                "it in the readiness interview.")


def test_rollback_tested_latest_answer_wins_and_accepts_timestamps():
    rows = [rollback("false") | {"attested_at": dt.date(2026, 1, 5)},
            rollback("2026-11-02T16:30:00+01:00")]
    result = run("DEV-REL-002", {"attestations": rows})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0].startswith("rollback tested: 2026-11-02T16:30:00+01:00 (")
