"""Waivers: accepted risks that turn a matching ``fail`` into ``waived`` until they expire.

Two places declare them, with the same rules:

- the parameters file (``waivers:``): ``check_id`` plus an fnmatch pattern over the subject;
- an annotation on a Kubernetes object, for the findings about that object (subject
  ``Kind/namespace/name``)::

      metadata:
        annotations:
          readiness.kit/waive: >-
            SEC-K8S-001 reason="debug shell for INC-20931" owner=jon.okafor expires=2026-12-31;
            RES-K8S-002 reason=single-zone by design owner=platform expires=2027-03-31
          readiness.kit/waive.2: DEV-IMG-002 reason=vendor image owner=ops expires=2027-01-15

  The key is ``readiness.kit/waive`` or ``readiness.kit/waive.<n>`` / ``readiness.kit/waive-<n>``
  (for tools that write one annotation per entry). A value holds one or more entries
  separated by ``;`` or new lines; an entry is a check id followed by ``reason=``,
  ``owner=`` and ``expires=YYYY-MM-DD`` in any order (a value in double quotes may contain
  ``;``; an unquoted value runs to the next ``key=``). All three are required.

A waiver applies through its ``expires`` date (inclusive); after that it no longer applies
and is flagged ``expired`` in the report, so an accepted risk cannot silently outlive its
owner's consent. An annotation that cannot be read (no check id, an unknown check, a
missing field, a date that is not YYYY-MM-DD) is never ignored: it is listed in the waiver
table as ``malformed`` with what is wrong, and check ``SEC-K8S-011`` fails on its object.
"""

from __future__ import annotations

import datetime as dt
import re
from fnmatch import fnmatchcase

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.params import Waiver

WAIVER_COLUMNS = ["check_id", "subject", "reason", "owner", "expires", "state", "matched",
                  "source", "problem"]

#: Annotation keys that carry waivers.
WAIVE_KEY = re.compile(r"^readiness\.kit/waive(?:[.-]\d+)?$")
_FIELDS = ("reason", "owner", "expires")
_FIELD = re.compile(r'(?:^|\s)(reason|owner|expires)=(?:"([^"]*)"|(.*?))(?=\s+(?:reason|owner|'
                    r'expires)=|\s*$)', re.S)
_CHECK_ID = re.compile(r"^[A-Z]{2,5}(-[A-Z0-9]+)+$")
ANNOTATION_COLUMNS = ["subject", "annotation", "entry", "check_id", "reason", "owner",
                      "expires", "problem"]


def _split_entries(value: str) -> list[str]:
    """Entries of one annotation value: split on ``;`` / new lines outside double quotes."""
    entries, current, quoted = [], [], False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch in ";\n" and not quoted:
            entries.append("".join(current))
            current = []
        else:
            current.append(ch)
    entries.append("".join(current))
    return [e.strip() for e in entries if e.strip()]


def parse_waiver_entry(entry: str, known: set[str] | None = None) -> dict:
    """One annotation entry -> check_id, reason, owner, expires (date) and ``problem``
    (None when well-formed, else what is wrong, in a sentence)."""
    check_id, _, rest = entry.strip().partition(" ")
    out: dict = {"entry": entry, "check_id": check_id, "reason": None, "owner": None,
                 "expires": None, "problem": None}
    if not _CHECK_ID.match(check_id):
        out["problem"] = (f"'{check_id}' is not a check id (expected e.g. SEC-K8S-001 "
                          "followed by reason=, owner= and expires=)")
        return out
    if known is not None and check_id not in known:
        out["problem"] = f"{check_id} is not a check in this catalogue"
        return out
    for name, quoted, plain in _FIELD.findall(" " + rest):
        out[name] = (quoted if quoted else plain).strip() or None
    missing = [f for f in _FIELDS if not out[f]]
    if missing:
        out["problem"] = f"{check_id}: missing {', '.join(missing)} (each entry needs " \
                         "reason=, owner= and expires=YYYY-MM-DD)"
        return out
    try:
        out["expires"] = dt.date.fromisoformat(str(out["expires"]))
    except ValueError:
        out["problem"] = f"{check_id}: expires={out['expires']} is not a YYYY-MM-DD date"
        out["expires"] = None
        return out
    if len(out["reason"]) < 3 or len(out["owner"]) < 2:
        out["problem"] = f"{check_id}: reason and owner must say who accepted the risk and why"
    return out


