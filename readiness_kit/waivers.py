"""Waivers: accepted risks that turn a matching ``fail`` into ``waived`` until they expire.

A waiver matches on ``check_id`` and an fnmatch pattern over the subject. It applies through
its ``expires`` date (inclusive); after that it no longer applies and is flagged
``expired`` in the report, so an accepted risk cannot silently outlive its owner's consent.
"""

from __future__ import annotations

import datetime as dt
from fnmatch import fnmatchcase

import pandas as pd

from readiness_kit.params import Waiver

WAIVER_COLUMNS = ["check_id", "subject", "reason", "owner", "expires", "state", "matched"]


def _matches(findings: pd.DataFrame, waiver: Waiver) -> pd.Series:
    pattern = waiver.subject
    return (
        findings["check_id"].eq(waiver.check_id)
        & findings["status"].eq("fail")
        & findings["subject"].map(lambda s: fnmatchcase(str(s), pattern))
    )


def apply_waivers(
    findings: pd.DataFrame, waivers: list[Waiver], as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (findings with waivers applied, one row per waiver with its state)."""
    out = findings.copy()
    rows = []
    for waiver in waivers:
        hit = _matches(out, waiver)
        expired = waiver.expires < as_of
        if not expired and hit.any():
            out.loc[hit, "status"] = "waived"
            out.loc[hit, "waiver_reason"] = waiver.reason
            out.loc[hit, "waiver_owner"] = waiver.owner
            out.loc[hit, "waiver_expires"] = waiver.expires.isoformat()
        state = "expired" if expired else ("active" if hit.any() else "unused")
        rows.append({
            "check_id": waiver.check_id, "subject": waiver.subject, "reason": waiver.reason,
            "owner": waiver.owner, "expires": waiver.expires.isoformat(), "state": state,
            "matched": int(hit.sum()),
        })
    table = pd.DataFrame(rows, columns=WAIVER_COLUMNS)
    return out, table
