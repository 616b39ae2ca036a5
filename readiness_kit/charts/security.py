"""Security figures: data-service exposure, identity & secrets posture, Defender coverage.

Each function takes a ``Review`` and returns a ``go.Figure`` in the house style; when the
evidence it needs was not collected it returns a figure carrying a "not collected"
annotation instead of failing or drawing an empty, misleading chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.charts.common import check_status_bars
from readiness_kit.charts.style import NEUTRAL, STATUS_COLOURS, figure, fold_rows, not_collected
from readiness_kit.checks import security as sec
from readiness_kit.frames import dig, resources
from readiness_kit.review import Review

#: Exposure categories in order from worst to best, with the colour each is drawn in.
EXPOSURE_ORDER = {
    "public": STATUS_COLOURS["fail"],
    "selected networks": "#ef6c00",
    "public access disabled": "#66bb6a",
    "private endpoint": STATUS_COLOURS["pass"],
    "VNet-integrated": STATUS_COLOURS["pass"],
}
#: Identity and secrets controls shown in the posture chart, with short labels.
IDENTITY_SECRETS_CHECKS = {
    "SEC-AKS-001": "AKS local accounts disabled",
    "SEC-AKS-002": "AKS Entra ID + Azure RBAC",
    "SEC-AKS-003": "AKS workload identity",
    "SEC-IAM-001": "Subscription Owners <= 3",
    "SEC-KV-001": "Key Vault purge protection",
    "SEC-KV-002": "Key Vault RBAC authorization",
    "SEC-ODOO-001": "Odoo master password set",
    "SEC-ODOO-002": "Odoo database manager off",
    "SEC-PG-003": "Odoo DB role least privilege",
}


def data_service_exposure(review: Review) -> go.Figure:
    """Each PostgreSQL / Redis / Storage / Key Vault placed on its network exposure."""
    fig = figure("How data services are reachable")
    exp = sec.data_service_exposure(review.ev)
    if exp is None:
        return not_collected(fig, "Azure resources not collected: exposure of data services "
                                  "cannot be shown")
    if exp.empty:
        return not_collected(fig, "No PostgreSQL, Redis, Storage or Key Vault resources in "
                                  "the evidence (not collected?)")
    exp = exp.assign(label=exp["service"] + " · " + exp["name"]).sort_values(
        ["service", "name"])
    exp = fold_rows(exp, ["exposure"], "label", kind=exp["service"], detail="detail")
    for category, colour in EXPOSURE_ORDER.items():
        rows = exp[exp["exposure"].eq(category)]
        if rows.empty:
            continue
        fig.add_scatter(
            x=[category] * len(rows), y=rows["label"].tolist(), mode="markers",
            name=category, marker={"symbol": "square", "size": 22, "color": colour},
            customdata=rows["detail"].tolist(),
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    fig.update_xaxes(categoryorder="array", categoryarray=list(EXPOSURE_ORDER),
                     range=[-0.5, len(EXPOSURE_ORDER) - 0.5], side="top")
    fig.update_yaxes(categoryorder="array", categoryarray=exp["label"].tolist()[::-1],
                     automargin=True)
    fig.update_layout(height=max(280, 40 * len(exp) + 140), showlegend=False)
    return fig


def identity_secrets_posture(review: Review) -> go.Figure:
    """Per identity / secrets control: how many subjects pass, fail or were not assessed."""
    return check_status_bars(review, IDENTITY_SECRETS_CHECKS, "Identity and secrets posture",
                             "Identity and secrets evidence not collected (Azure "
                             "resources, odoo.conf, PostgreSQL roles)")


def defender_coverage(review: Review) -> go.Figure:
    """Defender for Cloud plans per subscription: Standard (on) or Free (off)."""
    fig = figure("Microsoft Defender for Cloud plans")
    pr = resources(review.ev, sec.PRICING)
    if pr is None:
        return not_collected(fig, "Azure resources not collected: Defender plans cannot be "
                                  "shown")
    if pr.empty:
        return not_collected(fig, "Defender for Cloud pricings not collected "
                                  "(securityresources)")
    tier = dig(pr["props"], "pricingTier", "Free").astype(str)
    required = pr["name"].isin(list(sec.REQUIRED_DEFENDER_PLANS))
    label = pr["name"] + pd.Series(" (required)", index=pr.index).where(required, "")
    several = pr["subscription_id"].nunique() > 1
    if several:
        label = label + " · " + pr["subscription_id"].astype(str).str.slice(0, 8)
    df = pd.DataFrame({"label": label, "tier": tier, "required": required}).sort_values(
        ["required", "label"], ascending=[False, True])
    for name, colour in (("Standard", STATUS_COLOURS["pass"]), ("Free", NEUTRAL)):
        rows = df[df["tier"].str.lower().eq(name.lower())]
        if rows.empty:
            continue
        colours = [STATUS_COLOURS["fail"] if (name == "Free" and r) else colour
                   for r in rows["required"]]
        fig.add_bar(y=rows["label"].tolist(), x=[1] * len(rows), orientation="h", name=name,
                    marker_color=colours, text=[name] * len(rows), textposition="inside",
                    hovertemplate="%{y}: " + name + "<extra></extra>")
    fig.update_xaxes(visible=False)
    fig.update_layout(barmode="stack", yaxis_autorange="reversed",
                      yaxis_automargin=True, height=max(260, 28 * len(df) + 140))
    return fig
