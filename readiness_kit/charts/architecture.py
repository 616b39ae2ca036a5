"""Architecture figures: what is deployed where (resource inventory) and across which
availability zones (zone placement). Each takes a ``Review`` and returns a ``go.Figure``; when
the evidence is missing the figure carries a "not collected" annotation instead of data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from readiness_kit.capacity import node_pools
from readiness_kit.charts.style import (
    ACCENT,
    MAX_CHART_ROWS,
    NEUTRAL,
    figure,
    finish,
    fold_rows,
    not_collected,
)
from readiness_kit.frames import dig, resources
from readiness_kit.review import Review

ZONES = ("1", "2", "3")
NO_ZONE = "no zone"
#: Types that can be zonal but are regional when no zone is set (shown under "no zone").
ZONE_CAPABLE = {
    "microsoft.cache/redis": "Redis",
    "microsoft.network/publicipaddresses": "Public IP",
    "microsoft.network/applicationgateways": "Application Gateway",
    "microsoft.compute/virtualmachines": "VM",
    "microsoft.compute/virtualmachinescalesets": "VM scale set",
    "microsoft.network/azurefirewalls": "Firewall",
}
PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"


def _type_label(types: pd.Series) -> pd.Series:
    return types.str.replace(r"^microsoft\.", "", regex=True)


def resource_inventory(review: Review) -> go.Figure:
    """Treemap of Azure resources: resource group -> resource type, sized by count."""
    fig = figure("Azure resource inventory by resource group and type")
    res = resources(review.ev, parsed=())  # names and groups only: no JSON to parse
    if res is None:
        return not_collected(fig, "not collected: Azure resources (azure_resources)")
    res = res[res["arg_table"].fillna("resources").eq("resources")]
    if res.empty:
        return not_collected(fig, "not collected: no Azure resources in the evidence")
    rg = res["resource_group"].fillna("(no resource group)").str.lower()
    biggest = rg.value_counts()
    if len(biggest) > MAX_CHART_ROWS:  # the largest groups, the rest as one tile
        rest = f"({len(biggest) - MAX_CHART_ROWS + 1:,} other resource groups)"
        rg = rg.where(rg.isin(biggest.index[:MAX_CHART_ROWS - 1]), rest)
    counts = (pd.DataFrame({"rg": rg, "type": _type_label(res["type"])})
              .groupby(["rg", "type"]).size().rename("n").reset_index())
    groups = counts.groupby("rg")["n"].sum()
    ids = list(groups.index) + (counts["rg"] + "/" + counts["type"]).tolist()
    labels = list(groups.index) + counts["type"].tolist()
    parents = [""] * len(groups) + counts["rg"].tolist()
    values = groups.tolist() + counts["n"].tolist()
    fig.add_trace(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        textinfo="label+value", marker={"colorscale": [[0, NEUTRAL], [1, ACCENT]]},
        hovertemplate="%{label}<br>%{value} resources<extra></extra>",
    ))
    return finish(fig, margin={"l": 10, "r": 10, "t": 60, "b": 10})


def _placements(review: Review) -> pd.DataFrame | None:
    """One row per zonal (or zone-capable) component: label, kind and list of zones."""
    res = resources(review.ev, parsed=("zones_list",))
    if res is None:
        return None
    rows = []
    pools = node_pools(review.ev)
    if pools is not None and not pools.empty:
        rows.append(pd.DataFrame({
            "label": "AKS " + pools["cluster"] + " / " + pools["pool"] + " (" +
            pools["mode"].str.lower() + ")",
            "zones": pools["zones"], "kind": "AKS " + pools["mode"].str.lower() + " pool"}))
    pg = resources(review.ev, PG_FLEX)
    if not pg.empty:
        primary = dig(pg["props"], "availabilityZone").map(
            lambda z: [str(z)] if z not in (None, "") else [])
        mode = dig(pg["props"], "highAvailability.mode", "Disabled").astype(str)
        standby = dig(pg["props"], "highAvailability.standbyAvailabilityZone").map(
            lambda z: [str(z)] if z not in (None, "") else [])
        rows.append(pd.DataFrame({"label": "PostgreSQL " + pg["name"] + " (primary)",
                                  "zones": primary, "kind": "PostgreSQL primary"}))
        ha = mode.ne("Disabled")
        rows.append(pd.DataFrame({"label": "PostgreSQL " + pg["name"][ha] + " (standby, " +
                                  mode[ha] + ")", "zones": standby[ha],
                                  "kind": "PostgreSQL standby"}))
    other = res[~res["type"].isin([PG_FLEX, "microsoft.containerservice/managedclusters"])
                & (res["zones_list"].map(len).gt(0) | res["type"].isin(ZONE_CAPABLE))]
    if not other.empty:
        kind = other["type"].map(ZONE_CAPABLE).fillna(_type_label(other["type"]))
        rows.append(pd.DataFrame({"label": kind + " " + other["name"],
                                  "zones": other["zones_list"].map(
                                      lambda z: [str(x) for x in z]), "kind": kind}))
    if not rows:
        return pd.DataFrame(columns=["label", "zones", "kind"])
    return pd.concat(rows, ignore_index=True)


def zone_placement(review: Review) -> go.Figure:
    """Heatmap: zonal resources and node pools (rows) x availability zones (columns)."""
    fig = figure("Availability-zone placement of node pools and zonal resources")
    placed = _placements(review)
    if placed is None:
        return not_collected(fig, "not collected: Azure resources (azure_resources)")
    if placed.empty:
        return not_collected(fig, "not collected: no zonal resources or node pools in the evidence")
    placed = fold_rows(placed, ["zones"], "label", kind=placed["kind"])
    columns = [f"zone {z}" for z in ZONES] + [NO_ZONE]
    z = np.array([[1 if zone in zs else 0 for zone in ZONES] + [0 if zs else 1]
                  for zs in placed["zones"]])
    text = np.where(z == 1, "●", "")
    fig.add_trace(go.Heatmap(
        x=columns, y=placed["label"].tolist(), z=z.tolist(), text=text.tolist(),
        texttemplate="%{text}", showscale=False, xgap=3, ygap=3,
        colorscale=[[0, "#f5f7f8"], [1, ACCENT]], zmin=0, zmax=1,
        hovertemplate="%{y}<br>%{x}<extra></extra>",
    ))
    return finish(fig, height=max(260, 60 + 32 * len(placed)),
                  yaxis={"autorange": "reversed"}, margin={"l": 320, "r": 20, "t": 60, "b": 40})
