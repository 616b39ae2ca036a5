"""One house style for every figure: colours, fonts, sizes, and the renderer choice.

Figures are returned (not shown) so a notebook cell ends with the figure and Jupyter /
Papermill store it as ``application/vnd.plotly.v1+json``; the report template turns that
into a div drawn by the single inline copy of plotly.js.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from readiness_kit.palette import (  # noqa: F401  (the charts import them from here)
    ACCENT,
    FONT,
    GATE_COLOURS,
    NEUTRAL,
    SEVERITY_COLOURS,
    STATUS_COLOURS,
)

_template = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#263238"},
        title={"font": {"size": 16, "color": ACCENT}, "x": 0, "xanchor": "left"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=[ACCENT, "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#c62828", "#8e6c00"],
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        height=380,
        xaxis={"gridcolor": "#eceff1", "zerolinecolor": "#b0bec5", "automargin": True},
        yaxis={"gridcolor": "#eceff1", "zerolinecolor": "#b0bec5", "automargin": True},
        legend={"orientation": "h", "y": -0.18},
    )
)
pio.templates["readiness"] = _template
pio.templates.default = "readiness"
# Only the JSON mimetype: no CDN script tags, no per-figure copy of plotly.js.
pio.renderers.default = "plotly_mimetype"


def figure(title: str, **layout) -> go.Figure:
    """A new figure in the house style with ``title``."""
    fig = go.Figure()
    fig.update_layout(template="readiness", title=title, **layout)
    return fig


def finish(fig: go.Figure, title: str | None = None, **layout) -> go.Figure:
    """Apply the house style to a figure built by plotly.express or by hand."""
    fig.update_layout(template="readiness", **layout)
    if title:
        fig.update_layout(title=title)
    return fig


def not_collected(fig: go.Figure, message: str) -> go.Figure:
    """Turn ``fig`` into a placeholder that says what was not collected (or is empty), so a
    missing source shows as such instead of an empty or misleading chart."""
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 14, "color": "#607d8b"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(height=220, showlegend=False)
    return fig


#: A chart draws at most this many rows (resources, components); a larger estate is folded
#: into one row per kind of thing and state, so no chart grows with the estate.
MAX_CHART_ROWS = 40


def fold_rows(df: pd.DataFrame, by: list[str], label: str, *, kind: pd.Series,
              detail: str | None = None, limit: int = MAX_CHART_ROWS,
              keep_alone: bool = False) -> pd.DataFrame:
    """``df`` unchanged up to ``limit`` rows; above, one row per ``kind`` and distinct
    values of ``by`` (what the chart draws: exposure, zones...), labelled "<kind> × <n>"
    and with ``detail`` saying how many and naming a few, in the first row's other cells
    (with ``keep_alone``, a row alone in its group keeps its own label and detail). ``by``
    cells may be lists (zones): they are compared as tuples."""
    if len(df) <= limit:
        return df
    keys = pd.DataFrame({c: df[c].map(lambda v: tuple(v) if isinstance(v, list) else v)
                         for c in by}).assign(_kind=kind.to_numpy())
    group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup()
    first = ~group.duplicated()
    size = group.map(group.value_counts())
    out = df[first.to_numpy()].copy()
    n = size[first]
    out[label] = (kind[first.to_numpy()].astype(str).to_numpy() + " × "
                  + n.map("{:,}".format).to_numpy())
    alone = (n == 1).to_numpy() & keep_alone
    out.loc[alone, label] = df.loc[first.to_numpy(), label].to_numpy()[alone]
    same = out[label].duplicated(keep=False)  # same kind and count in two states: say which
    if same.any():
        states = keys[first.to_numpy()].drop(columns="_kind").map(
            lambda v: "none" if isinstance(v, float) and v != v else str(v)).agg(
            ", ".join, axis=1)
        out.loc[same.to_numpy(), label] += " (" + states[same.to_numpy()].to_numpy() + ")"
    if detail is not None:
        names = df[label].groupby(group.to_numpy()).agg(lambda s: ", ".join(s.head(3)))
        out[detail] = (n.map("{:,} of them, e.g. ".format).to_numpy()
                       + group[first].map(names).to_numpy())
        out.loc[alone, detail] = df.loc[first.to_numpy(), detail].to_numpy()[alone]
    return out.reset_index(drop=True)
