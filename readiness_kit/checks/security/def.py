"""Security checks SEC-DEF-*: Defender for Cloud."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, resources, text

PRICING = "microsoft.security/pricings"
#: Defender for Cloud plans a containerised Odoo on PostgreSQL needs (pricings name).
REQUIRED_DEFENDER_PLANS = {
    "Containers": "Defender for Containers",
    "OpenSourceRelationalDatabases": "Defender for open-source relational databases",
}


@check(
    id="SEC-DEF-001",
    domain="security",
    severity="high",
    title="Defender for Cloud covers containers and open-source databases",
    rationale="Defender for Containers gives runtime threat detection, vulnerability "
    "assessment of images and Kubernetes posture; Defender for open-source relational "
    "databases detects brute force, SQL injection and anomalous access on Azure Database "
    "for PostgreSQL. Both are Standard-tier plans per subscription.",
    remediation="Enable the Containers and OpenSourceRelationalDatabases plans (pricingTier "
    "Standard) on the production subscription and route alerts to the on-call rota.",
    risk="An attack on the cluster or the order database would go unnoticed",
    applies_to="subscriptions with Defender for Cloud pricings",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction",
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-databases-introduction",
    ],
)
def defender_plans(ctx: CheckContext):
    pr = resources(ctx.ev, PRICING)
    subs = pd.Series(text(pr["subscription_id"]).unique(), name="subscription_id")
    wanted = subs.to_frame().merge(
        pd.DataFrame({"plan": list(REQUIRED_DEFENDER_PLANS)}), how="cross")
    have = pr.assign(plan=pr["name"], tier=text(dig(pr["props"], "pricingTier", "Free")),
                     subscription_id=text(pr["subscription_id"]))
    merged = wanted.merge(have[["subscription_id", "plan", "id", "tier"]],
                          on=["subscription_id", "plan"], how="left")
    missing = merged["id"].isna()
    subject = merged["id"].where(~missing, "/subscriptions/" + merged["subscription_id"]
                                 + "/providers/Microsoft.Security/pricings/" + merged["plan"])
    tier = text(merged["tier"])
    label = merged["plan"].map(REQUIRED_DEFENDER_PLANS)
    detail = (label + " is on the " + tier + " tier").where(
        ~missing, label + " plan not returned (treated as Free, the Azure default)")
    return outcome(subject, tier.str.lower().eq("standard"), detail)
