"""Resilience checks: HA across zones, failover, backups, RPO/RTO, restore drills, DR."""

from __future__ import annotations

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, resources

PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"


@check(
    id="RES-PG-001",
    domain="resilience",
    severity="critical",
    title="PostgreSQL Flexible Server runs zone-redundant high availability",
    rationale="Odoo keeps every order, stock move and invoice in PostgreSQL. Without a "
    "zone-redundant standby, a zone failure takes the database down until Azure restores it.",
    remediation="Enable high availability in ZoneRedundant mode (General Purpose or Memory "
    "Optimized tier) and place the standby in a different zone from the primary.",
    risk="PostgreSQL has no zone-redundant HA: a zone outage stops order capture",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
        "https://azure.github.io/Azure-Proactive-Resiliency-Library-v2/azure-resources/"
        "DBforPostgreSQL/flexibleServers/",
    ],
)
def pg_zone_redundant_ha(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    mode = dig(pg["props"], "highAvailability.mode", "Disabled")
    return outcome(pg["id"], mode.eq("ZoneRedundant"), "HA mode is " + mode.astype(str))
