"""Scalability checks: horizontal scaling, database capacity and connections, Odoo sizing,
Redis memory and peak-event headroom.

Everything that depends on the peak factor or on connection / capacity maths reads
``readiness_kit.capacity`` so that the checks, the capacity table and its chart agree.

One module per area, named by the middle part of the check id lower-cased (``SCL-AKS-001``
-> ``aks.py``). Every module of the package is imported here, so a new area module registers
its checks without an edit; what several areas use is in ``_shared``.
"""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
