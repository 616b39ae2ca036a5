"""The demo tenant's findings, check by check, against a committed golden file.

A change to how evidence is read or judged (frames, parsing, a check) must either leave
every finding of the demo as it was or change the golden file in the same commit, where
the diff shows which findings moved. After an intended change, rewrite it with

    READINESS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/demo/test_demo_findings.py

and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from readiness_kit.review import load_review

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "demo-findings.json"
AS_OF = dt.date(2026, 11, 27)
COLUMNS = ["check_id", "subject", "status", "detail", "waiver_reason", "waiver_expires"]


def _records() -> list[dict]:
    review = load_review(str(ROOT / "parameters" / "demo-retail.yaml"), as_of=AS_OF)
    rows = review.findings[COLUMNS].astype(object).where(review.findings[COLUMNS].notna(),
                                                           None)
    rows = rows.sort_values(["check_id", "subject", "status", "detail"], kind="stable")
    return [{k: (None if v is None else str(v)) for k, v in r.items()}
            for r in rows.to_dict("records")]


def _text(records: list[dict]) -> str:
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True)
                              for r in records) + "\n]\n"


def test_demo_findings_equal_the_golden_file():
    records = _records()
    if os.environ.get("READINESS_UPDATE_GOLDEN"):
        GOLDEN.write_text(_text(records), encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert len(records) > 300  # the whole catalogue ran on the demo
    by_key = {(g["check_id"], g["subject"]): g for g in golden}
    moved = [(r["check_id"], r["subject"]) for r in records
             if by_key.get((r["check_id"], r["subject"])) != r]
    gone = sorted(set(by_key) - {(r["check_id"], r["subject"]) for r in records})
    assert (moved, gone) == ([], [])
    assert records == golden
