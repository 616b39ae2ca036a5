"""Resource Graph rows and ARM detail bodies into evidence records.

``normalise_arg_row`` is the one place an ARG row (as the REST API, ``az graph query`` or the
portal's CSV download returns it) becomes an ``azure_resources`` record, and
``arm_detail_record`` the one place an ARM sub-resource body (a diagnostic setting, a
PostgreSQL configuration, a blob service) becomes an ``azure_arm_details`` record: the live
collector and the offline readers both go through them, so the same rows give the same
findings live and offline.

A row whose ``properties``, ``sku``, ``zones``, ``tags`` or ``identity`` is not of the shape
ARM returns is refused (``RowShapeError`` names the field), never silently emptied.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

ARG_FIELDS = ("sku", "zones", "tags", "identity", "properties")

#: Resource Graph table of a type, by type prefix (first match wins; the rest are
#: ``resources``). An export made with one union query carries no table name; this gives
#: its rows the table a live collection would have read them from.
ARG_TABLE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("microsoft.resources/subscriptions", "resourcecontainers"),
    ("microsoft.management/managementgroups", "resourcecontainers"),
    ("microsoft.policyinsights/", "policyresources"),
    ("microsoft.authorization/policy", "policyresources"),
    ("microsoft.authorization/roleassignments", "authorizationresources"),
    ("microsoft.authorization/roledefinitions", "authorizationresources"),
    ("microsoft.authorization/classicadministrators", "authorizationresources"),
    ("microsoft.recoveryservices/vaults/", "recoveryservicesresources"),
    ("microsoft.dataprotection/backupvaults/", "recoveryservicesresources"),
    ("microsoft.advisor/", "advisorresources"),
    ("microsoft.resourcehealth/", "healthresources"),
    ("microsoft.security/", "securityresources"),
)

#: ARM detail types collected per resource, in their canonical spelling.
DETAIL_TYPES = {"diagnosticsettings": "diagnosticSettings", "configurations": "configurations",
                "blobservices": "blobServices"}


class RowShapeError(ValueError):
    """A row field that is not of the shape ARM returns."""

    def __init__(self, field: str, expected: str, got: object):
        self.field = field
        self.expected = expected
        kind = type(got).__name__ if not isinstance(got, str) else f"text {got[:40]!r}"
        super().__init__(f"{field}: expected {expected}, got {kind}")


def arg_table_of(resource_type: str) -> str:
    """The Resource Graph table rows of ``resource_type`` live in."""
    t = resource_type.lower()
    for prefix, table in ARG_TABLE_PREFIXES:
        if t.startswith(prefix):
            return table
    return "resources"


def json_text(value: Any) -> str:
    """Canonical JSON text (sorted keys) of a nested ARM value."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:  # integers past 64 bits, Decimal from a streamed export
        return json.dumps(value, sort_keys=True, default=float)


def _check_shape(row: dict) -> None:
    for key in ("properties", "sku", "identity"):
        value = row.get(key)
        if value is not None and not isinstance(value, dict):
            raise RowShapeError(key, "a JSON object", value)
    zones = row.get("zones")
    if zones is not None and not (isinstance(zones, list)
                                  and all(isinstance(z, str) for z in zones)):
        raise RowShapeError("zones", 'a list of zone names such as ["1", "2"]', zones)
    tags = row.get("tags")
    if tags is not None and not (isinstance(tags, dict)
                                 and all(isinstance(v, str) for v in tags.values())):
        raise RowShapeError("tags", "a JSON object of text values", tags)


def _segment_after(parts: list[str], lowered: list[str], key: str) -> str | None:
    return parts[lowered.index(key) + 1] if key in lowered[:-1] else None


def normalise_arg_row(row: dict, arg_table: str | None = "resources") -> dict:
    """One Resource Graph row -> one ``azure_resources`` record (type lower-cased).

    ``arg_table`` names the table the row was read from; ``None`` (an export made with a
    union query) infers it from the type. A row that names its own ``arg_table`` keeps it.
    Raises ``RowShapeError`` for a nested field not of the shape ARM returns.
    """
    if row.get("tags") == "":   # ARM's own example bodies write "no tags" as "" (App Insights)
        row = {**row, "tags": None}
    _check_shape(row)
    rid = row.get("id") or ""
    parts = rid.split("/")
    lowered = [p.lower() for p in parts]
    rtype = (row.get("type") or "").lower()
    record = {
        "id": rid,
        "name": row.get("name") or (parts[-1] if parts else None),
        "type": rtype,
        "kind": row.get("kind") or None,
        "location": (row.get("location") or "").lower() or None,
        "resource_group": row.get("resourceGroup")
        or _segment_after(parts, lowered, "resourcegroups"),
        "subscription_id": row.get("subscriptionId")
        or _segment_after(parts, lowered, "subscriptions"),
        "arg_table": row.get("arg_table") or arg_table or arg_table_of(rtype),
    }
    for key in ARG_FIELDS:
        value = row.get(key)
        record[key] = json_text(value) if value is not None else None
    return record


def provider_path(resource_id: str) -> str:
    """``microsoft.cache/redis/redis-a`` for a resource id (what a gap about it names)."""
    low = resource_id.lower()
    return low.split("/providers/", 1)[1] if "/providers/" in low else low


def arm_detail_record(body: dict, resource_id: str | None = None) -> dict:
    """One ARM sub-resource body (``id``, ``name``, ``properties``) -> ``azure_arm_details``.

    ``resource_id`` is the resource the detail was read for; without it (an offline file)
    it is the body's ``id`` less the detail's own segments. Raises ``RowShapeError`` for a
    body not of the shape ARM returns.
    """
    did = body.get("id")
    if not isinstance(did, str) or "/" not in did:
        raise RowShapeError("id", "the ARM id of the sub-resource", did)
    props = body.get("properties")
    if props is not None and not isinstance(props, dict):
        raise RowShapeError("properties", "a JSON object", props)
    parts = did.rstrip("/").split("/")
    detail = DETAIL_TYPES.get(parts[-2].lower()) if len(parts) > 2 else None
    if detail is None:
        raise RowShapeError("id", "an id ending in /diagnosticSettings/<name>, "
                            "/configurations/<name> or /blobServices/default", did)
    if resource_id is None:
        parent = parts[:-2]
        if detail == "diagnosticSettings" and [p.lower() for p in parent[-2:]] == [
                "providers", "microsoft.insights"]:
            parent = parent[:-2]
        resource_id = "/".join(parent)
    return {"resource_id": resource_id, "detail_type": detail,
            "name": body.get("name") or parts[-1], "properties": json_text(props or {})}
