"""Security checks SEC-POL-*: policy enforcement."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import AKS
from readiness_kit.frames import dig, reported, resources, text, truthy

POLICY_ASSIGNMENT = "microsoft.authorization/policyassignments"


@check(
    id="SEC-POL-001",
    domain="security",
    severity="high",
    title="Azure Policy add-on is enabled on AKS",
    rationale="The Azure Policy add-on runs Gatekeeper in the cluster so that Azure Policy "
    "can audit and deny non-compliant pods (privileged containers, untrusted registries, "
    "missing limits) at admission, with compliance reported centrally.",
    remediation="Enable the add-on (`az aks enable-addons --addons azure-policy`) and assign "
    "the Kubernetes cluster pod security baseline initiative in Deny mode.",
    risk="Nothing stops an unsafe container from being deployed into production",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/aks/use-azure-policy",
        "https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes",
    ],
)
def aks_azure_policy_addon(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    on = truthy(dig(aks["props"], "addonProfiles.azurepolicy.enabled", False))
    detail = pd.Series("azurepolicy add-on enabled", index=aks.index).where(
        on, "azurepolicy add-on not enabled")
    return outcome(aks["id"], on, detail)


@check(
    id="SEC-POL-002",
    domain="security",
    severity="medium",
    title="Policy assignments are enforced (enforcementMode Default)",
    rationale="An assignment in DoNotEnforce mode evaluates compliance but never denies or "
    "remediates: the guardrail exists on paper only. Azure Policy's enforcementMode Default "
    "is what makes deny and deployIfNotExists effects act.",
    remediation="Set enforcementMode to Default on the assignment once its non-compliant "
    "resources are fixed or exempted (use exemptions with an expiry rather than "
    "DoNotEnforce).",
    risk="Governance guardrails that appear in place do not actually stop unsafe changes",
    applies_to="policy assignments",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure"
        "#enforcement-mode",
    ],
)
def policy_enforcement_mode(ctx: CheckContext):
    pa = resources(ctx.ev, POLICY_ASSIGNMENT)
    mode, note = reported(dig(pa["props"], "enforcementMode", None), "Default",
                          "ARM's default Default")
    mode = text(mode)
    name = text(dig(pa["props"], "displayName", ""))
    name = name.where(name.ne(""), pa["name"])
    detail = "'" + name + "' enforcementMode " + mode + note
    return outcome(pa["id"], mode.str.lower().eq("default"), detail)
