"""Measure the report renderer: time to render N synthetic sections, and the report size.

    .venv/bin/python benchmarks/bench_render.py [--sections 7] [--figures 4] [--rows 150]

Each synthetic section looks like an executed domain notebook: a title, narrative markdown,
a verdict callout, plotly figures (stored as application/vnd.plotly.v1+json, as the kernel
does), a findings table and a risk list. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from plotly.utils import PlotlyJSONEncoder

from readiness_kit import DOMAINS, SEVERITIES
from readiness_kit import html as rh
from readiness_kit.charts import style
from readiness_kit.report import ReadinessHTMLExporter, plotly_js, render_report

SUB = "/subscriptions/3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10/resourceGroups/rg-retail-prod-aks"


def _figure_output(title: str, points: int) -> dict:
    fig = style.figure(title)
    fig.add_bar(x=[f"c{i}" for i in range(points)], y=[(i * 7) % 13 for i in range(points)])
    fig.add_scatter(x=[f"c{i}" for i in range(points)], y=[(i * 5) % 11 for i in range(points)])
    data = json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))
    return new_output("display_data", data={"application/vnd.plotly.v1+json": data,
                                            "text/plain": "Figure()"})


def _html_output(fragment: str) -> dict:
    return new_output("display_data", data={"text/html": str(fragment),
                                            "text/plain": "<Fragment>"})


def _findings(domain: str, rows: int) -> pd.DataFrame:
    statuses = ["fail", "pass", "pass", "not_assessed", "waived", "pass"]
    return pd.DataFrame({
        "check_id": [f"{domain[:3].upper()}-X-{i % 40:03d}" for i in range(rows)],
        "domain": domain,
        "severity": [SEVERITIES[i % len(SEVERITIES)] for i in range(rows)],
        "status": [statuses[i % len(statuses)] for i in range(rows)],
        "subject": [f"{SUB}/providers/Microsoft.ContainerService/managedClusters/aks-{i}"
                    for i in range(rows)],
        "title": "A synthetic check title",
        "detail": "setting is off (Azure default when absent)",
        "remediation": "Turn the setting on in the Bicep module and redeploy.",
        "references": "https://learn.microsoft.com/azure/well-architected/",
        "waiver_reason": None, "waiver_owner": None, "waiver_expires": None,
    })


def synthetic_notebooks(sections: int, figures: int, rows: int, points: int) -> list:
    notebooks = []
    for index in range(sections):
        domain = DOMAINS[index % len(DOMAINS)]
        findings = _findings(domain, rows)
        nb = new_notebook(metadata={"readiness": {"section": f"{domain}-{index}"}})
        nb.cells = [
            new_code_cell("tenant = 'demo-retail'", metadata={"tags": ["parameters"]}),
            new_markdown_cell(f"# {domain.title()} ({index})\n\nWhat this section reviews."),
            new_code_cell("show(...)", outputs=[_html_output(rh.verdict_callout(
                "conditional", "Partly demonstrated", ["One paragraph.", "Another one."]))]),
            new_markdown_cell("## Charts"),
            new_code_cell("fig", outputs=[_figure_output(f"{domain} chart {k}", points)
                                          for k in range(figures)]),
            new_markdown_cell("## Top risks"),
            new_code_cell("show(...)", outputs=[_html_output(rh.risk_list(
                findings[findings.status == "fail"].head(5).assign(
                    risk="A synthetic risk sentence a board understands.")))]),
            new_markdown_cell("## Findings"),
            new_code_cell("show(...)", outputs=[_html_output(rh.findings_table(findings))]),
        ]
        notebooks.append(nb)
    return notebooks


HEADER = {
    "tenant": "demo-retail", "display_name": "Demo Retail Group", "run_id": "bench",
    "generated_at": "2026-11-27T10:00:00+00:00", "gate": "conditional",
    "gate_reasons": ["Synthetic"], "counts": {"pass": 500, "fail": 300},
    "evidence_sha256": "0" * 64, "toolkit_version": "bench",
    "scores": {d: 50 + i * 5 for i, d in enumerate(DOMAINS)},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=7)
    parser.add_argument("--figures", type=int, default=4, help="figures per section")
    parser.add_argument("--rows", type=int, default=150, help="findings rows per section")
    parser.add_argument("--points", type=int, default=50, help="points per figure trace")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    notebooks = synthetic_notebooks(args.sections, args.figures, args.rows, args.points)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    plotly_js()
    js_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    exporter = ReadinessHTMLExporter()
    init = time.perf_counter() - t0

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            render_report(notebooks, HEADER, out, exporter=exporter)
            times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        render_report(notebooks, HEADER, out)  # fresh exporter, as a one-off caller would
        cold = time.perf_counter() - t0
        size = out.stat().st_size
        text = out.read_text(encoding="utf-8")

    js = len(plotly_js().encode("utf-8"))
    print(f"sections={args.sections} figures={args.sections * args.figures} "
          f"findings_rows={args.sections * args.rows}")
    print(f"build synthetic notebooks : {build * 1000:8.1f} ms")
    print(f"read plotly.js (once)     : {js_load * 1000:8.1f} ms")
    print(f"create exporter           : {init * 1000:8.1f} ms")
    print(f"render (reused exporter)  : {statistics.median(times) * 1000:8.1f} ms median "
          f"of {len(times)} (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")
    print(f"render (new exporter)     : {cold * 1000:8.1f} ms")
    print(f"report size               : {size / 1e6:8.2f} MB "
          f"(plotly.js {js / 1e6:.2f} MB, rest {(size - js) / 1e6:.2f} MB)")
    print(f"plotly.js copies          : {text.count('* plotly.js v')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
