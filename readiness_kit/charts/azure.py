"""Azure estate figures that stay bounded for any estate size: the inventory (subscription x
resource group x type), zone-redundancy and backup coverage, and the collection gaps.

Every figure aggregates: the largest ``top`` groups are drawn and the rest folded into one
"other" entry, so a 100,000-resource estate gives a figure of the same size as the demo's.
The full lists stay in ``findings.json`` / the evidence bundle.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from readiness_kit.charts.common import check_status_bars
from readiness_kit.charts.style import (
    ACCENT,
    NEUTRAL,
    STATUS_COLOURS,
    figure,
    finish,
    not_collected,
)
from readiness_kit.frames import resources
from readiness_kit.review import Review

OTHER = "other"
#: Checks whose subjects say whether a component survives the loss of a zone.
ZONE_CHECKS = {
    "RES-PG-001": "PostgreSQL zone-redundant HA",
    "RES-REDIS-001": "Redis across zones",
    "RES-AKS-001": "AKS node pools across zones",
    "RES-STG-001": "Filestore storage ZRS/GZRS",
    "RES-PIP-001": "Public IPs zone-redundant",
    "RES-AGW-001": "Gateways zone-redundant",
}
#: Checks whose subjects say whether a component can be restored.
BACKUP_CHECKS = {
    "RES-PG-002": "PostgreSQL recoverable in another region",
    "RES-PG-003": "PostgreSQL backup retention",
    "RES-AKS-002": "AKS cluster backed up",
    "RES-BKP-001": "Backup items healthy",
    "RES-STG-002": "Filestore soft delete + versioning",
    "RES-STG-004": "Backup storage soft delete",
    "RES-STG-006": "Backup containers immutable",
    "RES-RSV-001": "Vaults geo-redundant",
    "RES-RSV-002": "Vaults soft delete",
    "RES-RSV-003": "Vaults immutable",
    "RES-RSV-004": "Vaults cross-region restore",
}


def top_n(values: pd.Series, weights: pd.Series, top: int, other: str = OTHER) -> pd.Series:
    """``values`` with all but the ``top`` heaviest (by summed ``weights``) replaced by
    ``other (k)``, k being how many distinct values were folded."""
    totals = weights.groupby(values).sum().sort_values(ascending=False, kind="stable")
    keep = set(totals.index[:top])
    folded = len(totals) - len(keep)
    return values.where(values.isin(keep), f"{other} ({folded})")


def inventory_counts(review: Review, top_groups: int = 15, top_types: int = 8) -> \
        pd.DataFrame | None:
    """Resource counts per subscription x resource group x type (``n``), the smallest
    groups and types folded into "other"; None when Azure resources were not collected."""
    res = resources(review.ev, parsed=())  # counts only: no JSON parsed
    if res is None:
        return None
    res = res[res["arg_table"].fillna("resources").str.lower().eq("resources")]
    subs = _subscription_names(review)
    sub = res["subscription_id"].fillna("(no subscription)").astype(str)
    counts = pd.DataFrame({
        "subscription": sub.map(subs).fillna(sub.str.slice(0, 8)),
        "resource_group": res["resource_group"].fillna("(none)").astype(str).str.lower(),
        "type": res["type"].astype(str).str.replace(r"^microsoft\.", "", regex=True),
    }).groupby(["subscription", "resource_group", "type"]).size().rename("n").reset_index()
    group_key = counts["subscription"] + " / " + counts["resource_group"]
    counts["group"] = top_n(group_key, counts["n"], top_groups, "other resource groups")
    counts["type"] = top_n(counts["type"], counts["n"], top_types, "other types")
    return counts.groupby(["group", "type"], as_index=False)["n"].sum()


def _subscription_names(review: Review) -> pd.Series:
    """subscription id -> display name, from the ResourceContainers rows when collected."""
    subs = resources(review.ev, "microsoft.resources/subscriptions")
    if subs is None or subs.empty:
        return pd.Series(dtype=object)
    sid = subs["id"].astype(str).str.rstrip("/").str.rsplit("/", n=1).str[-1]
    return pd.Series(subs["name"].astype(str).tolist(), index=sid.tolist())


def azure_inventory(review: Review, top_groups: int = 15, top_types: int = 8) -> go.Figure:
    """Stacked bars: resources per subscription / resource group, split by type (bounded)."""
    fig = figure("Azure inventory: resources per subscription and resource group, by type")
    counts = inventory_counts(review, top_groups, top_types)
    if counts is None:
        return not_collected(fig, "not collected: Azure resources (azure_resources)")
    if counts.empty:
        return not_collected(fig, "not collected: no Azure resources in the evidence")
    order = counts.groupby("group")["n"].sum().sort_values(ascending=False).index.tolist()
    order = [g for g in order if not g.startswith("other")] + \
        [g for g in order if g.startswith("other")]
    type_order = counts.groupby("type")["n"].sum().sort_values(ascending=False).index
    for rtype in type_order:
        rows = counts[counts["type"] == rtype]
        fig.add_bar(y=rows["group"].tolist(), x=rows["n"].tolist(), orientation="h",
                    name=rtype, marker_color=NEUTRAL if rtype.startswith("other") else None,
                    hovertemplate="%{y}<br>" + rtype + ": %{x}<extra></extra>")
    total = int(counts["n"].sum())
    return finish(fig, barmode="stack", xaxis_title=f"resources ({total} in all)",
                  yaxis={"categoryorder": "array", "categoryarray": order[::-1]},
                  height=max(300, 26 * len(order) + 180))


def zone_redundancy_coverage(review: Review) -> go.Figure:
    """Per zone check: how many components survive a zone loss (pass) and how many not."""
    return check_status_bars(review, ZONE_CHECKS, "Zone redundancy of critical components",
                             "Zone evidence not collected (Azure resources)")


def backup_coverage(review: Review) -> go.Figure:
    """Per backup / recovery check: how many components can be restored, and how many not."""
    return check_status_bars(review, BACKUP_CHECKS, "Backup and recovery coverage",
                             "Backup evidence not collected (Azure resources, Recovery "
                             "Services / Backup vault items)")


def collection_gaps(review: Review, top: int = 12) -> go.Figure:
    """What could not be collected: gaps per source and table (the largest ``top``)."""
    fig = figure("Collection gaps: evidence that could not be read")
    gaps = review.ev.gaps
    if gaps is None or gaps.empty:
        return not_collected(fig, "No collection gaps: every configured source was read")
    where = (gaps["source"].fillna("?").astype(str) + " · "
             + gaps["table"].fillna("?").astype(str))
    ones = pd.Series(1, index=gaps.index)
    counts = top_n(where, ones, top, "other tables").value_counts()
    fig.add_bar(y=counts.index.tolist(), x=counts.tolist(), orientation="h",
                marker_color=[NEUTRAL if k.startswith("other") else STATUS_COLOURS["fail"]
                              for k in counts.index],
                hovertemplate="%{y}: %{x} gaps<extra></extra>")
    return finish(fig, xaxis_title="gaps (scopes or resources not read)",
                  yaxis_autorange="reversed", xaxis_tickformat="d", showlegend=False,
                  height=max(260, 28 * len(counts) + 150),
                  title_font_color=ACCENT)
