"""DevOps checks DEV-REL-*: releases."""

from __future__ import annotations

from readiness_kit.checks.devops._shared import _control
from readiness_kit.checks.registry import CheckContext, check
from readiness_kit.frames import attestation_frame, attested_outcome, days_since, falsy, fmt

TRUE_TEXT = frozenset({"true", "yes", "y", "1", "tested", "passed"})


@check(
    id="DEV-REL-001",
    domain="devops",
    severity="high",
    title="Production deploy pipelines define a rollback path",
    rationale="A failed release must be undone in minutes, not debugged live. Azure "
    "Well-Architected safe deployment practice (OE:11) requires a defined, automated "
    "rollback (redeploy the previous version, revert the GitOps commit, or Helm rollback) "
    "alongside every production deployment.",
    remediation="Add a rollback job or workflow that redeploys the previous image digest / "
    "reverts the overlay commit, with a documented trigger (failed smoke test or manual).",
    risk="A bad release keeps the shop broken while the team improvises a fix",
    applies_to="pipelines that deploy to production",
    requires=["gitops_pipelines"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "safe-deployments",
    ],
)
def production_has_rollback(ctx: CheckContext):
    return _control(ctx, "deploys_production", "has_rollback",
                    "a rollback path is defined in the pipeline",
                    "no rollback path is defined for production deployments")


@check(
    id="DEV-REL-002",
    domain="devops",
    severity="high",
    title="Release rollback has been tested",
    rationale="A rollback path that was never exercised fails when it is needed: schema "
    "migrations in Odoo modules are not reversible by redeploying the old image. Azure "
    "Well-Architected asks for rollback to be rehearsed, including the database side.",
    remediation="Rehearse a rollback in staging (deploy N+1 with a module upgrade, roll "
    "back to N, restore the database to the pre-upgrade point) and record the date.",
    risk="A failed release during peak trading could not be reversed with confidence",
    applies_to="attestations",
    requires=["attestations"],
    references=[
        "https://learn.microsoft.com/azure/well-architected/operational-excellence/"
        "safe-deployments",
    ],
    basis="attested",
)
def rollback_tested(ctx: CheckContext):
    df = attestation_frame(ctx.ev, "release.rollback_tested")
    value = df["value"]
    max_age = ctx.params.targets.restore_drill_max_age_days
    age = days_since(value, ctx.as_of)  # NaN unless the answer is a date
    dated = age.notna()
    recent = dated & age.le(max_age)
    tested = value.str.lower().isin(TRUE_TEXT) | recent
    stale = ("; " + age.map(fmt).astype(str) + f" days ago, more than {max_age}").where(
        dated & ~recent, "")
    detail = "rollback tested: " + value + stale + " (" + df["by"] + ")"
    return attested_outcome(df, tested, detail, assessed=tested | falsy(value) | dated)
