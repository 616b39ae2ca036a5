"""Domain scores and the go / no-go gate.

Score of a domain (0-100): each check contributes its pass fraction (passing subjects over
passing + failing subjects) weighted by severity (critical 10, high 5, medium 3, low 1,
info 0). Waived, not_assessed and error subjects are left out of the fraction; a check with
none of its subjects assessed is left out of the score and lowers *coverage* instead
(assessed weight / total weight).

Gate:
- ``not_ready`` when any critical check fails (waivers apply).
- ``ready`` when every gate capability is demonstrated and architecture has no failing
  critical or high check. Capabilities map onto domains: controlled scalability =
  scalability, enforceable governance = security, tested recovery = resilience, observable
  operations = operations, repeatable deployment automation = devops. A capability is
  demonstrated when its domain scores >= 75, coverage >= 80 %, and no critical or high
  check fails or errors there.
- ``conditional`` otherwise; the reasons list says what stands between it and ``ready``.
"""

from __future__ import annotations

import pandas as pd

from readiness_kit import DOMAINS, STATUSES

SEVERITY_WEIGHT = {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}
CAPABILITIES = {
    "scalability": "controlled scalability",
    "security": "enforceable governance",
    "resilience": "tested recovery",
    "operations": "observable operations",
    "devops": "repeatable deployment automation",
}
MIN_SCORE = 75.0
MIN_COVERAGE = 0.8
SCORE_COLUMNS = [
    "domain", "score", "coverage", *STATUSES, "critical_fail", "high_fail", "blocking_error",
    "capability", "demonstrated",
]


#: A check's overall outcome is the first of these any of its subjects has.
OUTCOME_PRECEDENCE = ("fail", "error", "waived", "pass")


def check_outcomes(findings: pd.DataFrame) -> pd.Series:
    """One status per (domain, check_id): the worst of its subjects, else not_assessed."""
    return findings.groupby(["domain", "check_id"])["status"].agg(
        lambda s: next((x for x in OUTCOME_PRECEDENCE if (s == x).any()), "not_assessed"))


def check_results(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per check: weight, pass fraction, assessed flag, status counts."""
    f = findings.assign(n=1)
    counts = f.pivot_table(index=["check_id", "domain", "severity"], columns="status",
                           values="n", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0).reset_index()
    judged = counts["pass"] + counts["fail"]
    counts["fraction"] = (counts["pass"] / judged.where(judged > 0)).astype(float)
    counts["assessed"] = (judged + counts["waived"]) > 0
    counts["weight"] = counts["severity"].map(SEVERITY_WEIGHT).astype(float)
    return counts


def domain_scores(findings: pd.DataFrame) -> pd.DataFrame:
    checks = check_results(findings)
    rows = []
    for domain in DOMAINS:
        c = checks[checks["domain"] == domain]
        scored = c[c["fraction"].notna()]
        weight = scored["weight"].sum()
        score = round(100 * (scored["weight"] * scored["fraction"]).sum() / weight, 1) \
            if weight > 0 else None
        total = c["weight"].sum()
        coverage = round(c.loc[c["assessed"], "weight"].sum() / total, 3) if total > 0 else 0.0
        grave = c["severity"].isin(["critical", "high"])
        row = {"domain": domain, "score": score, "coverage": coverage}
        row.update({s: int(findings.loc[findings["domain"] == domain, "status"].eq(s).sum())
                    for s in STATUSES})
        row["critical_fail"] = int((c["severity"].eq("critical") & (c["fail"] > 0)).sum())
        row["high_fail"] = int((c["severity"].eq("high") & (c["fail"] > 0)).sum())
        row["blocking_error"] = int((grave & (c["error"] > 0)).sum())
        row["capability"] = CAPABILITIES.get(domain, "")  # "" = not a gate capability
        row["demonstrated"] = bool(
            score is not None and score >= MIN_SCORE and coverage >= MIN_COVERAGE
            and row["critical_fail"] == 0 and row["high_fail"] == 0
            and row["blocking_error"] == 0
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def gate(scores: pd.DataFrame, findings: pd.DataFrame | None = None) -> tuple[str, list[str]]:
    """Decide ready / conditional / not_ready and say why (naming the failing critical
    checks in business words when ``findings`` are given)."""
    reasons: list[str] = []
    if findings is not None:
        crit = findings[findings["severity"].eq("critical") & findings["status"].eq("fail")]
        for row in crit.drop_duplicates("check_id").itertuples():
            reasons.append(f"Critical ({row.domain}, {row.check_id}): {row.risk}.")
    else:
        for row in scores[scores["critical_fail"] > 0].itertuples():
            reasons.append(f"{row.critical_fail} critical check(s) fail in {row.domain}.")
    if reasons:
        return "not_ready", reasons
    for row in scores.itertuples():
        if not row.capability:
            if row.high_fail:
                reasons.append(f"{row.high_fail} high-severity check(s) fail in {row.domain}.")
            continue
        if row.demonstrated:
            continue
        why = []
        if row.high_fail:
            why.append(f"{row.high_fail} high-severity check(s) fail")
        if row.blocking_error:
            why.append(f"{row.blocking_error} critical/high check(s) could not run")
        if row.score is None or pd.isna(row.score):
            why.append("nothing could be assessed")
        elif row.score < MIN_SCORE:
            why.append(f"score {row.score:.0f} is below {MIN_SCORE:.0f}")
        if row.coverage < MIN_COVERAGE:
            why.append(f"only {row.coverage:.0%} of the checks could be assessed")
        reasons.append(f"{row.capability.capitalize()} is not demonstrated ({row.domain}: "
                       + "; ".join(why) + ").")
    return ("conditional", reasons) if reasons else ("ready", [
        "Every gate capability is demonstrated and no critical check fails."])
