"""The self-contained HTML report: nbconvert exporter + the ``readiness`` template folder.

``render_report(notebooks, header, output_path)`` joins the executed notebooks (one section
each) and writes one HTML file with no code, no external URL and one inline plotly.js.
"""

from readiness_kit.report.exporter import (
    PLOTLY_MIMETYPE,
    TEMPLATE_DIR,
    TEMPLATE_NAME,
    ReadinessHTMLExporter,
    ReadinessPreprocessor,
    combine_notebooks,
    export_html,
    figure_json,
    header_context,
    plotly_js,
    render_report,
)

__all__ = [
    "PLOTLY_MIMETYPE",
    "TEMPLATE_DIR",
    "TEMPLATE_NAME",
    "ReadinessHTMLExporter",
    "ReadinessPreprocessor",
    "combine_notebooks",
    "export_html",
    "figure_json",
    "header_context",
    "plotly_js",
    "render_report",
]
