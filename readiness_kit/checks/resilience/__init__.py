"""Resilience checks: HA across zones, failover, backups, RPO/RTO, restore drills, DR.

Besides the checks, the package holds what the resilience charts share with them: storage
account roles, the cron interval of a Kubernetes CronJob and ``rpo_estimates`` (the RPO each
data store achieves). Attestation lookups, collection gaps and id helpers are in
``readiness_kit.frames``.

One module per area, named by the middle part of the check id lower-cased (``RES-AKS-001``
-> ``aks.py``). Every module of the package is imported here, so a new area module registers
its checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

from readiness_kit.checks.resilience._shared import PG_FLEX, STORAGE, sku_name
from readiness_kit.checks.resilience.aks import AKS
from readiness_kit.checks.resilience.redis import REDIS_TYPES
from readiness_kit.checks.resilience.rpo import cron_max_interval_minutes, rpo_estimates
from readiness_kit.checks.resilience.stg import ZONE_REDUNDANT_SKUS

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = [
    "AKS", "PG_FLEX", "REDIS_TYPES", "STORAGE", "ZONE_REDUNDANT_SKUS",
    "cron_max_interval_minutes", "rpo_estimates", "sku_name",
]
