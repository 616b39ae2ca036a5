"""Azure evidence: Resource Graph rows (``resources``), ARM details (``arm_details``), parent
resource ids and private endpoints."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import dig, lower_id, parsed_rows, parsed_table, text

#: The parsed columns of ``resources()``: new column -> (JSON column, default when empty).
RESOURCE_JSON = {"props": ("properties", {}), "sku_obj": ("sku", {}), "tags_obj": ("tags", {}),
                 "zones_list": ("zones", []), "identity_obj": ("identity", {})}


def resources(ev: Evidence, *types: str, parsed: Sequence[str] | None = None
              ) -> pd.DataFrame | None:
    """ARG rows of the given (case-insensitive) types, every row when none is given, with
    parsed JSON columns (``props``, ``sku_obj``, ``tags_obj``, ``zones_list``,
    ``identity_obj``; only those named in ``parsed`` when given, e.g. ``parsed=()`` for an
    inventory that needs no JSON at all).

    Each type's JSON is parsed once per Evidence, when a reader first asks for that type.
    Returns ``None`` when ``azure_resources`` was not collected, so callers can tell
    "not collected" from "none of this type".
    """
    return parsed_rows(ev, "azure_resources", RESOURCE_JSON, "type", types or None,
                       lower=True, parsed=parsed)


def arm_details(ev: Evidence, detail_type: str) -> pd.DataFrame | None:
    df = parsed_table(ev, "azure_arm_details", {"props": ("properties", {})})
    if df is None:
        return None
    return df[df["detail_type"].str.lower() == detail_type.lower()].reset_index(drop=True)


def parent_resource_id(ids: pd.Series) -> pd.Series:
    """The resource an ARM sub-resource id belongs to (diagnosticSettings, blobServices...)."""
    out = lower_id(ids).str.replace(
        r"/providers/microsoft\.insights/diagnosticsettings/[^/]+$", "", regex=True)
    return out.str.replace(r"/(blob|file|queue|table)services/[^/]+$", "", regex=True)


PRIVATE_ENDPOINT = "microsoft.network/privateendpoints"


def private_endpoint_targets(ev: Evidence) -> set[str]:
    """Lower-cased resource ids that a private endpoint resource connects to."""
    pe = resources(ev, PRIVATE_ENDPOINT)
    if pe is None or pe.empty:
        return set()
    links = (dig(pe["props"], "privateLinkServiceConnections", [])
             + dig(pe["props"], "manualPrivateLinkServiceConnections", []))
    targets = dig(links.explode().dropna(), "properties.privateLinkServiceId", "")
    return set(lower_id(targets)) - {""}


def has_private_endpoint(ev: Evidence, df: pd.DataFrame) -> pd.Series:
    """True where a resource (rows of ``resources()``) has an approved private endpoint
    connection of its own or is the target of a private endpoint resource."""
    conns = dig(df["props"], "privateEndpointConnections", []).explode()
    status = text(dig(conns, "properties.privateLinkServiceConnectionState.status", ""))
    approved = status.str.lower().eq("approved").groupby(level=0).any()
    return approved.reindex(df.index, fill_value=False) | lower_id(df["id"]).isin(
        private_endpoint_targets(ev))
