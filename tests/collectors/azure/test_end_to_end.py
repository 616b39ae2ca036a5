"""`readiness run` / `readiness collect` on a live (stubbed) estate, and live = export."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
from typer.testing import CliRunner

from readiness_kit.cli import app
from readiness_kit.collect import gather_evidence
from readiness_kit.demo.build import AZURE_SOURCES
from readiness_kit.params import load_parameters
from readiness_kit.review import build_review
from readiness_kit.runner import NOTEBOOKS

from .conftest import demo_state, params_file

DOMAINS = {"architecture", "scalability", "security", "resilience", "operations", "devops"}
DAY = dt.date(2026, 11, 26)


def _verdicts(loaded, ev=None) -> list[tuple]:
    review = build_review(loaded.params, ev or gather_evidence(loaded), as_of=DAY)
    f = review.findings
    return sorted(zip(f["check_id"], f["subject"], f["status"], strict=True))


def _plain_notebooks(folder):
    """One-cell notebooks: this test is about collection; the report's notebooks are
    tested with the demo (tests/test_end_to_end.py)."""
    folder.mkdir()
    for name in NOTEBOOKS:
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell("run_dir = None", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_markdown_cell(f"## {name}")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                     "language": "python"},
                      "language_info": {"name": "python"}})
        nbformat.write(nb, folder / name)
    return folder


def test_run_and_collect_on_a_live_estate(tmp_path, stub_factory, azure_env, connections):
    state = demo_state(page_size=20, quota=100)
    state.fault("advisorresources", 1, "500", times=100)  # a page that never comes
    stub = stub_factory(state)
    params = params_file(tmp_path, stub.url, retries=1)
    runner = CliRunner()

    result = runner.invoke(app, ["run", str(params), "--output", str(tmp_path / "out"),
                                 "--as-of", DAY.isoformat(),
                                 "--notebooks", str(_plain_notebooks(tmp_path / "nb"))])
    assert result.exit_code == 0, result.output
    run_dir = tmp_path / "out" / "live-retail" / "latest"
    findings = json.loads((run_dir / "findings.json").read_text())
    summary = json.loads((run_dir / "summary.json").read_text())
    assert {f["domain"] for f in findings} == DOMAINS
    judged = {f["domain"] for f in findings if f["status"] in ("pass", "fail")}
    assert judged >= DOMAINS - {"devops"}  # Azure evidence judged in five domains
    gaps = summary["collection_gaps"]
    assert any(g["what"].startswith("Resource Graph advisorresources")
               and "HTTP 500" in g["reason"] for g in gaps)
    assert (run_dir / "report.html").is_file()

    bundle = tmp_path / "handed-over"
    result = runner.invoke(app, ["collect", str(params), "--output", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "azure: Resource Graph resources" in result.stderr
    assert (bundle / "manifest.json").is_file()
    offline = tmp_path / "offline.yaml"
    offline.write_text(f"tenant: live-retail\nsources:\n  evidence: {bundle}\n")
    run_verdicts = sorted((f["check_id"], f["subject"], f["status"]) for f in findings)
    assert _verdicts(load_parameters(offline)) == run_verdicts
    assert {a[0] for a in connections} == {"127.0.0.1"}
    assert {e.method for e in state.log} <= {"GET", "POST"}


def test_the_same_rows_give_the_same_findings_live_and_from_an_export(
        tmp_path, stub_factory, azure_env):
    stub = stub_factory(demo_state(page_size=15, quota=100))
    live = load_parameters(params_file(tmp_path, stub.url))
    export = tmp_path / "export.yaml"
    export.write_text("tenant: live-retail\nsources:\n  azure:\n"
                      f"    export: {AZURE_SOURCES / 'resource-graph'}\n"
                      f"    arm_export: {AZURE_SOURCES / 'arm'}\n")
    live_ev = gather_evidence(live)
    export_ev = gather_evidence(load_parameters(export))
    for name in ("azure_resources", "azure_arm_details", "collection_gaps"):
        a = live_ev.tables[name].sort_values(list(live_ev.tables[name].columns))
        b = export_ev.tables[name].sort_values(list(export_ev.tables[name].columns))
        assert a.reset_index(drop=True).equals(b.reset_index(drop=True)), name
    verdicts = _verdicts(live, live_ev)
    assert verdicts == _verdicts(load_parameters(export), export_ev)
    assert {s for _, _, s in verdicts} >= {"pass", "fail"}
