"""The files other tools read: findings.json/csv/parquet, summary.json (see ARCHITECTURE 7)
and junit.xml for CI test publishers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from readiness_kit import STATUSES, __version__
from readiness_kit.junit import write_junit
from readiness_kit.narrative import top_risks
from readiness_kit.review import Review
from readiness_kit.scenarios import assess_scenarios

#: Columns findings.json and findings.parquet carry as lists (held as "; "-joined text).
LISTED = ("references", "capabilities")


def _as_list(value: object) -> list[str]:
    return [u for u in value.split("; ") if u] if value else []


def findings_frame(review: Review) -> pd.DataFrame:
    """The findings as findings.json and findings.parquet carry them: nulls as None and
    ``references`` as a list of URLs."""
    df = review.findings.astype(object)
    df = df.where(df.notna(), None)
    out = df.assign(references=df["references"].map(_as_list))
    if "capabilities" in out.columns:
        out["capabilities"] = out["capabilities"].map(_as_list)
    return out


def findings_records(review: Review) -> list[dict]:
    return findings_frame(review).to_dict(orient="records")


_LINES_PER_WRITE = 10_000


def _encoded(values: pd.Series, encode: Callable[[object], str]) -> np.ndarray:
    """``encode(cell)`` per cell, worked out once per distinct value: a findings column
    repeats the same title, rationale, remediation and references for every subject of a
    check, so a 600k-finding run encodes a few thousand texts, not millions."""
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # lists (references, capabilities): compared as tuples
        codes, uniques = pd.factorize(values.map(lambda v: tuple(v) if isinstance(v, list)
                                                 else v), use_na_sentinel=True)
    table = [encode(list(u) if isinstance(u, tuple) else u) for u in uniques]
    table.append(encode(None))  # code -1: a null cell
    return np.array(table, dtype=object)[codes]


def write_findings_json(findings: pd.DataFrame, path: Path) -> None:
    """The records of ``findings_frame`` as a JSON array, one finding object per line,
    exactly as ``json.dumps`` writes each record; written from the review's findings
    without that frame (``LISTED`` columns split per distinct value, ``_encoded``) and
    streamed in blocks of lines (no second copy of the text)."""
    def encoder(column: str) -> Callable[[object], str]:
        key = json.dumps(str(column)) + ": "
        if column in LISTED:
            return lambda v: key + json.dumps(_as_list(v))
        return lambda v: key + json.dumps(v, default=str)

    columns = [_encoded(findings[c], encoder(c)) for c in findings.columns]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for start in range(0, len(findings), _LINES_PER_WRITE):
            rows = zip(*(c[start:start + _LINES_PER_WRITE] for c in columns), strict=True)
            fh.write(("," if start else "") + ",".join(
                ["\n{" + ", ".join(row) + "}" for row in rows]))
        fh.write("\n]\n")


def _csv_cell(value: object) -> str:
    """One cell as ``DataFrame.to_csv`` writes it (minimal quoting; null as empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([value])
    text = out.getvalue()
    return "" if text == '""' else text


def write_findings_csv(findings: pd.DataFrame, path: Path) -> None:
    """findings.csv byte for byte as ``findings.to_csv(path, index=False)`` writes it,
    each distinct value quoted once (``_encoded``)."""
    columns = [_encoded(findings[c], _csv_cell) for c in findings.columns]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(_csv_cell(str(c)) for c in findings.columns) + "\n")
        for start in range(0, len(findings), _LINES_PER_WRITE):
            rows = zip(*(c[start:start + _LINES_PER_WRITE] for c in columns), strict=True)
            fh.write("".join([",".join(row) + "\n" for row in rows]))


def write_findings_parquet(findings: pd.DataFrame, path: Path) -> None:
    """findings.json as Parquet: same columns (``references`` and ``capabilities`` lists
    of strings), text dictionary-encoded, so a DataFrame of a large run loads in a second
    and the columns a reader needs can be read alone (``pd.read_parquet(path, columns=[...])``).
    Built column by column from the review's findings (lists made once per distinct value)."""
    arrays = []
    for column in findings.columns:
        values = findings[column].astype(object)
        if column in LISTED:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            lists = pa.array([_as_list(u) for u in uniques] + [[]], type=pa.list_(pa.string()))
            arrays.append(lists.take(pa.array(np.where(codes < 0, len(uniques), codes))))
        else:
            arrays.append(pa.array(values, type=pa.string(), from_pandas=True))
    table = pa.Table.from_arrays(arrays, names=[str(c) for c in findings.columns])
    pq.write_table(table, path, compression="zstd")


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
            {k: r[k] for k in ("check_id", "domain", "severity", "risk", "subjects",
                               "capabilities", "scenarios", "likelihood", "launch_risk")}
            for r in top_risks(review.findings, n=10)
        ],
        "waivers": review.waivers.to_dict(orient="records"),
        "collection_gaps": review.ev.gaps.to_dict(orient="records"),
        "scenarios": [a.record() for a in assess_scenarios(review)],
    }


def write_outputs(review: Review, run_dir: Path, *, run_id: str, generated_at: str) -> dict:
    write_findings_json(review.findings, run_dir / "findings.json")
    write_findings_parquet(review.findings, run_dir / "findings.parquet")
    write_findings_csv(review.findings, run_dir / "findings.csv")
    write_junit(review, run_dir / "junit.xml", run_id=run_id)
    summary = summary_record(review, run_id=run_id, generated_at=generated_at)
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n",
                                          encoding="utf-8")
    return summary
