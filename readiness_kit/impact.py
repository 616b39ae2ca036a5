"""Business impact: which business capabilities a check endangers, and how risks rank.

Every check carries the capabilities a failure endangers. They come from ONE mapping here,
keyed by the check id's area (its middle part: ``RES-PG-001`` -> ``PG``), optionally
narrowed by domain prefix (``SEC-PG`` wins over ``PG``), with per-check overrides where the
area default is wrong, so checks need no edit to carry them (``@check(capabilities=...)``
still wins over all of this).

Launch risk (see README, "How risks are ranked")::

    launch_risk = severity_weight x impact x likelihood

- ``severity_weight``: the scoring weight (critical 10, high 5, medium 3, low 1, info 0).
- ``impact``: the highest weight among the check's capabilities (``CAPABILITIES``: order
  capture and checkout 5 ... reporting 2).
- ``likelihood``: the highest likelihood among the launch scenarios that rest on the check
  (``readiness_kit.scenarios``: the peak event 1.0 ... a regional disruption 0.4), and at
  least ``UNSCENARIO_LIKELIHOOD`` (0.3: a failure no scenario names still happens).
Ties go to the check failing on more subjects, then the check id.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Capability:
    id: str
    title: str
    weight: int  # 1-5: what losing it costs the business during a launch
    description: str


CAPABILITIES: dict[str, Capability] = {c.id: c for c in (
    Capability("order_capture", "Order capture", 5,
               "taking and storing orders (web shop, sales, marketplaces)"),
    Capability("checkout", "Checkout", 5, "basket, payment and order confirmation"),
    Capability("customer_data", "Customer data protection", 5,
               "keeping customer, payment and order data confidential and intact"),
    Capability("stock_visibility", "Stock visibility", 4,
               "showing and reserving what is in stock across shops and warehouses"),
    Capability("fulfilment", "Fulfilment", 4, "picking, shipping and delivery documents"),
    Capability("financial_posting", "Financial posting", 4,
               "invoices, payments and journal entries reaching the books"),
    Capability("pos_sync", "Store POS sync", 4,
               "point-of-sale terminals syncing orders and stock with Odoo"),
    Capability("incident_response", "Incident detection and response", 3,
               "noticing, diagnosing and recovering from an incident"),
    Capability("reporting", "Reporting", 2, "management reporting and analytics"),
)}

_DATA = ("order_capture", "checkout", "stock_visibility", "fulfilment", "financial_posting",
         "pos_sync")
_WEB = ("order_capture", "checkout")
_RECOVERY = ("order_capture", "financial_posting", "fulfilment")
_OBSERVE = ("incident_response",)
_PROTECT = ("customer_data",)

#: Capabilities by check-id area (``PG``) or domain prefix + area (``SEC-PG``).
AREA_CAPABILITIES: dict[str, tuple[str, ...]] = {
    # data tier
    "PG": _DATA, "DB": _DATA, "SQL": _DATA, "PGB": _DATA, "DATA": _DATA, "BAK": _RECOVERY,
    "REDIS": ("checkout", "order_capture"), "QUEUE": ("fulfilment", "financial_posting"),
    "CRON": ("financial_posting", "fulfilment"), "JOB": ("financial_posting", "fulfilment"),
    "ODOO": (*_WEB, "financial_posting"),
    # platform and workloads
    "AKS": (*_WEB, "pos_sync"), "K8S": _WEB, "HPA": _WEB, "VM": _WEB, "NODE": _WEB,
    "ING": (*_WEB, "pos_sync"), "NET": _WEB, "DNS": _WEB, "LB": _WEB, "AGW": _WEB,
    "APPGW": _WEB, "AFD": _WEB, "FD": _WEB, "CDN": _WEB, "ISO": _WEB, "ENV": _WEB,
    "HOST": ("customer_data", *_WEB), "ST": ("fulfilment", "financial_posting"),
    "STG": ("fulfilment", "financial_posting"), "ACR": _WEB, "IMG": _WEB,
    # delivery
    "CD": _WEB, "CI": _WEB, "REL": (*_WEB, "pos_sync"), "GIT": _WEB,
    # recovery
    "DR": _RECOVERY, "DRL": _RECOVERY, "RPO": _RECOVERY, "RTO": _RECOVERY, "RSV": _RECOVERY,
    # observability and operations
    "ALR": _OBSERVE, "MON": _OBSERVE, "LOG": _OBSERVE, "INC": _OBSERVE, "PAT": _OBSERVE,
    "SLO": ("reporting", "incident_response"), "DIAG": _OBSERVE,
    # security and governance
    "DEF": _PROTECT, "EXP": _PROTECT, "IAM": _PROTECT, "KV": (*_PROTECT, "checkout"),
    "POL": _PROTECT, "NSG": _PROTECT, "WAF": (*_PROTECT, "checkout"), "TLS": _PROTECT,
    "ID": _PROTECT, "RBAC": _PROTECT, "SEC": _PROTECT, "GOV": _PROTECT, "TAG": _OBSERVE,
    # domain-specific narrowing of a shared area
    "SEC-PG": (*_PROTECT, "order_capture"), "SEC-REDIS": (*_PROTECT, "checkout"),
    "SEC-AKS": (*_PROTECT, "order_capture"), "SEC-K8S": (*_PROTECT, "order_capture"),
    "SEC-ODOO": (*_PROTECT, "order_capture"), "SEC-NET": _PROTECT, "SEC-ING": _PROTECT,
    "SEC-ST": _PROTECT, "SEC-LOG": (*_PROTECT, "incident_response"),
    "OPS-PG": (*_OBSERVE, "order_capture"), "OPS-REDIS": (*_OBSERVE, "checkout"),
    "OPS-ODOO": (*_OBSERVE, "order_capture"), "OPS-K8S": _OBSERVE,
    "OPS-PAT": (*_OBSERVE, "customer_data"),
    "RES-AKS": (*_WEB, "pos_sync"), "RES-K8S": _WEB, "RES-ODOO": _RECOVERY,
}

#: Where the area default is wrong for one check.
CHECK_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "ARC-ING-001": ("pos_sync", "checkout"),           # /websocket: POS and live updates
    "ARC-ING-002": ("checkout", "customer_data"),       # proxy mode: redirects after payment
    "ARC-ENV-001": ("order_capture", "customer_data"),  # test data on the production server
    "OPS-PG-001": ("incident_response", "reporting"),   # pg_stat_statements: diagnosis
    "RES-STG-001": ("fulfilment", "financial_posting", "order_capture"),
    "SCL-ODOO-003": (*_WEB, "reporting"),               # heavy reports OOM-kill the pod
    "SCL-ODOO-004": (*_WEB, "financial_posting"),       # cron: invoicing and postings
}


def capabilities_for(check_id: str) -> tuple[str, ...]:
    """The capabilities a check endangers by default: its override, else its domain + area
    entry, else its area entry (empty when none matches: the catalogue test names it)."""
    if check_id in CHECK_CAPABILITIES:
        return CHECK_CAPABILITIES[check_id]
    parts = check_id.split("-")
    if len(parts) >= 3:
        narrowed = f"{parts[0]}-{parts[1]}"
        if narrowed in AREA_CAPABILITIES:
            return AREA_CAPABILITIES[narrowed]
        return AREA_CAPABILITIES.get(parts[1], ())
    return ()


def capability_titles(ids: object) -> list[str]:
    """``"order_capture; checkout"`` (or a list) as board-readable titles."""
    return [CAPABILITIES[c].title if c in CAPABILITIES else c for c in split_ids(ids)]


def split_ids(ids: object) -> list[str]:
    if isinstance(ids, str):
        return [i for i in (p.strip() for p in ids.split(";")) if i]
    if isinstance(ids, (list, tuple)):
        return [str(i) for i in ids]
    return []


def impact_of(ids: object) -> int:
    """The highest weight among the capabilities (1 when none is known)."""
    return max((CAPABILITIES[c].weight for c in split_ids(ids) if c in CAPABILITIES),
               default=1)


#: The likelihood of a failing check no launch scenario rests on.
UNSCENARIO_LIKELIHOOD = 0.3


def likelihoods(check_ids: pd.Series) -> pd.DataFrame:
    """Per check id: ``likelihood`` (highest of the scenarios resting on it) and
    ``scenarios`` (their titles, most likely first)."""
    from readiness_kit.scenarios import SCENARIOS

    rows = []
    for check_id in check_ids.astype(str).unique():
        named = sorted((s for s in SCENARIOS if s.rests_on_check(check_id)),
                       key=lambda s: -s.likelihood)
        rows.append({"check_id": check_id,
                     "likelihood": max([UNSCENARIO_LIKELIHOOD, *(s.likelihood for s in named)]),
                     "scenarios": [s.title for s in named]})
    return pd.DataFrame(rows, columns=["check_id", "likelihood", "scenarios"])


def launch_risk(severity: pd.Series, capabilities: pd.Series,
                likelihood: pd.Series) -> pd.Series:
    """``severity_weight x impact x likelihood`` (element-wise)."""
    from readiness_kit.scoring import SEVERITY_WEIGHT

    weight = severity.map(SEVERITY_WEIGHT).fillna(0).astype(float)
    impact = capabilities.map(impact_of).astype(float)
    return weight * impact * likelihood.astype(float)
