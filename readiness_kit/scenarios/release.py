"""A failed release that must be rolled back during business hours."""

from __future__ import annotations

from readiness_kit.frames.attestations import NEGATIVE_ANSWERS
from readiness_kit.scenarios.engine import Figure, Inputs, Scenario


def _figures(inputs: Inputs) -> list[Figure]:
    answer = inputs.attested("release.rollback_tested")
    if answer is None:
        rehearsed = Figure(name="Rollback rehearsed", value=None, unit="yes/no",
                           status="unknown", basis="nobody attested whether rollback was "
                           "rehearsed ('release.rollback_tested')")
    else:
        ok = answer.strip().lower() not in NEGATIVE_ANSWERS
        rehearsed = Figure(name="Rollback rehearsed", value=1.0 if ok else 0.0, unit="yes/no",
                           status="within" if ok else "breach",
                           basis=f"rollback rehearsed: {answer} (attested)" if ok else
                           "rollback has never been rehearsed (attested), so nobody knows "
                           "how long it takes")
    return [rehearsed]


SCENARIO = Scenario(
    id="release-rollback",
    title="Failed release rolled back in business hours",
    question="If a release breaks checkout at noon, can it be reversed quickly and safely "
    "while the shop trades?",
    likelihood=0.9,  # releases happen every week; some fail
    rests_on=("DEV-", "RES-K8S-001", "OPS-MON-001", "OPS-ALR-", "OPS-INC-001"),
    essential=("DEV-REL-001", "DEV-REL-002", "DEV-IMG-001", "DEV-CD-001"),
    attestations=("release.rollback_tested",),
    figures=_figures,
    to_pass="Every deploy has a rehearsed rollback to a pinned image, under approval, with "
    "disruption budgets and alerts that show the failure.",
)
