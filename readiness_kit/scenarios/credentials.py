"""A security incident: exposed credentials or unauthorised administrative access."""

from __future__ import annotations

from readiness_kit.scenarios._figures import failing_count
from readiness_kit.scenarios.engine import Inputs, Scenario


def _figures(inputs: Inputs):
    return [
        failing_count(inputs, "SEC-EXP-001", "Data services reachable from the Internet",
                      "data services reachable from the Internet"),
        failing_count(inputs, "SEC-IAM-001", "Subscriptions with too many standing Owners",
                      "subscriptions with more than 3 standing Owners"),
    ]


SCENARIO = Scenario(
    id="credential-exposure",
    title="Credential exposure or unauthorised admin access",
    question="If a password, key or admin account leaks, is the damage contained, seen and "
    "traced?",
    likelihood=0.6,
    rests_on=("SEC-AKS-", "SEC-IAM-", "SEC-KV-", "SEC-ODOO-", "SEC-PG-", "SEC-LOG-",
              "SEC-DEF-", "SEC-EXP-", "SEC-NET-", "SEC-REDIS-", "SEC-K8S-001", "OPS-MON-002"),
    essential=("SEC-AKS-001", "SEC-IAM-001", "SEC-EXP-001", "SEC-LOG-001"),
    figures=_figures,
    to_pass="No standing or static admin credential, no data service open to the Internet, "
    "and audit logs that show who did what.",
)
