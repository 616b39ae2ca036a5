"""Scenario figures: RPO and RTO achieved against target, per data store and recovery path.

Labels are the store names and the recovery path in words ("restored in place", "in another
region"), so a board reads them without the check catalogue at hand.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from readiness_kit.charts.style import (
    ACCENT,
    GATE_COLOURS,
    MAX_CHART_ROWS,
    STATUS_COLOURS,
    finish,
    fold_rows,
    not_collected,
)
from readiness_kit.review import Review

STATUS_FILL = {"within": STATUS_COLOURS["pass"], "tight": GATE_COLOURS["conditional"],
               "breach": STATUS_COLOURS["fail"], "unknown": STATUS_COLOURS["not_assessed"]}
#: What a folded bar shares: the stores of one kind with the same figures on one path.
FIGURES = ["rpo_minutes", "rpo_status", "rto_minutes", "rto_status"]
SCOPE_WORDS = {"local": "restored in place", "regional": "in another region"}


def recovery_vs_target(review: Review) -> go.Figure:
    """RPO (left) and RTO (right) achieved per store and recovery path against the targets;
    a store with no figure shows why ("no copy", "not measured") at the axis. Above
    ``MAX_CHART_ROWS`` bars, stores of one kind with the same figures share one bar."""
    from readiness_kit.recovery import recovery_figures

    rec = recovery_figures(review.ev, review.params, review.as_of)
    rpo_t = float(review.params.targets.rpo_minutes)
    rto_t = float(review.params.targets.rto_minutes)
    title = f"Recovery achieved vs target (RPO {rpo_t:g} min, RTO {rto_t:g} min)"
    if rec.empty:
        return not_collected(finish(go.Figure(), title),
                             "Azure resources not collected: recovery figures cannot be shown")
    folded = len(rec) > MAX_CHART_ROWS  # one bar per kind of store, path and figures
    if folded:
        rec = pd.concat([fold_rows(rows, FIGURES, "store", kind=rows["kind"], detail="names",
                                   limit=0, keep_alone=True)
                         for _, rows in rec.assign(names=rec["store"]).groupby(
                             "scope", sort=False)], ignore_index=True)
    labels = (rec["store"] + " · " + rec["scope"].map(SCOPE_WORDS)).tolist()
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("Data loss: RPO achieved (minutes)",
                                        "Downtime: RTO achieved (minutes)"))
    for col, (what, target) in enumerate((("rpo", rpo_t), ("rto", rto_t)), start=1):
        values = rec[f"{what}_minutes"]
        status = rec[f"{what}_status"]
        top = max(float(values.max()) if values.notna().any() else 0.0, target) * 1.15
        shown = values.fillna(top * 0.02)  # a sliver so the missing value still has a bar
        text = [
            (f"{v:g} min" if v == v else ("no copy" if s == "breach" else "not measured"))
            for v, s in zip(values, status, strict=True)
        ]
        fig.add_trace(go.Bar(
            y=labels, x=shown.tolist(), orientation="h", text=text, textposition="outside",
            marker_color=[STATUS_FILL.get(s, STATUS_FILL["unknown"]) for s in status],
            hovertext=((rec["names"] + ": " if folded else "") + rec[f"{what}_basis"]).tolist(),
            hoverinfo="text", showlegend=False,
            cliponaxis=False), row=1, col=col)
        fig.add_vline(x=target, line_dash="dash", line_color=ACCENT, row=1, col=col,
                      annotation_text=f"target {target:g}", annotation_position="bottom right")
        fig.update_xaxes(range=[0, top * 1.25], row=1, col=col)
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title, height=max(300, 60 + 46 * len(labels)),
                  margin={"l": 60, "r": 40, "t": 90, "b": 40})
