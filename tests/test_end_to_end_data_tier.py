"""`readiness run` on a live data tier: a PostgreSQL DSN (password from PGPASSWORD, md5 auth),
a Redis URL and two odoo.conf files -> data-tier findings and the capacity model with its
chart in the report; no secret anywhere in the run's outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from live_data_tier import SECRETS

CLI = [sys.executable, "-m", "readiness_kit.cli"]


def test_readiness_run_with_live_sources(live_bad, tmp_path):
    sources = live_bad.params.params.sources
    conf_dir = live_bad.params.path.parent
    params = tmp_path / "live-retail.yaml"
    params.write_text(
        "tenant: live-retail\n"
        "sources:\n"
        f"  postgres:\n    dsn: \"{sources.postgres.dsn}\"\n    name: pg-bad\n"
        "    max_connections_open: 2\n"
        f"  redis:\n    url: {sources.redis.url}\n    name: redis-bad\n"
        f"  odoo:\n    configs: [{conf_dir / 'odoo-web.conf'}, {conf_dir / 'odoo-cron.conf'}]\n")
    out = tmp_path / "outputs"
    env = {**os.environ, **live_bad.env}
    proc = subprocess.run([*CLI, "run", str(params), "--output", str(out), "--as-of",
                           "2026-12-01"], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    run_dir = Path(proc.stdout.strip().splitlines()[-1]).parent
    findings = json.loads((run_dir / "findings.json").read_text())
    failed = {f["check_id"] for f in findings if f["status"] == "fail"}
    assert {"SCL-ODOO-001", "SEC-PG-003", "RES-PG-102", "OPS-ODOO-004", "SEC-ODOO-001",
            "SCL-REDIS-102", "RES-ODOO-001"} <= failed
    conn = next(f for f in findings if f["check_id"] == "SCL-ODOO-001")
    assert "peak demand 384 vs capacity 22" in conn["detail"]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["gate"] == "not_ready"
    report = (run_dir / "report.html").read_text()
    assert "Where the platform breaks first" in report
    assert "breaks first: PostgreSQL connections" in report
    # no secret value in any output: report, findings, evidence, notebooks, logs
    leaks = [(p.name, s) for p in run_dir.rglob("*") if p.is_file()
             for s in SECRETS if s.encode() in p.read_bytes()]
    leaks += [("stdout/stderr", s) for s in SECRETS if s in proc.stdout + proc.stderr]
    assert leaks == []
