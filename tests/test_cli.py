"""CLI behaviours beyond a single demo run: many tenants, JupyterLab, the catalogue."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from readiness_kit.evidence import evidence_from_records, write_bundle

CLI = [sys.executable, "-m", "readiness_kit.cli"]


def test_one_failing_tenant_does_not_stop_the_others(tmp_path):
    ev = evidence_from_records({"pg_settings": [
        {"server": "pg1", "name": "password_encryption", "setting": "md5"}]})
    write_bundle(ev, tmp_path / "bundle", tenant="small")
    good = tmp_path / "small.yaml"
    good.write_text("tenant: small\nsources:\n  evidence: bundle\n")
    bad = tmp_path / "broken.yaml"
    bad.write_text("tenant: broken\nsources:\n  evidence: nowhere\n")
    proc = subprocess.run([*CLI, "run", str(bad), str(good), "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "broken.yaml" in proc.stderr and "bundle not found" in proc.stderr
    *reports, index = proc.stdout.strip().splitlines()
    report = Path(reports[-1])
    assert report.is_file() and report.parent.parent.name == "small"
    # the batch's portfolio names the failure, its step and its reason, and links the report
    assert Path(index) == (tmp_path / "out" / "index.html").resolve()
    portfolio = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert portfolio["statuses"] == {"done": 1, "failed": 1, "skipped": 0}
    [failure] = portfolio["failures"]
    assert failure["tenant"] == "broken" and failure["step"] == "evidence"
    assert "bundle not found" in failure["error"]
    assert 'href="small/' in Path(index).read_text()
    summary = json.loads((report.parent / "summary.json").read_text())
    # the one collected table is judged; everything else is not assessed, never passed
    assert summary["counts"]["not_assessed"] > summary["counts"]["fail"] >= 1
    assert summary["gate"] != "ready"


def test_checks_table_lists_every_domain():
    proc = subprocess.run([*CLI, "checks", "--domain", "resilience"], capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 0
    assert "RES-PG-001" in proc.stdout and "SEC-" not in proc.stdout


def test_schema_command_prints_json_schema():
    proc = subprocess.run([*CLI, "schema"], capture_output=True, text=True)
    schema = json.loads(proc.stdout)
    assert schema["title"] == "readiness-kit parameters"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_serves_the_notebooks_with_the_project_kernel(tmp_path):
    port = _free_port()
    env = {**os.environ, "JUPYTER_TOKEN": "rk-test", "JUPYTER_RUNTIME_DIR": str(tmp_path),
           "HOME": str(tmp_path)}
    proc = subprocess.Popen([*CLI, "lab", "--no-browser", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/kernelspecs?token=rk-test",
                                            timeout=5) as r:
                    specs = json.load(r)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
        assert specs["default"] == "readiness-kit"
        assert "readiness-kit" in specs["kernelspecs"]
        with urllib.request.urlopen(f"{base}/api/contents?token=rk-test", timeout=5) as r:
            names = {item["name"] for item in json.load(r)["content"]}
        assert {"00_summary.ipynb", "40_resilience.ipynb"} <= names
        with urllib.request.urlopen(f"{base}/lab?token=rk-test", timeout=5) as r:
            assert r.status == 200 and b"JupyterLab" in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
