"""A loaded review: parameters + evidence + findings + scores + gate, in one object.

Notebooks and the runner both start here, so a consultant poking at ``rv.findings`` in
JupyterLab sees exactly what the batch report shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from readiness_kit.evidence import Evidence
from readiness_kit.params import Parameters


@dataclass
class Review:
    params: Parameters
    ev: Evidence
    findings: pd.DataFrame      # FINDING_COLUMNS, waivers applied
    waivers: pd.DataFrame       # one row per declared waiver with its state
    scores: pd.DataFrame        # one row per domain: score, coverage, counts, demonstrated
    gate: str                   # ready | conditional | not_ready
    gate_reasons: list[str]
    as_of: dt.date

    def domain(self, name: str) -> pd.DataFrame:
        return self.findings[self.findings["domain"] == name]


def build_review(params: Parameters, ev: Evidence, as_of: dt.date | None = None) -> Review:
    """Run every check over ``ev``, apply waivers, score, and decide the gate."""
    from readiness_kit.checks import CheckContext, run_checks
    from readiness_kit.scoring import domain_scores, gate
    from readiness_kit.waivers import apply_waivers

    day = as_of or dt.date.today()
    raw = run_checks(CheckContext(ev=ev, params=params, as_of=day))
    findings, waivers = apply_waivers(raw, params.waivers, day)
    scores = domain_scores(findings)
    decision, reasons = gate(scores)
    return Review(params=params, ev=ev, findings=findings, waivers=waivers, scores=scores,
                  gate=decision, gate_reasons=reasons, as_of=day)


def load_review(
    params_path: str,
    evidence_dir: str | None = None,
    as_of: str | dt.date | None = None,
) -> Review:
    """The notebooks' entry point: parameters file (+ a run's frozen bundle) to a Review."""
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import load_bundle
    from readiness_kit.params import load_parameters

    loaded = load_parameters(params_path)
    ev = load_bundle(evidence_dir) if evidence_dir else gather_evidence(loaded)
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return build_review(loaded.params, ev, day)
