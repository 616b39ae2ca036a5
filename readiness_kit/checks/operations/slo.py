"""Operations checks OPS-SLO-*: service level objectives."""

from __future__ import annotations

from readiness_kit.checks.operations._shared import _attested
from readiness_kit.checks.registry import CheckContext, check


@check(
    id="OPS-SLO-001",
    domain="operations",
    severity="medium",
    title="A measurable checkout availability SLO is defined",
    rationale="An SLO turns 'the shop must be up' into a number that alerting, error budgets "
    "and release decisions can use (Well-Architected OE:07 / RE:04).",
    remediation="Agree a checkout availability SLO (e.g. 99.9% monthly) with the business, "
    "measure it from Application Insights availability or request data, and alert on burn.",
    risk="Nobody could say whether the shop meets what the business needs",
    applies_to="SLO attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/well-architected/reliability/metrics"],
    basis="attested",
)
def checkout_slo(ctx: CheckContext):
    return _attested(ctx, "slo.checkout_availability",
                     lambda df: df["value"].str.contains(r"\d+(?:\.\d+)?\s*%", regex=True),
                     "checkout availability SLO: ")
