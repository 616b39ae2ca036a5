"""Scenario verdicts on evidence: survives, at risk, fails, not assessed; parameters move
only the scenarios they concern; the ranking puts business impact first."""

import datetime as dt

import pandas as pd
import pytest
from factories import GIB, ODOO_IMAGE, arm, deployment, hpa, odoo_conf, params_for

from readiness_kit.checks import REGISTRY
from readiness_kit.checks.registry import FINDING_COLUMNS
from readiness_kit.evidence import evidence_from_records
from readiness_kit.impact import capabilities_for
from readiness_kit.narrative import top_risks
from readiness_kit.review import Review, build_review, load_review
from readiness_kit.scenarios import SCENARIOS, Inputs, assess_scenarios
from readiness_kit.scenarios.peak import SCENARIO as PEAK
from readiness_kit.scenarios.release import SCENARIO as RELEASE

AS_OF = dt.date(2026, 11, 20)


def finding(check_id: str, status: str = "pass", severity: str | None = None, **kw) -> dict:
    chk = REGISTRY.get(check_id)
    row = dict.fromkeys(FINDING_COLUMNS)
    row.update(check_id=check_id, domain=chk.domain if chk else "operations",
               severity=severity or (chk.severity if chk else "medium"), status=status,
               subject=kw.pop("subject", f"subject-of-{check_id}"),
               title=chk.title if chk else check_id, risk=chk.risk if chk else "a risk",
               remediation=chk.remediation if chk else "fix it",
               capabilities="; ".join(chk.capabilities if chk else capabilities_for(check_id)))
    row.update(kw)
    return row


def chain_passing(scenario, **overrides) -> pd.DataFrame:
    """Every catalogue check the scenario rests on, passing unless ``overrides`` says."""
    rows = [finding(c, overrides.get(c, "pass")) for c in sorted(REGISTRY)
            if scenario.rests_on_check(c)]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def review(findings: pd.DataFrame, tables: dict, **params) -> Review:
    p = params_for("t", **params)
    return Review(params=p, ev=evidence_from_records(tables), findings=findings,
                  waivers=pd.DataFrame(), scores=pd.DataFrame(), gate="conditional",
                  gate_reasons=[], as_of=AS_OF)


def sized_for_peak(max_connections: int = 2000) -> dict:
    """A platform with room at 3x: (1 + 4 + 1) x 8 = 48 connections per pod x 12 pods."""
    pools = [{"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D4ds_v5",
              "maxPods": 30, "availabilityZones": ["1", "2", "3"]},
             {"name": "odoo", "mode": "User", "count": 3, "vmSize": "Standard_D8ds_v5",
              "maxPods": 30, "availabilityZones": ["1", "2", "3"], "enableAutoScaling": True,
              "minCount": 3, "maxCount": 12}]
    aks = arm("Microsoft.ContainerService/managedClusters", "aks", {"agentPoolProfiles": pools},
              rg="rg-aks")
    pg = arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql", {"version": "16"},
             sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})
    res = {"requests": {"cpu": "3", "memory": "3Gi"}, "limits": {"memory": "6Gi"}}
    return {
        "azure_resources": [aks, pg],
        "k8s_objects": [deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 3, resources=res),
                        hpa("odoo-prod", "odoo-web", 3, 12, 3)],
        "odoo_config": odoo_conf("odoo.conf", workers="4", max_cron_threads="1",
                                 db_maxconn="8", limit_memory_hard=str(600 * 2**20)),
        "pg_settings": [{"server": "psql", "name": "max_connections",
                         "setting": str(max_connections)}],
        "odoo_jobs": [],
        "redis_info": [{"instance": "redis", "section": "memory", "key": k, "value": v}
                       for k, v in {"used_memory": str(1 * GIB),
                                    "maxmemory": str(6 * GIB)}.items()],
        "attestations": [
            {"key": "peak.expected_orders_per_hour", "value": "9000", "attested_by": "L F",
             "attested_at": AS_OF},
            {"key": "peak.baseline_orders_per_hour", "value": "3000", "attested_by": "L F",
             "attested_at": AS_OF}],
    }


def test_peak_survives_on_a_platform_sized_for_it():
    rv = review(chain_passing(PEAK), sized_for_peak(), targets={"peak_multiplier": 3})
    result = PEAK.assess(Inputs(rv))
    statuses = {f.name: f.status for f in result.figures}
    assert set(statuses.values()) == {"within"}, statuses
    assert result.verdict == "survives", result.reason
    assert "passes and every figure is within target" in result.reason


def test_peak_is_at_risk_when_a_medium_check_fails_or_headroom_is_tight():
    medium = next(c for c in sorted(REGISTRY) if PEAK.rests_on_check(c)
                  and REGISTRY[c].severity == "medium")
    rv = review(chain_passing(PEAK, **{medium: "fail"}), sized_for_peak())
    result = PEAK.assess(Inputs(rv))
    assert result.verdict == "at_risk" and f"({medium} fails)" in result.reason
    # 48 x 12 = 576 connections at HPA max against 650 - 15 reserved: 9 % headroom
    tight = PEAK.assess(Inputs(review(chain_passing(PEAK), sized_for_peak(650))))
    assert tight.verdict == "at_risk"
    assert "PostgreSQL connections" in tight.reason


def test_peak_fails_when_demand_exceeds_capacity_and_names_the_figure():
    rv = review(chain_passing(PEAK), sized_for_peak(200))
    result = PEAK.assess(Inputs(rv))
    assert result.verdict == "fails"
    assert result.reason.startswith("PostgreSQL connections: the peak needs 576 connections "
                                    "against 185 available")


