"""The engine's contract: missing evidence, raising checks, redaction, empty results."""

import pandas as pd
from factories import ctx_for

from readiness_kit.checks import REGISTRY, run_checks
from readiness_kit.checks.registry import Check, outcome, run_check


def make(func, requires=("pg_settings",), requires_any=()) -> Check:
    return Check(id="TST-X-001", domain="operations", severity="high", title="t",
                 rationale="r", remediation="m", risk="k", applies_to="test subjects",
                 requires=tuple(requires), requires_any=tuple(requires_any), references=(),
                 basis="observed", func=func)


PG = {"pg_settings": [{"server": "pg1", "name": "ssl", "setting": "on"}]}


def test_missing_table_is_not_assessed_and_names_it():
    r = run_check(make(lambda c: 1 / 0), ctx_for({}))
    assert r["status"].tolist() == ["not_assessed"]
    assert "pg_settings" in r.loc[0, "detail"]


def test_requires_any_needs_one_of_them():
    chk = make(lambda c: outcome(["a"], [True], ["ok"]), requires=(),
               requires_any=("pg_settings", "azure_arm_details"))
    assert run_check(chk, ctx_for({}))["status"].tolist() == ["not_assessed"]
    assert run_check(chk, ctx_for(PG))["status"].tolist() == ["pass"]


def test_raising_check_becomes_error_and_others_go_on():
    boom = make(lambda c: {}["missing"])
    result = run_checks(ctx_for(PG), [boom, REGISTRY["RES-PG-001"]])
    by_id = result.groupby("check_id")["status"].first()
    assert by_id["TST-X-001"] == "error"
    assert by_id["RES-PG-001"] == "not_assessed"  # no azure_resources: still ran
    assert "KeyError" in result.loc[result.check_id == "TST-X-001", "detail"].iloc[0]


def test_run_checks_reports_each_checks_time_when_asked():
    timings: dict[str, float] = {}
    result = run_checks(ctx_for(PG), [REGISTRY["RES-PG-001"], make(lambda c: 1 / 0)],
                        timings)
    assert sorted(timings) == ["RES-PG-001", "TST-X-001"]
    assert all(t >= 0 for t in timings.values())
    assert sorted(result["check_id"].unique()) == ["RES-PG-001", "TST-X-001"]


def test_wrong_status_becomes_error():
    bad = make(lambda c: pd.DataFrame([{"subject": "a", "status": "ok", "detail": "x"}]))
    assert run_check(bad, ctx_for(PG))["status"].tolist() == ["error"]


def test_empty_result_is_not_assessed_with_scope_sentence():
    empty = make(lambda c: outcome([], [], []))
    r = run_check(empty, ctx_for(PG))
    assert r["status"].tolist() == ["not_assessed"]
    assert r.loc[0, "detail"] == "No test subjects found in the evidence."


def test_secret_in_detail_is_redacted():
    leaky = make(lambda c: outcome(["pg1"], [False], ["conn is Server=pg;Password=Hunter2!;"]))
    detail = run_check(leaky, ctx_for(PG)).loc[0, "detail"]
    assert "Hunter2" not in detail and "<redacted>" in detail


def test_assessed_flag_marks_not_assessed():
    chk = make(lambda c: outcome(["a", "b"], [True, False], ["x", "y"], assessed=[True, False]))
    assert run_check(chk, ctx_for(PG))["status"].tolist() == ["pass", "not_assessed"]
