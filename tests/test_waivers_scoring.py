import datetime as dt

import pandas as pd

from readiness_kit.checks.registry import FINDING_COLUMNS
from readiness_kit.params import Waiver
from readiness_kit.scoring import domain_scores, gate
from readiness_kit.waivers import apply_waivers

DAY = dt.date(2026, 11, 27)


def finding(check_id, domain, severity, status, subject="s"):
    row = dict.fromkeys(FINDING_COLUMNS)
    row.update(check_id=check_id, domain=domain, severity=severity, status=status,
               subject=subject, title=check_id, detail="d")
    return row


def frame(*rows):
    return pd.DataFrame(list(rows), columns=FINDING_COLUMNS)


def all_domains_pass(**overrides):
    rows = [finding(f"{d[:3].upper()}-X-001", d, "high", "pass")
            for d in ("architecture", "scalability", "security", "resilience", "operations",
                      "devops")]
    return rows


def test_active_waiver_turns_fail_into_waived_and_expired_one_is_flagged():
    f = frame(finding("SEC-A-001", "security", "high", "fail", "/x/strfiles"),
              finding("SEC-A-001", "security", "high", "fail", "/x/strother"),
              finding("OPS-B-001", "operations", "medium", "fail", "log"))
    waivers = [
        Waiver(check_id="SEC-A-001", subject="*strfiles", reason="moving", owner="CISO",
               expires=dt.date(2027, 1, 1)),
        Waiver(check_id="OPS-B-001", subject="*", reason="later", owner="Ops",
               expires=dt.date(2026, 10, 31)),
        Waiver(check_id="DEV-C-001", subject="*", reason="n/a", owner="Dev",
               expires=dt.date(2027, 1, 1)),
    ]
    out, table = apply_waivers(f, waivers, DAY)
    assert out["status"].tolist() == ["waived", "fail", "fail"]
    assert out.loc[0, "waiver_owner"] == "CISO"
    assert table["state"].tolist() == ["active", "expired", "unused"]
    assert table["matched"].tolist() == [1, 1, 0]


def test_waiver_applies_through_its_expiry_day():
    f = frame(finding("SEC-A-001", "security", "high", "fail"))
    w = [Waiver(check_id="SEC-A-001", reason="accepted", owner="CISO", expires=DAY)]
    assert apply_waivers(f, w, DAY)[0]["status"].tolist() == ["waived"]


def test_critical_fail_means_not_ready():
    f = frame(*all_domains_pass(), finding("RES-PG-001", "resilience", "critical", "fail"))
    decision, reasons = gate(domain_scores(f))
    assert decision == "not_ready"
    assert reasons == ["1 critical check(s) fail in resilience."]


def test_not_ready_reasons_name_the_critical_risks():
    crit = finding("RES-PG-001", "resilience", "critical", "fail")
    crit["risk"] = "a zone outage stops order capture"
    f = frame(*all_domains_pass(), crit, {**crit, "subject": "other"})
    decision, reasons = gate(domain_scores(f), f)
    assert decision == "not_ready"
    assert reasons == ["Critical (resilience, RES-PG-001): a zone outage stops order capture."]


def test_waived_critical_does_not_block():
    f = frame(*all_domains_pass(), finding("RES-PG-001", "resilience", "critical", "waived"))
    assert gate(domain_scores(f), f)[0] == "ready"


def test_all_demonstrated_means_ready():
    decision, _ = gate(domain_scores(frame(*all_domains_pass())))
    assert decision == "ready"


def test_not_assessed_lowers_coverage_and_blocks_ready():
    f = frame(*all_domains_pass(),
              finding("OPS-Y-001", "operations", "critical", "not_assessed"))
    scores = domain_scores(f).set_index("domain")
    assert scores.loc["operations", "score"] == 100.0
    assert scores.loc["operations", "coverage"] == round(5 / 15, 3)
    decision, reasons = gate(scores.reset_index())
    assert decision == "conditional"
    assert any("observable operations" in r.lower() for r in reasons)


def test_severity_weighted_score():
    f = frame(finding("SCL-A-001", "scalability", "critical", "pass"),
              finding("SCL-B-001", "scalability", "low", "fail"),
              finding("SCL-C-001", "scalability", "medium", "pass", "a"),
              finding("SCL-C-001", "scalability", "medium", "fail", "b"))
    score = domain_scores(f).set_index("domain").loc["scalability", "score"]
    assert score == round(100 * (10 + 0 + 3 * 0.5) / 14, 1)


def test_error_in_high_check_blocks_capability():
    f = frame(*all_domains_pass(), finding("DEV-Z-001", "devops", "high", "error"))
    decision, reasons = gate(domain_scores(f))
    assert decision == "conditional" and any("could not run" in r for r in reasons)


def test_gate_when_architecture_only_has_findings():
    f = frame(finding("ARC-A-001", "architecture", "high", "fail"))
    decision, reasons = gate(domain_scores(f))
    assert decision == "conditional"
    assert any("architecture" in r for r in reasons)
    assert any("Controlled scalability is not demonstrated" in r for r in reasons)
