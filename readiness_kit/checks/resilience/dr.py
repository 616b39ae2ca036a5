"""Resilience checks RES-DR-*: DR runbooks."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check
from readiness_kit.checks.resilience._shared import WAF_DR, _attestation_check
from readiness_kit.frames import days_since, fmt

#: No parameter target exists for runbook reviews; a yearly review is the usual minimum
#: (ISO 22301 "planned intervals", Azure Well-Architected RE:09 "test and update regularly").
DR_RUNBOOK_MAX_AGE_DAYS = 365


@check(
    id="RES-DR-001",
    domain="resilience",
    severity="medium",
    title="The DR runbook has a named owner",
    rationale="A runbook without an owner is not kept current and nobody is accountable for "
    "invoking it during an incident.",
    remediation="Name an accountable owner (a role, not only a person) for the DR runbook "
    "and record it.",
    risk="In a disaster nobody would be accountable for running the recovery",
    applies_to="DR runbook attestations",
    requires=["attestations"],
    references=[WAF_DR],
    basis="attested",
)
def dr_runbook_owner(ctx: CheckContext):
    def judge(df):
        return ~df["negative"], "DR runbook owner: " + df["value"].replace(
            "", "none") + " (" + df["by"] + ")"

    return _attestation_check(ctx, "dr_runbook.owner", judge)


@check(
    id="RES-DR-002",
    domain="resilience",
    severity="low",
    title=f"The DR runbook was reviewed within {DR_RUNBOOK_MAX_AGE_DAYS} days",
    rationale="Platforms change faster than runbooks: a runbook not reviewed in a year "
    "describes a platform that no longer exists.",
    remediation="Review the DR runbook after every significant change and at least yearly; "
    "record the date.",
    risk="The recovery steps could be out of date when they are needed",
    applies_to="DR runbook attestations",
    requires=["attestations"],
    references=[WAF_DR],
    basis="attested",
)
def dr_runbook_reviewed(ctx: CheckContext):
    def judge(df):
        age = days_since(df["value"], ctx.as_of)
        detail = ("DR runbook last reviewed on " + df["value"] + ", "
                  + age.map(fmt).astype(str) + f" days ago (max {DR_RUNBOOK_MAX_AGE_DAYS};"
                  " " + df["by"] + ")")
        detail = detail.where(age.notna(), "review date '" + df["value"]
                              + "' is not a date (" + df["by"] + ")")
        return age <= DR_RUNBOOK_MAX_AGE_DAYS, detail

    return _attestation_check(ctx, "dr_runbook.last_reviewed", judge)