def annotation_waivers(ev: Evidence) -> pd.DataFrame:
    """Every waiver entry written in a ``readiness.kit/waive*`` annotation of a collected
    Kubernetes object, parsed (``ANNOTATION_COLUMNS``; ``problem`` None when well-formed).
    Parsed once per evidence; objects without such an annotation cost one string test."""
    from readiness_kit.checks.registry import REGISTRY  # the registry imports the checks

    def build() -> pd.DataFrame:
        from readiness_kit.frames import k8s, with_json

        raw = ev.table("k8s_objects")
        if raw is None:
            return pd.DataFrame(columns=ANNOTATION_COLUMNS)
        hit = raw["annotations"].fillna("").astype(str).str.contains(
            "readiness.kit/waive", regex=False)
        if not hit.any():
            return pd.DataFrame(columns=ANNOTATION_COLUMNS)
        objs = k8s(ev, parsed=())
        objs = with_json(ev, objs[hit.to_numpy()], "annotations")
        known = set(REGISTRY)
        rows = []
        for subject, notes in zip(objs["subject"], objs["annotations_obj"], strict=True):
            for key, value in sorted((notes or {}).items()):
                if not WAIVE_KEY.match(str(key)):
                    continue
                entries = _split_entries(str(value or ""))
                if not entries:
                    rows.append({"subject": subject, "annotation": key, "entry": "",
                                 "check_id": None, "reason": None, "owner": None,
                                 "expires": None, "problem": f"{key} is empty"})
                for entry in entries:
                    rows.append({"subject": subject, "annotation": key,
                                 **parse_waiver_entry(entry, known)})
        return pd.DataFrame(rows, columns=ANNOTATION_COLUMNS)

    return ev.derived(("waivers.annotation_waivers",), build)


def _matches(findings: pd.DataFrame, check_id: str, subject: str, exact: bool) -> pd.Series:
    same = findings["check_id"].eq(check_id) & findings["status"].eq("fail")
    if exact:
        return same & findings["subject"].eq(subject)
    return same & findings["subject"].map(lambda s: fnmatchcase(str(s), subject))


def apply_waivers(
    findings: pd.DataFrame, waivers: list[Waiver], as_of: dt.date,
    annotated: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (findings with waivers applied, one row per waiver with its state).

    ``waivers`` come from the parameters file; ``annotated`` (``annotation_waivers``) from
    object annotations, each for its own object's findings. States: ``active``,
    ``expired`` (no longer applied), ``unused`` (no failing finding matched) and
    ``malformed`` (an annotation that could not be read: ``problem`` says why)."""
    out = findings.copy()
    declared = [(w.check_id, w.subject, w.reason, w.owner, w.expires, False, "parameters",
                 None) for w in waivers]
    if annotated is not None:
        for row in annotated.to_dict("records"):
            declared.append((row["check_id"], row["subject"], row["reason"], row["owner"],
                             row["expires"], True, f"annotation {row['annotation']}",
                             row["problem"]))
    rows = []
    for check_id, subject, reason, owner, expires, exact, source, problem in declared:
        if problem:
            hit = pd.Series(False, index=out.index)
            state = "malformed"
        else:
            hit = _matches(out, check_id, subject, exact)
            expired = expires < as_of
            if not expired and hit.any():
                out.loc[hit, "status"] = "waived"
                out.loc[hit, "waiver_reason"] = reason
                out.loc[hit, "waiver_owner"] = owner
                out.loc[hit, "waiver_expires"] = expires.isoformat()
            state = "expired" if expired else ("active" if hit.any() else "unused")
        rows.append({
            "check_id": check_id, "subject": subject, "reason": reason, "owner": owner,
            "expires": expires.isoformat() if isinstance(expires, dt.date) else None,
            "state": state, "matched": int(hit.sum()), "source": source, "problem": problem,
        })
    table = pd.DataFrame(rows, columns=WAIVER_COLUMNS)
    return out, table
