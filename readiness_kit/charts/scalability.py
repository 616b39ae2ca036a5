"""Scalability figures: capacity headroom at peak and where the platform breaks first (from
``readiness_kit.capacity``), and HPA replica bounds per workload. Each takes a ``Review``
and returns a ``go.Figure``; missing evidence gives a figure with a "not collected" annotation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from readiness_kit.capacity import capacity_model, hpas, peak_factor, workloads
from readiness_kit.charts.style import (
    ACCENT,
    NEUTRAL,
    SEVERITY_COLOURS,
    STATUS_COLOURS,
    figure,
    finish,
    not_collected,
)
from readiness_kit.review import Review

CAP_PCT = 300
VERDICT_COLOURS = {
    "sufficient": STATUS_COLOURS["pass"],
    "tight": SEVERITY_COLOURS["medium"],
    "insufficient": STATUS_COLOURS["fail"],
}


def _short(subject: pd.Series) -> pd.Series:
    """``/subscriptions/.../aks-x`` -> ``aks-x``; ``Deployment/ns/name`` -> ``name``;
    ``postgres:srv/max_connections`` -> ``srv``."""
    s = subject.fillna("").astype(str)
    s = s.str.replace(r"^(postgres|redis):", "", regex=True).str.replace(
        r"/max_connections$", "", regex=True)
    return s.str.rstrip("/").str.split("/").str[-1]


def capacity_headroom(review: Review) -> go.Figure:
    """Demand now and at peak as a percentage of capacity per resource, against the
    capacity line at 100 %; bars at peak are coloured by verdict."""
    factor, _ = peak_factor(review.ev, review.params)
    fig = figure(f"Capacity at peak (x{factor:g}): demand as % of capacity")
    model = capacity_model(review.ev, review.params)
    known = model[model["verdict"].ne("not_collected")]
    missing = model[model["verdict"].eq("not_collected")]
    if known.empty:
        what = "<br>".join(dict.fromkeys(missing["resource"] + " (" + missing["explanation"] +
                                         ")")) or "no capacity evidence"
        return not_collected(fig, "not collected: " + what)
    labels = (known["resource"] + " · " + _short(known["subject"])).tolist()
    cap = known["capacity"].where(known["capacity"] > 0)
    now = (known["baseline"] / cap * 100).round(1)
    peak = (known["peak_demand"] / cap * 100).round(1)
    fig.add_trace(go.Bar(
        name="now", y=labels, x=now.fillna(0).clip(upper=CAP_PCT).tolist(), orientation="h",
        marker_color=NEUTRAL, customdata=np.stack([known["baseline"], now], axis=-1).tolist(),
        hovertemplate="%{y}<br>now: %{customdata[0]} (%{customdata[1]}% of capacity)"
                      "<extra></extra>"))
    fig.add_trace(go.Bar(
        name="at peak", y=labels, x=peak.fillna(0).clip(upper=CAP_PCT).tolist(),
        orientation="h", marker_color=known["verdict"].map(VERDICT_COLOURS).tolist(),
        text=(peak.map("{:.0f}%".format) + " " + known["verdict"]).tolist(),
        textposition="outside", cliponaxis=False,
        customdata=np.stack([known["peak_demand"], known["capacity"], peak,
                             known["explanation"]], axis=-1).tolist(),
        hovertemplate="%{y}<br>peak: %{customdata[0]} of %{customdata[1]} "
                      "(%{customdata[2]}%)<br>%{customdata[3]}<extra></extra>"))
    fig.add_vline(x=100, line_dash="dash", line_color=ACCENT, line_width=2,
                  annotation_text="capacity (100 %)", annotation_position="top")
    if not missing.empty:
        fig.add_annotation(
            text="not collected: " + ", ".join(dict.fromkeys(missing["resource"])),
            showarrow=False, x=0, y=1.06, xref="paper", yref="paper", xanchor="left",
            font={"size": 11, "color": "#607d8b"})
    clipped = bool((peak > CAP_PCT).any() or (now > CAP_PCT).any())
    fig.update_xaxes(title="% of capacity" + (f" (bars capped at {CAP_PCT}%)" if clipped
                                               else ""),
                     range=[0, (CAP_PCT if clipped else max(110, peak.max())) * 1.3])
    fig.update_yaxes(autorange="reversed")
    return finish(fig, barmode="group", height=max(360, 60 * len(labels) + 140))


def breaking_point(review: Review) -> go.Figure:
    """Where the platform breaks first: for every resource with a capacity, the load
    multiple of today's demand at which it runs out (``capacity / baseline``), smallest
    first, against the expected peak factor. The first bar left of the peak line is what
    fails first on the day; resources that are already over capacity show at 0-1x."""
    factor, factor_text = peak_factor(review.ev, review.params)
    fig = figure(f"Where the platform breaks first: load multiple each resource carries "
                 f"(peak x{factor:g})")
    model = capacity_model(review.ev, review.params)
    known = model[model["verdict"].ne("not_collected") & (model["baseline"] > 0)
                  & (model["capacity"] > 0)]
    if known.empty:
        return not_collected(fig, "not collected: no resource with both demand and capacity")
    # Resources sized at their maximum already (connections at HPA max, per-pod limits) do
    # not grow with the load: their multiple is capacity over that fixed demand.
    fixed = known["peak_demand"].eq(known["baseline"])
    multiple = (known["capacity"] / known["baseline"]).round(2)
    order = multiple.sort_values(kind="stable").index
    known, multiple, fixed = known.loc[order], multiple.loc[order], fixed.loc[order]
    labels = (known["resource"] + " · " + _short(known["subject"])).tolist()
    needed = np.where(fixed, 1.0, factor)
    breaks = multiple < needed
    colours = np.where(breaks, STATUS_COLOURS["fail"],
                       np.where(multiple < needed * 1.2, SEVERITY_COLOURS["medium"],
                                STATUS_COLOURS["pass"]))
    fig.add_trace(go.Bar(
        y=labels, x=multiple.clip(upper=factor * 4).tolist(), orientation="h",
        marker_color=colours.tolist(), showlegend=False,
        text=[f"x{m:g}" + (" (fixed demand)" if f else "") for m, f in zip(
            multiple, fixed, strict=True)], textposition="outside", cliponaxis=False,
        customdata=np.stack([known["explanation"]], axis=-1).tolist(),
        hovertemplate="%{y}<br>carries x%{x} today's demand<br>%{customdata[0]}"
                      "<extra></extra>"))
    fig.add_vline(x=factor, line_dash="dash", line_color=ACCENT, line_width=2,
                  annotation_text=f"expected peak x{factor:g}", annotation_position="top")
    first = labels[0]
    fig.add_annotation(text=f"breaks first: {first} at x{multiple.iloc[0]:g}",
                       showarrow=False, x=0, y=1.06, xref="paper", yref="paper",
                       xanchor="left", font={"size": 12, "color": STATUS_COLOURS["fail"]
                                             if breaks.iloc[0] else "#455a64"})
    fig.update_xaxes(title="load multiple of today's demand the resource can carry "
                           f"(bars capped at x{factor * 4:g}); {factor_text}",
                     range=[0, factor * 4 * 1.25])
    fig.update_yaxes(autorange="reversed")
    return finish(fig, height=max(320, 50 * len(labels) + 160))


def hpa_replicas(review: Review) -> go.Figure:
    """Min / current / max replicas of every HPA target, with the pods needed at peak."""
    factor, _ = peak_factor(review.ev, review.params)
    fig = figure("Horizontal Pod Autoscalers: replicas now, bounds and need at peak")
    h = hpas(review.ev)
    if h is None:
        return not_collected(fig, "not collected: Kubernetes objects (k8s_objects)")
    if h.empty:
        return not_collected(fig, "not collected: no HorizontalPodAutoscaler in the evidence")
    wl = workloads(review.ev)
    current = h["hpa_current"]
    if wl is not None and not wl.empty:
        by_target = wl.set_index(["namespace", "kind", "name"])["current"]
        by_target = by_target[~by_target.index.duplicated()]
        keys = pd.MultiIndex.from_arrays([h["namespace"], h["target_kind"], h["target_name"]])
        current = current.fillna(pd.Series(by_target.reindex(keys).to_numpy(), index=h.index))
    labels = (h["namespace"].fillna("-") + "/" + h["target_name"].fillna("?")).tolist()
    for name, values, colour in (("min", h["hpa_min"], NEUTRAL),
                                 ("current", current, "#00838f"),
                                 ("max", h["hpa_max"], ACCENT)):
        fig.add_trace(go.Bar(name=name, x=labels, y=values.tolist(), marker_color=colour,
                             hovertemplate="%{x}<br>" + name + ": %{y}<extra></extra>"))
    need = np.ceil(current * factor - 1e-9).clip(lower=0)
    fig.add_trace(go.Scatter(
        name=f"needed at peak (x{factor:g})", x=labels, y=need.tolist(), mode="markers",
        marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3},
                "color": STATUS_COLOURS["fail"]},
        hovertemplate="%{x}<br>needed at peak: %{y}<extra></extra>"))
    fig.update_yaxes(title="replicas", rangemode="tozero")
    return finish(fig, barmode="group")
