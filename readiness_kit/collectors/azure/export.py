"""Offline twins of the live collector: Resource Graph exports and saved ARM responses.

Resource Graph rows come from ``az graph query -q ... -o json`` (an object with ``data``,
or a bare list) or from the CSV the portal's Resource Graph Explorer downloads (nested
columns as JSON text). ``sources.azure.export`` names one such file or a folder of them.
Exports are streamed row by row (ijson), so a 100,000-row file is read with modest memory.

ARM detail responses (``sources.azure.arm_export``, a JSON file or folder) are ARM bodies as
``az rest --method get`` prints them (one sub-resource, or a list with ``value``), or
recorded responses ``{"request": "GET <path>", "status": 200, "body": {...}}``, whose errors
become the same gaps a live collection records.

Bad input (a missing file, invalid JSON, a row without ``id``/``type``) raises
``EvidenceError`` naming the file and place; a row whose nested fields are not of ARM's
shape is refused as a gap naming it; an export with no rows is a gap.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import ijson

from readiness_kit.collectors.azure.gathered import Gathered
from readiness_kit.collectors.azure.rows import ARG_FIELDS, arm_detail_record, provider_path
from readiness_kit.errors import EvidenceError
from readiness_kit.evidence import Evidence

COLLECTOR = "readiness_kit.collectors.azure.export"
EXPORT_SUFFIXES = (".json", ".csv")
#: Portal CSV columns holding JSON text besides ``ARG_FIELDS``.
CSV_JSON_COLUMNS = {*ARG_FIELDS, "plan", "extendedLocation"}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DETAIL_SUFFIX = re.compile(
    r"(/providers/microsoft\.insights/diagnosticsettings|/configurations|"
    r"/blobservices/default)(/[^/]*)?$", re.IGNORECASE)


def export_files(path: Path, suffixes: tuple[str, ...] = EXPORT_SUFFIXES) -> list[Path]:
    """The files an export parameter names: the file itself, or a folder's files."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes)
        if not files:
            raise EvidenceError(f"folder holds no {' or '.join(suffixes)} files", path=path)
        return files
    if not path.is_file():
        raise EvidenceError("Azure export not found", path=path)
    return [path]


def _open_json(path: Path):
    fh = path.open("rb")
    head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        fh.close()
        raise EvidenceError("the file is UTF-16 (a PowerShell redirect?); save it as UTF-8, "
                            "e.g. `az graph query ... -o json | Out-File -Encoding utf8`",
                            path=path)
    fh.seek(3 if head[:3] == b"\xef\xbb\xbf" else 0)
    return fh


def _first_char(path: Path) -> bytes:
    with _open_json(path) as fh:
        while chunk := fh.read(4096):
            stripped = chunk.lstrip()
            if stripped:
                return stripped[:1]
    raise EvidenceError("the file is empty; expected `az graph query -o json` output",
                        path=path)


def _top_level_keys(path: Path) -> dict[str, str]:
    with _open_json(path) as fh:
        return {k: type(v).__name__ for k, v in ijson.kvitems(fh, "", use_float=True)}


def iter_json_rows(path: Path) -> Iterator[object]:
    """Rows of an ``az graph query -o json`` file, one at a time."""
    first = _first_char(path)
    if first not in (b"[", b"{"):
        raise EvidenceError('expected a JSON list of rows or an object with "data": [...]',
                            path=path, where="line 1")
    prefix = "item" if first == b"[" else "data.item"
    count = 0
    try:
        with _open_json(path) as fh:
            for row in ijson.items(fh, prefix, use_float=True):
                count += 1
                yield row
        if first == b"{" and count == 0 and _top_level_keys(path).get("data") != "list":
            raise EvidenceError('expected a JSON list of rows or an object with "data": [...]',
                                path=path)
    except ijson.JSONError as exc:
        raise EvidenceError(f"not valid JSON: {exc}", path=path,
                            where=f"after row {count}") from None


def _csv_cell(column: str, text: str) -> object:
    if text == "":
        return None
    if column in CSV_JSON_COLUMNS:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text  # refused by the shape check, naming the field
    return text


def iter_csv_rows(path: Path) -> Iterator[dict]:
    """Rows of a Resource Graph Explorer CSV download (nested columns as JSON text)."""
    csv.field_size_limit(1 << 30)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"id", "type"} <= set(reader.fieldnames):
            raise EvidenceError('expected a header row with at least "id" and "type" columns',
                                path=path, where="line 1")
        try:
            for record in reader:
                row = {k: _csv_cell(k, v or "") for k, v in record.items() if k}
                sub = row.get("subscriptionId")
                if isinstance(sub, str) and not _GUID.match(sub):
                    row.pop("subscriptionId")  # "formatted results" show the display name
                yield row
        except csv.Error as exc:
            raise EvidenceError(f"not valid CSV: {exc}", path=path,
                                where=f"line {reader.line_num}") from None


