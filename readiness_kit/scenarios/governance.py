"""Governance drift: resources and workloads outside the approved patterns."""

from __future__ import annotations

from readiness_kit.scenarios._figures import failing_count
from readiness_kit.scenarios.engine import Inputs, Scenario


def _figures(inputs: Inputs):
    return [failing_count(inputs, "SEC-POL-002", "Policy assignments not enforced",
                          "policy assignments only audit (not enforced)")]


SCENARIO = Scenario(
    id="governance-drift",
    title="Governance drift",
    question="Will resources and workloads stay inside the approved patterns after go-live, "
    "or drift unnoticed?",
    likelihood=0.6,
    rests_on=("SEC-POL-", "DEV-CD-002", "DEV-ENV-", "ARC-ENV-", "ARC-ISO-", "ARC-HOST-",
              "DEV-IMG-002", "SEC-K8S-002", "OPS-PAT-"),
    essential=("SEC-POL-001", "SEC-POL-002", "DEV-CD-002"),
    figures=_figures,
    to_pass="Policies enforce the approved patterns, GitOps reconciles what runs, and "
    "environments stay separate.",
)
