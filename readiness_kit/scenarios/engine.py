"""The scenario engine: a scenario names the checks, figures and attestations it rests on;
``assess`` combines them into a verdict with a one-sentence reason.

Verdicts (worst first): ``fails``, ``at_risk``, ``not_assessed``, ``survives``.

- **fails** when a figure breaches its target (peak demand above capacity, RPO or RTO
  above the objective), or a critical or high check in the chain fails.
- **at_risk** when a figure is tight or unknown, a medium or low check fails, a check in
  the chain errors, is waived (an accepted risk still stands in the scenario) or could not
  be assessed, or an attestation the scenario needs was never given.
- **not_assessed** when none of the scenario's *essential* checks could be assessed and it
  has no measured figure: the evidence cannot answer the question.
- **survives** when every check in the chain passes and every figure is within target.

The reason is the worst driver in one sentence, with how many more stand behind it.
A check joins a scenario by id (``RES-RTO-001``) or by prefix (``SCL-``, ``DEV-REL-``), so a
new check in those areas joins without an edit here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import pandas as pd

from readiness_kit.scoring import check_outcomes

if TYPE_CHECKING:
    from readiness_kit.review import Review

Verdict = Literal["survives", "at_risk", "fails", "not_assessed"]
VERDICTS: tuple[str, ...] = ("fails", "at_risk", "not_assessed", "survives")
VERDICT_LABELS = {"survives": "Survives", "at_risk": "At risk", "fails": "Fails",
                  "not_assessed": "Not assessed"}
FigureStatus = Literal["within", "tight", "breach", "unknown"]
_BLOCKING = ("critical", "high")


@dataclass(frozen=True)
class Figure:
    """A measured figure the verdict rests on (``value`` None when the evidence lacks it)."""

    name: str
    value: float | None
    unit: str
    status: FigureStatus
    basis: str                    # how it was worked out, in words
    target: float | None = None
    target_name: str | None = None  # the parameters key the target comes from
    summary: str = ""             # the short sentence a verdict reason quotes

    @property
    def sentence(self) -> str:
        return self.summary or self.basis

    def record(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit,
                "target": self.target, "target_name": self.target_name,
                "status": self.status, "summary": self.sentence, "basis": self.basis}


class Inputs:
    """What scenarios read from one review, each worked out once and shared."""

    def __init__(self, review: Review):
        self.review = review
        self.params = review.params
        self.ev = review.ev
        self.findings = review.findings

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """One row per check: id, title, severity, risk, remediation, outcome, failing."""
        f = self.findings
        if f.empty:
            return pd.DataFrame(columns=["check_id", "title", "severity", "risk",
                                         "remediation", "outcome", "failing"])
        outcome = check_outcomes(f).reset_index(level="domain", drop=True).rename("outcome")
        meta = f.drop_duplicates("check_id").set_index("check_id")[
            ["title", "severity", "risk", "remediation"]]
        failing = f[f["status"] == "fail"].groupby("check_id")["subject"].nunique()
        out = meta.join(outcome).assign(failing=failing.reindex(meta.index).fillna(0)
                                        .astype(int))
        return out.reset_index().sort_values("check_id").reset_index(drop=True)

    @cached_property
    def capacity(self) -> pd.DataFrame:
        from readiness_kit.capacity import capacity_model

        return capacity_model(self.ev, self.params)

    @cached_property
    def recovery(self) -> pd.DataFrame:
        from readiness_kit.recovery import recovery_figures

        return recovery_figures(self.ev, self.params, self.review.as_of)

    @cached_property
    def attestations(self) -> pd.DataFrame:
        from readiness_kit.capacity import attestation_values

        att = attestation_values(self.ev, self.params)
        return att.sort_values("attested_at", kind="stable").drop_duplicates("key", keep="last")

    def attested(self, key: str) -> str | None:
        row = self.attestations[self.attestations["key"] == key]
        return None if row.empty else str(row.iloc[0]["value"])

    def failing_subjects(self, check_id: str) -> int:
        row = self.outcomes[self.outcomes["check_id"] == check_id]
        return 0 if row.empty else int(row.iloc[0]["failing"])


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    question: str                 # the board's question, in its words
    likelihood: float             # 0-1: how likely the scenario is around a launch
    rests_on: tuple[str, ...]     # check ids or id prefixes ending in "-"
    essential: tuple[str, ...]    # of those, what the verdict cannot do without
    attestations: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # the parameters targets it concerns
    figures: Callable[[Inputs], list[Figure]] = field(default=lambda _: [], compare=False)
    to_pass: str = ""             # what must be true for it to survive, in one sentence

    def rests_on_check(self, check_id: str) -> bool:
        return _matches(check_id, self.rests_on)

    def assess(self, inputs: Inputs) -> Assessment:
        return assess(self, inputs)


def _matches(check_id: str, selectors: Iterable[str]) -> bool:
    return any(check_id == s or (s.endswith("-") and check_id.startswith(s)) for s in selectors)


@dataclass
class Assessment:
    scenario: Scenario
    verdict: Verdict
    reason: str
    figures: list[Figure]
    chain: pd.DataFrame           # the checks it rests on, with their outcome
    missing_attestations: list[str]
    to_change: list[str]          # what must change to pass, most serious first

    def record(self) -> dict:
        """The ``summary.json`` form."""
        s = self.scenario
        return {
            "id": s.id, "title": s.title, "question": s.question, "verdict": self.verdict,
            "reason": self.reason, "likelihood": s.likelihood,
            "figures": [f.record() for f in self.figures],
            "checks": [{"check_id": r.check_id, "title": r.title, "severity": r.severity,
                        "outcome": r.outcome, "failing": int(r.failing)}
                       for r in self.chain.itertuples()],
            "attestations": list(s.attestations),
            "missing_attestations": self.missing_attestations,
            "to_change": self.to_change,
        }


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else ""


def _and_more(n: int) -> str:
    return "" if n <= 0 else f" (and {n} more)"


def assess(scenario: Scenario, inputs: Inputs) -> Assessment:
    """Combine the chain's outcomes and the figures into a verdict (rules in the module
    docstring)."""
    outcomes = inputs.outcomes
    chain = outcomes[outcomes["check_id"].map(lambda c: scenario.rests_on_check(c))].copy()
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    chain = chain.assign(_r=chain["severity"].map(rank)).sort_values(
        ["_r", "check_id"]).drop(columns="_r").reset_index(drop=True)
    figures = scenario.figures(inputs)
    missing = [k for k in scenario.attestations if inputs.attested(k) is None]

    failed = chain[chain["outcome"] == "fail"]
    blocking = failed[failed["severity"].isin(_BLOCKING)]
    minor = failed[~failed["severity"].isin(_BLOCKING)]
    breaches = [f for f in figures if f.status == "breach"]
    soft = [f for f in figures if f.status in ("tight", "unknown")]
    unsure = chain[chain["outcome"].isin(["error", "waived", "not_assessed"])]
    essential = chain[chain["check_id"].map(lambda c: _matches(c, scenario.essential))]
    measured = [f for f in figures if f.value is not None]

    def check_reason(rows: pd.DataFrame) -> str:
        lead = rows.iloc[0]
        more = _and_more(len(rows) - 1)
        return f"{_sentence(lead['risk'])[:-1]} ({lead['check_id']} fails){more}."

    to_change = [_sentence(f.basis) for f in breaches]
    to_change += [str(r.remediation) for r in pd.concat([blocking, minor]).itertuples()]
    if breaches or len(blocking):
        verdict: Verdict = "fails"
        if breaches:
            extra = len(breaches) - 1 + len(blocking)
            reason = f"{_sentence(breaches[0].sentence)[:-1]}{_and_more(extra)}."
        else:
            reason = check_reason(blocking)
    elif not essential.empty and (essential["outcome"] == "not_assessed").all() \
            and not measured:
        verdict = "not_assessed"
        reason = (f"The evidence cannot answer it: none of {', '.join(essential['check_id'])} "
                  "could be assessed (see collection gaps).")
        to_change = ["Collect the evidence these checks need: "
                     + ", ".join(sorted(set(essential["check_id"])))]
    elif len(minor) or soft or len(unsure) or missing:
        verdict = "at_risk"
        if len(minor):
            reason = check_reason(minor)
        elif soft:
            reason = f"{_sentence(soft[0].sentence)[:-1]}{_and_more(len(soft) - 1)}."
        elif len(unsure):
            lead = unsure.iloc[0]
            word = {"error": "could not run", "waived": "fails under an accepted waiver",
                    "not_assessed": "could not be assessed"}[lead["outcome"]]
            reason = (f"Not shown to survive: {lead['check_id']} ({lead['title']}) {word}"
                      f"{_and_more(len(unsure) - 1)}.")
        else:
            reason = (f"Not shown to survive: no attestation '{missing[0]}' was given"
                      f"{_and_more(len(missing) - 1)}.")
        to_change += [_sentence(f.basis) for f in soft]
        to_change += [f"Resolve {r.check_id} ({r.title}): it {r.outcome.replace('_', ' ')}"
                      for r in unsure.itertuples()]
        to_change += [f"Record the attestation '{k}' in the readiness interview"
                      for k in missing]
    else:
        verdict = "survives"
        reason = (f"Every one of the {len(chain)} checks it rests on passes"
                  + (" and every figure is within target." if figures else "."))
    return Assessment(scenario=scenario, verdict=verdict, reason=reason, figures=figures,
                      chain=chain, missing_attestations=missing,
                      to_change=list(dict.fromkeys(t for t in to_change if t)))
