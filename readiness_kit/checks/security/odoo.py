"""Security checks SEC-ODOO-*: Odoo configuration."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import falsy, odoo_setting, text


@check(
    id="SEC-ODOO-001",
    domain="security",
    severity="critical",
    title="Odoo master password (admin_passwd) is set",
    rationale="The master password protects Odoo's database manager (create, duplicate, "
    "back up, restore and drop databases). Odoo's deployment guide requires a strong, "
    "randomly generated admin_passwd; without it, anyone reaching /web/database can set one.",
    remediation="Set admin_passwd in odoo.conf from a Key Vault secret (a long random value), "
    "and keep the database manager disabled with list_db = False.",
    risk="Anyone on the Internet could download or drop the production database",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[
        "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
        "#database-manager-security",
    ],
)
def odoo_admin_passwd_set(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "admin_passwd")
    # Presence only: the (redacted) value is never read beyond "is it empty".
    present = text(opt["value"]).str.strip().ne("")
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = pd.Series("admin_passwd is set (value not read)", index=opt.index).where(
        present, "admin_passwd is not set: the database manager accepts any new master "
        "password") + where
    return outcome(opt["subject"], present, detail)


@check(
    id="SEC-ODOO-002",
    domain="security",
    severity="high",
    title="Odoo database manager is disabled (list_db = False)",
    rationale="Odoo's deployment guide recommends disabling the database manager in "
    "production: with list_db = False the /web/database pages and the database list are "
    "unavailable, removing a brute-force target and an information leak.",
    remediation="Set list_db = False in odoo.conf (and a dbfilter such as ^odoo_prod$); "
    "manage databases with pg tools instead.",
    risk="The database manager is exposed on the storefront: database names leak and the "
    "master password is one guess away from a full database download",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[
        "https://www.odoo.com/documentation/17.0/administration/on_premise/deploy.html"
        "#database-manager-security",
    ],
)
def odoo_list_db_disabled(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "list_db")
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = ("list_db = " + text(opt["value"])).where(
        opt["value"].notna(), "list_db not set (Odoo default: True)") + where
    return outcome(opt["subject"], falsy(opt["value"]), detail)
