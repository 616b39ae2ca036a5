"""What the notebooks call: one line per story element, so the notebooks stay thin.

Each function returns an ``html.Fragment`` (rendered as ``text/html`` by Jupyter and kept
as is by the report template) built from ``narrative`` prose; every string is escaped by
``readiness_kit.html``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from readiness_kit import DOMAIN_TITLES, html
from readiness_kit.narrative import domain_verdict, gate_verdict, top_risks
from readiness_kit.review import Review, load_review

__all__ = ["load", "gate_summary", "domain_intro", "risks", "findings", "waivers",
           "gaps", "provenance", "attested", "capacity", "scenarios", "efficiency", "hosting",
           "changes"]


def load(params_path: str, evidence_dir: str | None = None,
         as_of: str | dt.date | None = None, run_dir: str | None = None) -> Review:
    """Load the review the notebook tells the story of (same call in Lab and Papermill).

    A finished run (``run_dir``) does not change, so a kernel that executes several
    notebooks of the same run reads it once: the last run read is kept, keyed by its
    parameters, folder and files, and handed to the next notebook that asks for it.
    Helpers only read the review."""
    if not run_dir:
        return load_review(params_path, evidence_dir, as_of, run_dir)
    key = _run_key(params_path, run_dir)
    if _LAST_RUN.get("key") != key:
        _LAST_RUN.clear()
        _LAST_RUN.update(key=key, review=load_review(params_path, evidence_dir, as_of,
                                                     run_dir))
    return _LAST_RUN["review"]


_LAST_RUN: dict = {}


def _run_key(params_path: str, run_dir: str) -> tuple:
    from pathlib import Path

    root = Path(run_dir).resolve()
    files = [Path(params_path), root / "summary.json", root / "findings.parquet",
             root / "findings.json", root / "evidence" / "manifest.json"]
    return (str(Path(params_path).resolve()), str(root),
            *((f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else None for f in files))


def gate_summary(rv: Review) -> html.Fragment:
    v = gate_verdict(rv)  # the gate's reasons are in the report header already
    return html.verdict_callout(v["gate"], v["headline"], v["paragraphs"],
                                title=f"Go-live decision for {rv.params.name}")


def domain_intro(rv: Review, domain: str, n_risks: int = 3) -> html.Fragment:
    v = domain_verdict(rv, domain)
    callout = html.verdict_callout(v["status"], v["headline"], v["paragraphs"],
                                   title=f"{DOMAIN_TITLES[domain]} verdict")
    items = top_risks(rv.findings, n=n_risks, domain=domain)
    if not items:
        return callout
    return html.Fragment(callout + html.risk_list(items, empty="No open risks."))


def risks(rv: Review, n: int = 10, domain: str | None = None) -> html.Fragment:
    return html.risk_list(top_risks(rv.findings, n=n, domain=domain),
                          empty="No check fails: there are no open risks.")


#: A check with more open subjects than this shows its worst ones and counts the rest.
EXAMPLES_PER_CHECK = 20
#: Up to this many passing results a domain lists them; above, it counts them per check.
PASSES_LISTED = 200


def findings(rv: Review, domain: str) -> html.Fragment:
    """Open findings with remediation, at most ``EXAMPLES_PER_CHECK`` subjects per check
    (the worst; the rest counted, the full list in the run's findings files); passing
    results folded away (they are evidence, not news), counted per check at scale."""
    f = rv.domain(domain)
    passed = f[f["status"] == "pass"]
    open_ = f[f["status"] != "pass"]
    parts = [html.findings_table(open_,
                                 caption=f"{DOMAIN_TITLES[domain]}: open findings and remediation",
                                 per_check=EXAMPLES_PER_CHECK,
                                 empty="Every assessed check passes.")]
    if len(passed):
        only_passing = set(passed["check_id"]) - set(open_["check_id"])
        listed = (html.findings_table(passed, remediation=False, style=False,
                                      anchors=only_passing)
                  if len(passed) <= PASSES_LISTED
                  else html.passes_summary(passed, style=False, anchors=only_passing))
        parts.append(
            f'<details class="rk-passes"><summary>{len(passed):,} passing results</summary>'
            + listed + "</details>")
    return html.Fragment("".join(parts))


def capacity(rv: Review) -> html.Fragment:
    """The peak-event capacity model: demand today and at peak against capacity, then how
    each figure was worked out."""
    from readiness_kit.capacity import capacity_model

    model = capacity_model(rv.ev, rv.params)
    model["subject"] = model["subject"].map(html.short_subject)
    figures = html.table(model, columns={
        "resource": "resource", "subject": "subject", "unit": "unit", "baseline": "today",
        "peak_demand": "at peak", "capacity": "capacity", "headroom_pct": "headroom %",
        "verdict": "verdict"}, caption="Peak-event capacity model")
    workings = html.table(model, columns={"resource": "resource", "subject": "subject",
                                          "explanation": "how it was worked out"},
                          caption="Workings", style=False)
    return html.Fragment(figures + workings)


def waivers(rv: Review) -> html.Fragment:
    return html.waivers_table(rv.waivers, caption="Accepted risks (waivers)")


def gaps(rv: Review) -> html.Fragment:
    return html.gaps_table(rv.ev.gaps, caption="Evidence that could not be collected")


def provenance(rv: Review) -> html.Fragment:
    rows = [
        {"table": name, "source": p.source, "collected at": p.collected_at,
         "rows": len(rv.ev.tables[name]), "collector": p.collector}
        for name, p in sorted(rv.ev.provenance.items())
    ]
    return html.table(pd.DataFrame(rows), caption=f"Evidence bundle {rv.ev.sha256[:16]}…")


def attested(rv: Review) -> html.Fragment:
    """Interview answers the review relied on, with who said it and when."""
    a = rv.ev.table("attestations")
    if a is None or a.empty:
        return html.table(None, empty="No attestations were recorded.")
    return html.table(a, columns={"key": "topic", "value": "answer",
                                  "attested_by": "attested by", "attested_at": "on",
                                  "note": "note"},
                      caption="Attested evidence (interview answers)")


def scenarios(rv: Review) -> html.Fragment:
    """One card per launch scenario: verdict, reason, figures, evidence chain, what to do.
    A review read from a run shows the scenarios its summary.json recorded (assessed from
    the same findings and evidence when the run was made) instead of assessing them again."""
    from readiness_kit.scenarios import assess_scenarios

    saved = _saved_scenarios(rv)
    return html.scenario_cards(saved if saved is not None
                               else [a.record() for a in assess_scenarios(rv)])


def _saved_scenarios(rv: Review) -> list[dict] | None:
    import json

    summary = rv.run_dir / "summary.json" if rv.run_dir is not None else None
    if summary is None or not summary.is_file():
        return None
    records = json.loads(summary.read_text(encoding="utf-8")).get("scenarios")
    return records if isinstance(records, list) else None


#: Right-sizing signals listed; above, the suggested ones first and the rest counted.
SIGNALS_LISTED = 25


def efficiency(rv: Review) -> html.Fragment:
    """The cost view: right-sizing signals beside the resilience each would or would not
    weaken; a saving a scenario needs is shown as withheld, with why."""
    from readiness_kit.efficiency import right_sizing

    signals = right_sizing(rv)
    if signals.empty:
        return html.table(None, empty="No right-sizing signal in the evidence: nothing is "
                                      "clearly oversized.")
    if len(signals) > SIGNALS_LISTED:  # savings first: they are the news at scale
        signals = signals.sort_values("suggested", ascending=False, kind="stable")
    signals = signals.assign(subject=signals["subject"].map(html.short_subject),
                             suggested=signals["suggested"].map({True: "suggested",
                                                                 False: "withheld"}))
    return html.table(signals, max_rows=SIGNALS_LISTED, columns={
        "area": "area", "signal": "signal", "saving": "possible saving",
        "resilience": "resilience it keeps or adds", "suggested": "advice", "why": "why"},
        caption="Efficient resilience: savings only where no scenario needs the capacity")


def hosting(rv: Review) -> html.Fragment:
    """Hosting-model advice: the model that fits, why, and the isolation it still lacks."""
    from readiness_kit.hosting import hosting_advice

    advice = hosting_advice(rv)
    callout = html.verdict_callout(advice.verdict, advice.headline, advice.reasons,
                                   title=f"Hosting model ({advice.current})")
    return html.Fragment(callout + html.table(advice.isolation, columns={
        "dimension": "isolation", "protects": "what it protects", "status": "status",
        "detail": "evidence"}, caption="Isolation the hosting model relies on", style=False))


def changes(rv: Review) -> html.Fragment:
    """New, resolved and changed findings against the tenant's previous complete run: the
    run's changes.json (worked out from the run folders when the run has none); a review
    not read from a saved run has nothing to compare."""
    from readiness_kit.changes import changes_record, previous_run, read_changes

    if rv.run_dir is None:
        return html.changes_view(None)
    record = read_changes(rv.run_dir)
    if record is None:
        record = changes_record(previous_run(rv.run_dir.parent, rv.run_dir.name), rv.run_dir)
    return html.changes_view(record)
