"""A regional Azure disruption: recover the platform in another region."""

from __future__ import annotations

from readiness_kit.scenarios._figures import recovery_figures
from readiness_kit.scenarios.engine import Scenario

SCENARIO = Scenario(
    id="regional-disruption",
    title="Regional Azure disruption",
    question="If an Azure zone or the whole region is disrupted, does the shop keep trading, "
    "or trade again from another region within the RPO and RTO?",
    likelihood=0.4,  # a whole region is rare; a zone or a regional service failing is not
    # zone redundancy first (most regional incidents take out one zone or service), then
    # copies in another region
    rests_on=("RES-PG-001", "RES-AKS-001", "RES-REDIS-001", "RES-STG-001", "RES-K8S-002",
              "ARC-AKS-004", "RES-PG-002", "RES-RSV-001", "RES-STG-003", "RES-RPO-", "RES-DR-",
              "ARC-DATA-001", "OPS-ALR-003"),
    essential=("RES-PG-002", "RES-STG-003", "RES-RSV-001"),
    attestations=("dr_runbook.owner", "dr_drill.achieved_rto_minutes"),
    targets=("rpo_minutes", "rto_minutes"),
    figures=lambda inputs: recovery_figures(inputs, "regional"),
    to_pass="Every store has a copy in another region within the RPO and a drilled regional "
    "recovery within the RTO.",
)
