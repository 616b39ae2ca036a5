"""The story told from findings: verdicts and risks in business words, ranked."""

import pytest

from readiness_kit import DOMAINS
from readiness_kit.impact import CAPABILITIES
from readiness_kit.narrative import domain_verdict, gate_verdict, top_risks
from readiness_kit.review import load_review
from readiness_kit.scoring import SEVERITY_WEIGHT


def impact_of_titles(titles):
    weight = {c.title: c.weight for c in CAPABILITIES.values()}
    return [weight[t] for t in titles]


@pytest.fixture(scope="module")
def demo():
    return load_review("parameters/demo-retail.yaml", as_of="2026-11-27")


def test_top_risks_ranked_by_launch_risk_then_reach(demo):
    risks = top_risks(demo.findings, n=10)
    assert len(risks) == 10
    scores = [r["launch_risk"] for r in risks]
    assert scores == sorted(scores, reverse=True)
    assert all(r["launch_risk"] == pytest.approx(
        SEVERITY_WEIGHT[r["severity"]] * max(impact_of_titles(r["capabilities"]))
        * r["likelihood"]) for r in risks)
    assert risks[0]["severity"] == "critical"
    failing = set(demo.findings.loc[demo.findings.status == "fail", "check_id"])
    assert {r["check_id"] for r in risks} <= failing
    assert len({r["check_id"] for r in risks}) == 10  # one entry per check


def test_risk_subjects_are_readable_names(demo):
    pg = next(r for r in top_risks(demo.findings, n=50) if r["check_id"] == "RES-PG-001")
    assert pg["subjects"] == ["flexibleServers/psql-retail-prod"]
    assert "zone outage stops order capture" in pg["risk"]


def test_waived_and_passing_findings_are_not_risks(demo):
    ids = {r["check_id"] for r in top_risks(demo.findings, n=500)}
    waived_only = set(demo.findings.loc[demo.findings.status == "waived", "check_id"]) - set(
        demo.findings.loc[demo.findings.status == "fail", "check_id"])
    assert not ids & waived_only


def test_gate_verdict_names_counts_and_expired_waiver(demo):
    v = gate_verdict(demo)
    assert v["gate"] == "not_ready" and v["headline"] == "Not ready for production"
    text = " ".join(v["paragraphs"])
    assert "Demo Retail Group should not go live yet: 2 critical checks" in text
    assert "1 waiver expired and no longer applies" in text


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_verdict_counts_match_findings(demo, domain):
    v = domain_verdict(demo, domain)
    f = demo.domain(domain)
    n_checks = f["check_id"].nunique()
    failing = f.loc[f.status == "fail", "check_id"].nunique()
    assert f"of {n_checks} checks pass and {failing} fail" in v["paragraphs"][0]
    score = demo.scores.set_index("domain").loc[domain, "score"]
    assert f"({score:.0f}/100)" in v["headline"]
    if failing:
        assert v["paragraphs"][1].startswith("The most serious gap: ")
