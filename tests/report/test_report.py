"""The report: one self-contained HTML page built with nbconvert from executed notebooks.

The notebooks here are built like Papermill leaves them: markdown cells, code cells whose
outputs are plotly JSON (from real ``go.Figure`` objects), ``text/html`` from
``readiness_kit.html``, streams, tagged parameter cells. The report is checked by content and
then opened in headless Chromium.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from plotly.utils import PlotlyJSONEncoder

from readiness_kit import html as rh
from readiness_kit.charts import style
from readiness_kit.report import (
    PLOTLY_MIMETYPE,
    ReadinessHTMLExporter,
    combine_notebooks,
    export_html,
    plotly_js,
    render_report,
)
from readiness_kit.report.exporter import plain_text

XSS_SUBJECT = "<img src=x onerror=alert(1)>"
XSS_TITLE = "</script><script>alert(1)</script>"
CODE_MARKER = "import_secret_marker_code"
SUB = "/subscriptions/3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
PLOTLY_SIGNATURE = "* plotly.js v"
HEADER = {
    "tenant": "demo-retail",
    "display_name": "Demo Retail Group",
    "run_id": "20261127T100000Z-3f9a",
    "generated_at": "2026-11-27T10:00:00+00:00",
    "gate": "not_ready",
    "gate_reasons": ["SCL-ODOO-001 fails: 4224 Odoo connections against max_connections 400"],
    "evidence_sha256": "9f2c" * 16,
    "toolkit_version": "0.1.0",
    "scores": {"architecture": 72, "scalability": 41.6, "security": 55, "resilience": 38,
               "operations": 60, "devops": 64},
    "counts": {"pass": 61, "fail": 23, "not_assessed": 4, "error": 0, "waived": 2},
}


# --------------------------------------------------------------------------- builders
def plotly_output(fig: go.Figure, kind: str = "display_data") -> nbformat.NotebookNode:
    """What the kernel stores for a figure with the ``plotly_mimetype`` renderer."""
    data = json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))
    bundle = {PLOTLY_MIMETYPE: data, "text/plain": f"Figure({fig.layout.title.text!r})"}
    if kind == "execute_result":
        return new_output("execute_result", data=bundle, execution_count=7)
    return new_output("display_data", data=bundle)


def html_output(fragment: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": str(fragment),
                                            "text/plain": "<Fragment>"})


def findings_frame() -> pd.DataFrame:
    base = {"domain": "security", "title": "t", "risk": "r", "rationale": "r",
            "references": "https://learn.microsoft.com/azure/aks/", "evidence_basis": "observed",
            "evidence_tables": "k8s_objects", "waiver_reason": None, "waiver_owner": None,
            "waiver_expires": None}
    return pd.DataFrame([
        {**base, "check_id": "SEC-K8S-001", "severity": "high", "status": "fail",
         "subject": f"Deployment/odoo-prod/{XSS_SUBJECT}", "detail": "privileged: true",
         "remediation": "Drop privileged mode."},
        {**base, "check_id": "SEC-KV-001", "severity": "high", "status": "pass",
         "subject": f"{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{XSS_SUBJECT}",
         "detail": "purge protection is on", "remediation": "n/a"},
    ])


def bar(title: str) -> go.Figure:
    fig = style.figure(title)
    fig.add_bar(x=["critical", "high", "medium"], y=[1, 4, 2], name="fail")
    return fig


def summary_nb() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"papermill": {"input_path": "notebooks/00_summary.ipynb"}})
    nb.cells = [
        new_code_cell(f"{CODE_MARKER} = 'demo-retail'", metadata={"tags": ["parameters"]},
                      execution_count=1),
        new_code_cell(f"tenant = '{CODE_MARKER}_injected'",
                      metadata={"tags": ["injected-parameters"]}, execution_count=2),
        new_markdown_cell("# Executive summary\n\nThe review of **Demo Retail Group** against "
                          "the [Azure Well-Architected Framework]"
                          "(https://learn.microsoft.com/azure/well-architected/)."),
        new_code_cell(f"from readiness_kit import html as {CODE_MARKER}", execution_count=3,
                      outputs=[html_output(rh.verdict_callout(
                          "not_ready", "Not ready: 1 critical finding",
                          ["Odoo can open more connections than PostgreSQL accepts."]))]),
        new_code_cell(f"{CODE_MARKER}_fig", execution_count=4,
                      outputs=[plotly_output(bar("Findings by severity"), "execute_result")]),
        new_markdown_cell("## Top risks\n\nWhat a board needs to know."),
        new_code_cell(f"print({CODE_MARKER})", execution_count=5, outputs=[
            new_output("stream", name="stdout", text="evidence loaded: 42 tables\n"),
            new_output("stream", name="stderr", text="STDERR_MARKER deprecation warning\n"),
        ]),
        new_code_cell("x", metadata={"tags": ["remove"]}, execution_count=6,
                      outputs=[html_output("<p>REMOVED_CELL_MARKER</p>")]),
        new_code_cell("y", metadata={"tags": ["remove-output"]}, execution_count=7,
                      outputs=[html_output("<p>REMOVED_OUTPUT_MARKER</p>")]),
        new_markdown_cell("REMOVED_MARKDOWN_MARKER", metadata={"tags": ["remove-cell"]}),
    ]
    return nb


def architecture_nb() -> nbformat.NotebookNode:
    hostile = bar(XSS_TITLE)
    hostile.update_layout(xaxis_title="<!-- comment --> & more")
    pie = go.Figure(go.Pie(labels=["pass", "fail"], values=[12, 3]))
    style.finish(pie, title="Status share")
    nb = new_notebook(metadata={"papermill": {"input_path": "notebooks/10_architecture.ipynb"}})
    nb.cells = [
        new_markdown_cell("# Architecture\n\nNetwork, AKS and data placement."),
        new_markdown_cell("## Findings"),
        new_code_cell(f"{CODE_MARKER}(rv)", execution_count=1,
                      outputs=[plotly_output(hostile), plotly_output(pie)]),
        new_code_cell("show(findings_table(...))", execution_count=2,
                      outputs=[html_output(rh.findings_table(findings_frame()))]),
        new_markdown_cell("## Findings"),  # same heading twice: ids stay unique
        new_code_cell("df", execution_count=3, outputs=[new_output(
            "execute_result", execution_count=3, data={"text/plain": "<not html> 42"})]),
    ]
    return nb


def security_nb() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"readiness": {"section": "security"}})
    nb.cells = [
        new_markdown_cell("Intro before the title."),
        new_markdown_cell("# Security\n\n## Identity and access\n\nText."),
        new_code_cell("raise", execution_count=1, outputs=[new_output(
            "error", ename="ValueError", evalue="\x1b[31mbad <input>\x1b[0m",
            traceback=["Traceback TRACEBACK_MARKER"])]),
        new_code_cell("fig", execution_count=2, outputs=[plotly_output(bar("Exposure"))]),
        new_code_cell("display(Markdown(text))", execution_count=3, outputs=[new_output(
            "display_data", data={"text/markdown": "## Narrative\n\nSome *narrative* text.",
                                  "text/plain": "<IPython.core.display.Markdown object>"})]),
    ]
    return nb


def notebooks() -> list[nbformat.NotebookNode]:
    return [summary_nb(), architecture_nb(), security_nb()]


def plotly_outputs(nbs) -> list[dict]:
    return [o for nb in nbs for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if PLOTLY_MIMETYPE in o.get("data", {})
            and "remove" not in c.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, str]:
    path = render_report(notebooks(), HEADER, tmp_path_factory.mktemp("r") / "run" / "report.html")
    return path, path.read_text(encoding="utf-8")


def without_plotly_js(text: str) -> str:
    js = plotly_js()
    assert text.count(js) == 1
    return text.replace(js, "")


# --------------------------------------------------------------------------- content
def test_writes_one_file_with_plotly_js_exactly_once(report):
    path, text = report
    assert path.name == "report.html" and path.is_file()
    assert text.count(PLOTLY_SIGNATURE) == 1
    assert text.count("window.Plotly = Plotly") == 1
    assert text.count(plotly_js()) == 1
    assert len(text) < len(plotly_js()) + 400_000  # one copy, not one per figure or section


def test_one_div_and_one_json_block_per_plotly_output(report):
    _, text = report
    expected = plotly_outputs(notebooks())
    assert len(expected) == 4
    divs = re.findall(r'<div class="rk-plot rk-figure" id="(rk-fig-\d+)" '
                      r'data-rk-figure="([^"]+)"', text)
    assert len(divs) == len(expected)
    blocks = dict(re.findall(
        r'<script type="application/json" id="(rk-fig-\d+-data)">(.*?)</script>', text, re.S))
    assert [d[1] for d in divs] == list(blocks)
    for (_, block_id), output in zip(divs, expected, strict=True):
        # the same figure, with every string made plain text for plotly.js
        assert json.loads(blocks[block_id]) == plain_text(output["data"][PLOTLY_MIMETYPE])


def test_no_external_url_is_loaded(report):
    _, text = report
    page = without_plotly_js(text)
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<(iframe|object|embed)\b", page, re.I)
    for cdn in ("cdnjs", "unpkg", "jsdelivr", "mathjax.js", "require.js", "fonts.googleapis",
                "cdn.plot.ly"):
        assert cdn not in page.lower()
    # links to guidance are fine: they are anchors, nothing is loaded
    assert '<a href="https://learn.microsoft.com/azure/well-architected/">' in page
    assert "default-src 'none'" in page  # and the browser is told so


def test_no_code_prompts_execution_counts_or_stderr(report):
    _, text = report
    page = without_plotly_js(text)
    assert CODE_MARKER not in page
    for marker in ("STDERR_MARKER", "REMOVED_CELL_MARKER", "REMOVED_OUTPUT_MARKER",
                   "REMOVED_MARKDOWN_MARKER", "TRACEBACK_MARKER"):
        assert marker not in page, marker
    assert not re.search(r"In&nbsp;\[|Out\[\d*\]|jp-InputArea|jp-InputPrompt|highlight", page)
    assert "evidence loaded: 42 tables" in page  # stdout is kept
    assert "&lt;not html&gt; 42" in page  # text/plain is escaped
    assert 'class="rk-output rk-error"' in page and "ValueError: bad &lt;input&gt;" in page
    assert "\x1b[" not in page


def test_xss_strings_are_escaped(report):
    _, text = report
    page = without_plotly_js(text)
    assert XSS_SUBJECT not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert XSS_TITLE not in page
    assert "<!-- comment -->" not in page
    # in a chart title: plain text for plotly.js (&lt;), and \u0026 so it cannot end the script
    assert ("\\u0026lt;/script\\u0026gt;\\u0026lt;script\\u0026gt;alert(1)"
            "\\u0026lt;/script\\u0026gt;") in page
    # every script element is ours: plotly.js, config, the drawer, and the JSON blocks
    scripts = re.findall(r"<script\b([^>]*)>", page)
    json_blocks = [s for s in scripts if 'type="application/json"' in s]
    assert len(json_blocks) == 4 and len(scripts) == 4 + 3


def test_header_values_are_escaped(tmp_path):
    evil = "<b onmouseover=alert(2)>x</b>"
    header = {**HEADER, "display_name": evil, "tenant": evil, "run_id": evil,
              "gate_reasons": [evil], "evidence_sha256": evil, "toolkit_version": evil,
              "generated_at": evil, "scores": {evil: evil}}
    text = export_html([security_nb()], header)
    assert evil not in text
    assert text.count("&lt;b onmouseover=alert(2)&gt;x&lt;/b&gt;") >= 8


def test_header_band_gate_scores_and_meta(report):
    _, text = report
    assert '<h1 class="rk-tenant">Demo Retail Group</h1>' in text
    assert 'class="rk-gate-badge rk-badge rk-gate-not_ready">Not ready</div>' in text
    assert "SCL-ODOO-001 fails" in text
    assert "9f2c" * 16 in text and "20261127T100000Z-3f9a" in text
    assert "27 November 2026" in text and "readiness-kit <code>0.1.0</code>" in text
    labels = re.findall(r'<span class="rk-score-label">(\w+)</span>', text)
    assert labels == ["Architecture", "Scalability", "Security", "Resilience", "Operations",
                      "DevOps"]
    assert '<span class="rk-score-value">42</span>' in text  # 41.6 rounded
    assert re.findall(r'<span class="rk-badge rk-status-(\w+)">(\d+) ([a-z ]+)</span>', text) == [
        ("pass", "61", "pass"), ("fail", "23", "fail"), ("not_assessed", "4", "not assessed"),
        ("error", "0", "error"), ("waived", "2", "waived")]
    assert "<title>Deployment readiness review · Demo Retail Group · 20261127T100000Z-3f9a" \
        in text


def test_sections_titles_anchors_and_contents(report):
    _, text = report
    sections = re.findall(r'<section class="rk-section" id="([^"]+)"', text)
    assert sections == ["sec-summary", "sec-architecture", "sec-security"]
    toc = text[text.index('<nav class="rk-toc"'):text.index("</nav>")]
    assert re.findall(r'<li><a href="#(sec-[a-z-]+)">([^<]+)</a>', toc) == [
        ("sec-summary", "Executive summary"), ("sec-architecture", "Architecture"),
        ("sec-security", "Security")]
    sub = re.findall(r'<li><a href="#([a-z0-9-]+)">([^<]+)</a></li>', toc)
    assert sub == [("summary-top-risks", "Top risks"), ("architecture-findings", "Findings"),
                   ("architecture-findings-2", "Findings"),
                   ("security-identity-and-access", "Identity and access"),
                   ("security-narrative", "Narrative")]
    assert "Some <em>narrative</em> text." in text
    ids = re.findall(r'\bid="([^"]+)"', without_plotly_js(text))
    assert len(ids) == len(set(ids)), "duplicate ids"
    for target in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{target}"' in text


def test_section_titles_from_paths_and_order(tmp_path):
    paths = []
    for name, nb in (("30_security.ipynb", security_nb()), ("10_architecture.ipynb",
                                                            architecture_nb())):
        nb.metadata.pop("readiness", None)
        nb.metadata.pop("papermill", None)
        nbformat.write(nb, tmp_path / name)
        paths.append(tmp_path / name)
    out = render_report(paths, HEADER, tmp_path / "r.html")
    text = out.read_text()
    assert re.findall(r'<section class="rk-section" id="([^"]+)"', text) == [
        "sec-security", "sec-architecture"]
    combined = combine_notebooks(paths)
    assert [s["title"] for s in combined.metadata["readiness"]["sections"]] == [
        "Security", "Architecture"]


def test_inputs_are_not_modified_and_exporter_is_reusable(tmp_path):
    nbs = notebooks()
    before = json.dumps(nbs, sort_keys=True, default=str)
    exporter = ReadinessHTMLExporter()
    first = export_html(nbs, HEADER, exporter=exporter)
    second = export_html(nbs, HEADER, exporter=exporter)
    assert json.dumps(nbs, sort_keys=True, default=str) == before
    strip = re.compile(r"/\*readiness-kit:plotly.js:[0-9a-f]+\*/")
    assert strip.sub("", first) == strip.sub("", second)


def test_no_figures_means_no_plotly_js(tmp_path):
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# Operations"),
                new_code_cell("x", outputs=[html_output(rh.table({"a": 1}))])]
    text = export_html([nb], HEADER)
    assert PLOTLY_SIGNATURE not in text and "Plotly.newPlot" not in text
    assert 'id="sec-operations"' in text


def test_fragment_styles_are_carried_once(report):
    _, text = report
    assert 'data-rk-fragment="' not in text  # per-fragment blocks dropped ...
    assert text.count(".rk-badge{") == 1  # ... the CSS is in the head once


def test_print_css_and_system_fonts(report):
    _, text = report
    assert "@media print" in text and "break-before: page" in text
    assert re.search(r"\.rk-topbar[^{]*\{[^}]*display: none", text.split("@media print")[1])
    assert "system-ui" in text and "@font-face" not in text


def test_scores_from_a_dataframe_and_missing_header_fields():
    scores = pd.DataFrame({"domain": ["security", "architecture"], "score": [55.0, None]})
    text = export_html([security_nb()], {"tenant": "t1", "scores": scores})
    assert re.findall(r'<span class="rk-score-label">(\w+)</span>\s*'
                      r'<span class="rk-score-value">([^<]+)</span>', text) == [
        ("Architecture", "n/a"), ("Security", "55")]
    assert '<h1 class="rk-tenant">t1</h1>' in text and 'class="rk-gate ' not in text


def test_invalid_gate_is_refused():
    with pytest.raises(ValueError, match="gate"):
        export_html([security_nb()], {**HEADER, "gate": "maybe"})


def test_real_kernel_output_is_rendered(tmp_path):
    """A notebook executed by a real kernel: plotly's mimetype renderer, our fragments."""
    from nbclient import NotebookClient

    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Kernel check"),
        new_code_cell("from readiness_kit.charts import style\n"
                      "from readiness_kit import html as rh\n"
                      "fig = style.figure('Kernel figure')\n"
                      "fig.add_bar(x=['a', 'b'], y=[1, 2])\n"
                      "fig"),
        new_code_cell("rh.findings_table(None)"),
        new_code_cell("rh.show(rh.verdict_callout('ready', 'Shown with show()'))"),
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    fig_out = nb.cells[1].outputs[0]
    assert PLOTLY_MIMETYPE in fig_out.data and "text/html" not in fig_out.data
    assert nb.cells[2].outputs[0].data["text/plain"].startswith("<readiness_kit.html.Fragment")
    assert list(nb.cells[3].outputs[0].data) == ["text/html"]
    text = export_html([nb], HEADER)
    assert text.count('<div class="rk-plot rk-figure"') == 1
    assert "No findings." in text and "Shown with show()" in text


