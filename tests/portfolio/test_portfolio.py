"""The portfolio index: summary.json by content, relative links that survive a move,
escaping, failures with their step and reason, headless Chromium, and 500 tenants."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from readiness_kit.changes import read_changes
from readiness_kit.portfolio import ERROR_CHARS, write_portfolio
from readiness_kit.report import plotly_js

from .conftest import RUN_A, RUN_B, TENANT, XSS_NAME, Runs

XSS_ERROR = "<img src=x onerror=alert(2)>"
REPORT_PAGE = "<!DOCTYPE html><html><head><title>report</title></head><body>r</body></html>"
# per tenant the index may grow by at most this much (a table row and a heatmap row)
BYTES_PER_TENANT = 2_500


def _with_report(run_dir: Path) -> Path:
    """A run's report.html (a real one needs the notebooks executed; the index only links
    it)."""
    (run_dir / "report.html").write_text(REPORT_PAGE)
    return run_dir


def _other_tenant(root: Path, source: Path, tenant: str, run_id: str, **summary) -> Path:
    """A copy of ``source`` as another tenant's run, its summary.json rewritten."""
    run_dir = shutil.copytree(source, root / tenant / run_id, symlinks=True)
    data = json.loads((run_dir / "summary.json").read_text())
    data.update(tenant=tenant, display_name=summary.pop("display_name", tenant),
                run_id=run_id, **summary)
    (run_dir / "summary.json").write_text(json.dumps(data))
    (root / tenant / "latest").symlink_to(run_id, target_is_directory=True)
    return run_dir


@pytest.fixture
def portfolio(runs: Runs, tmp_path):
    root = shutil.copytree(runs.root, tmp_path / "outputs", symlinks=True)
    demo = _with_report(root / TENANT / RUN_B)
    north = _with_report(_other_tenant(root, root / TENANT / RUN_A, "north-outlet", RUN_A,
                                       display_name=f"North {XSS_NAME} Outlet", gate="ready"))
    # a tenant that failed this time but has an earlier report
    _with_report(_other_tenant(root, root / TENANT / RUN_A, "south-outlet", RUN_A))
    half = root / "half-done" / RUN_B
    half.mkdir(parents=True)  # the runner said done, but no summary was written
    entries = [
        {"tenant": "north-outlet", "params_path": "parameters/north-outlet.yaml",
         "status": "skipped", "run_dir": str(north), "step": None, "error": None,
         "seconds": None},
        {"tenant": TENANT, "params_path": "parameters/demo-retail.yaml", "status": "done",
         "run_dir": str(demo), "step": None, "error": None, "seconds": 31.42},
        {"tenant": "broken", "params_path": "parameters/broken.yaml", "status": "failed",
         "run_dir": None, "step": "parameters",
         "error": "parameters/broken.yaml: tenant: expected [a-z0-9-]+, got 'Broken Co'",
         "seconds": 0.02},
        {"tenant": XSS_NAME, "params_path": f"parameters/{XSS_NAME}.yaml",
         "status": "failed", "run_dir": None, "step": "30_security.ipynb cell 7",
         "error": "KeyError: " + XSS_ERROR + " " + "x" * 2 * ERROR_CHARS, "seconds": 12.5},
        {"tenant": "south-outlet", "params_path": "parameters/south-outlet.yaml",
         "status": "failed", "run_dir": None, "step": "evidence",
         "error": "sources.evidence: evidence bundle directory not found", "seconds": 0.4},
        {"tenant": "half-done", "params_path": "parameters/half-done.yaml", "status": "done",
         "run_dir": str(half), "step": None, "error": None, "seconds": 3.0},
    ]
    index = write_portfolio(root, entries)
    return root, index, entries


def _hrefs(text: str) -> list[str]:
    return re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)"', text)


