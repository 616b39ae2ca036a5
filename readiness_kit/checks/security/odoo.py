"""Security checks SEC-ODOO-*: Odoo configuration."""

from __future__ import annotations

from readiness_kit.checks.anchors import ODOO_CONFIG, ODOO_DEPLOY
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.collectors.odoo import MIN_MASTER_PASSWORD
from readiness_kit.frames import falsy, odoo_setting, text, truthy


@check(
    id="SEC-ODOO-001",
    domain="security",
    severity="critical",
    title="Odoo master password (admin_passwd) is set, not the default and not short",
    rationale="The master password protects Odoo's database manager (create, duplicate, "
    "back up, restore and drop databases). Odoo's deployment guide requires a strong, "
    "randomly generated admin_passwd; without it, anyone reaching /web/database can set one, "
    "and Odoo's default `admin` or a short value is guessed in minutes. The collector judges "
    f"the value and stores only the judgement (at least {MIN_MASTER_PASSWORD} characters).",
    remediation="Set admin_passwd in odoo.conf from a Key Vault secret (a long random value, "
    "or the $pbkdf2-sha512$ hash Odoo writes when the password is changed from the database "
    "manager), and keep the database manager disabled with list_db = False.",
    risk="Anyone on the Internet could download or drop the production database",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#database-manager-security"],
)
def odoo_admin_passwd_set(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "admin_passwd")
    judged = text(opt["value"]).str.strip()
    kind = judged.map(_master_kind)
    ok = kind.isin(["hashed", "plain", "set"])
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = kind.map({
        "set": "admin_passwd is set (value not read)",
        "hashed": "admin_passwd is set as a hash (value not read)",
        "plain": "admin_passwd is set (plain text, long enough; value not read)",
        "short": f"admin_passwd is shorter than {MIN_MASTER_PASSWORD} characters",
        "default": "admin_passwd is Odoo's default `admin`",
        "missing": "admin_passwd is not set: the database manager accepts any new master "
                   "password",
    }) + where
    return outcome(opt["subject"], ok, detail)


def _master_kind(judged: str) -> str:
    """The collector's judgement of admin_passwd (``<redacted:...>``) as a word."""
    if not judged:
        return "missing"
    if judged in ("<redacted:pbkdf2>", "<redacted:hash>"):
        return "hashed"
    if judged == "<redacted:default>":
        return "default"
    if judged.startswith("<redacted:plain,len<"):
        return "short"
    if judged == "<redacted:plain>":
        return "plain"
    return "set"  # presence only (an older bundle): strength not judged


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


@check(
    id="SEC-ODOO-003",
    domain="security",
    severity="medium",
    title="Odoo's master password is stored as a hash, not in clear text",
    rationale="odoo.conf is copied into ConfigMaps, images and backups; a clear-text "
    "admin_passwd there is readable by everyone who can read those. Odoo hashes the master "
    "password (passlib $pbkdf2-sha512$) when it is set from the database manager and accepts "
    "the hash in odoo.conf (deployment guide, database manager security).",
    remediation="Set the password once through the database manager (or hash it with "
    "passlib's pbkdf2_sha512) and put the $pbkdf2-sha512$... value in odoo.conf, from Key "
    "Vault.",
    risk="Whoever reads a configuration copy holds the key to every database",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#database-manager-security",
                "https://passlib.readthedocs.io/en/stable/lib/passlib.hash.pbkdf2_digest.html"],
)
def odoo_admin_passwd_hashed(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "admin_passwd")
    kind = text(opt["value"]).str.strip().map(_master_kind)
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = kind.map({
        "hashed": "admin_passwd is a hash",
        "plain": "admin_passwd is clear text", "short": "admin_passwd is clear text",
        "default": "admin_passwd is the clear-text default `admin`",
        "missing": "admin_passwd is not set (SEC-ODOO-001)",
        "set": "admin_passwd present; this evidence does not say whether it is a hash",
    }) + where
    return outcome(opt["subject"], kind.eq("hashed"), detail,
                   assessed=~kind.isin(["missing", "set"]))


@check(
    id="SEC-ODOO-004",
    domain="security",
    severity="low",
    title="Odoo never loads demonstration data (without_demo)",
    rationale="Demo data brings known users, products and records into a production "
    "database, and cannot be removed cleanly once loaded. The Odoo deployment and CLI "
    "documentation: set without_demo = all (or True) on production servers so that no "
    "module installed later loads its demo data.",
    remediation="Set without_demo = all in every odoo.conf of the production deployments.",
    risk="Fake customers, orders and known logins appear in the production shop",
    applies_to="odoo.conf files",
    requires=["odoo_config"],
    references=[ODOO_CONFIG, ODOO_DEPLOY],
)
def odoo_without_demo(ctx: CheckContext):
    opt = odoo_setting(ctx.ev, "without_demo")
    value = text(opt["value"]).str.strip()
    ok = value.str.lower().eq("all") | truthy(opt["value"]) | (
        value.ne("") & ~falsy(opt["value"]) & value.str.lower().ne("none"))
    where = (" in " + opt["source"]) if len(opt) > 1 else ""
    detail = ("without_demo = " + value).where(value.ne(""), "without_demo not set (demo "
                                                "data loads with new modules)") + where
    return outcome(opt["subject"], ok, detail)
