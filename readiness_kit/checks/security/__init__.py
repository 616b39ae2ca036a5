"""Security checks: identity, secrets, policy enforcement, logging, segmentation, exposure.

Every check reads real source shapes (ARM properties from Resource Graph, Kubernetes specs,
pg_settings / pg_roles, odoo.conf options) and never a secret value: Odoo secret options
arrive as ``'<redacted>'`` and are only tested for presence.

``data_service_exposure`` (shared with ``readiness_kit.charts.security``) is in ``exp``;
the helpers every domain uses (cells, containers, setting lookups, private endpoints, image
references) live in ``readiness_kit.frames``.

One module per area, named by the middle part of the check id lower-cased (``SEC-AKS-001``
-> ``aks.py``). Every module of the package is imported here, so a new area module registers
its checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

from readiness_kit.checks.security.exp import data_service_exposure

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

# ``def`` (SEC-DEF, Defender for Cloud) is a keyword: its module is only reachable by name.
_defender = importlib.import_module(f"{__name__}.def")
PRICING = _defender.PRICING
REQUIRED_DEFENDER_PLANS = _defender.REQUIRED_DEFENDER_PLANS

__all__ = [
    "PRICING", "REQUIRED_DEFENDER_PLANS", "data_service_exposure",
]
