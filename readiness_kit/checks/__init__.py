"""The check catalogue: one module per domain, each check = metadata + function.

Importing this package registers every check; ``REGISTRY`` maps check id to ``Check``.
"""

from readiness_kit.checks import (  # noqa: F401  (imported to register their checks)
    architecture,
    devops,
    operations,
    resilience,
    scalability,
    security,
)
from readiness_kit.checks.registry import (
    FINDING_COLUMNS,
    REGISTRY,
    Check,
    CheckContext,
    check,
    not_assessed,
    outcome,
    run_check,
    run_checks,
)

__all__ = [
    "FINDING_COLUMNS", "REGISTRY", "Check", "CheckContext", "check", "not_assessed",
    "outcome", "run_check", "run_checks",
]
