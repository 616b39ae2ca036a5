"""Cross-domain figures: readiness by domain, findings by domain x severity, check status."""

from __future__ import annotations

import plotly.graph_objects as go

from readiness_kit import DOMAIN_TITLES, DOMAINS, SEVERITIES, STATUSES
from readiness_kit.charts.style import ACCENT, GATE_COLOURS, STATUS_COLOURS, figure, not_collected
from readiness_kit.review import Review
from readiness_kit.scoring import MIN_SCORE, check_outcomes


def readiness_by_domain(review: Review) -> go.Figure:
    """Score per domain with the gate threshold; bars coloured by demonstrated / blocked."""
    s = review.scores
    labels = [DOMAIN_TITLES[d] for d in s["domain"]]
    colours = [
        GATE_COLOURS["not_ready"] if r.critical_fail else
        (GATE_COLOURS["ready"] if r.demonstrated or (not r.capability and not r.high_fail)
         else GATE_COLOURS["conditional"])
        for r in s.itertuples()
    ]
    scores = s["score"].fillna(0).tolist()
    fig = figure("Readiness by domain (score 0-100)")
    fig.add_bar(
        x=scores, y=labels, orientation="h", marker_color=colours,
        text=[f"{v:.0f}  ·  coverage {c:.0%}" for v, c in zip(scores, s["coverage"],
                                                                strict=True)],
        textposition="auto", name="score",
        hovertemplate="%{y}: %{x:.0f}<extra></extra>",
    )
    fig.add_vline(x=MIN_SCORE, line_dash="dash", line_color=ACCENT,
                  annotation_text=f"gate threshold {MIN_SCORE:.0f}",
                  annotation_position="top", annotation_yshift=12)
    fig.update_layout(xaxis_range=[0, 100], yaxis_autorange="reversed", showlegend=False)
    return fig


def findings_by_domain_severity(review: Review) -> go.Figure:
    """Heatmap of failing findings (subjects) per domain and severity."""
    f = review.findings[review.findings["status"] == "fail"]
    table = (f.groupby(["domain", "severity"]).size().unstack(fill_value=0)
             .reindex(index=list(DOMAINS), columns=list(SEVERITIES), fill_value=0))
    fig = figure("Failing findings by domain and severity")
    fig.add_heatmap(
        z=table.values.tolist(), x=[s.capitalize() for s in table.columns],
        y=[DOMAIN_TITLES[d] for d in table.index], colorscale="Reds",
        text=table.values.tolist(), texttemplate="%{text}", showscale=False,
        hovertemplate="%{y} · %{x}: %{z} failing<extra></extra>",
    )
    fig.update_layout(yaxis_autorange="reversed")
    return fig


def status_by_domain(review: Review) -> go.Figure:
    """Stacked bars: how many checks pass, fail, are waived or could not be assessed."""
    per_check = check_outcomes(review.findings).reset_index()
    table = (per_check.groupby(["domain", "status"]).size().unstack(fill_value=0)
             .reindex(index=list(DOMAINS), columns=list(STATUSES), fill_value=0))
    fig = figure("Checks by outcome in each domain")
    for status in STATUSES:
        fig.add_bar(x=[DOMAIN_TITLES[d] for d in table.index], y=table[status].tolist(),
                    name=status.replace("_", " "), marker_color=STATUS_COLOURS[status])
    fig.update_layout(barmode="stack", yaxis_title="checks")
    return fig


def domain_check_status(review: Review, domain: str) -> go.Figure:
    """Per check in one domain: subjects by status (who passes, who fails)."""
    f = review.domain(domain)
    table = (f.groupby(["check_id", "status"]).size().unstack(fill_value=0)
             .reindex(columns=list(STATUSES), fill_value=0))
    titles = f.drop_duplicates("check_id").set_index("check_id")["title"]
    fig = figure(f"{DOMAIN_TITLES[domain]} checks: subjects by outcome",
                 height=max(320, 28 * len(table) + 120))
    for status in STATUSES:
        if table[status].sum() == 0:
            continue
        fig.add_bar(y=table.index.tolist(), x=table[status].tolist(), orientation="h",
                    name=status.replace("_", " "), marker_color=STATUS_COLOURS[status],
                    customdata=[titles.get(c, "") for c in table.index],
                    hovertemplate="%{y}: %{customdata}<br>%{x} " + status + "<extra></extra>")
    fig.update_layout(barmode="stack", yaxis_autorange="reversed", xaxis_title="subjects",
                      margin={"l": 110})
    return fig


def check_status_bars(review: Review, checks: dict[str, str], title: str,
                      missing: str) -> go.Figure:
    """Per named check (id -> short label): subjects by status, stacked. Bounded by the
    number of checks whatever the estate size; ``missing`` is shown when no listed check
    could judge anything."""
    statuses = ("pass", "fail", "waived", "error", "not_assessed")
    fig = figure(title)
    f = review.findings
    f = f[f["check_id"].isin(list(checks))]
    if f.empty or f["status"].isin(["not_assessed", "error"]).all():
        return not_collected(fig, missing)
    present = [c for c in checks if c in set(f["check_id"])]
    table = (f.groupby(["check_id", "status"]).size().unstack(fill_value=0)
             .reindex(index=present, columns=list(statuses), fill_value=0))
    labels = [checks[c] for c in table.index]
    for status in statuses:
        if table[status].sum() == 0:
            continue
        fig.add_bar(y=labels, x=table[status].tolist(), orientation="h",
                    name=status.replace("_", " "), marker_color=STATUS_COLOURS[status],
                    customdata=table.index.tolist(),
                    hovertemplate="%{customdata} %{y}: %{x} " + status + "<extra></extra>")
    fig.update_layout(barmode="stack", yaxis_autorange="reversed", xaxis_title="subjects",
                      xaxis_tickformat="d", yaxis_automargin=True,
                      height=max(320, 30 * len(table) + 140))
    return fig
