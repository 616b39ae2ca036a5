"""DevOps checks: CI/CD, GitOps, approvals, rollback, image provenance, environment drift.

The pipeline checks read ``gitops_pipelines`` (one row per pipeline x target environment, as
the GitOps collector normalises GitHub Actions / Azure Pipelines definitions), the release
checks read ``gitops_releases`` (one row per environment overlay x component), GitOps
presence reads Flux / Argo CD objects from ``k8s_objects``.

``pipelines_summary`` and ``staging_vs_production`` are shared with
``readiness_kit.charts.devops``.

One module per area, named by the middle part of the check id lower-cased (``DEV-CD-001`` ->
``cd.py``). Every module of the package is imported here, so a new area module registers its
checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

from readiness_kit.checks.devops._shared import environment_kind, pipelines_summary
from readiness_kit.checks.devops.env import staging_vs_production

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = [
    "environment_kind", "pipelines_summary", "staging_vs_production",
]
