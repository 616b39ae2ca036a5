"""Architecture checks: network topology, workload isolation, AKS design, ingress, data-tier
placement, hosting model and environment segregation.

One module per area, named by the middle part of the check id lower-cased (``ARC-AKS-001``
-> ``aks.py``). Every module of the package is imported here, so a new area module registers
its checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
