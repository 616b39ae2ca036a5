"""Batch runs: inputs resolved up front, isolation, resume after a kill, timeouts, --fail-on.

Tenants here are small (a one-table bundle) so that each run is a few seconds; the
runner and its notebooks are the real ones, started as the command line starts them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tenants import AS_OF, CLI, run_cli, small_tenants

from readiness_kit.evidence import load_bundle
from readiness_kit.runner.batch import expand_inputs


def portfolio(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def test_inputs_expand_files_globs_and_folders_once(tmp_path):
    a, b, c = small_tenants(tmp_path, "alpha", "beta", "gamma")
    (tmp_path / "params" / "notes.txt").write_text("not parameters")
    (tmp_path / "empty").mkdir()
    found, bad = expand_inputs(
        ["params/alpha.yaml", "params/*.yaml", "params", "empty", "nomatch/*.yml",
         "params/missing.yaml"], base=tmp_path)
    # in the order given, each file once, absolute; a missing file is kept (it fails as
    # that tenant's parameters step), a folder or glob naming nothing is a bad input
    assert found == [a, b, c, tmp_path / "params" / "missing.yaml"]
    assert all(p.is_absolute() for p in found)
    assert [(x.given, "no parameters file" in x.error or "holds no" in x.error)
            for x in bad] == [("empty", True), ("nomatch/*.yml", True)]


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "batch ended"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def test_killed_batch_resumes_without_redoing_finished_tenants(tmp_path):
    small_tenants(tmp_path, "alpha", "beta")
    out = tmp_path / "out"
    # relative paths from the folder the batch starts in, one tenant at a time
    proc = subprocess.Popen([*CLI, "run", "params/alpha.yaml", "params/beta.yaml",
                             "--output", "out", "--as-of", AS_OF, "--workers", "1"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        _wait_for(out / "alpha" / "latest" / "complete.json", proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the command, its kernel, everything
        proc.wait(timeout=30)
    alpha_runs = sorted(p.name for p in (out / "alpha").iterdir() if p.name[0].isdigit())
    assert len(alpha_runs) == 1
    assert not (out / "beta" / "latest").exists()

    again = run_cli("run", "params", "--output", "out", "--as-of", AS_OF, "--workers", "1",
                    cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "skipped alpha" in again.stderr and "done beta" in again.stderr
    assert sorted(p.name for p in (out / "alpha").iterdir()
                  if p.name[0].isdigit()) == alpha_runs
    assert (out / "beta" / "latest" / "report.html").is_file()
    record = portfolio(out)
    assert record["statuses"] == {"done": 1, "skipped": 1, "failed": 0}
    # both reports are linked from the index, the skipped one from its earlier run
    index = (out / "index.html").read_text()
    assert f'href="alpha/{alpha_runs[0]}/report.html"' in index
    assert 'href="beta/' in index

    forced = run_cli("run", "params/alpha.yaml", "--output", "out", "--as-of", AS_OF,
                     "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert len([p for p in (out / "alpha").iterdir() if p.name[0].isdigit()]) == 2


def test_changed_parameters_are_run_again(tmp_path):
    [alpha] = small_tenants(tmp_path, "alpha")
    first = run_cli("run", str(alpha), "--output", "out", "--as-of", AS_OF, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    alpha.write_text(alpha.read_text() + "display_name: Alpha Shops\n")
    second = run_cli("run", str(alpha), "--output", "out", "--as-of", AS_OF, cwd=tmp_path)
    assert "done alpha" in second.stderr and "skipped" not in second.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


def test_failures_are_isolated_and_named_in_the_index(tmp_path):
    good, = small_tenants(tmp_path, "good")
    unreachable, = small_tenants(
        tmp_path, "offline",
        extra=f"  postgres:\n    dsn: host=127.0.0.1 port={_closed_port()} dbname=odoo "
              "user=odoo\n    connect_timeout: 2\n")
    unreachable.write_text(unreachable.read_text().replace("  evidence: ../bundle\n", ""))
    broken = tmp_path / "params" / "broken.yaml"
    broken.write_text("tenant: broken\nsources: [not, a, mapping]\n")
    missing = tmp_path / "params" / "nobundle.yaml"
    missing.write_text("tenant: nobundle\nsources:\n  evidence: ../nowhere\n")
    proc = run_cli("run", "params", "--output", "out", "--as-of", AS_OF, "--workers", "2",
                   cwd=tmp_path)
    assert proc.returncode == 2
    out = tmp_path / "out"
    record = portfolio(out)
    assert record["statuses"] == {"done": 2, "failed": 2, "skipped": 0}
    failures = {f["tenant"]: f for f in record["failures"]}
    assert set(failures) == {"broken", "nobundle"}
    assert failures["broken"]["step"] == "parameters"
    assert "broken.yaml" in failures["broken"]["error"]
    assert "sources" in failures["broken"]["error"]
    assert failures["nobundle"]["step"] == "evidence"
    assert "bundle not found" in failures["nobundle"]["error"]
    index = (out / "index.html").read_text()
    assert "broken" in index and "bundle not found" in index
    for tenant in ("good", "offline"):
        assert (out / tenant / "latest" / "report.html").is_file()
    # the unreachable database is a named gap in that tenant's evidence and report
    gaps = load_bundle(out / "offline" / "latest" / "evidence").gaps
    text = " ".join(gaps.astype(str).agg(" ".join, axis=1))
    assert "postgres" in text.lower() and "127.0.0.1" in text, text
    report = (out / "offline" / "latest" / "report.html").read_text()
    assert "127.0.0.1" in report


def test_a_tenant_over_its_timeout_fails_with_the_step(tmp_path):
    small_tenants(tmp_path, "slow")
    proc = run_cli("run", "params/slow.yaml", "--output", "out", "--as-of", AS_OF,
                   "--timeout", "1", cwd=tmp_path)
    assert proc.returncode == 2
    assert "timed out" in proc.stderr
    assert any(f"(step {s})" in proc.stderr
               for s in ("evidence", "checks", "notebooks", "render"))
    [failure] = portfolio(tmp_path / "out")["failures"]
    assert failure["tenant"] == "slow" and "timed out" in failure["error"]
    assert not (tmp_path / "out" / "slow" / "latest").exists()


def test_fail_on_turns_the_gate_into_an_exit_code(tmp_path):
    small_tenants(tmp_path, "gated")
    strict = run_cli("run", "params/gated.yaml", "--output", "out", "--as-of", AS_OF,
                     "--fail-on", "conditional", cwd=tmp_path)
    gate = json.loads(next((tmp_path / "out" / "gated").glob("*/summary.json"))
                      .read_text())["gate"]
    assert gate in ("conditional", "not_ready")
    assert strict.returncode == 3, strict.stderr
    assert "at or below conditional" in strict.stderr
    junit = tmp_path / "out" / "gated" / "latest" / "junit.xml"
    assert "<testsuites" in junit.read_text()
    wrong = run_cli("run", "params/gated.yaml", "--output", "out", "--fail-on", "amber",
                    cwd=tmp_path)
    assert wrong.returncode == 2 and "--fail-on" in wrong.stderr
