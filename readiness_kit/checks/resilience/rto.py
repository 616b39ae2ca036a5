"""Resilience checks RES-RTO-*: recovery time objective."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check
from readiness_kit.checks.resilience._shared import WAF_DR, _attestation_check


@check(
    id="RES-RTO-001",
    domain="resilience",
    severity="high",
    title="The last restore drill met the recovery time objective",
    rationale="Only a measured restore shows how long recovery really takes; the achieved "
    "time must be within the RTO the business agreed (Well-Architected RE:09).",
    remediation="Automate the restore (infrastructure as code, scripted PITR and filestore "
    "restore), remove manual steps found in the drill, and repeat it until it meets the RTO.",
    risk="In a real incident the shop would stay closed longer than the business accepted",
    applies_to="restore drill attestations",
    requires=["attestations"],
    references=[WAF_DR, "https://learn.microsoft.com/azure/well-architected/reliability/"
                        "testing-strategy"],
    basis="attested",
)
def rto_achieved(ctx: CheckContext):
    target = float(ctx.params.targets.rto_minutes)

    def judge(df):
        minutes = pd.to_numeric(df["value"], errors="coerce")
        detail = ("last restore drill took " + df["value"] + f" min against the RTO target of "
                   f"{target:g} min (" + df["by"] + ")")
        detail = detail.where(minutes.notna(), "achieved RTO '" + df["value"]
                              + "' is not a number of minutes (" + df["by"] + ")")
        return minutes <= target, detail

    return _attestation_check(ctx, "restore_drill.achieved_rto_minutes", judge)
