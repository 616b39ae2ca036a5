"""Security checks SEC-PG-*: PostgreSQL."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    PG_PARAMETER_TABLES,
    dig,
    odoo_setting,
    pg_setting,
    reported,
    resources,
    text,
    truthy,
)


def _pg_servers(ev) -> pd.Series:
    pgs = ev.table("pg_settings")
    names = [] if pgs is None else list(text(pgs["server"]).unique())
    return pd.Series(sorted(names), dtype=object)


@check(
    id="SEC-PG-001",
    domain="security",
    severity="medium",
    title="PostgreSQL stores passwords as SCRAM-SHA-256",
    rationale="MD5 password hashes are weak and replayable by anyone who obtains them; "
    "PostgreSQL documentation recommends scram-sha-256, the default since PostgreSQL 14, "
    "and Azure Database for PostgreSQL supports it for every client Odoo uses (psycopg2).",
    remediation="Set the server parameter password_encryption = scram-sha-256, reset the "
    "application passwords so they are re-hashed, then require scram-sha-256 for all users.",
    risk="Stolen password hashes could let an attacker log in to the order database",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=[
        "https://www.postgresql.org/docs/16/auth-password.html",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-scram",
    ],
)
def pg_password_encryption(ctx: CheckContext):
    s = pg_setting(ctx.ev, "password_encryption")
    servers = pd.concat([_pg_servers(ctx.ev), s["server"]]).drop_duplicates()
    value = servers.map(s.set_index("server")["value"])
    detail = ("password_encryption = " + text(value)).where(
        value.notna(), "password_encryption not reported by the server")
    return outcome("postgres:" + servers + "/password_encryption",
                   text(value).str.lower().eq("scram-sha-256"), detail,
                   assessed=value.notna())


@check(
    id="SEC-PG-002",
    domain="security",
    severity="high",
    title="PostgreSQL requires TLS for every connection",
    rationale="Odoo sends customer data and credentials to PostgreSQL; Azure Database for "
    "PostgreSQL enforces encrypted connections with require_secure_transport = on (the "
    "default), and the server must have ssl on.",
    remediation="Set require_secure_transport = on and make clients connect with "
    "sslmode=require or stricter (Odoo: db_sslmode = verify-full).",
    risk="Customer data and database passwords could cross the network in clear text",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=[
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-tls-ssl",
        "https://www.postgresql.org/docs/16/ssl-tcp.html",
    ],
)
def pg_secure_transport(ctx: CheckContext):
    rst = pg_setting(ctx.ev, "require_secure_transport")
    ssl = pg_setting(ctx.ev, "ssl")
    servers = pd.concat([_pg_servers(ctx.ev), rst["server"], ssl["server"]]).drop_duplicates()
    req = servers.map(rst.set_index("server")["value"])
    ssl_v = servers.map(ssl.set_index("server")["value"])
    required = truthy(req) | req.isna()  # Azure default: on
    ssl_on = truthy(ssl_v) | ssl_v.isna()
    detail = ("require_secure_transport = " + text(req)).where(
        req.notna(), "require_secure_transport not reported (Azure default: on)") + (
        ", ssl = " + text(ssl_v)).where(ssl_v.notna(), "")
    return outcome("postgres:" + servers + "/require_secure_transport", required & ssl_on,
                   detail)


@check(
    id="SEC-PG-003",
    domain="security",
    severity="high",
    title="The Odoo database role has no superuser, CREATEDB or CREATEROLE rights",
    rationale="Least privilege: the application role should own its database and nothing "
    "more. With CREATEDB (or admin membership) a compromised Odoo process or an exposed "
    "database manager can create, copy and drop databases on the shared server; PostgreSQL "
    "documents these attributes as powerful privileges to grant sparingly.",
    remediation="`ALTER ROLE odoo NOSUPERUSER NOCREATEDB NOCREATEROLE;` remove it from "
    "azure_pg_admin, and create new tenant databases with an administrative role.",
    risk="A compromised storefront could create, copy or destroy databases on the "
    "production server",
    applies_to="Odoo application roles",
    requires=["pg_roles"],
    references=[
        "https://www.postgresql.org/docs/16/role-attributes.html",
        "https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-create-users",
    ],
)
def pg_app_role_least_privilege(ctx: CheckContext):
    roles = ctx.ev.table("pg_roles")
    db_user = odoo_setting(ctx.ev, "db_user")
    app_users = set() if db_user is None else set(text(db_user["value"].dropna()))
    name = text(roles["rolname"])
    # The role Odoo connects as (db_user); without odoo.conf, roles named like odoo.
    is_app = name.isin(app_users) if app_users else name.str.contains("odoo", case=False)
    app = roles[is_app]
    flags = pd.DataFrame({
        "superuser": truthy(app["superuser"]), "CREATEDB": truthy(app["createdb"]),
        "CREATEROLE": truthy(app["createrole"]),
        "azure_pg_admin member": text(app["member_of"]).str.contains("azure_pg_admin"),
    })
    granted = flags.apply(lambda col: col.map({True: col.name, False: ""})).agg(
        lambda r: ", ".join(v for v in r if v), axis=1) if not flags.empty else pd.Series(
        dtype=object)
    detail = ("role " + text(app["rolname"]) + " has " + text(granted)).where(
        granted.ne(""), "role " + text(app["rolname"]) + " has no superuser, CREATEDB or "
        "CREATEROLE attribute")
    return outcome("postgres:" + text(app["server"]) + "/role:" + text(app["rolname"]),
                   granted.eq(""), detail)


PG_FLEX = "microsoft.dbforpostgresql/flexibleservers"


@check(
    id="SEC-PG-004",
    domain="security",
    severity="medium",
    title="PostgreSQL accepts Microsoft Entra authentication",
    rationale="With Entra authentication people and automation sign in to the database with "
    "their corporate identity (MFA, conditional access, leaver process) and workloads with a "
    "managed identity, instead of sharing the administrator password (Microsoft cloud "
    "security benchmark IM-1, Well-Architected PostgreSQL guide).",
    remediation="Enable Microsoft Entra authentication (authConfig.activeDirectoryAuth "
    "Enabled), add an Entra administrator group, and move DBAs and pipelines to it; keep "
    "password authentication only for the Odoo application role if it needs it.",
    risk="Database access rests on shared passwords that survive staff changes",
    applies_to="PostgreSQL flexible servers",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/postgresql/flexible-server/"
                "concepts-azure-ad-authentication",
                "https://learn.microsoft.com/azure/well-architected/service-guides/"
                "postgresql"],
)
def pg_entra_authentication(ctx: CheckContext):
    pg = resources(ctx.ev, PG_FLEX)
    entra, note = reported(dig(pg["props"], "authConfig.activeDirectoryAuth", None),
                           "Disabled", "ARM's default Disabled assumed")
    password, pw_note = reported(dig(pg["props"], "authConfig.passwordAuth", None),
                                 "Enabled", "ARM's default Enabled assumed")
    on = text(entra).str.lower().eq("enabled")
    detail = ("Microsoft Entra authentication " + text(entra) + note
              + ", password authentication " + text(password) + pw_note)
    return outcome(pg["id"], on, detail)
