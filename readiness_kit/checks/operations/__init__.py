"""Operations checks: monitoring, logging, alerting, SLOs, on-call, patching, observability.

``alert_coverage`` and ``diagnostic_coverage`` are shared with the operations charts, so the
heatmap shows exactly what the checks judged.

One module per area, named by the middle part of the check id lower-cased (``OPS-ALR-001``
-> ``alr.py``). Every module of the package is imported here, so a new area module registers
its checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

from readiness_kit.checks.operations._shared import AKS, LABELS
from readiness_kit.checks.operations.alr import alert_coverage
from readiness_kit.checks.operations.mon import (
    DIAGNOSTIC_TYPES,
    container_insights_enabled,
    diagnostic_coverage,
)
from readiness_kit.checks.operations.pat import AKS_OLDEST_SUPPORTED_MINOR

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = [
    "AKS", "AKS_OLDEST_SUPPORTED_MINOR", "DIAGNOSTIC_TYPES", "LABELS", "alert_coverage",
    "container_insights_enabled", "diagnostic_coverage",
]