def gather_arg_export(path: Path, into: Gathered) -> None:
    """Every row of the export at ``path`` (file or folder) into ``into``."""
    files = export_files(path)
    rows = 0
    for file in files:
        reader = iter_csv_rows if file.suffix.lower() == ".csv" else iter_json_rows
        for i, row in enumerate(reader(file)):
            if not isinstance(row, dict) or not row.get("id") or not row.get("type"):
                raise EvidenceError('expected an object with at least "id" and "type"',
                                    path=file, where=f"row {i}")
            into.add_row(row, None, file.name)
            rows += 1
        into.queries.append(f"Resource Graph export {file.name}")
    if rows == 0:
        into.gap("*", "azure_resources", f"Resource Graph export {path.name}",
                 "the export holds no rows: was the query scoped to the right subscriptions, "
                 "and did the reader account see them?")


def read_arg_export(path: str | Path) -> Evidence:
    """Evidence from an ``az graph query`` export or portal CSV (file or folder)."""
    gathered = Gathered()
    gather_arg_export(Path(path), gathered)
    ev = Evidence()
    gathered.add_to(ev, COLLECTOR)
    return ev


# --- ARM detail responses ------------------------------------------------------------------


def detail_target(request_path: str) -> str:
    """The resource an ARM detail GET was for (``{id}/blobServices/default`` -> ``{id}``)."""
    path = request_path.split("?", 1)[0].rstrip("/")
    return _DETAIL_SUFFIX.sub("", path)


def detail_kind(request_path: str) -> str:
    path = request_path.split("?", 1)[0].lower()
    if "/providers/microsoft.insights/diagnosticsettings" in path:
        return "diagnosticSettings"
    return "blobServices" if "/blobservices/" in path else "configurations"


def error_reason(status: int, body: object) -> str:
    """``403 AuthorizationFailed: <message>`` from an ARM error body."""
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return f"{status} {err.get('code') or 'error'}: {err.get('message') or ''}".strip()
    return f"{status} (no ARM error body)"


def detail_gap(into: Gathered, resource_id: str, kind: str, reason: str) -> None:
    into.gap(resource_id, "azure_arm_details", f"{kind} of {provider_path(resource_id)}",
             reason)


def add_detail_response(into: Gathered, request_path: str, status: int, body: object,
                        where: str) -> None:
    """One ARM detail response (live or recorded) into ``into``: bodies or a gap."""
    target, kind = detail_target(request_path), detail_kind(request_path)
    if status >= 400:
        detail_gap(into, target, kind, error_reason(status, body))
        return
    items = body.get("value") if isinstance(body, dict) and "value" in body else [body]
    if not isinstance(items, list):
        detail_gap(into, target, kind, f"refused: value: expected a JSON list ({where})")
        return
    for item in items:
        into.add_detail(item, target, where)


def _arm_items(payload: object) -> Iterator[object]:
    if isinstance(payload, list):
        for item in payload:
            yield from _arm_items(item)
    elif isinstance(payload, dict) and "responses" in payload:
        yield from _arm_items(payload["responses"])
    else:
        yield payload


def gather_arm_export(path: Path, into: Gathered) -> None:
    """Saved ARM detail responses at ``path`` (file or folder) into ``into``."""
    for file in export_files(path, (".json",)):
        try:
            payload = json.loads(file.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as exc:
            raise EvidenceError(f"not valid JSON: {exc.msg}", path=file,
                                where=f"line {exc.lineno}, column {exc.colno}") from None
        for i, item in enumerate(_arm_items(payload)):
            where = f"{file.name} item {i}"
            if isinstance(item, dict) and "request" in item:
                method, _, url = str(item["request"]).partition(" ")
                status = item.get("status")
                if method.upper() != "GET" or not url or not isinstance(status, int):
                    raise EvidenceError('expected "request": "GET <path>" and an integer '
                                        '"status"', path=file, where=f"item {i}")
                add_detail_response(into, url, status, item.get("body"), where)
            elif isinstance(item, dict) and "value" in item:
                for body in item["value"] if isinstance(item["value"], list) else [None]:
                    into.add_detail(body, None, where)
            elif isinstance(item, dict) and "id" in item:
                try:
                    into.details.append(arm_detail_record(item))
                except ValueError as exc:
                    raise EvidenceError(str(exc), path=file, where=f"item {i}") from None
            else:
                raise EvidenceError("expected an ARM body with \"id\", a list with \"value\" "
                                    "or a recorded response with \"request\" and \"status\"",
                                    path=file, where=f"item {i}")
        into.detail_queries.append(f"ARM responses {file.name}")
