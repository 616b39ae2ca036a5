"""Operations checks OPS-INC-*: incidents and on-call."""

from __future__ import annotations

from readiness_kit.checks.operations._shared import _attested
from readiness_kit.checks.registry import CheckContext, check


@check(
    id="OPS-INC-001",
    domain="operations",
    severity="high",
    title="A 24x7 on-call rota is in place",
    rationale="A retail platform trades evenings and weekends; someone must be reachable "
    "when alerts fire (Well-Architected OE:08 incident response).",
    remediation="Set up an on-call schedule in the paging tool covering trading hours (24x7 "
    "for online sales) and connect it to the Azure Monitor action group.",
    risk="An outage outside office hours would go unhandled",
    applies_to="on-call attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/operational-excellence/"
                "incident-response"],
    basis="attested",
)
def oncall_rota(ctx: CheckContext):
    return _attested(ctx, "oncall.rota", what="on-call rota: ")


@check(
    id="OPS-INC-002",
    domain="operations",
    severity="medium",
    title="The incident process has a named owner",
    rationale="Incident management needs an accountable owner for severity definitions, "
    "communication and post-incident reviews (Well-Architected OE:08).",
    remediation="Name the incident process owner (role) and publish the process.",
    risk="Incidents would be handled ad hoc, slowing recovery and repeating mistakes",
    applies_to="incident process attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/operational-excellence/"
                "incident-response"],
    basis="attested",
)
def incident_owner(ctx: CheckContext):
    return _attested(ctx, "incident.process_owner", what="incident process owner: ")
