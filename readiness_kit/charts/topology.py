"""The platform's topology as a picture a non-engineer can read: columns from the Internet
to the data, red where the Internet reaches a component, green where access is private.
"""

from __future__ import annotations

import plotly.graph_objects as go

from readiness_kit.charts.style import ACCENT, NEUTRAL, STATUS_COLOURS, figure, not_collected
from readiness_kit.review import Review
from readiness_kit.topology import COLUMNS, platform_topology

EXPOSURE_STYLE = {
    "internet": ("Reachable from the Internet", STATUS_COLOURS["fail"]),
    "restricted": ("Limited to selected networks", "#ef6c00"),
    "private": ("Private (private endpoint or virtual network)", STATUS_COLOURS["pass"]),
    "": ("Network and compute", ACCENT),
}
RELATION_STYLE = {"exposed": ("rgba(198,40,40,0.45)", "dash"),
                  "reaches": (STATUS_COLOURS["fail"], "solid"),
                  "private link": (STATUS_COLOURS["pass"], "dot")}
SYMBOLS = {"Internet": "star", "Public IP": "diamond", "Gateway": "diamond",
           "Ingress route": "triangle-right", "AKS cluster": "hexagon", "Node pool": "square",
           "Virtual network": "square-open", "Subnet": "square-open-dot",
           "Private endpoint": "circle-open-dot", "PostgreSQL": "circle", "Redis": "circle",
           "Storage": "circle", "Key Vault": "pentagon"}


def platform_topology_chart(review: Review, max_per_kind: int = 8) -> go.Figure:
    """Every component from the evidence in its column, linked by what connects it."""
    fig = figure("The platform as deployed: what the Internet can reach")
    topo = platform_topology(review.ev, max_per_kind=max_per_kind)
    if topo.nodes.empty:
        return not_collected(fig, "Azure resources not collected: the topology cannot be drawn")
    nodes = topo.nodes.copy()
    nodes["row"] = nodes.groupby("column").cumcount()
    tallest = int(nodes.groupby("column").size().max())
    sizes = nodes.groupby("column")["row"].transform("max") + 1
    # centre each column vertically
    nodes["y"] = -(nodes["row"] + (tallest - sizes) / 2)
    pos = dict(zip(nodes["key"], zip(nodes["column"], nodes["y"], strict=True), strict=True))
    for relation, rows in topo.edges.groupby("relation"):
        colour, dash = RELATION_STYLE.get(relation, ("#90a4ae", "solid"))
        xs, ys = [], []
        for src, dst in zip(rows["source"], rows["target"], strict=True):
            (x0, y0), (x1, y1) = pos[src], pos[dst]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        fig.add_scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                        line={"color": colour, "width": 1.4, "dash": dash})
    for exposure, rows in nodes.groupby("exposure", sort=False):
        name, colour = EXPOSURE_STYLE.get(exposure, EXPOSURE_STYLE[""])
        fig.add_scatter(
            x=rows["column"].tolist(), y=rows["y"].tolist(), mode="markers+text", name=name,
            text=(rows["kind"] + "<br>" + rows["label"]).tolist(), textposition="bottom center",
            textfont={"size": 11}, hovertext=(rows["label"] + ": " + rows["detail"]).tolist(),
            hoverinfo="text", marker={"size": 16, "color": colour, "line": {"width": 1,
                                      "color": "#263238"},
                                      "symbol": [SYMBOLS.get(k, "circle") for k in rows["kind"]]})
    for i, title in enumerate(COLUMNS):
        fig.add_annotation(x=i, y=0.9, text=f"<b>{title}</b>", showarrow=False,
                           yanchor="bottom", font={"color": ACCENT, "size": 12})
    fig.update_xaxes(visible=False, range=[-0.5, len(COLUMNS) - 0.5])
    fig.update_yaxes(visible=False, range=[-tallest - 0.2, 1.4])
    fig.update_layout(height=max(380, 120 + 72 * tallest), plot_bgcolor="white",
                      legend={"orientation": "h", "y": -0.02, "bordercolor": NEUTRAL})
    return fig
