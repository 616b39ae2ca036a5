"""Architecture checks ARC-DATA-*: data-tier placement."""

from __future__ import annotations

from readiness_kit.checks.architecture._shared import AKS, AKS_BASELINE, PG_FLEX, _nothing
from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.frames import canonical_location, resources

REDIS = "microsoft.cache/redis"


@check(
    id="ARC-DATA-001",
    domain="architecture",
    severity="medium",
    title="PostgreSQL and Redis run in the same region as the AKS cluster",
    rationale="Odoo makes many short database and cache round trips per request; a data "
    "service in another region adds tens of milliseconds to each and cross-region egress "
    "charges, and ties the shop's availability to two regions (AKS baseline: co-locate the "
    "workload's dependencies in its region).",
    remediation="Recreate or restore the server / cache in the AKS region (point-in-time "
    "restore or geo-restore for PostgreSQL, export/import for Redis) and repoint Odoo.",
    risk="Every page view waits on cross-region round trips, and an outage in either region "
    "stops the shop",
    applies_to="PostgreSQL servers and Redis caches",
    requires=["azure_resources"],
    references=[AKS_BASELINE,
                "https://learn.microsoft.com/azure/well-architected/service-guides/"
                "postgresql"],
)
def data_same_region(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    data = resources(ctx.ev, PG_FLEX, REDIS)
    regions = sorted(set(canonical_location(aks["location"].dropna())) - {""})
    if data.empty:
        return _nothing()
    if not regions:
        return not_assessed("No AKS cluster in the evidence to compare regions with.")
    # ARM names a region "East US" in some bodies and "eastus" in others: compare canonically
    ok = canonical_location(data["location"]).isin(regions)
    return outcome(data["id"], ok, "region " + data["location"].fillna("?") +
                   "; AKS in " + ", ".join(regions))
