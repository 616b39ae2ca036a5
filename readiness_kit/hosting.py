"""Hosting-model advice: does multi-tenant or dedicated hosting fit, and what isolation does
the chosen model still lack?

``hosting_advice(review)`` weighs the business profile (``profile:`` in the parameters) and
returns the model that fits, the reasons, and one row per isolation dimension
(namespaces, databases, storage, secrets, monitoring, per-tenant restore) with what the
evidence shows.

Weights toward dedicated (+) or multi-tenant (-): customisation high +2 / medium +1 / low -1;
each compliance regime that asks for segregated cardholder or regulated data (pci-dss,
hipaa, soc2, iso27001, fedramp) +2, any other regime (gdpr) +1 in all; integrations 5 or
more +1; workload variability high +1 (a tenant's peak is its neighbours' outage); brands or
franchisees: 5 or more -2, 2-4 -1. A total of 2 or more: dedicated; -1 or less:
multi-tenant; in between either fits and the current model stands. No profile: no advice,
only the isolation the current model lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from readiness_kit.review import Review
from readiness_kit.scoring import check_outcomes

STRICT_REGIMES = frozenset({"pci-dss", "pci", "hipaa", "soc2", "iso27001", "fedramp"})
#: Isolation dimension -> (checks that show it, what it protects, needed under which model)
DIMENSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "Namespaces": (("ARC-ISO-001", "ARC-ISO-002", "SEC-NET-001"),
                   "each workload's CPU, memory and network kept to itself"),
    "Databases": (("ARC-HOST-001", "ARC-ENV-001", "SEC-PG-003"),
                  "each tenant reaches only its own database"),
    "Storage": (("SEC-EXP-001", "RES-STG-002"), "filestores neither shared nor open"),
    "Secrets": (("SEC-KV-002", "SEC-AKS-003", "SEC-KV-001"),
                "credentials scoped per workload, held in Key Vault"),
    "Monitoring": (("OPS-MON-001", "OPS-MON-002", "OPS-MON-003"),
                   "incidents seen and attributed per tenant"),
    "Per-tenant restore": (("RES-DRL-001", "RES-RTO-001", "RES-PG-003"),
                           "one tenant restored without rolling back the others"),
}


@dataclass
class HostingAdvice:
    current: str
    fits: str | None            # dedicated | multi-tenant | either | None (no profile)
    score: int
    reasons: list[str]
    isolation: pd.DataFrame     # dimension, status (in place | gaps | not assessed), detail
    headline: str
    verdict: str                # a callout word: pass / at_risk / fail / not_assessed


def _profile_score(profile) -> tuple[int, list[str]]:
    score, reasons = 0, []
    if profile.customisation:
        weight = {"high": 2, "medium": 1, "low": -1}[profile.customisation]
        score += weight
        reasons.append(f"customisation is {profile.customisation} ({weight:+d}): "
                       + ("custom modules upgrade on their own schedule"
                          if weight > 0 else "a shared release train suits standard Odoo"))
    regimes = [r.lower() for r in profile.compliance]
    strict = [r for r in regimes if r in STRICT_REGIMES]
    if strict:
        score += 2 * len(strict)
        reasons.append(f"{', '.join(strict)} ({2 * len(strict):+d}): regulated data wants "
                       "its own database, network segment and keys")
    if set(regimes) - STRICT_REGIMES:
        score += 1
        reasons.append(f"{', '.join(sorted(set(regimes) - STRICT_REGIMES))} (+1): data "
                       "residency and erasure per tenant are simpler apart")
    if profile.integrations is not None and profile.integrations >= 5:
        score += 1
        reasons.append(f"{profile.integrations} integrations (+1): each one's credentials and "
                       "traffic are easier to contain on a dedicated platform")
    if profile.workload_variability == "high":
        score += 1
        reasons.append("workload variability is high (+1): on shared hosting one tenant's "
                       "peak takes capacity from the others")
    if profile.brands is not None and profile.brands >= 2:
        weight = -2 if profile.brands >= 5 else -1
        score += weight
        reasons.append(f"{profile.brands} brands or franchisees ({weight:+d}): one shared "
                       "platform is cheaper to run and upgrade")
    return score, reasons


def _isolation(review: Review) -> pd.DataFrame:
    outcome = check_outcomes(review.findings).reset_index(level="domain", drop=True)
    titles = review.findings.drop_duplicates("check_id").set_index("check_id")["title"]
    rows = []
    for dimension, (checks, protects) in DIMENSIONS.items():
        known = [c for c in checks if c in outcome.index]
        failing = [c for c in known if outcome[c] in ("fail", "error", "waived")]
        assessed = [c for c in known if outcome[c] != "not_assessed"]
        if failing:
            status = "gaps"
            detail = "; ".join(f"{c} {titles.get(c, '')} ({outcome[c]})" for c in failing)
        elif assessed:
            status, detail = "in place", "shown by " + ", ".join(assessed)
        else:
            status, detail = "not assessed", "no evidence for " + ", ".join(checks)
        rows.append({"dimension": dimension, "protects": protects, "status": status,
                     "detail": detail})
    return pd.DataFrame(rows, columns=["dimension", "protects", "status", "detail"])


def hosting_advice(review: Review) -> HostingAdvice:
    """The fitting model, why, and the isolation the current model lacks."""
    profile = review.params.profile
    current = review.params.hosting_model
    isolation = _isolation(review)
    gaps = isolation.loc[isolation["status"] == "gaps", "dimension"].tolist()
    given = profile.model_dump(exclude_defaults=True)
    if not given:
        fits, score, reasons = None, 0, ["No business profile was given (parameters "
                                         "`profile:`), so only the isolation is judged."]
    else:
        score, reasons = _profile_score(profile)
        fits = "dedicated" if score >= 2 else "multi-tenant" if score <= -1 else "either"
    lacking = f"; it still lacks isolation of {', '.join(gaps).lower()}" if gaps else ""
    if fits is None:
        headline = f"{current.capitalize()} hosting{lacking or ': isolation in place'}."
        verdict = "at_risk" if gaps else "not_assessed"
    elif fits in (current, "either"):
        headline = (f"{current.capitalize()} hosting fits this business (score {score:+d})"
                    f"{lacking}.")
        verdict = "at_risk" if gaps else "pass"
    else:
        headline = (f"{fits.capitalize()} hosting fits better than the current {current} "
                    f"model (score {score:+d}){lacking}.")
        verdict = "fail"
    return HostingAdvice(current=current, fits=fits, score=score, reasons=reasons,
                         isolation=isolation, headline=headline, verdict=verdict)
