"""What several scalability area modules share: constants, references and helpers."""

from __future__ import annotations

import pandas as pd

from readiness_kit.capacity import GIB, capacity_model, headroom_at
from readiness_kit.checks.registry import CheckContext, outcome

ODOO_DEPLOY = "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"


def _nothing() -> pd.DataFrame:
    """No subjects: the engine reports "No <applies_to> found in the evidence."."""
    return outcome([], [], [])


def _gib(value: pd.Series) -> pd.Series:
    return (value / GIB).map(lambda v: f"{v:.1f} GiB" if v == v else "none")


def _capacity(ctx: CheckContext, *resource: str) -> pd.DataFrame:
    """Capacity rows of the given resources as an ``outcome`` (one row per subject)."""
    model = capacity_model(ctx.ev, ctx.params)
    rows = pd.concat([headroom_at(model, r) for r in resource], ignore_index=True)
    if rows.empty:
        return _nothing()
    per = rows.groupby("subject", sort=False).agg(
        passed=("passed", "all"), assessed=("assessed", "all"), detail=("detail", " ".join))
    return outcome(per.index, per["passed"], per["detail"], assessed=per["assessed"])
