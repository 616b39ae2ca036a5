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
