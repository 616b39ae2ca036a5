"""Azure evidence: Resource Graph rows (``resources``), ARM details (``arm_details``), parent
resource ids and private endpoints."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import orjson
import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.frames.core import (
    dig,
    gc_paused,
    lower_id,
    parsed_rows,
    parsed_table,
    text,
    truthy,
)

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


# --- real shapes: locations, ARM defaults, uncollected tables, malformed rows --------------


def canonical_location(values: pd.Series) -> pd.Series:
    """ARM's canonical location name: ``East US`` and ``eastus`` are the same region."""
    return text(values).str.lower().str.replace(r"[\s_-]+", "", regex=True)


def reported(raw: pd.Series, default: object, source: str) -> tuple[pd.Series, pd.Series]:
    """A property with ARM's documented default where the evidence lacks it.

    Returns the values (``default`` filled in) and a note per row: "" where the property
    was reported, else " (not reported; <source>)" naming the documented default, so a
    missing property never passes silently."""
    missing = raw.isna() | text(raw).eq("")
    value = raw.astype(object).where(~missing, default)
    note = pd.Series("", index=raw.index, dtype=object).where(~missing, f" (not reported; "
                                                                         f"{source})")
    return value, note


def arg_table_collected(ev: Evidence, table: str) -> bool:
    """Whether the Resource Graph ``table`` (``recoveryservicesresources``...) was collected:
    some row came from it, or the provenance of ``azure_resources`` names it."""
    df = ev.table("azure_resources")
    if df is None:
        return False
    if text(df["arg_table"], "resources").str.lower().eq(table.lower()).any():
        return True
    return _provenance_mentions(ev, "azure_resources", table)


def _provenance_mentions(ev: Evidence, name: str, what: str) -> bool:
    prov = ev.provenance.get(name)
    said = " ".join(str(getattr(prov, f, "") or "") for f in ("query", "collector", "source"))
    # a whole word: "containers" is not named by the table "resourcecontainers"
    return re.search(rf"(?<![a-z]){re.escape(what.lower())}(?![a-z])", said.lower()) is not None


def uncollected(ev: Evidence, table: str, ids: pd.Series) -> pd.Series:
    """Per resource id, why evidence from ``table`` (an ARG table or an ARM detail type)
    is missing for it: a collection gap that covers it, or the table never collected.
    None where it was collected."""
    from readiness_kit.frames.gaps import gaps_for

    gap = gaps_for(ev, table, ids)
    gaps = ev.gaps
    attempted = (gaps["table"].fillna("") + " " + gaps["what"].fillna("")).str.contains(
        table, case=False, regex=False).any()   # a gap about it: the collector tried it
    details = ev.table("azure_arm_details")
    seen = arg_table_collected(ev, table) or _provenance_mentions(
        ev, "azure_arm_details", table) or (
        details is not None and text(details["detail_type"]).str.lower().eq(table.lower())
        .any())
    if seen or attempted:
        return gap
    return gap.fillna(f"{table} was not collected")


def malformed_rows(ev: Evidence) -> pd.DataFrame:
    """ARG rows whose JSON columns are not of the shape ARM returns (``properties``, ``sku``,
    ``tags``, ``identity`` objects; ``zones`` a list): ``key`` (lower-case id) and
    ``reason``. A check never judges such a row as if it were an empty resource."""

    def build() -> pd.DataFrame:
        df = ev.table("azure_resources")
        if df is None or df.empty:
            return pd.DataFrame({"key": pd.Series(dtype=object),
                                 "reason": pd.Series(dtype=object)})
        shapes = {"properties": dict, "sku": dict, "tags": dict, "identity": dict,
                  "zones": list}
        reasons = pd.Series("", index=df.index, dtype=object)
        for column, kind in shapes.items():
            raw = df[column]
            with gc_paused():  # only the type of each parsed cell is kept
                names = pd.Series([_shape_of(v) for v in raw.tolist()], index=df.index,
                                  dtype=object)
            bad = raw.notna() & ~(names.isna() | names.eq(kind.__name__))
            if not bad.any():
                continue
            what = names.map(lambda n: "text that is not JSON" if n is _BAD else f"a JSON {n}")
            reasons = reasons.where(~bad, reasons + "; " + column + " is " + what
                                    + f" (ARM returns {'a list' if kind is list else 'an object'})")
        hit = reasons.ne("")
        return pd.DataFrame({"key": lower_id(df.loc[hit, "id"]),
                             "reason": "row not judged: " + reasons[hit].str.slice(2)})

    return ev.derived(("frames.malformed_rows",), build)


_BAD = object()


def _shape_of(value: object) -> object:
    """The type name of a parsed cell, None for an empty one, ``_BAD`` for text not JSON."""
    parsed = _json_or_error(value)
    return parsed if parsed is None or parsed is _BAD else type(parsed).__name__


def _json_or_error(value: object) -> object:
    """The parsed cell (only its type is judged), ``_BAD`` for text that is not JSON.
    orjson reads it; what orjson refuses (NaN, integers past 64 bits) is asked of ``json``."""
    if not isinstance(value, str) or value == "":
        return None if value in (None, "") else value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return _BAD


def mark_malformed(result: pd.DataFrame, ev: Evidence) -> pd.DataFrame:
    """Turn a check's rows about malformed ARG rows (the resource or one of its
    sub-resources, such as an agent pool) into not_assessed with the reason."""
    bad = malformed_rows(ev)
    if bad.empty or result.empty:
        return result
    subject = lower_id(result["subject"])
    hit = pd.Series(None, index=result.index, dtype=object)
    for key, reason in zip(bad["key"], bad["reason"], strict=True):
        mine = hit.isna() & (subject.eq(key) | subject.str.startswith(key + "/"))
        hit = hit.where(~mine, reason)
    found = hit.notna()
    out = result.copy()
    out.loc[found, "status"] = "not_assessed"
    out.loc[found, "detail"] = hit[found]
    return out


def flag(props: pd.Series, path: str, default: bool, source: str) -> tuple[pd.Series, pd.Series]:
    """A boolean ARM property (``true`` / ``"true"`` / ``"Enabled"``) per row, with ARM's
    documented ``default`` where it is not reported and the note that says so (``reported``)."""
    value, note = reported(dig(props, path, None), default, source)
    return truthy(value), note


def on_off(flags: pd.Series) -> pd.Series:
    return flags.map({True: "on", False: "off"})
