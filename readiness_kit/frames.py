"""Vectorised helpers over evidence tables: parse JSON columns, dig into nested keys.

Checks use these instead of looping over dicts: ``resources(ctx.ev, "microsoft.cache/redis")``
returns a DataFrame with parsed ``props``/``sku_obj``/``tags_obj``/``zones_list`` columns and
``dig(df.props, "highAvailability.mode")`` returns one value per row.
"""

from __future__ import annotations

import json
from functools import reduce
from typing import Any

import pandas as pd

from readiness_kit.evidence import Evidence


def parse_json(series: pd.Series, default: Any = None) -> pd.Series:
    """Parse a JSON text column; empty/null cells become ``default``."""

    def _load(value: Any) -> Any:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return default
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return default

    return series.map(_load).astype(object)


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        lowered = {k.lower(): v for k, v in obj.items()}  # ARM keys are case-insensitive
        return lowered.get(key.lower())
    if isinstance(obj, list) and key.isdigit():
        idx = int(key)
        return obj[idx] if idx < len(obj) else None
    return None


def dig(series: pd.Series, path: str, default: Any = None) -> pd.Series:
    """Follow a dotted path (``a.b.0.c``) into each object of ``series``."""
    keys = path.split(".")

    def _walk(obj: Any) -> Any:
        value = reduce(_get, keys, obj)
        return default if value is None else value

    return series.map(_walk).astype(object)


def short_name(resource_id: pd.Series) -> pd.Series:
    return resource_id.fillna("").str.rstrip("/").str.split("/").str[-1]


def resources(ev: Evidence, *types: str) -> pd.DataFrame | None:
    """ARG rows of the given (case-insensitive) types with parsed JSON columns.

    Returns ``None`` when ``azure_resources`` was not collected, so callers can tell
    "not collected" from "none of this type".
    """
    df = ev.table("azure_resources")
    if df is None:
        return None
    wanted = {t.lower() for t in types}
    out = df[df["type"].str.lower().isin(wanted)].copy() if wanted else df.copy()
    out["props"] = parse_json(out["properties"], {})
    out["sku_obj"] = parse_json(out["sku"], {})
    out["tags_obj"] = parse_json(out["tags"], {})
    out["zones_list"] = parse_json(out["zones"], [])
    out["identity_obj"] = parse_json(out["identity"], {})
    return out.reset_index(drop=True)


def arm_details(ev: Evidence, detail_type: str) -> pd.DataFrame | None:
    df = ev.table("azure_arm_details")
    if df is None:
        return None
    out = df[df["detail_type"].str.lower() == detail_type.lower()].copy()
    out["props"] = parse_json(out["properties"], {})
    return out.reset_index(drop=True)


def k8s(ev: Evidence, *kinds: str) -> pd.DataFrame | None:
    """Kubernetes objects of the given kinds with parsed JSON and a ``subject`` column."""
    df = ev.table("k8s_objects")
    if df is None:
        return None
    out = df[df["kind"].isin(kinds)].copy() if kinds else df.copy()
    for col in ("labels", "annotations", "spec", "status"):
        out[f"{col}_obj"] = parse_json(out[col], {})
    ns = out["namespace"].fillna("")
    out["subject"] = out["kind"] + "/" + ns.where(ns != "", "-") + "/" + out["name"]
    return out.reset_index(drop=True)


def settings(ev: Evidence, table: str, key_col: str, value_col: str,
             group_col: str) -> pd.DataFrame | None:
    """Pivot a long key/value table (pg_settings, redis_info...) to one row per group."""
    df = ev.table(table)
    if df is None:
        return None
    return df.pivot_table(index=group_col, columns=key_col, values=value_col,
                          aggfunc="first").reset_index()


def attestations(ev: Evidence) -> pd.DataFrame | None:
    return ev.table("attestations")
