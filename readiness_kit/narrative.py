"""Prose from findings: verdict sentences and top risks in words a board can act on.

Everything here returns plain text or plain dicts; ``readiness_kit.html`` renders (and
escapes) them, so the same story can go to HTML, a terminal or a slide.
"""

from __future__ import annotations

import pandas as pd

from readiness_kit import DOMAIN_TITLES
from readiness_kit.html import short_subject
from readiness_kit.review import Review
from readiness_kit.scoring import CAPABILITIES, MIN_SCORE, check_outcomes

DOMAIN_SCOPE = {
    "architecture": "network topology, workload isolation, AKS design, ingress, and where "
    "PostgreSQL and Redis sit",
    "scalability": "horizontal scaling, database capacity and connections, queues and "
    "headroom for the peak trading event",
    "security": "identity, secrets, policy enforcement, logging, segmentation and exposure "
    "to the internet",
    "resilience": "high availability across zones, failover, backups, recovery objectives "
    "and restore drills",
    "operations": "monitoring, alerting, service levels, incident ownership and patching",
    "devops": "CI/CD, GitOps, approvals, rollback, image provenance and environment "
    "consistency",
}
GATE_HEADLINES = {
    "ready": "Ready for production",
    "conditional": "Conditionally ready: go-live needs the conditions below met",
    "not_ready": "Not ready for production",
}


def top_risks(findings: pd.DataFrame, n: int = 10, domain: str | None = None) -> list[dict]:
    """Failing checks ranked by launch risk (``severity x impact x likelihood``, see
    ``readiness_kit.impact`` and README "How risks are ranked"), then reach; one entry per
    check, with the capabilities it endangers and the scenarios it weakens."""
    from readiness_kit.impact import capabilities_for, capability_titles, launch_risk, likelihoods

    f = findings[findings["status"] == "fail"]
    if domain:
        f = f[f["domain"] == domain]
    if f.empty:
        return []
    caps = f["capabilities"] if "capabilities" in f.columns else pd.Series(None, index=f.index)
    f = f.assign(capabilities=caps.where(caps.map(bool), f["check_id"].map(
        lambda c: "; ".join(capabilities_for(c)))))
    grouped = (
        f.groupby(["check_id", "domain", "severity", "title", "risk", "remediation",
                   "capabilities"], sort=False)
        .agg(subjects=("subject", lambda s: sorted({short_subject(x) for x in s})),
             details=("detail", lambda s: list(dict.fromkeys(s))))
        .reset_index()
    )
    grouped = grouped.merge(likelihoods(grouped["check_id"]), on="check_id", how="left")
    grouped["launch_risk"] = launch_risk(grouped["severity"], grouped["capabilities"],
                                         grouped["likelihood"]).round(2)
    grouped["reach"] = grouped["subjects"].map(len)
    grouped = grouped.sort_values(["launch_risk", "reach", "check_id"],
                                  ascending=[False, False, True])
    grouped["capabilities"] = grouped["capabilities"].map(capability_titles)
    return [
        {k: row[k] for k in ("check_id", "domain", "severity", "title", "risk", "remediation",
                             "subjects", "details", "capabilities", "scenarios", "likelihood",
                             "launch_risk")}
        for _, row in grouped.head(n).iterrows()
    ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def gate_verdict(review: Review) -> dict:
    """Headline and paragraphs for the summary: the decision, why, and what to do first."""
    f = review.findings
    fails = f[f["status"] == "fail"]
    crit = fails[fails["severity"] == "critical"]["check_id"].nunique()
    high = fails[fails["severity"] == "high"]["check_id"].nunique()
    demonstrated = [c for c in review.scores.loc[review.scores["demonstrated"], "capability"] if c]
    missing = [c for c in CAPABILITIES.values() if c not in demonstrated]
    paras = []
    name = review.params.name
    if review.gate == "not_ready":
        paras.append(
            f"{name} should not go live yet: {_plural(crit, 'critical check')} and "
            f"{_plural(high, 'high-severity check')} fail. Each critical item below is a way "
            "the platform can stop trading or lose data on the day it matters most.")
    elif review.gate == "conditional":
        paras.append(
            f"{name} can go live once the conditions below are met: no critical check fails, "
            f"but {_plural(high, 'high-severity check')} still fail.")
    else:
        paras.append(f"{name} meets the bar for production: every gate capability is "
                     "demonstrated and no critical check fails.")
    if demonstrated:
        paras.append("Demonstrated: " + ", ".join(demonstrated) + ".")
    if missing:
        paras.append("Not yet demonstrated: " + ", ".join(missing) + ".")
    not_assessed = f[f["status"] == "not_assessed"]["check_id"].nunique()
    if not_assessed:
        paras.append(f"{_plural(not_assessed, 'check')} could not be assessed from the "
                     "evidence collected; they count against coverage, not as passes.")
    waived = f[f["status"] == "waived"]["check_id"].nunique()
    expired = int((review.waivers["state"] == "expired").sum()) if len(review.waivers) else 0
    if waived or expired:
        parts = []
        if waived:
            parts.append(f"{_plural(waived, 'check')} {'carries' if waived == 1 else 'carry'} "
                         "an accepted risk (waiver)")
        if expired:
            parts.append(f"{_plural(expired, 'waiver')} expired and no longer "
                         f"{'applies' if expired == 1 else 'apply'}")
        paras.append("; ".join(parts) + ".")
    return {"gate": review.gate, "headline": GATE_HEADLINES[review.gate],
            "paragraphs": paras, "reasons": list(review.gate_reasons)}


def domain_verdict(review: Review, domain: str) -> dict:
    """Verdict for one domain: headline, status and the top risks in business words."""
    row = review.scores.set_index("domain").loc[domain]
    f = review.domain(domain)
    per_check = check_outcomes(f)
    counts = per_check.value_counts()
    n_checks = len(per_check)
    passed, failed = int(counts.get("pass", 0)), int(counts.get("fail", 0))
    title = DOMAIN_TITLES[domain]
    score = row["score"]
    score_txt = "no score (nothing assessed)" if pd.isna(score) else f"{score:.0f}/100"
    if row["critical_fail"]:
        status = "blocked"
        headline = f"{title} blocks go-live ({score_txt})"
    elif row["capability"] and row["demonstrated"]:
        status = "demonstrated"
        headline = f"{title}: {row['capability']} is demonstrated ({score_txt})"
    elif not row["capability"] and not row["high_fail"] and not pd.isna(score) \
            and score >= MIN_SCORE:
        status = "demonstrated"
        headline = f"{title} is sound ({score_txt})"
    else:
        status = "at_risk"
        headline = f"{title} needs work before go-live ({score_txt})"
    paras = [
        f"This section reviews {DOMAIN_SCOPE[domain]}. {passed} of {n_checks} checks pass"
        f" and {failed} fail"
        + (f"; {int(counts.get('not_assessed', 0))} could not be assessed"
           if counts.get("not_assessed", 0) else "")
        + (f"; {int(counts.get('waived', 0))} are waived" if counts.get("waived", 0) else "")
        + (f"; {int(counts.get('error', 0))} could not run" if counts.get("error", 0) else "")
        + "."
    ]
    risks = top_risks(review.findings, n=3, domain=domain)
    if risks:
        lead = risks[0]
        paras.append(f"The most serious gap: {lead['risk']}.")
    else:
        paras.append("No check in this domain fails.")
    return {"domain": domain, "status": status, "headline": headline, "paragraphs": paras,
            "score": None if pd.isna(score) else float(score)}
