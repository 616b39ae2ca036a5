"""The demo tenant from parameters to report, through the CLI, Papermill and nbconvert."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readiness_kit import DOMAINS, GATES, SEVERITIES, STATUSES
from readiness_kit.evidence import load_bundle
from readiness_kit.report import plotly_js
from readiness_kit.runner import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "readiness_kit.cli"]
FINDING_KEYS = {"check_id", "domain", "severity", "status", "subject", "title", "detail"}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    proc = subprocess.run(
        [*CLI, "run", str(ROOT / "parameters" / "demo-retail.yaml"), "--output", str(out),
         "--as-of", "2026-11-27"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = Path(proc.stdout.strip().splitlines()[-1])
    return {"out": out, "report": report, "run_dir": report.parent, "proc": proc}


def test_output_layout(demo_run):
    run_dir = demo_run["run_dir"]
    assert demo_run["report"].name == "report.html" and demo_run["report"].is_file()
    for name in ("findings.json", "findings.csv", "summary.json"):
        assert (run_dir / name).is_file(), name
    assert sorted(p.name for p in (run_dir / "notebooks").glob("*.ipynb")) == sorted(NOTEBOOKS)
    assert (run_dir / "evidence" / "manifest.json").is_file()
    latest = run_dir.parent / "latest"
    assert latest.is_symlink() and latest.resolve() == run_dir.resolve()


def test_findings_contract(demo_run):
    findings = json.loads((demo_run["run_dir"] / "findings.json").read_text())
    assert isinstance(findings, list) and len(findings) >= 30
    for f in findings:
        assert f.keys() >= FINDING_KEYS
        assert f["domain"] in DOMAINS and f["severity"] in SEVERITIES
        assert f["status"] in STATUSES
        assert f["subject"] and f["title"] and f["detail"]
    statuses = {f["status"] for f in findings}
    assert {"pass", "fail", "waived"} <= statuses
    for domain in DOMAINS:  # the demo shows good and bad in every domain
        mine = {f["status"] for f in findings if f["domain"] == domain}
        assert {"pass", "fail"} <= mine, domain


def test_summary_contract(demo_run):
    run_dir = demo_run["run_dir"]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["tenant"] == "demo-retail"
    assert summary["run_id"] == run_dir.name
    assert summary["gate"] in GATES
    assert set(summary["domains"]) == set(DOMAINS)
    assert all(0 <= v <= 100 for v in summary["domains"].values())
    assert set(summary["counts"]) == set(STATUSES)
    findings = json.loads((run_dir / "findings.json").read_text())
    assert sum(summary["counts"].values()) == len(findings)
    assert summary["evidence_sha256"] == load_bundle(run_dir / "evidence").sha256
    expired = [w for w in summary["waivers"] if w["state"] == "expired"]
    assert expired, "the demo carries an expired waiver that must be flagged"


def test_demo_gate_is_not_ready_with_reasons(demo_run):
    summary = json.loads((demo_run["run_dir"] / "summary.json").read_text())
    assert summary["gate"] == "not_ready"
    assert any(r.startswith("Critical (resilience, RES-PG-001)") for r in summary["gate_reasons"])
    assert len(summary["top_risks"]) == 10


def test_report_is_self_contained_story(demo_run):
    html = demo_run["report"].read_text()
    signature = "plotly.js v"  # banner at the top of plotly.min.js
    assert html.count(signature) == 1
    assert len(re.findall(r'class="rk-plot[ "]', html)) >= 12
    # nothing is loaded from a network: no remote src, stylesheet or import outside the
    # inlined plotly.js (whose own code mentions URLs); links to guidance are anchors
    page = html.replace(plotly_js(), "")
    assert not re.search(r"""\bsrc\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"""<link[^>]+href\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    for code in ("rk.load(", "import readiness_kit", "params_path ="):
        assert code not in html
    for section in ("sec-summary", *(f"sec-{d}" for d in DOMAINS)):
        assert f'id="{section}"' in html, section
    summary = json.loads((demo_run["run_dir"] / "summary.json").read_text())
    assert summary["evidence_sha256"] in html
    assert "Demo Retail Group" in html
    # the narrative speaks business words
    assert "order" in html.lower() and "Top 10 risks" in html
    # the gap in collection and the expired waiver are named, not hidden
    assert "403 AuthorizationFailed" in html
    assert "rk-waiver-expired" in html and "OPS-LOG-001" in html
    # attested evidence says who said it and when
    assert "Priya Nair (Service Delivery Manager)" in html


def test_report_draws_in_chromium(demo_run, browser_page_check):
    result = browser_page_check(demo_run["report"])
    assert result["figures"] >= 12
    assert result["drawn"] == result["figures"]
    assert result["console_errors"] == []
    assert result["requests"] == [] and result["dialogs"] == []


def test_second_run_moves_latest(demo_run):
    proc = subprocess.run(
        [*CLI, "run", str(ROOT / "parameters" / "demo-retail.yaml"), "--output",
         str(demo_run["out"]), "--as-of", "2026-11-27", "--force"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    new_dir = Path(proc.stdout.strip().splitlines()[-1]).parent
    assert new_dir != demo_run["run_dir"]
    assert (new_dir.parent / "latest").resolve() == new_dir.resolve()
    before = json.loads((demo_run["run_dir"] / "findings.json").read_text())
    after = json.loads((new_dir / "findings.json").read_text())
    assert before == after  # the same evidence gives the same findings


def test_checks_catalogue_json():
    proc = subprocess.run([*CLI, "checks", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    checks = json.loads(proc.stdout)
    assert len(checks) >= 30
    assert {c["domain"] for c in checks} == set(DOMAINS)
    for domain in DOMAINS:
        assert sum(c["domain"] == domain for c in checks) >= 5, domain
    for c in checks:
        assert re.fullmatch(r"[A-Z]{3}-[A-Z0-9]+-\d{3}", c["id"]), c["id"]
        assert c["severity"] in SEVERITIES
        for key in ("title", "rationale", "remediation", "risk"):
            assert len(c[key]) > 10, (c["id"], key)
        assert c["references"], c["id"]
    assert len({c["id"] for c in checks}) == len(checks)
