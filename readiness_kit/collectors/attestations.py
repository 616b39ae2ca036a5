"""Interview answers from the parameters file become the ``attestations`` evidence table.

They are evidence like any other, labelled *attested* with who answered and when, so a
reader can tell what was observed on the platform from what someone said about it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from readiness_kit.evidence import Evidence, TableProvenance, evidence_from_records
from readiness_kit.params import Attestation
from readiness_kit.redaction import redact_text


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def attestation_records(attestations: dict[str, Attestation]) -> list[dict]:
    """One record per answer; a secret pasted into an answer or note is redacted."""
    return [
        {"key": key, "value": redact_text(_text(a.value)), "attested_by": a.attested_by,
         "attested_at": a.attested_at, "note": redact_text(a.note) if a.note else None}
        for key, a in sorted(attestations.items())
    ]


def add_attestations(ev: Evidence, attestations: dict[str, Attestation], source: str) -> None:
    """Merge parameter-file attestations into ``ev`` (a key given here replaces the bundle's)."""
    if not attestations:
        return
    fresh = evidence_from_records({"attestations": attestation_records(attestations)})
    new = fresh.tables["attestations"]
    old = ev.table("attestations")
    if old is not None:
        new = pd.concat([old[~old["key"].isin(new["key"])], new], ignore_index=True)
    ev.add("attestations", new.sort_values("key", ignore_index=True), TableProvenance(
        source="attested", collector="readiness_kit.collectors.attestations",
        query=f"attestations in {source}"))
