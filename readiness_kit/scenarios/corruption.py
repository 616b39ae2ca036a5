"""Database corruption or accidental deletion that needs point-in-time recovery."""

from __future__ import annotations

from readiness_kit.scenarios._figures import recovery_figures
from readiness_kit.scenarios.engine import Scenario

SCENARIO = Scenario(
    id="data-corruption",
    title="Database corruption or accidental deletion",
    question="If a faulty module, script or person corrupts or deletes data, can we restore "
    "to just before it within the RPO and RTO?",
    likelihood=0.5,
    rests_on=("RES-PG-003", "RES-RPO-", "RES-RTO-", "RES-DRL-", "RES-DR-", "RES-STG-002",
              "RES-STG-004", "RES-RSV-002", "RES-RSV-003", "RES-AKS-002", "SEC-ODOO-",
              "SEC-PG-003"),
    essential=("RES-RPO-001", "RES-RTO-001", "RES-DRL-001", "RES-PG-003"),
    attestations=("restore_drill.last_date", "restore_drill.achieved_rto_minutes"),
    targets=("rpo_minutes", "rto_minutes"),
    figures=lambda inputs: recovery_figures(inputs, "local"),
    to_pass="Every store restores in place within the RPO and RTO, proven by a recent drill, "
    "and nothing can delete the backups.",
)