def test_a_failing_high_check_fails_the_scenario_with_its_business_risk():
    rv = review(chain_passing(RELEASE, **{"DEV-REL-002": "fail"}), {
        "attestations": [{"key": "release.rollback_tested", "value": "2026-10-02 drill",
                          "attested_by": "T B", "attested_at": AS_OF}]})
    result = RELEASE.assess(Inputs(rv))
    assert result.verdict == "fails"
    assert result.reason == f"{REGISTRY['DEV-REL-002'].risk} (DEV-REL-002 fails)."
    assert result.to_change[0] == REGISTRY["DEV-REL-002"].remediation


def test_release_survives_with_a_rehearsed_rollback_and_at_risk_without_the_answer():
    ok = review(chain_passing(RELEASE), {"attestations": [
        {"key": "release.rollback_tested", "value": "yes, 2026-10-02", "attested_by": "T B",
         "attested_at": AS_OF}]})
    assert RELEASE.assess(Inputs(ok)).verdict == "survives"
    unanswered = RELEASE.assess(Inputs(review(chain_passing(RELEASE), {"attestations": []})))
    assert unanswered.verdict == "at_risk"
    assert unanswered.missing_attestations == ["release.rollback_tested"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_scenario_is_not_assessed_when_its_essential_evidence_is_missing(scenario):
    rows = [finding(c, "not_assessed") for c in sorted(REGISTRY) if scenario.rests_on_check(c)]
    rv = review(pd.DataFrame(rows, columns=FINDING_COLUMNS), {})
    result = scenario.assess(Inputs(rv))
    if any(f.value is not None for f in result.figures):
        pytest.fail(f"{scenario.id} measured a figure from no evidence: {result.figures}")
    assert result.verdict == "not_assessed", result.reason
    assert all(_essential in set(result.chain["check_id"]) for _essential in
               [c for c in scenario.essential if c in REGISTRY])


@pytest.fixture(scope="module")
def demo():
    return load_review("parameters/demo-retail.yaml", as_of="2026-11-27")


@pytest.fixture(scope="module")
def demo_records(demo):
    return {a.scenario.id: a.record() for a in assess_scenarios(demo)}


def test_the_demo_answers_six_scenarios_from_the_findings_they_link_to(demo, demo_records):
    assert list(demo_records) == [s.id for s in SCENARIOS] and len(SCENARIOS) == 6
    failing = set(demo.findings.loc[demo.findings.status == "fail", "check_id"])
    for record in demo_records.values():
        assert record["verdict"] in ("survives", "at_risk", "fails", "not_assessed")
        linked = {c["check_id"] for c in record["checks"] if c["outcome"] == "fail"}
        assert linked <= failing
        if record["verdict"] == "fails":
            breach = any(f["status"] == "breach" for f in record["figures"])
            assert breach or any(c["severity"] in ("critical", "high") for c in record["checks"]
                                 if c["outcome"] == "fail")
    peak = demo_records["peak-trading"]
    assert peak["verdict"] == "fails" and "PostgreSQL connections" in peak["reason"]
    corruption = demo_records["data-corruption"]
    rto = next(f for f in corruption["figures"] if f["name"].startswith("PostgreSQL")
               and "RTO" in f["name"])
    assert (rto["value"], rto["target"], rto["status"]) == (95.0, 60.0, "breach")


def _changed(demo, before: dict, **targets) -> set[str]:
    params = demo.params.model_copy(update={"targets": demo.params.targets.model_copy(
        update=targets)})
    after = {a.scenario.id: a.record() for a in assess_scenarios(
        build_review(params, demo.ev, demo.as_of))}
    return {k for k in before if before[k] != after[k]}


def test_peak_multiplier_and_rpo_change_only_the_scenarios_they_concern(demo, demo_records):
    peak_changed = _changed(demo, demo_records, peak_multiplier=8)
    assert peak_changed == {"peak-trading"}
    rpo_changed = _changed(demo, demo_records, rpo_minutes=400)
    concerned = {s.id for s in SCENARIOS if "rpo_minutes" in s.targets}
    assert "data-corruption" in rpo_changed and rpo_changed <= concerned


def test_a_critical_finding_on_order_capture_outranks_a_medium_one_on_reporting():
    rows = pd.DataFrame([
        finding("OPS-SLO-001", "fail", severity="medium", subject="slo"),  # reporting
        finding("RES-PG-001", "fail", severity="critical", subject="pg"),  # order capture
        finding("SCL-HPA-002", "fail", severity="high", subject="hpa"),   # checkout, peak
    ], columns=FINDING_COLUMNS)
    ranked = top_risks(rows)
    order = [r["check_id"] for r in ranked]
    assert order.index("RES-PG-001") < order.index("OPS-SLO-001")
    slo = next(r for r in ranked if r["check_id"] == "OPS-SLO-001")
    pg = next(r for r in ranked if r["check_id"] == "RES-PG-001")
    assert "Reporting" in slo["capabilities"] and "Order capture" in pg["capabilities"]
    # critical 10 x order capture 5 x regional disruption 0.4 = 20 against
    # medium 3 x reporting/incident response 3 x 0.3 = 2.7
    assert (pg["launch_risk"], slo["launch_risk"]) == (20.0, 2.7)
    # a high on checkout under the certain peak event: 5 x 5 x 1.0 = 25
    assert order[0] == "SCL-HPA-002" and ranked[0]["launch_risk"] == 25.0
