"""Azure Resource Graph rows into the ``azure_resources`` table.

``normalise_arg_row`` is the one place an ARG row (as the REST API or ``az graph query``
returns it) becomes an evidence row; the offline export reader and, later, the live
collector both use it.
"""

from __future__ import annotations

import json
from pathlib import Path

from readiness_kit.errors import EvidenceError
from readiness_kit.evidence import Evidence, evidence_from_records

ARG_FIELDS = ("sku", "zones", "tags", "identity", "properties")


def normalise_arg_row(row: dict, arg_table: str = "resources") -> dict:
    """One Resource Graph row -> one ``azure_resources`` record (type lower-cased)."""
    rid = row.get("id") or ""
    parts = rid.split("/")
    lowered = [p.lower() for p in parts]
    sub = row.get("subscriptionId") or (
        parts[lowered.index("subscriptions") + 1] if "subscriptions" in lowered else None)
    rg = row.get("resourceGroup") or (
        parts[lowered.index("resourcegroups") + 1] if "resourcegroups" in lowered else None)
    record = {
        "id": rid,
        "name": row.get("name") or (parts[-1] if parts else None),
        "type": (row.get("type") or "").lower(),
        "kind": row.get("kind"),
        "location": (row.get("location") or "").lower() or None,
        "resource_group": rg,
        "subscription_id": sub,
        "arg_table": row.get("arg_table", arg_table),
    }
    for key in ARG_FIELDS:
        value = row.get(key)
        record[key] = json.dumps(value, sort_keys=True) if value is not None else None
    return record


def read_arg_export(path: str | Path) -> Evidence:
    """Read ``az graph query -q ... -o json`` output (object with ``data`` or a bare list)."""
    p = Path(path)
    try:
        payload = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvidenceError("Resource Graph export not found", path=p) from None
    except json.JSONDecodeError as exc:
        raise EvidenceError(f"not valid JSON: {exc.msg}", path=p,
                            where=f"line {exc.lineno}, column {exc.colno}") from None
    rows = payload.get("data") if isinstance(payload, dict) else payload
    if not isinstance(rows, list):
        raise EvidenceError("expected a JSON list of rows or an object with \"data\": [...]",
                            path=p)
    records = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not row.get("id") or not row.get("type"):
            raise EvidenceError("expected an object with at least \"id\" and \"type\"",
                                path=p, where=f"row {i}")
        records.append(normalise_arg_row(row))
    return evidence_from_records({"azure_resources": records},
                                 collector="readiness_kit.collectors.azure:read_arg_export",
                                 query=f"az graph query export {p.name}")


def collect(cfg, loaded, ev: Evidence, progress) -> None:
    """Collector entry point (see ``readiness_kit.collect``): the offline export for now."""
    if not cfg.export:
        ev.add_gap("azure", ",".join(cfg.subscriptions) or "-", "azure_resources",
                   "live collection from Azure Resource Graph",
                   "this version reads `az graph query` exports only")
        return
    export = read_arg_export(loaded.resolve(cfg.export))
    ev.add("azure_resources", export.tables["azure_resources"],
           export.provenance["azure_resources"])
