"""Change since the last review: previous run, comparison of two real runs, changes.json,
and the report's view of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from readiness_kit import notebook as rk
from readiness_kit.changes import (
    EXAMPLES,
    GROUPS,
    changes_record,
    compare_findings,
    compare_runs,
    previous_run,
    read_changes,
    resolve_run,
    write_changes,
)
from readiness_kit.errors import EvidenceError
from readiness_kit.review import load_run

from .conftest import REPO, RUN_A, RUN_B, XSS_NAME, Runs

PG = "postgres:psql-retail-prod"


def _open(run_dir: Path) -> dict[tuple[str, str], str]:
    """The open findings of a run from its findings.json, read independently of the code
    under test: (check_id, subject) -> status."""
    records = json.loads((run_dir / "findings.json").read_text())
    return {(r["check_id"], r["subject"] or ""): r["status"] for r in records
            if r["status"] != "pass"}


def _keys(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["check_id"], frame["subject"], strict=True))


# --------------------------------------------------------------------------- previous run
def _fake_run(tenant_dir: Path, run_id: str, *, summary=True, findings="json") -> Path:
    run = tenant_dir / run_id
    run.mkdir(parents=True)
    if summary:
        (run / "summary.json").write_text(json.dumps({"run_id": run_id, "gate": "ready"}))
    if findings:
        (run / f"findings.{findings}").write_text("[]")
    return run


def test_previous_run_is_the_newest_complete_older_run(tmp_path):
    tenant = tmp_path / "t"
    _fake_run(tenant, "20261101T100000Z")
    second = _fake_run(tenant, "20261101T100000Z-2")
    tenth = _fake_run(tenant, "20261101T100000Z-10")     # after -2, not before (not text order)
    _fake_run(tenant, "20261110T100000Z", summary=False)  # interrupted: findings only
    _fake_run(tenant, "20261111T100000Z", findings=None)  # interrupted: summary only
    _fake_run(tenant, "20261130T100000Z")                 # newer than the run asked about
    _fake_run(tenant, "evidence-20261105T000000Z")        # `readiness collect` bundle folder
    (tenant / "latest").symlink_to("20261130T100000Z", target_is_directory=True)
    (tenant / ".latest-123").symlink_to("20261130T100000Z", target_is_directory=True)

    assert previous_run(tenant, "20261127T100000Z") == tenth
    assert previous_run(tenant, "20261101T100000Z-10") == second
    assert previous_run(tenant, "20261101T100000Z") is None
    assert previous_run(tmp_path / "missing", "20261127T100000Z") is None


def test_previous_run_of_the_built_runs(runs: Runs):
    assert previous_run(runs.tenant_dir, RUN_B) == runs.a
    assert previous_run(runs.tenant_dir, RUN_A) is None


# --------------------------------------------------------------------------- comparison
def test_two_runs_compared_finding_by_finding(runs: Runs):
    ch = compare_runs(runs.a, runs.b)
    before, now = _open(runs.a), _open(runs.b)
    assert _keys(ch.new) == set(now) - set(before)
    assert _keys(ch.resolved) == set(before) - set(now)
    assert _keys(ch.changed) == {k for k in set(before) & set(now) if before[k] != now[k]}
    assert _keys(ch.unchanged) == {k for k in set(before) & set(now) if before[k] == now[k]}
    assert sum(ch.counts().values()) == len(set(before) | set(now))

    new = {(r.check_id, r.subject): r for r in ch.new.itertuples()}
    canary = new[("RES-K8S-001", "Deployment/traefik/traefik-canary")]
    assert (canary.status_before, canary.status_now, canary.reason) == (None, "fail",
                                                                       "new subject")
    regressed = new[("SEC-PG-103", f"{PG}/log_connections")]
    assert (regressed.status_before, regressed.status_now, regressed.reason) == (
        "pass", "fail", "regressed")
    assert ("SEC-K8S-006", f"Deployment/traefik/{XSS_NAME}") in new

    resolved = {(r.check_id, r.subject): r for r in ch.resolved.itertuples()}
    passes = resolved[("OPS-PG-002", f"{PG}/log_min_duration_statement")]
    assert (passes.status_before, passes.status_now, passes.reason) == ("fail", "pass",
                                                                       "passes")
    gone = resolved[("SEC-K8S-001", "Deployment/odoo-prod/debug-shell")]
    assert (gone.status_before, gone.status_now, gone.reason) == ("fail", None, "subject gone")
    assert {r.reason for r in ch.resolved.itertuples()
            if r.subject == "Deployment/odoo-prod/debug-shell"} == {"subject gone"}

    # the waiver dropped from the parameters: still open, another status
    [changed] = ch.changed.to_dict("records")
    assert changed["check_id"] == "SEC-EXP-001"
    assert (changed["status_before"], changed["status_now"]) == ("waived", "fail")
    assert changed["reason"] == "waived → fail"


def test_groups_are_ordered_worst_first(runs: Runs):
    ch = compare_runs(runs.a, runs.b)
    order = ["critical", "high", "medium", "low", "info"]
    ranks = [order.index(s) for s in ch.new["severity"]]
    assert ranks == sorted(ranks)


def test_comparing_a_run_with_itself_changes_nothing(runs: Runs):
    ch = compare_runs(runs.b, runs.b)
    assert ch.counts() == {"new": 0, "resolved": 0, "changed": 0,
                           "unchanged": len(_open(runs.b))}


def test_findings_json_is_read_when_a_run_has_no_parquet(runs: Runs, tmp_path):
    old = shutil.copytree(runs.a, tmp_path / RUN_A, symlinks=True)
    (old / "findings.parquet").unlink()
    a, b = compare_runs(old, runs.b), compare_runs(runs.a, runs.b)
    for group in GROUPS:
        pd.testing.assert_frame_equal(getattr(a, group), getattr(b, group))


def test_repeated_identity_keeps_the_most_pressing_status():
    cols = ["check_id", "subject", "domain", "severity", "title", "status"]
    old = pd.DataFrame([["C-1", "s", "security", "high", "t", "pass"]], columns=cols)
    new = pd.DataFrame([["C-1", "s", "security", "high", "t", "pass"],
                        ["C-1", "s", "security", "high", "t", "fail"],
                        ["C-2", None, "security", "low", "t", "fail"]], columns=cols)
    ch = compare_findings(old, new)
    assert ch.new[["check_id", "subject", "status_now", "reason"]].values.tolist() == [
        ["C-1", "s", "fail", "regressed"], ["C-2", "", "fail", "new subject"]]


# --------------------------------------------------------------------------- changes.json
def test_changes_json_written_beside_the_run(runs: Runs):
    record = read_changes(runs.b)
    ch = compare_runs(runs.a, runs.b)
    assert record["run_id"] == RUN_B and record["previous_run_id"] == RUN_A
    assert record["first_review"] is False
    assert record["counts"] == ch.counts()
    assert record["gate"] == json.loads((runs.b / "summary.json").read_text())["gate"]
    assert record["previous_gate"] == json.loads((runs.a / "summary.json").read_text())["gate"]
    for group in ("new", "resolved", "changed"):
        assert len(record[group]) == record["counts"][group]
        assert record[group] == json.loads(getattr(ch, group).to_json(orient="records"))
    assert "unchanged" not in record  # counted; they are the open findings listed anyway
    assert set(record["domains"]) == set(json.loads(
        (runs.b / "summary.json").read_text())["domains"])

    first = read_changes(runs.a)
    assert first["first_review"] is True and first["previous_run_id"] is None
    assert first["counts"] == dict.fromkeys(GROUPS, 0)


def test_examples_are_bounded(runs: Runs):
    record = changes_record(runs.a, runs.b, examples=3)
    assert record["counts"]["new"] > 3
    assert [len(record["examples"][g]) for g in GROUPS] == [
        min(3, record["counts"][g]) for g in GROUPS]
    assert record["examples"]["new"] == record["new"][:3]
    assert all(len(v) <= EXAMPLES for v in read_changes(runs.b)["examples"].values())


def test_an_unreadable_previous_run_does_not_fail_the_new_one(runs: Runs, tmp_path):
    tenant = tmp_path / "t"
    old = shutil.copytree(runs.a, tenant / RUN_A, symlinks=True)
    new = shutil.copytree(runs.b, tenant / RUN_B, symlinks=True)
    (old / "summary.json").write_text("{not json")
    record = write_changes(new, previous_run(tenant, RUN_B))
    assert record["previous_run_id"] == RUN_A and record["first_review"] is False
    assert "summary.json" in record["previous_error"] and str(old) in record["previous_error"]
    view = rk.changes(load_run(runs.params_b, new))
    assert f"No comparison with the previous run {RUN_A}" in view


def test_resolve_run_accepts_runs_latest_and_tenant_folders(runs: Runs, tmp_path):
    assert resolve_run(runs.b) == runs.b.resolve()
    assert resolve_run(runs.tenant_dir / "latest") == runs.b.resolve()
    assert resolve_run(runs.tenant_dir) == runs.b.resolve()
    with pytest.raises(EvidenceError) as missing:
        resolve_run(tmp_path / "nope")
    assert str(tmp_path / "nope") in str(missing.value)
    half = tmp_path / "half"
    half.mkdir()
    (half / "findings.json").write_text("[]")
    with pytest.raises(EvidenceError, match="not a complete run"):
        resolve_run(half)


# --------------------------------------------------------------------------- the report
def test_report_view_of_the_changes(runs: Runs):
    view = str(rk.changes(load_run(runs.params_b, runs.b)))
    counts = read_changes(runs.b)["counts"]
    assert f"run <code>{RUN_A}</code>" in view
    for group, label in (("new", "new"), ("resolved", "resolved"),
                         ("changed", "changed status"), ("unchanged", "still open")):
        assert (f'data-change="{group}"><strong>{counts[group]}</strong> {label}') in view
    assert "traefik-canary" in view and "subject gone" in view and "regressed" in view
    assert "waived → fail" in view
    assert XSS_NAME not in view and "&lt;script&gt;alert(1)&lt;/script&gt;" in view
    # bounded: at most EXAMPLES rows per group, the rest counted
    assert view.count("<tr>") <= 3 * (EXAMPLES + 1)


def test_report_view_bounds_the_rows(runs: Runs):
    from readiness_kit.html import changes_view

    record = read_changes(runs.b)
    view = changes_view(record, max_rows=2)
    assert view.count("<tbody><tr>") == 3  # new, resolved, changed tables
    assert f"Showing 2 of {record['counts']['new']} new findings" in view


def test_first_review_and_live_review_say_so(runs: Runs):
    assert "First review" in rk.changes(load_run(runs.params_a, runs.a))
    live = load_run(runs.params_a, runs.a)
    live.run_dir = None  # a review built from the sources, not read from a saved run
    assert "not read from a saved run" in rk.changes(live)


def test_report_view_works_out_changes_for_a_run_without_changes_json(runs: Runs, tmp_path):
    tenant = tmp_path / "t"
    shutil.copytree(runs.a, tenant / RUN_A, symlinks=True)
    new = shutil.copytree(runs.b, tenant / RUN_B, symlinks=True)
    (new / "changes.json").unlink()
    view = rk.changes(load_run(runs.params_b, new))
    assert f"run <code>{RUN_A}</code>" in view and "traefik-canary" in view
    assert not (new / "changes.json").exists()  # the notebook only reads


def test_summary_notebook_has_the_changes_cell_without_outputs():
    nb = json.loads((REPO / "notebooks" / "00_summary.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"]]
    at = sources.index("rk.changes(rv)")
    assert sources[at - 1].startswith("## Change since the last review")
    assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
