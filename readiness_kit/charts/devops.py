"""DevOps figures: pipeline controls matrix and staging vs production drift.

Each function takes a ``Review`` and returns a ``go.Figure`` in the house style, or a
figure with a "not collected" annotation when the GitOps evidence is missing.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.charts.style import STATUS_COLOURS, figure, not_collected
from readiness_kit.checks import devops as dev
from readiness_kit.frames import image_parts, text
from readiness_kit.review import Review

#: Matrix columns: control -> (label, the pipelines it applies to).
CONTROL_COLUMNS = {
    "runs_tests": ("runs tests", "builds_image"),
    "scans_image": ("scans image", "builds_image"),
    "signs_image": ("signs image", "builds_image"),
    "pins_digest": ("pins digest", "builds_or_deploys"),
    "requires_approval": ("approval to prod", "deploys_production"),
    "has_rollback": ("rollback path", "deploys_production"),
}
AMBER = "#ef6c00"
#: Drift matrix columns: label -> (column, (flag of an expected difference, flag of drift))
#: using the booleans of ``checks.devops.staging_vs_production``.
DRIFT_COLUMNS = {
    "image repository": ("image", (None, "image_drift")),
    "image tag / digest": ("tag", ("promotion", "tag_drift")),
    "chart version": ("chart_version", (None, "chart_drift")),
    "overlay config": ("config_sha256", ("config_differs", None)),
    "replicas": ("replicas", ("replicas_differs", None)),
}


def _discrete(colours: list[str]) -> list[list]:
    """A step colourscale for integer z values 0..len-1."""
    n = len(colours)
    scale = []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def pipeline_controls(review: Review) -> go.Figure:
    """Heatmap: pipelines x controls; green = in place, red = missing, blank = n/a."""
    fig = figure("Pipeline controls")
    pl = dev.pipelines_summary(review.ev)
    if pl is None:
        return not_collected(fig, "CI/CD pipelines not collected (gitops_pipelines)")
    if pl.empty:
        return not_collected(fig, "No CI/CD pipeline definitions found in the GitOps "
                                  "repository")
    labels = (pl["path"].str.rsplit("/", n=1).str[-1]
              + (" → " + pl["environments"]).where(pl["environments"].ne(""), ""))
    if pl["repo"].nunique() > 1:
        labels = pl["repo"].str.rsplit("/", n=1).str[-1] + ": " + labels
    z, cell_text = [], []
    for col, (_, applies) in CONTROL_COLUMNS.items():
        applicable = pl[applies].eq(True)
        value = pl[col].astype(object)
        z.append(value.map({True: 1, False: 0}).where(applicable & value.notna(), None))
        cell_text.append(value.map({True: "yes", False: "no"}).where(
            value.notna(), "unknown").where(applicable, "n/a"))
    zf = pd.concat(z, axis=1).astype(object)
    zf = zf.where(zf.notna(), None)
    tf = pd.concat(cell_text, axis=1)
    fig.add_heatmap(
        z=zf.values.tolist(), x=[lbl for lbl, _ in CONTROL_COLUMNS.values()],
        y=labels.tolist(), text=tf.values.tolist(), texttemplate="%{text}",
        colorscale=_discrete([STATUS_COLOURS["fail"], STATUS_COLOURS["pass"]]), zmin=0, zmax=1,
        showscale=False, xgap=2, ygap=2, name="controls", textfont={"size": 12},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
    )
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    fig.update_layout(height=max(260, 44 * len(pl) + 160))
    return fig


def environment_drift(review: Review) -> go.Figure:
    """Heatmap: production components x attributes; green same, amber expected
    (promotion / scale), red drift between staging and production."""
    fig = figure("Staging vs production")
    m = dev.staging_vs_production(review.ev)
    if m is None:
        return not_collected(fig, "Environment releases not collected (gitops_releases)")
    if m.empty:
        return not_collected(fig, "No production releases in the GitOps repository")
    z, cell_text = [], []
    for column, (expected_flag, drift_flag) in DRIFT_COLUMNS.values():
        stg, prd = text(m[f"{column}_stg"], "-"), text(m[f"{column}_prd"], "-")
        if column == "tag":
            stg = stg.where(text(m["digest_stg"]).eq(""), text(m["digest_stg"]).str[:15])
            prd = prd.where(text(m["digest_prd"]).eq(""), text(m["digest_prd"]).str[:15])
        if column == "image":  # the repository name is enough on the cell; hover has all
            stg, prd = (image_parts(m[c])["repository"].str.rsplit("/", n=1).str[-1]
                        for c in ("image_stg", "image_prd"))
        expected = m[expected_flag] if expected_flag else pd.Series(False, index=m.index)
        drift = m[drift_flag] if drift_flag else pd.Series(False, index=m.index)
        level = pd.Series(0, index=m.index).mask(expected, 1).mask(drift, 2)
        level = level.mask(~m["in_staging"], 2)
        z.append(level)
        label = stg.where(stg.ne("-"), "none").where(~(expected | drift),
                                                     stg + " →<br>" + prd)
        if column == "config_sha256":  # hashes mean nothing to a reader
            label = pd.Series("same", index=m.index).where(~expected, "differs")
        cell_text.append(label.where(m["in_staging"], "no staging"))
    components = (m["component"] if m["repo"].nunique() == 1
                  else m["repo"].str.rsplit("/", n=1).str[-1] + ": " + m["component"])
    fig.add_heatmap(
        z=pd.concat(z, axis=1).values.tolist(), x=list(DRIFT_COLUMNS), y=components.tolist(),
        text=pd.concat(cell_text, axis=1).values.tolist(), texttemplate="%{text}",
        colorscale=_discrete([STATUS_COLOURS["pass"], AMBER, STATUS_COLOURS["fail"]]),
        zmin=0, zmax=2, showscale=False, xgap=2, ygap=2, name="drift",
        textfont={"size": 12, "color": "white"},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
    )
    fig.add_annotation(text="green: same · amber: expected (Odoo release being promoted, "
                            "scale, environment settings) · red: drift",
                       x=0, y=-0.12, xref="paper", yref="paper", showarrow=False,
                       xanchor="left", font={"size": 11, "color": "#607d8b"})
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, automargin=True)
    fig.update_layout(height=max(260, 52 * len(m) + 160))
    return fig
