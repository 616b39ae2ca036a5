"""Security checks SEC-IAM-*: identity."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, resources, text

ROLE_ASSIGNMENT = "microsoft.authorization/roleassignments"
#: Built-in Owner role definition id (the same GUID in every tenant).
OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
#: Microsoft guidance: designate no more than 3 subscription owners.
MAX_SUBSCRIPTION_OWNERS = 3


@check(
    id="SEC-IAM-001",
    domain="security",
    severity="high",
    title=f"No more than {MAX_SUBSCRIPTION_OWNERS} standing Owner assignments per subscription",
    rationale="Owner can change anything including access itself. Microsoft Defender for "
    f"Cloud and the Azure RBAC best practices recommend at most {MAX_SUBSCRIPTION_OWNERS} "
    "subscription owners, with other administrators made eligible through Privileged "
    "Identity Management (just-in-time) instead of standing assignments.",
    remediation="Remove standing Owner assignments beyond the break-glass and platform owner "
    "accounts; make the remaining administrators eligible via PIM with approval, and grant "
    "narrower built-in roles (Contributor, User Access Administrator with conditions) to "
    "automation.",
    risk="Too many people can take over the whole production subscription, multiplying the "
    "ways a single phished account becomes a full outage or data breach",
    applies_to="subscriptions with role assignments",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/role-based-access-control/best-practices",
        "https://learn.microsoft.com/azure/defender-for-cloud/"
        "recommendations-reference-identity-access",
    ],
)
def subscription_owner_count(ctx: CheckContext):
    ra = resources(ctx.ev, ROLE_ASSIGNMENT)
    scope = text(dig(ra["props"], "scope", "")).str.rstrip("/")
    sub = "/subscriptions/" + text(ra["subscription_id"]).str.lower()
    ra = ra.assign(
        sub=sub,
        is_owner=text(dig(ra["props"], "roleDefinitionId", "")).str.lower()
        .str.endswith(OWNER_ROLE_ID),
        at_sub=scope.str.lower().eq(sub),
        principal=text(dig(ra["props"], "principalType", "principal")),
    )
    owners = ra[ra["is_owner"] & ra["at_sub"]]
    counts = owners.groupby("sub").size().reindex(sorted(ra["sub"].unique()), fill_value=0)
    kinds = owners.groupby("sub")["principal"].agg(
        lambda s: ", ".join(f"{n} {k}" for k, n in s.value_counts().sort_index().items()))
    kinds = kinds.reindex(counts.index, fill_value="")
    plural = pd.Series("s", index=counts.index).where(counts.ne(1), "")
    detail = (counts.astype(str) + " standing Owner assignment" + plural
              + " at subscription scope"
              + (" (" + kinds + ")").where(kinds.ne(""), "")
              + f"; at most {MAX_SUBSCRIPTION_OWNERS} recommended")
    return outcome(counts.index, counts.le(MAX_SUBSCRIPTION_OWNERS), detail)