# --------------------------------------------------------------------------- browser
def test_report_in_headless_chromium(report, browser_page_check):
    path, _ = report
    result = browser_page_check(path, print_media=True)
    assert result["figures"] == len(plotly_outputs(notebooks())) == 4
    assert result["drawn"] == result["figures"], result["undrawn"]
    assert result["console_errors"] == []
    assert result["requests"] == []
    assert result["all_requests"] == [path.resolve().as_uri()]
    assert result["dialogs"] == []
    assert result["sections"] == ["sec-summary", "sec-architecture", "sec-security"]
    assert all(w <= 700 for w in result["print_figure_widths"]), result["print_figure_widths"]
    assert result["print_topbar_position"] == "none"


def test_browser_check_sees_requests_errors_and_dialogs(tmp_path, browser_page_check):
    """The fixture itself: a page that loads a remote image, logs an error and alerts."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><img src='http://127.0.0.1:9/x.png'>"
        "<div class='rk-figure' id='f1'></div>"
        "<script>console.error('boom'); alert('xss');</script></body></html>")
    result = browser_page_check(page, timeout_ms=2_000)
    assert result["requests"] == ["http://127.0.0.1:9/x.png"]
    assert any("boom" in e for e in result["console_errors"])
    assert result["dialogs"] == [("alert", "xss")]
    assert result["figures"] == 1 and result["drawn"] == 0 and result["undrawn"] == ["f1"]
