"""`readiness diff RUN_A RUN_B`: text and --json by content, runs named as run folders,
``latest`` or tenant folders, unreadable runs as one readable error with exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from readiness_kit.changes import compare_runs

from .conftest import RUN_A, RUN_B, XSS_NAME, Runs

CLI = [sys.executable, "-m", "readiness_kit.cli", "diff"]


def _diff(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "220", "NO_COLOR": "1"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=env)


def test_diff_text_lists_new_resolved_and_changed(runs: Runs):
    proc = _diff(str(runs.a), str(runs.tenant_dir / "latest"))
    assert proc.returncode == 0, proc.stderr
    counts = compare_runs(runs.a, runs.b).counts()
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{RUN_A} (gate ") and f"-> {RUN_B} (gate " in lines[0]
    assert lines[1] == (f"{counts['new']} new, {counts['resolved']} resolved, "
                        f"{counts['changed']} changed, {counts['unchanged']} unchanged")
    text = proc.stdout
    assert f"{counts['new']} new (open now, not open before)" in text
    assert f"{counts['resolved']} resolved (open before, not open now)" in text
    assert "1 changed (open in both, another status)" in text
    row = next(line for line in lines if "log_connections" in line)
    assert "SEC-PG-103" in row and "pass" in row and "fail" in row and "regressed" in row
    row = next(line for line in lines if "log_min_duration_statement" in line)
    assert "OPS-PG-002" in row and "passes" in row
    assert any("debug-shell" in line and "subject gone" in line for line in lines)
    assert any("SEC-EXP-001" in line and "waived → fail" in line for line in lines)
    assert XSS_NAME in text  # markup is shown as the text it is (rich markup escaped)


def test_diff_limit_counts_the_rest(runs: Runs):
    proc = _diff(str(runs.a), str(runs.b), "--limit", "2")
    counts = compare_runs(runs.a, runs.b).counts()
    assert f"... and {counts['new'] - 2} more (--limit 0 lists all)" in proc.stdout
    assert f"... and {counts['resolved'] - 2} more" in proc.stdout


def test_diff_json_carries_the_full_lists(runs: Runs):
    proc = _diff(str(runs.a), str(runs.tenant_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    ch = compare_runs(runs.a, runs.b)
    assert data["old_path"] == str(runs.a.resolve()) and data["new_path"] == str(
        runs.b.resolve())
    assert data["previous_run_id"] == RUN_A and data["run_id"] == RUN_B
    assert data["counts"] == ch.counts()
    for group in ("new", "resolved", "changed"):
        assert data[group] == json.loads(getattr(ch, group).to_json(orient="records"))
    assert {(r["check_id"], r["reason"]) for r in data["new"]} >= {
        ("SEC-PG-103", "regressed"), ("RES-K8S-001", "new subject")}


def test_diff_the_other_way_round_swaps_new_and_resolved(runs: Runs):
    forward = json.loads(_diff(str(runs.a), str(runs.b), "--json").stdout)
    backward = json.loads(_diff(str(runs.b), str(runs.a), "--json").stdout)
    key = lambda r: (r["check_id"], r["subject"])  # noqa: E731
    assert sorted(map(key, backward["resolved"])) == sorted(map(key, forward["new"]))
    assert sorted(map(key, backward["new"])) == sorted(map(key, forward["resolved"]))
    assert backward["changed"][0]["reason"] == "fail → waived"


def test_unreadable_runs_give_one_error_naming_the_path(runs: Runs, tmp_path):
    missing = tmp_path / "no-such-run"
    proc = _diff(str(missing), str(runs.b))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("error:") == 1 and "Traceback" not in proc.stderr
    assert str(missing) in proc.stderr and "not a run folder" in proc.stderr

    broken = shutil.copytree(runs.b, tmp_path / "broken", symlinks=True)
    (broken / "findings.parquet").write_bytes(b"not parquet at all")
    proc = _diff(str(runs.a), str(broken))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(broken) in proc.stderr and "not a readable run" in proc.stderr

    (broken / "findings.parquet").unlink()
    (broken / "summary.json").write_text("[1, 2")
    proc = _diff(str(broken), str(runs.a))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(broken / "summary.json") in proc.stderr
