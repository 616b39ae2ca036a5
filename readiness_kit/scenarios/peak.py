"""Peak trading event: order surge, inventory sync and reporting load at the peak factor."""

from __future__ import annotations

from readiness_kit.scenarios._figures import headroom_figures
from readiness_kit.scenarios.engine import Scenario

SCENARIO = Scenario(
    id="peak-trading",
    title="Peak trading event",
    question="Can the platform take the order surge, stock sync and reporting load of the "
    "peak trading event?",
    likelihood=1.0,  # a planned event: it will happen
    rests_on=("SCL-", "ARC-NET-002", "ARC-ISO-001", "ARC-AKS-002", "OPS-ALR-001"),
    essential=("SCL-ODOO-001", "SCL-HPA-002", "SCL-AKS-002", "SCL-REDIS-001"),
    attestations=("peak.expected_orders_per_hour", "peak.baseline_orders_per_hour"),
    targets=("peak_multiplier",),
    figures=headroom_figures,
    to_pass="Every capacity figure keeps headroom at the peak factor and every scalability "
    "check passes.",
)
