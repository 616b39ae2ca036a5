"""Architecture checks ARC-HOST-*: hosting model."""

from __future__ import annotations

import re

from readiness_kit.capacity import odoo_option, odoo_options
from readiness_kit.checks.architecture._shared import ODOO_DEPLOY, _app_databases
from readiness_kit.checks.registry import CheckContext, check, outcome


@check(
    id="ARC-HOST-001",
    domain="architecture",
    severity="high",
    title="Odoo's dbfilter matches the hosting model (dedicated or multi-tenant)",
    rationale="Odoo decides which database a request reaches with dbfilter. In dedicated "
    "hosting it must select exactly the tenant's database; in multi-tenant hosting it must "
    "route by hostname (%h) or subdomain (%d) so each tenant only ever reaches its own "
    "database (Odoo deployment guide, dbfilter).",
    remediation="Dedicated: set dbfilter = ^<production database>$. Multi-tenant: set "
    "dbfilter = ^%d$ (or ^%h$) with one database per tenant hostname, and keep list_db = "
    "False.",
    risk="Shoppers or staff can land on the wrong database: another tenant's or a test copy",
    applies_to="Odoo configurations",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#dbfilter",
                "https://learn.microsoft.com/azure/architecture/guide/multitenant/"
                "considerations/tenancy-models"],
)
def hosting_model_dbfilter(ctx: CheckContext):
    model = ctx.params.hosting_model
    dbfilter = str(odoo_option(odoo_options(ctx.ev), "dbfilter", "") or "")
    by_host = "%d" in dbfilter or "%h" in dbfilter
    subject = "odoo:dbfilter"
    if model == "multi-tenant":
        return outcome([subject], [by_host], [
            f"multi-tenant hosting; dbfilter {dbfilter!r} " +
            ("routes each hostname to its own database" if by_host else
             "is not host-based: every tenant hostname reaches the same database(s)")])
    if not dbfilter:
        return outcome([subject], [False], [
            "dedicated hosting but dbfilter is empty: Odoo serves every database on the "
            "server"])
    if by_host:
        return outcome([subject], [True], [
            f"dedicated hosting; host-based dbfilter {dbfilter!r} limits each hostname to "
            "its database"])
    try:
        re.compile(dbfilter)
    except re.error as exc:
        return outcome([subject], [False], [f"dbfilter {dbfilter!r} is not a valid regular "
                                            f"expression ({exc})"])
    dbs = _app_databases(ctx)
    if dbs is None:
        anchored = dbfilter.startswith("^") and dbfilter.endswith("$")
        return outcome([subject], [anchored], [
            f"dedicated hosting; dbfilter {dbfilter!r} is "
            f"{'anchored' if anchored else 'not anchored'} (pg_databases not collected, so "
            "not matched against the server's databases)"])
    matched = dbs.loc[dbs["datname"].str.match(dbfilter), "datname"].drop_duplicates()
    names = ", ".join(matched) or "none"
    return outcome([subject], [len(matched) == 1], [
        f"dedicated hosting; dbfilter {dbfilter!r} selects {len(matched)} of "
        f"{dbs['datname'].nunique()} application databases ({names})"])