def test_portfolio_summary_json(portfolio, runs: Runs):
    root, index, entries = portfolio
    assert index == root.resolve() / "index.html"
    data = json.loads((root / "summary.json").read_text())
    assert data["tenants"] == len(entries) == len(data["entries"])
    assert data["statuses"] == {"done": 1, "failed": 4, "skipped": 1}
    demo_summary = json.loads((runs.b / "summary.json").read_text())
    gates = {"ready": 0, "conditional": 0, "not_ready": 0}
    gates[demo_summary["gate"]] += 1
    gates["ready"] += 1  # north-outlet
    assert data["gates"] == gates
    by_tenant = {e["tenant"]: e for e in data["entries"]}
    demo = by_tenant[TENANT]
    assert demo["gate"] == demo_summary["gate"] and demo["run_id"] == RUN_B
    assert demo["report"] == f"{TENANT}/{RUN_B}/report.html"
    assert demo["run_dir"] == f"{TENANT}/{RUN_B}"
    for d in demo_summary["domain_details"]:
        expected = None if d["score"] is None else round(d["score"], 1)
        assert demo["domains"][d["domain"]] == expected
    assert demo["counts"] == demo_summary["counts"]
    counts = read_changes(runs.b)["counts"]
    assert demo["changes"] == {"first_review": False, "previous_run_id": RUN_A, **counts}
    assert by_tenant["north-outlet"]["changes"]["first_review"] is True
    assert by_tenant["north-outlet"]["display_name"] == f"North {XSS_NAME} Outlet"
    assert data["changes"]["new"] == counts["new"]
    assert data["changes"]["resolved"] == counts["resolved"]

    failures = {f["tenant"]: f for f in data["failures"]}
    assert set(failures) == {"broken", XSS_NAME, "south-outlet", "half-done"}
    assert failures["broken"]["step"] == "parameters"
    assert "expected [a-z0-9-]+" in failures["broken"]["error"]
    assert failures[XSS_NAME]["error"].endswith("x" * 2 * ERROR_CHARS)  # kept whole here
    assert failures["half-done"]["step"] == "summary"
    assert "summary.json: not readable" in failures["half-done"]["error"]


def test_index_lists_failures_with_step_and_reason(portfolio):
    _, index, _ = portfolio
    text = index.read_text()
    failures = text[text.index('id="sec-failures"'):text.index('id="sec-heatmap"')]
    rows = re.findall(r"<tr data-tenant=.*?</tr>", failures)
    assert len(rows) == 4
    broken = next(r for r in rows if 'data-tenant="broken"' in r)
    assert "parameters/broken.yaml" in broken and "<td>parameters</td>" in broken
    assert "expected [a-z0-9-]+, got &#39;Broken Co&#39;" in broken
    south = next(r for r in rows if 'data-tenant="south-outlet"' in r)
    assert "evidence bundle directory not found" in south
    assert 'href="south-outlet/latest/report.html">last report</a>' in south
    xss = next(r for r in rows if "30_security.ipynb cell 7" in r)
    kept = ERROR_CHARS - len("KeyError: " + XSS_ERROR + " ")  # the page shows ERROR_CHARS
    assert "x" * kept + "…" in xss and "x" * (kept + 1) not in xss
    assert "the full text is in summary.json" in xss
    assert '<span class="rk-badge rk-status-fail" data-failed="4">4 failed</span>' in text


def test_index_is_escaped(portfolio):
    _, index, _ = portfolio
    text = index.read_text()
    page = text.replace(plotly_js(), "")
    assert XSS_NAME not in page and XSS_ERROR not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    # the figure JSON cannot end its script element
    data = re.search(r'<script type="application/json" id="rk-fig-1-data">(.*?)</script>',
                     page, re.DOTALL).group(1)
    assert "<" not in data
    # plotly.js draws some markup in labels: the display name is entity-escaped for it too
    assert "North \\u0026lt;script\\u0026gt;alert(1)\\u0026lt;/script\\u0026gt; Outlet" in data


def test_index_is_self_contained_with_one_plotly(portfolio):
    root, index, _ = portfolio
    text = index.read_text()
    assert text.count("* plotly.js v") == 1
    assert "Content-Security-Policy" in text and "connect-src 'none'" in text
    page = text.replace(plotly_js(), "")
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    assert str(root.resolve()) not in page and str(root) not in page


def test_links_are_relative_and_survive_a_move(portfolio, tmp_path):
    root, index, _ = portfolio
    moved = tmp_path / "elsewhere" / "batch-2026-11"
    moved.parent.mkdir()
    shutil.move(str(root), moved)
    text = (moved / "index.html").read_text()
    links = _hrefs(text.replace(plotly_js(), ""))
    reports = [h for h in links if h.endswith("report.html")]
    assert f"{TENANT}/{RUN_B}/report.html" in reports
    assert "north-outlet/20261101T100000Z/report.html" in reports
    for href in reports:
        assert not href.startswith(("/", "file:")) and (moved / href).is_file(), href


