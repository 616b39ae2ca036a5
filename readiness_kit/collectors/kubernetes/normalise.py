"""One Kubernetes object (as the API server or a manifest gives it) -> one ``k8s_objects`` row.

Live collection and the offline folder reader both end here, so the same object gives the
same row whichever way it was read. What never reaches a row:

- Secret and ConfigMap contents: both keep metadata, their ``type`` and the number of keys
  (``spec: {"type": ..., "key_count": n}``) — the live collector never even requests them
  (it asks for a metadata Table), and a manifest's ``data`` / ``stringData`` is counted and
  dropped here.
- ``kubectl.kubernetes.io/last-applied-configuration`` (a full copy of the object, Secret
  data included) and ``managedFields``.
- Secret-looking values anywhere in ``spec`` / ``status`` / annotations: a literal env var
  whose name says password/token/key..., a string under a key such as ``password`` or
  ``clientSecret``, an option such as ``--db_password=...`` in ``args``, or text that
  ``redaction.find_secret`` recognises become
  ``<redacted>`` — presence is kept (a check can say "literal secret in env"), the value is
  not.
"""

from __future__ import annotations

import json
import re
from typing import Any

from readiness_kit.redaction import REDACTED, find_secret, redact_text

#: Kinds whose contents are never stored (core group only; CRDs of the same name keep theirs).
KEY_COUNT_KINDS = frozenset({"Secret", "ConfigMap"})
DROPPED_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})
#: Top-level fields that are not part of an object's "spec" when it has none of its own.
_ENVELOPE = frozenset({"apiVersion", "kind", "metadata", "status"})

#: An env var name that says it holds a credential.
SECRET_ENV_NAME = re.compile(r"(?i)(pass|pwd|secret|token|key|credential|auth|private|cert|sas"
                             r"|conn(ection)?_?str)")
#: A mapping key whose string value is a credential (``password``, ``clientSecret``...).
SECRET_FIELD = re.compile(r"(?i)(password|passwd|secret|token|apikey|api_key|accesskey"
                          r"|privatekey|private_key|credentials?)$")
#: A command-line option carrying a credential: ``--db_password=...``, ``-api-key=...``.
SECRET_OPTION = re.compile(r"(?i)(-[\w.-]*(pass(word|wd)?|pwd|secret|token|api[_-]?key"
                           r"|access[_-]?key)[\w.-]*=)([^\s\"]+)")
_SECRET_FIELD_IN_JSON = re.compile(r'(?i)"[A-Za-z0-9_.-]*(password|passwd|secret|token|apikey'
                                   r'|api_key|accesskey|privatekey|private_key|credentials?)"'
                                   r': "')


def _redact(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with secret-looking strings replaced (see module docstring)."""
    if isinstance(value, dict):
        return {k: _redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "env":
            return [_redact_env(v) for v in value]
        return [_redact(v) for v in value]
    if isinstance(value, str):
        if key and SECRET_FIELD.search(key) and value:
            return REDACTED
        return SECRET_OPTION.sub(lambda m: m.group(1) + REDACTED, redact_text(value))
    return value


def _redact_env(var: Any) -> Any:
    if not isinstance(var, dict):
        return _redact(var)
    out = _redact(var)
    value = var.get("value")
    if isinstance(value, str) and value and SECRET_ENV_NAME.search(str(var.get("name", ""))):
        out["value"] = REDACTED
    return out


def _dump(value: Any) -> str | None:
    """JSON text for a column, redacted; only walks values whose text might need it."""
    if value is None:
        return None
    text = json.dumps(value, sort_keys=True)
    if ('"env": [' in text or _SECRET_FIELD_IN_JSON.search(text) or SECRET_OPTION.search(text)
            or find_secret(text)):
        text = json.dumps(_redact(value), sort_keys=True)
    return text


def key_summary(obj: dict, type_: str | None = None, key_count: int | None = None) -> dict:
    """``{"type": ..., "key_count": n}`` of a Secret / ConfigMap: from its data when the object
    carries it (manifests), else from what a metadata Table reported (live)."""
    if key_count is None:
        keys = set()
        for field in ("data", "stringData", "binaryData"):
            part = obj.get(field)
            if isinstance(part, dict):
                keys |= set(part)
        key_count = len(keys)
    out: dict[str, Any] = {"key_count": int(key_count)}
    if obj.get("kind") == "Secret":
        out["type"] = type_ or obj.get("type") or "Opaque"
    return out


def _owner(meta: dict) -> str | None:
    refs = [r for r in meta.get("ownerReferences") or [] if isinstance(r, dict)]
    ref = next((r for r in refs if r.get("controller")), refs[0] if refs else None)
    return f"{ref.get('kind')}/{ref.get('name')}" if ref else None


def spec_of(obj: dict) -> Any:
    """An object's ``spec``; for kinds without one (ServiceAccount, StorageClass, Role...),
    its other top-level fields."""
    if "spec" in obj:
        return obj["spec"]
    rest = {k: v for k, v in obj.items() if k not in _ENVELOPE}
    return rest or None


def normalise_object(obj: dict, cluster: str, *, secret_type: str | None = None,
                     key_count: int | None = None) -> dict:
    """The ``k8s_objects`` record of ``obj`` (which must carry ``apiVersion`` and ``kind``).

    ``secret_type`` / ``key_count`` come from a live metadata Table, where a Secret's or
    ConfigMap's contents were never fetched.
    """
    meta = obj.get("metadata") or {}
    api_version = str(obj.get("apiVersion") or "")
    kind = str(obj.get("kind") or "")
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if k not in DROPPED_ANNOTATIONS}
    if kind in KEY_COUNT_KINDS and "/" not in api_version:
        spec: Any = key_summary(obj, secret_type, key_count)
        status = None
    else:
        spec, status = spec_of(obj), obj.get("status")
    created = meta.get("creationTimestamp")
    return {
        "cluster": cluster,
        "api_version": api_version,
        "kind": kind,
        "namespace": meta.get("namespace") or None,
        "name": meta.get("name"),
        "labels": _dump(meta.get("labels") or {}),
        "annotations": _dump(annotations),
        "spec": _dump(spec),
        "status": _dump(status) if status else None,
        "owner": _owner(meta),
        "created_at": str(created) if created else None,
    }


def object_key(record: dict) -> tuple:
    """Sort / identity key of a record: one object per (api group, kind, namespace, name)."""
    group = record["api_version"].rpartition("/")[0]
    return (group, record["kind"], record["namespace"] or "", record["name"] or "")
