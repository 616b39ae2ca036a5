"""Resilience checks RES-DRL-*: restore drills."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check
from readiness_kit.checks.resilience._shared import WAF_DR, _attestation_check
from readiness_kit.frames import days_since, fmt


@check(
    id="RES-DRL-001",
    domain="resilience",
    severity="high",
    title="A restore drill ran within the allowed age",
    rationale="Backups that are never restored are hopes, not backups. A recent, successful "
    "restore drill proves the procedure, the permissions and the time it takes.",
    remediation="Run a full restore drill (PostgreSQL PITR into an isolated environment plus "
    "the filestore) at least every restore_drill_max_age_days and record the date.",
    risk="Nobody knows whether the shop can actually be restored",
    applies_to="restore drill attestations",
    requires=["attestations"],
    references=[WAF_DR,
                "https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "how-to-restore-server-portal"],
    basis="attested",
)
def restore_drill_recent(ctx: CheckContext):
    limit = ctx.params.targets.restore_drill_max_age_days

    def judge(df):
        age = days_since(df["value"], ctx.as_of)
        detail = ("last restore drill on " + df["value"] + ", "
                  + age.map(fmt).astype(str) + f" days before the review (max {limit}; "
                  + df["by"] + ")")
        detail = detail.where(age.notna(), "restore drill date '" + df["value"]
                              + "' is not a date (" + df["by"] + ")")
        return age <= limit, detail

    return _attestation_check(ctx, "restore_drill.last_date", judge)
