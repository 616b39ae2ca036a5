"""The house colours and font, without plotly: HTML fragments, the report and the CLI use
them too (``charts.style`` builds the plotly template from them)."""

STATUS_COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "waived": "#8e6c00",
    "not_assessed": "#9e9e9e",
    "error": "#6a1b9a",
}
SEVERITY_COLOURS = {
    "critical": "#7f0000",
    "high": "#c62828",
    "medium": "#ef6c00",
    "low": "#f9a825",
    "info": "#607d8b",
}
GATE_COLOURS = {"ready": "#2e7d32", "conditional": "#ef6c00", "not_ready": "#c62828"}
ACCENT = "#1f4e79"
NEUTRAL = "#cfd8dc"
FONT = "Segoe UI, Helvetica Neue, Arial, sans-serif"