def test_index_in_headless_chromium(portfolio, browser_page_check):
    _, index, _ = portfolio
    started = time.perf_counter()
    result = browser_page_check(index, evaluate="""() => ({
        failures: Array.from(document.querySelectorAll('#sec-failures tbody tr'))
            .map(r => r.cells[0].textContent),
        tenants: Array.from(document.querySelectorAll('#sec-tenants tbody tr'))
            .map(r => r.getAttribute('data-tenant')),
        links: Array.from(document.querySelectorAll('#sec-tenants a')).map(a => a.href),
        names: Array.from(document.querySelectorAll('.rk-tenant-name'))
            .map(e => e.textContent),
        cells: document.querySelectorAll('#rk-fig-1 .hm, #rk-fig-1 .heatmaplayer image').length,
        scripts: document.querySelectorAll('script').length,
    })""")
    seconds = time.perf_counter() - started
    assert result["figures"] == 1 and result["drawn"] == 1, result.get("wait_error")
    assert result["console_errors"] == [] and result["dialogs"] == []
    assert result["requests"] == [] and result["all_requests"] == [index.resolve().as_uri()]
    page = result["evaluated"]
    assert XSS_NAME in page["failures"] and "broken" in page["failures"]
    assert f"North {XSS_NAME} Outlet" in page["names"]  # shown as the text it is
    assert page["tenants"][:4] == sorted(page["tenants"][:4])  # failed ones first
    assert set(page["tenants"][4:]) == {TENANT, "north-outlet"}
    assert index.parent.joinpath(TENANT, RUN_B, "report.html").as_uri() in page["links"]
    assert page["cells"] >= 1 and page["scripts"] == 4  # config, plotly, draw, figure JSON
    assert seconds < 60


def _many(root: Path, source: Path, n: int) -> list[dict]:
    """``n`` tenants from one run's summary and changes, scores and gates varied; every
    tenth failed."""
    summary = json.loads((source / "summary.json").read_text())
    changes = json.loads((source / "changes.json").read_text())
    entries = []
    for i in range(n):
        tenant = f"tenant-{i:04d}"
        if i % 10 == 9:
            entries.append({"tenant": tenant, "params_path": f"p/{tenant}.yaml",
                            "status": "failed", "run_dir": None, "step": "evidence",
                            "error": f"p/{tenant}.yaml: sources.evidence: bundle not found",
                            "seconds": 0.1})
            continue
        run_dir = root / tenant / RUN_B
        run_dir.mkdir(parents=True)
        details = [{**d, "score": None if d["score"] is None else (d["score"] + 7 * i) % 100}
                   for d in summary["domain_details"]]
        data = {**summary, "tenant": tenant, "display_name": f"Tenant {i} Retail",
                "gate": ("ready", "conditional", "not_ready")[i % 3],
                "domain_details": details,
                "domains": {d["domain"]: d["score"] or 0.0 for d in details}}
        (run_dir / "summary.json").write_text(json.dumps(data))
        (run_dir / "changes.json").write_text(json.dumps(
            {**changes, "counts": {**changes["counts"], "new": i % 7}}))
        (run_dir / "report.html").write_text(REPORT_PAGE)
        entries.append({"tenant": tenant, "params_path": f"p/{tenant}.yaml",
                        "status": "done", "run_dir": str(run_dir), "step": None,
                        "error": None, "seconds": 30.0})
    return entries


def test_five_hundred_tenants_stay_bounded(runs: Runs, tmp_path, browser_page_check):
    small, large = tmp_path / "small", tmp_path / "large"
    write_portfolio(small, _many(small, runs.b, 50))
    started = time.perf_counter()
    index = write_portfolio(large, _many(large, runs.b, 500))
    write_seconds = time.perf_counter() - started
    size_small = (small / "index.html").stat().st_size
    size = index.stat().st_size
    per_tenant = (size - size_small) / 450
    print(f"\nindex at 500 tenants: {size / 1e6:.2f} MB ({size - len(plotly_js()):,} bytes "
          f"beside plotly.js, {per_tenant:.0f} bytes per tenant); written in "
          f"{write_seconds:.2f} s")
    assert per_tenant < BYTES_PER_TENANT
    assert size < len(plotly_js().encode()) + 500 * BYTES_PER_TENANT
    text = index.read_text()
    assert text.count('<tr class="rk-row-') == 500
    assert text.count("<tr data-tenant=") == 50  # the failures table
    data = json.loads((large / "summary.json").read_text())
    assert data["tenants"] == 500 and len(data["failures"]) == 50
    assert data["gates"] == {"ready": 150, "conditional": 150, "not_ready": 150}

    started = time.perf_counter()
    result = browser_page_check(index, evaluate="""() => ({
        rows: document.querySelectorAll('#sec-tenants tbody tr').length,
        height: document.getElementById('rk-fig-1').getBoundingClientRect().height})""")
    print(f"Chromium at 500 tenants: {time.perf_counter() - started:.2f} s to load and draw")
    assert result["drawn"] == result["figures"] == 1, result.get("wait_error")
    assert result["console_errors"] == [] and result["requests"] == []
    assert result["evaluated"]["rows"] == 500
    assert result["evaluated"]["height"] <= 2400  # the chart does not grow without end
