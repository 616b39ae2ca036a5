"""Operations figures: alert and diagnostic coverage per critical resource, and the SLO /
ownership answers with the status of the checks that judged them.

Each function takes a ``Review`` and returns a ``go.Figure`` in the house style; when the
evidence it needs was not collected it returns a figure whose annotation says "not
collected".
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.charts.style import (
    ACCENT,
    MAX_CHART_ROWS,
    NEUTRAL,
    STATUS_COLOURS,
    figure,
    fold_rows,
    not_collected,
)
from readiness_kit.checks import operations as ops
from readiness_kit.frames import attestation_frame, resources
from readiness_kit.review import Review

#: Cell states of the coverage heatmap, their value and colour.
COVERAGE_STATES = {
    "missing": (0, STATUS_COLOURS["fail"]),
    "not collected": (1, NEUTRAL),
    "not required": (2, "#c8e6c9"),
    "covered": (3, STATUS_COLOURS["pass"]),
}
COVERAGE_MARKS = {"missing": "✗", "not collected": "?", "not required": "·", "covered": "✓"}
SIGNAL_ORDER = ["Diagnostic logs", "Container Insights", "CPU alert", "Memory alert",
                "Storage alert", "Connections alert", "Node/pod health alert"]

#: Interview answers shown in the ownership figure: key -> (topic, check id).
OWNERSHIP = {
    "slo.checkout_availability": ("Checkout availability SLO", "OPS-SLO-001"),
    "oncall.rota": ("On-call rota", "OPS-INC-001"),
    "incident.process_owner": ("Incident process owner", "OPS-INC-002"),
    "patching.cadence": ("Patching cadence", "OPS-PAT-004"),
    "dr_runbook.owner": ("DR runbook owner", "RES-DR-001"),
    "dr_runbook.last_reviewed": ("DR runbook last reviewed", "RES-DR-002"),
    "restore_drill.last_date": ("Last restore drill", "RES-DRL-001"),
    "restore_drill.achieved_rto_minutes": ("Restore drill RTO (minutes)", "RES-RTO-001"),
}


def coverage_cells(review: Review) -> pd.DataFrame | None:
    """Long table: resource label x signal -> state (covered / missing / not required /
    not collected) with a hover detail. None when Azure resources were not collected."""
    ev = review.ev
    alerts = ops.alert_coverage(ev)
    if alerts is None:
        return None
    # Metric alerts: a signal not covered is "missing" only if its requirement is unmet.
    met = alerts.groupby(["id", "requirement"])["covered"].any().rename("met").reset_index()
    alerts = alerts.merge(met, on=["id", "requirement"], how="left")
    state = pd.Series("not required", index=alerts.index, dtype=object)
    state = state.mask(alerts["requirement"].notna() & ~alerts["met"].fillna(False).astype(bool),
                       "missing")
    state = state.mask(alerts["covered"], "covered")
    cells = [pd.DataFrame({"id": alerts["id"], "name": alerts["name"], "label": alerts["label"],
                           "signal": alerts["signal"] + " alert", "state": state,
                           "detail": alerts["alerts"].fillna("no enabled metric alert")})]

    diag = ops.diagnostic_coverage(ev)
    critical = resources(ev, *ops.DIAGNOSTIC_TYPES)
    if diag is None:
        diag = critical[["id", "name", "type"]].assign(
            label=critical["type"].map(ops.LABELS), covered=False, read=False,
            categories=None, destination=None)
    d_state = diag["covered"].map({True: "covered", False: "missing"}).where(
        diag["covered"] | diag["read"], "not collected")
    d_detail = (diag["categories"].fillna("") + " → " + diag["destination"].fillna("")).where(
        diag["covered"], "no diagnostic setting exports logs")
    cells.append(pd.DataFrame({"id": diag["id"], "name": diag["name"], "label": diag["label"],
                               "signal": "Diagnostic logs", "state": d_state,
                               "detail": d_detail}))

    aks = critical[critical["type"] == ops.AKS]
    ci = ops.container_insights_enabled(aks)
    cells.append(pd.DataFrame({"id": aks["id"], "name": aks["name"], "label": "AKS",
                               "signal": "Container Insights",
                               "state": ci.map({True: "covered", False: "missing"}),
                               "detail": ci.map({True: "enabled", False: "not enabled"})}))
    out = pd.concat(cells, ignore_index=True)
    out["resource"] = out["label"] + " · " + out["name"]
    return out


def alert_diagnostic_coverage(review: Review) -> go.Figure:
    """Heatmap: critical resources x monitoring signals (diagnostic logs, alerts...)."""
    fig = figure("Alert and diagnostic coverage of critical resources")
    cells = coverage_cells(review)
    if cells is None:
        return not_collected(fig, "Azure resources not collected: alert and diagnostic "
                                  "coverage cannot be shown")
    if cells.empty:
        return not_collected(fig, "No AKS, PostgreSQL, Redis, Storage or Key Vault resources "
                                  "in the evidence (not collected?)")
    signals = [s for s in SIGNAL_ORDER if s in set(cells["signal"])]
    rows = cells.drop_duplicates("resource")["resource"].tolist()
    wide = cells.pivot_table(index="resource", columns="signal", values="state",
                             aggfunc="first").reindex(index=rows, columns=signals)
    detail = cells.pivot_table(index="resource", columns="signal", values="detail",
                               aggfunc="first").reindex(index=rows, columns=signals)
    if len(rows) > MAX_CHART_ROWS:  # one row per kind of resource and coverage pattern
        kinds = cells.drop_duplicates("resource").set_index("resource")["label"]
        both = pd.concat([wide.fillna(""), detail.add_prefix("detail:")], axis=1)
        folded = fold_rows(both.rename_axis("resource").reset_index(), signals, "resource",
                           kind=kinds.reindex(rows).reset_index(drop=True))
        rows = folded["resource"].tolist()
        wide = folded.set_index("resource")[signals].replace("", None)
        detail = folded.set_index("resource")[[f"detail:{s}" for s in signals]]
        detail.columns = signals
    value = {k: v for k, (v, _) in COVERAGE_STATES.items()}
    z = wide.map(lambda s: value.get(s) if isinstance(s, str) else None)
    n = len(COVERAGE_STATES) - 1
    colorscale = []
    for v, colour in COVERAGE_STATES.values():
        colorscale += [[max(v - 0.5, 0) / n, colour], [min(v + 0.5, n) / n, colour]]
    text = wide.map(lambda s: COVERAGE_MARKS.get(s, "") if isinstance(s, str) else "")
    hover = (wide.fillna("n/a").astype(str) + ": " + detail.fillna("not applicable")
             .astype(str))
    fig.add_heatmap(
        z=z.values.tolist(), x=signals, y=rows, zmin=0, zmax=n, showscale=False,
        colorscale=colorscale, xgap=3, ygap=3, text=text.values.tolist(),
        texttemplate="%{text}", customdata=hover.values.tolist(),
        hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
    )
    fig.add_annotation(
        text="✓ covered · ✗ missing (required) · · not required · ? not collected · "
             "blank: not applicable",
        x=0, y=0, yshift=-62, xref="paper", yref="paper", showarrow=False, xanchor="left",
        yanchor="top", font={"size": 11, "color": "#607d8b"})
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(tickangle=0, showgrid=False, tickvals=signals,
                     ticktext=[s.replace(" ", "<br>", 1) for s in signals])
    fig.update_layout(height=max(320, 38 * len(rows) + 200), margin={"l": 240, "b": 100})
    return fig


def ownership_table(review: Review) -> go.Figure:
    """SLO, on-call, incident, patching and DR answers with who gave them and the verdict."""
    fig = figure("SLO, ownership and recovery answers (attested)")
    if review.ev.table("attestations") is None:
        return not_collected(fig, "Attestations not collected: no interview answers to show")
    df = attestation_frame(review.ev, *OWNERSHIP)
    f = review.findings
    status = {}
    if f is not None and not f.empty:
        status = dict(zip(f["check_id"] + "|" + f["subject"], f["status"], strict=True))
    topic = df["key"].map(lambda k: OWNERSHIP[k][0])
    verdict = [status.get(f"{OWNERSHIP[k][1]}|attestation:{k}", "not_assessed")
               for k in df["key"]]
    answer = df["value"].where(df["present"], "not attested")
    who = df["attested_by"].astype(object).where(df["present"], "")
    when = df["attested_at"].astype(object).where(df["present"], "").astype(str)
    fills = [STATUS_COLOURS.get(v, NEUTRAL) for v in verdict]
    plain = ["white"] * len(df)
    fig.add_trace(go.Table(
        columnwidth=[2.2, 3.2, 2.6, 1.2, 1.2],
        header={"values": ["Topic", "Answer", "Attested by", "On", "Verdict"],
                "fill_color": ACCENT, "font": {"color": "white", "size": 13},
                "align": "left"},
        cells={"values": [topic.tolist(), answer.tolist(), who.tolist(), when.tolist(),
                          [v.replace("_", " ") for v in verdict]],
               "fill_color": [plain, plain, plain, plain, fills],
               "font": {"color": [["#263238"] * len(df)] * 4 + [["white"] * len(df)]},
               "align": "left", "height": 28},
    ))
    fig.update_layout(height=34 * len(df) + 150, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig
