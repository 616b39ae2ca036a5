"""Resilience figures: backup and RPO coverage per data store, zone distribution.

Each function takes a ``Review`` and returns a ``go.Figure`` in the house style; when the
evidence it needs was not collected it returns a figure whose annotation says "not
collected" instead of an empty or misleading chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.charts.style import ACCENT, STATUS_COLOURS, figure, fold_rows, not_collected
from readiness_kit.checks import resilience as res
from readiness_kit.frames import dig, resources
from readiness_kit.review import Review

PUBLIC_IP = "microsoft.network/publicipaddresses"
NO_ZONE = "no zone pinned"


def _finding_status(review: Review, check_id: str) -> pd.Series:
    """subject (lower-case) -> status of one check in the review (waivers applied)."""
    f = review.findings
    if f is None or f.empty:
        return pd.Series(dtype=object)
    f = f[f["check_id"] == check_id]
    return pd.Series(f["status"].tolist(), index=f["subject"].str.lower().tolist(),
                     dtype=object)


def backup_rpo_coverage(review: Review) -> go.Figure:
    """Each data store: its backup mechanism and achieved RPO against the RPO target."""
    target = float(review.params.targets.rpo_minutes)
    fig = figure(f"Backup mechanism and achieved RPO per data store (target {target:g} min)")
    rpo = res.rpo_estimates(review.ev, review.params)
    if rpo is None:
        return not_collected(fig, "Azure resources not collected: backup and RPO coverage "
                                  "cannot be shown")
    if rpo.empty:
        return not_collected(fig, "No PostgreSQL server or Odoo filestore in the evidence "
                                  "(not collected?)")
    judged = rpo["rpo_minutes"] <= rpo["target_minutes"]
    computed = judged.map({True: "pass", False: "fail"}).where(rpo["assessed"], "not_assessed")
    status = rpo["subject"].str.lower().map(_finding_status(review, "RES-RPO-001")).astype(object)
    rpo = rpo.assign(status=status.fillna(computed))
    rpo = fold_rows(rpo, ["mechanism", "rpo_minutes", "status"], "store",
                    kind=_kind(rpo["store"]), detail="detail")
    known = rpo["rpo_minutes"].notna()
    label = rpo["rpo_minutes"].map(lambda m: "RPO unknown" if pd.isna(m) else f"RPO {m:g} min")
    rpo["axis"] = rpo["store"] + "<br><span style='font-size:11px'>" + rpo["mechanism"] + "</span>"
    for state in ("pass", "fail", "waived", "not_assessed"):
        rows = rpo[rpo["status"] == state]
        if rows.empty:
            continue
        fig.add_bar(
            y=rows["axis"].tolist(), x=rows["rpo_minutes"].fillna(0).tolist(),
            orientation="h", name=state.replace("_", " "),
            marker_color=STATUS_COLOURS[state],
            text=label[rows.index].tolist(),
            textposition="outside", cliponaxis=False,
            customdata=(rows["store"] + ": " + rows["detail"]).tolist(),
            hovertemplate="%{customdata}<extra></extra>",
        )
    top = max(float(rpo.loc[known, "rpo_minutes"].max()) if known.any() else 0.0, target)
    fig.add_vline(x=target, line_dash="dash", line_color=ACCENT,
                  annotation_text=f"RPO target {target:g} min", annotation_position="top")
    fig.update_xaxes(title="worst-case data loss (minutes)", range=[0, top * 1.25])
    fig.update_yaxes(categoryorder="array", categoryarray=rpo["axis"].tolist()[::-1])
    fig.update_layout(height=max(280, 80 * len(rpo) + 170), margin={"l": 360},
                      barmode="overlay")
    return fig


def _kind(labels: pd.Series) -> pd.Series:
    """"PostgreSQL psql-a" -> "PostgreSQL", "AKS aks-a · pool x" -> "AKS node pool"."""
    kind = labels.str.extract(r"^(Public IP|\S+)", expand=False).fillna("")
    return kind.where(~labels.str.contains(" · pool ", regex=False), kind + " node pool")


def _zones(values: pd.Series) -> pd.Series:
    return values.map(lambda z: sorted({str(x) for x in z}) if z else [])


def zone_components(review: Review) -> pd.DataFrame | None:
    """Critical components with the zones they occupy (``zones`` list, ``detail``)."""
    ev = review.ev
    everything = resources(ev, res.AKS, res.PG_FLEX, *res.REDIS_TYPES, res.STORAGE, PUBLIC_IP)
    if everything is None:
        return None
    frames = []
    aks = everything[everything["type"] == res.AKS]
    pools = aks.assign(pool=dig(aks["props"], "agentPoolProfiles", [])).explode("pool")
    pools = pools[pools["pool"].notna()]
    pool_zones = _zones(dig(pools["pool"], "availabilityZones", []))
    frames.append(pd.DataFrame({
        "component": "AKS " + pools["name"] + " · pool " + dig(pools["pool"], "name", "?")
        .astype(str), "zones": pool_zones,
        "detail": dig(pools["pool"], "count", "?").astype(str) + " nodes"}))
    pg = everything[everything["type"] == res.PG_FLEX]
    mode = dig(pg["props"], "highAvailability.mode", "Disabled").astype(str)
    primary = dig(pg["props"], "availabilityZone", "").astype(str)
    standby = dig(pg["props"], "highAvailability.standbyAvailabilityZone", "").astype(str)
    standby = standby.where(standby.ne("") | mode.ne("SameZone"), primary)
    frames.append(pd.DataFrame({
        "component": "PostgreSQL " + pg["name"],
        "zones": [sorted({z for z in (p, s) if z}) for p, s in zip(primary, standby,
                                                                   strict=True)],
        "detail": "HA " + mode + ", primary zone " + primary.replace("", "?")
                  + ", standby zone " + standby.replace("", "none")}))
    redis = everything[everything["type"].isin(res.REDIS_TYPES)]
    frames.append(pd.DataFrame({"component": "Redis " + redis["name"],
                                "zones": _zones(redis["zones_list"]),
                                "detail": "SKU " + res.sku_name(redis)}))
    sa = everything[everything["type"] == res.STORAGE]
    sku = res.sku_name(sa)
    zonal = sku.str.split("_").str[-1].str.upper().isin(res.ZONE_REDUNDANT_SKUS)
    frames.append(pd.DataFrame({
        "component": "Storage " + sa["name"],
        "zones": zonal.map(lambda z: ["1", "2", "3"] if z else []),
        "detail": "SKU " + sku + zonal.map({True: " (zone-redundant)", False: ""})}))
    pip = everything[everything["type"] == PUBLIC_IP]
    frames.append(pd.DataFrame({"component": "Public IP " + pip["name"],
                                "zones": _zones(pip["zones_list"]),
                                "detail": "SKU " + res.sku_name(pip)}))
    out = pd.concat(frames, ignore_index=True)
    long = out["component"].str.len() > 38
    out["component"] = out["component"].where(~long, out["component"].str[:36] + "…")
    out["zone_count"] = out["zones"].map(len)
    return out


def zone_distribution(review: Review) -> go.Figure:
    """Which availability zones each critical component occupies, against the target."""
    need = review.params.targets.min_availability_zones
    fig = figure(f"Zone distribution of critical components (target: {need} zones or more)")
    comp = zone_components(review)
    if comp is None:
        return not_collected(fig, "Azure resources not collected: zone distribution cannot "
                                  "be shown")
    if comp.empty:
        return not_collected(fig, "No AKS, PostgreSQL, Redis, storage or public IP resources "
                                  "in the evidence (not collected?)")
    comp = fold_rows(comp, ["zones"], "component", kind=_kind(comp["component"]),
                     detail="detail")
    zones = sorted({z for zs in comp["zones"] for z in zs} | {"1", "2", "3"})
    columns = [f"Zone {z}" for z in zones] + [NO_ZONE]
    ok = comp["zone_count"] >= need
    grid = pd.DataFrame({f"Zone {z}": comp["zones"].map(lambda zs, z=z: z in zs)
                         for z in zones})
    grid[NO_ZONE] = comp["zone_count"].eq(0)
    # 0 = not there, 1 = there but the component misses the target, 2 = meets it.
    z_values = grid.mul(ok.map({True: 2, False: 1}), axis=0).astype(int)
    hover = (comp["component"] + ": " + comp["detail"] + " · "
             + comp["zone_count"].astype(str) + f" of {need} zones").tolist()
    fig.add_heatmap(
        z=z_values.values.tolist(), x=columns, y=comp["component"].tolist(),
        zmin=0, zmax=2, showscale=False, xgap=3, ygap=3,
        colorscale=[[0, "#f5f5f5"], [0.33, "#f5f5f5"], [0.33, STATUS_COLOURS["fail"]],
                    [0.67, STATUS_COLOURS["fail"]], [0.67, STATUS_COLOURS["pass"]],
                    [1, STATUS_COLOURS["pass"]]],
        text=grid.map(lambda v: "●" if v else "").values.tolist(), texttemplate="%{text}",
        customdata=[[h] * len(columns) for h in hover],
        hovertemplate="%{customdata}<extra>%{x}</extra>",
    )
    fig.add_annotation(text="green: meets the zone target · red: below it", x=0, y=-0.12,
                       xref="paper", yref="paper", showarrow=False, xanchor="left",
                       font={"size": 11, "color": "#607d8b"})
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False)
    fig.update_layout(height=max(300, 34 * len(comp) + 170), margin={"l": 260})
    return fig
