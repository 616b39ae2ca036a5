"""Efficient resilience, the review's cost view: where capacity could be trimmed or
spent differently, each set beside the resilience it would or would not weaken.

``right_sizing(review, assessments)`` returns one row per signal: ``area, subject, signal,
saving, resilience, suggested, why``. A saving is ``suggested`` only when no launch
scenario needs what it removes:

- **Node pools far above requests**: a pool whose capacity keeps more than
  ``OVERSIZED_HEADROOM_PCT`` headroom at peak could shrink to what the peak needs plus the
  capacity model's tight margin (20 %), never below one node per required availability
  zone. Withheld while the peak scenario has a capacity figure that misses its target
  (fixing it needs this capacity) or the zone spread check fails.
- **Oversized database tier next to missing HA**: a PostgreSQL server of
  ``LARGE_PG_VCORES`` or more vCores without zone-redundant HA: a smaller primary plus a
  standby costs about the same and survives a zone outage. Shown as a reallocation, never a
  saving; resizing needs CPU evidence the review does not hold, which it says.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from readiness_kit.capacity import TIGHT_PCT
from readiness_kit.frames import dig, resources, text
from readiness_kit.review import Review
from readiness_kit.scenarios import Assessment

COLUMNS = ["area", "subject", "signal", "saving", "resilience", "suggested", "why"]
OVERSIZED_HEADROOM_PCT = 50.0
LARGE_PG_VCORES = 8
#: Capacity figures that more nodes serve: their breach withholds a node pool saving.
NEEDS_NODES = ("Pods at peak", "Odoo worker processes", "Node pool vCPU", "Node pool memory")
_VCORES = re.compile(r"^Standard_[A-Z]+(\d+)", re.IGNORECASE)


def _node_pools(review: Review, peak: Assessment | None) -> list[dict]:
    from readiness_kit.capacity import capacity_model
    from readiness_kit.scenarios.peak import SCENARIO as PEAK

    model = capacity_model(review.ev, review.params)
    pools = model[model["resource"].isin(["Node pool vCPU", "Node pool memory"])]
    breaches = [f.name for f in (peak.figures if peak else [])
                if f.status == "breach" and f.name.split(": ", 1)[-1] in NEEDS_NODES]
    zones = review.params.targets.min_availability_zones
    zone_check = review.findings[review.findings["check_id"] == "RES-AKS-001"]
    zones_fail = bool((zone_check["status"] == "fail").any())
    rows = []
    for row in pools.itertuples():
        if pd.isna(row.headroom_pct) or row.headroom_pct <= OVERSIZED_HEADROOM_PCT:
            continue
        keep = row.peak_demand / (1 - TIGHT_PCT / 100)
        saving = (1 - keep / row.capacity) * 100
        signal = (f"{row.resource}: the peak needs {row.peak_demand:g} {row.unit} of "
                  f"{row.capacity:g} ({row.headroom_pct:g} % headroom at peak)")
        resilience = (f"keeps {TIGHT_PCT:g} % headroom at peak ({PEAK.title}) and at least "
                      f"{zones} nodes across zones (RES-AKS-001)")
        if breaches:
            suggested, why = False, (f"withheld: the {PEAK.title.lower()} scenario misses "
                                     f"its target on {breaches[0].split(': ', 1)[-1]}; "
                                     "fixing that needs this capacity")
        elif zones_fail:
            suggested, why = False, "withheld: node pools do not yet span the required zones"
        else:
            suggested, why = True, "no scenario needs the capacity above this"
        rows.append({"area": "AKS node pools", "subject": row.subject, "signal": signal,
                     "saving": f"about {math.floor(saving):d} % of the pool's "
                               f"{row.unit} (cap maxCount lower)",
                     "resilience": resilience, "suggested": suggested, "why": why})
    return rows


def _pg_tier(review: Review) -> list[dict]:
    pg = resources(review.ev, "microsoft.dbforpostgresql/flexibleservers")
    if pg is None or pg.empty:
        return []
    sku = dig(pg["sku_obj"], "name", "").astype(str)
    vcores = sku.str.extract(_VCORES)[0].astype(float)
    ha = text(dig(pg["props"], "highAvailability.mode", "Disabled")).str.lower()
    rows = []
    for name, size, cores, mode, rid in zip(pg["name"], sku, vcores, ha, pg["id"],
                                            strict=True):
        if pd.isna(cores) or cores < LARGE_PG_VCORES or mode == "zoneredundant":
            continue
        rows.append({
            "area": "PostgreSQL", "subject": rid,
            "signal": f"{name} runs {size} ({cores:g} vCores) without zone-redundant HA",
            "saving": "none: spend it differently (a primary half the size plus a "
                      "zone-redundant standby costs about the same)",
            "resilience": "adds the standby the regional disruption scenario needs "
                          "(RES-PG-001); the peak scenario's connection and CPU figures must "
                          "still fit the smaller primary",
            "suggested": False,
            "why": "needs CPU utilisation evidence (not collected) before resizing; never "
                   "a saving while HA is missing"})
    return rows


def right_sizing(review: Review, assessments: list[Assessment] | None = None) -> pd.DataFrame:
    """Right-sizing signals with the resilience beside each (rules in the module docstring)."""
    if assessments is None:  # only the peak scenario decides a saving
        from readiness_kit.scenarios.engine import Inputs
        from readiness_kit.scenarios.peak import SCENARIO as PEAK

        assessments = [PEAK.assess(Inputs(review))]
    peak = next((a for a in assessments if a.scenario.id == "peak-trading"), None)
    rows = _node_pools(review, peak) + _pg_tier(review)
    return pd.DataFrame(rows, columns=COLUMNS)
