"""The launch scenarios of a readiness review, each a verdict with its evidence chain.

One module per scenario (``SCENARIO = Scenario(...)``); the engine (``engine.py``) says how
checks, capacity and recovery figures and attestations combine into ``survives`` /
``at_risk`` / ``fails`` / ``not_assessed``. ``assess_scenarios(review)`` answers all of
them, in the order a board asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness_kit.scenarios import corruption, credentials, governance, peak, regional, release
from readiness_kit.scenarios.engine import (
    VERDICT_LABELS,
    VERDICTS,
    Assessment,
    Figure,
    Inputs,
    Scenario,
)

if TYPE_CHECKING:
    from readiness_kit.review import Review

SCENARIOS: tuple[Scenario, ...] = tuple(m.SCENARIO for m in (
    peak, release, corruption, regional, credentials, governance))

__all__ = ["SCENARIOS", "VERDICTS", "VERDICT_LABELS", "Assessment", "Figure", "Inputs",
           "Scenario", "assess_scenarios"]


def assess_scenarios(review: Review, inputs: Inputs | None = None) -> list[Assessment]:
    """Every scenario's verdict on ``review`` (figures worked out once, shared)."""
    inputs = inputs or Inputs(review)
    return [s.assess(inputs) for s in SCENARIOS]
