"""A loaded review: parameters + evidence + findings + scores + gate, in one object.

Notebooks and the runner both start here, so a consultant poking at ``rv.findings`` in
JupyterLab sees exactly what the batch report shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.params import Parameters


@dataclass
class Review:
    params: Parameters
    ev: Evidence
    findings: pd.DataFrame      # FINDING_COLUMNS, waivers applied
    waivers: pd.DataFrame       # one row per declared waiver (parameters, annotations), state
    scores: pd.DataFrame        # one row per domain: score, coverage, counts, demonstrated
    gate: str                   # ready | conditional | not_ready
    gate_reasons: list[str]
    as_of: dt.date
    run_dir: Path | None = None  # the finished run this review was read from (load_run)

    def domain(self, name: str) -> pd.DataFrame:
        return self.findings[self.findings["domain"] == name]


def build_review(params: Parameters, ev: Evidence, as_of: dt.date | None = None) -> Review:
    """Run every check over ``ev``, apply waivers, score, and decide the gate."""
    from readiness_kit.checks import CheckContext, run_checks
    from readiness_kit.scoring import domain_scores, gate
    from readiness_kit.waivers import annotation_waivers, apply_waivers

    day = as_of or dt.date.today()
    raw = run_checks(CheckContext(ev=ev, params=params, as_of=day))
    findings, waivers = apply_waivers(raw, params.waivers, day, annotation_waivers(ev))
    scores = domain_scores(findings)
    decision, reasons = gate(scores, findings)
    return Review(params=params, ev=ev, findings=findings, waivers=waivers, scores=scores,
                  gate=decision, gate_reasons=reasons, as_of=day)


def _interned(column) -> np.ndarray:
    """An Arrow text column as an object array in which equal texts are one Python string:
    a check's title, rationale, remediation and references repeat for each of its subjects,
    so at 600k findings this holds a few thousand strings instead of millions."""
    import pyarrow as pa

    encoded = column.combine_chunks().dictionary_encode() if isinstance(
        column, pa.ChunkedArray) else column.dictionary_encode()
    values = np.empty(len(encoded.dictionary) + 1, dtype=object)
    values[:-1] = encoded.dictionary.to_pylist()
    values[-1] = None  # the null cell
    return values[encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)]


def _run_findings(root: Path) -> pd.DataFrame:
    """A run's findings: findings.parquet when the run has one (read in a fraction of the
    time and memory of the JSON at scale; list columns joined with "; " in Arrow, texts
    interned by ``_interned``), else findings.json."""
    import json

    from readiness_kit.checks.registry import FINDING_COLUMNS

    parquet = root / "findings.parquet"
    if parquet.is_file():
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        table = pq.read_table(parquet, columns=FINDING_COLUMNS)
        columns = {}
        for name in table.column_names:
            column = table.column(name)
            if pa.types.is_list(column.type):
                column = pc.binary_join(column, "; ")
            columns[name] = _interned(column)
        return pd.DataFrame(columns, columns=FINDING_COLUMNS, dtype=object)
    records = json.loads((root / "findings.json").read_text(encoding="utf-8"))
    return pd.DataFrame(records, columns=FINDING_COLUMNS)


def load_run(params: Parameters, run_dir: str | Path) -> Review:
    """A finished run's Review, read back from its findings.json and summary.json.

    Notebooks executed by the runner use this instead of re-running every check, so the
    report shows exactly the findings written beside it.
    """
    import json

    from readiness_kit.errors import EvidenceError
    from readiness_kit.evidence import load_bundle
    from readiness_kit.scoring import SCORE_COLUMNS
    from readiness_kit.waivers import WAIVER_COLUMNS

    root = Path(run_dir)
    try:
        findings = _run_findings(root)
        summary = json.loads((root / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # JSONDecodeError and ArrowInvalid are ValueErrors
        raise EvidenceError(f"not a readable run: {exc}", path=root) from None
    for listed in ("references", "capabilities"):
        if listed in findings.columns:
            findings[listed] = findings[listed].map(
                lambda items: "; ".join(items) if isinstance(items, list | tuple) or hasattr(
                    items, "tolist") else items)
    return Review(
        params=params, ev=load_bundle(root / "evidence"),
        findings=findings.astype(object).where(findings.notna(), None),
        waivers=pd.DataFrame(summary.get("waivers", []), columns=WAIVER_COLUMNS),
        scores=pd.DataFrame(summary["domain_details"], columns=SCORE_COLUMNS),
        gate=summary["gate"], gate_reasons=list(summary.get("gate_reasons", [])),
        as_of=dt.date.fromisoformat(summary["as_of"]), run_dir=root.resolve(),
    )


def load_review(
    params_path: str,
    evidence_dir: str | None = None,
    as_of: str | dt.date | None = None,
    run_dir: str | None = None,
) -> Review:
    """The notebooks' entry point: a parameters file plus, optionally, a frozen bundle
    (``evidence_dir``) or a finished run (``run_dir``), to a Review."""
    from readiness_kit.collect import gather_evidence
    from readiness_kit.params import load_parameters

    loaded = load_parameters(params_path)
    if run_dir:
        return load_run(loaded.params, run_dir)
    ev = gather_evidence(loaded, evidence_dir or None)
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return build_review(loaded.params, ev, day)
