"""The files other tools read: findings.json/csv and summary.json (see ARCHITECTURE 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from readiness_kit import STATUSES, __version__
from readiness_kit.narrative import top_risks
from readiness_kit.review import Review


def findings_records(review: Review) -> list[dict]:
    records = []
    for row in review.findings.to_dict(orient="records"):
        refs = row.get("references") or ""
        row["references"] = [r for r in refs.split("; ") if r]
        records.append({k: (None if isinstance(v, float) and pd.isna(v) else v)
                        for k, v in row.items()})
    return records


def summary_record(review: Review, *, run_id: str, generated_at: str) -> dict:
    scores = review.scores
    counts = review.findings["status"].value_counts()
    return {
        "tenant": review.params.tenant,
        "display_name": review.params.name,
        "run_id": run_id,
        "generated_at": generated_at,
        "as_of": review.as_of.isoformat(),
        "toolkit_version": __version__,
        "gate": review.gate,
        "gate_reasons": review.gate_reasons,
        "domains": {r.domain: (0.0 if pd.isna(r.score) else float(r.score))
                    for r in scores.itertuples()},
        "domain_details": [
            {k: (None if isinstance(v, float) and pd.isna(v) else v)
             for k, v in r.items()} for r in scores.to_dict(orient="records")
        ],
        "counts": {s: int(counts.get(s, 0)) for s in STATUSES},
        "checks": int(review.findings["check_id"].nunique()),
        "evidence_sha256": review.ev.sha256,
        "top_risks": [
            {k: r[k] for k in ("check_id", "domain", "severity", "risk", "subjects")}
            for r in top_risks(review.findings, n=10)
        ],
        "waivers": review.waivers.to_dict(orient="records"),
        "collection_gaps": review.ev.gaps.to_dict(orient="records"),
    }


def write_outputs(review: Review, run_dir: Path, *, run_id: str, generated_at: str) -> dict:
    records = findings_records(review)
    (run_dir / "findings.json").write_text(json.dumps(records, indent=2) + "\n",
                                           encoding="utf-8")
    review.findings.to_csv(run_dir / "findings.csv", index=False)
    summary = summary_record(review, run_id=run_id, generated_at=generated_at)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n",
                                          encoding="utf-8")
    return summary
