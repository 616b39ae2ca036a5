"""Security checks SEC-PG-*: PostgreSQL."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import PG_DOCS, PG_GATHER
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import (
    PG_PARAMETER_TABLES,
    dig,
    fmt,
    join_sorted,
    odoo_setting,
    pg_server_rows,
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


# --- live server evidence (pg_roles, pg_ssl, pg_settings, pg_server) ----------------------

#: Roles that Azure and PostgreSQL create and manage themselves.
SYSTEM_ROLES = {"postgres", "azuresu", "azure_pg_admin", "replication", "azure_superuser"}


@check(
    id="SEC-PG-101",
    domain="security",
    severity="low",
    title="Login roles with a password have an expiry date",
    rationale="A role without VALID UNTIL keeps a leaked password valid forever. CIS "
    "PostgreSQL Benchmark guidance and pg_gather's role review list login roles without "
    "expiry; rotating application passwords (or using Entra ID tokens, which expire) limits "
    "what a leak is worth. The platform's own roles are not judged.",
    remediation="ALTER ROLE <role> VALID UNTIL '<date>' and rotate it through Key Vault, or "
    "move the application to Microsoft Entra authentication.",
    risk="A password leaked once stays usable against the order database indefinitely",
    applies_to="PostgreSQL login roles",
    requires=["pg_roles"],
    references=[PG_DOCS + "sql-createrole.html", PG_GATHER,
                "https://www.cisecurity.org/benchmark/postgresql"],
)
def pg_login_role_expiry(ctx: CheckContext):
    roles = ctx.ev.table("pg_roles")
    login = roles[truthy(roles["can_login"]) & ~text(roles["rolname"]).isin(SYSTEM_ROLES)]
    until = text(login["valid_until"]).str.strip()
    never = until.eq("") | until.str.lower().eq("infinity")
    detail = ("role " + text(login["rolname"]) + " can log in, valid until " + until).where(
        ~never, "role " + text(login["rolname"]) + " can log in with no password expiry")
    return outcome("postgres:" + text(login["server"]) + "/role:" + text(login["rolname"]),
                   ~never, detail)


@check(
    id="SEC-PG-102",
    domain="security",
    severity="high",
    title="Every client connection uses TLS",
    rationale="Server settings say what is allowed; pg_stat_ssl shows what clients actually "
    "do. A connection without TLS sends the password exchange and every order in clear text "
    "across the network. Fails for each database/role/application seen connected without "
    "TLS.",
    remediation="Require TLS on the server (hostssl in pg_hba.conf; require_secure_transport "
    "= on on Azure) and set sslmode=verify-full in the clients (Odoo: db_sslmode).",
    risk="Passwords and customer data cross the network unencrypted",
    applies_to="PostgreSQL client connections",
    requires=["pg_ssl"],
    references=[PG_DOCS + "monitoring-stats.html#MONITORING-PG-STAT-SSL-VIEW",
                PG_DOCS + "ssl-tcp.html"],
)
def pg_clients_use_tls(ctx: CheckContext):
    ssl = ctx.ev.table("pg_ssl")
    if ssl.empty:
        return outcome([], [], [])
    key = ["server", "datname", "usename", "application_name"]
    per = ssl.assign(plain=np.where(ssl["ssl"].fillna(False).astype(bool), 0,
                                    ssl["connections"]),
                     versions=text(ssl["version"])).fillna({"datname": "-", "usename": "-"})
    per["application_name"] = text(per["application_name"]).replace("", "(no name)")
    g = per.groupby(key, dropna=False).agg(plain=("plain", "sum"), n=("connections", "sum"),
                                          versions=("versions", join_sorted)).reset_index()
    detail = (g["n"].map(fmt) + " connection(s), " + g["plain"].map(fmt) + " without TLS" +
              np.where(g["versions"].ne(""), "; TLS in use: " + g["versions"], ""))
    subject = ("postgres:" + text(g["server"]) + "/db:" + text(g["datname"]) + "/role:" +
               text(g["usename"]) + "/app:" + g["application_name"])
    return outcome(subject, g["plain"].eq(0), detail)


@check(
    id="SEC-PG-103",
    domain="security",
    severity="medium",
    title="PostgreSQL logs connections and disconnections",
    rationale="Who connected, from where and for how long is the first question after a "
    "credential leak; the Azure security baseline for PostgreSQL and the PostgreSQL logging "
    "documentation call for log_connections and log_disconnections.",
    remediation="Set log_connections = on and log_disconnections = on (server parameters on "
    "Azure) and send the server logs to Log Analytics.",
    risk="A break-in through a leaked database password leaves no trace of who connected",
    applies_to="PostgreSQL servers",
    requires_any=PG_PARAMETER_TABLES,
    references=[PG_DOCS + "runtime-config-logging.html",
                "https://learn.microsoft.com/security/benchmark/azure/baselines/"
                "azure-database-for-postgresql-flexible-server-security-baseline"],
)
def pg_connection_logging(ctx: CheckContext):
    conn = pg_setting(ctx.ev, "log_connections")
    disc = pg_setting(ctx.ev, "log_disconnections")
    servers = pd.concat([conn["server"], disc["server"]]).drop_duplicates()
    c = servers.map(conn.set_index("server")["value"])
    d = servers.map(disc.set_index("server")["value"])
    detail = "log_connections = " + text(c, "?") + ", log_disconnections = " + text(d, "?")
    return outcome("postgres:" + servers + "/log_connections", truthy(c) & truthy(d), detail,
                   assessed=c.notna() & d.notna())


@check(
    id="SEC-PG-104",
    domain="security",
    severity="medium",
    title="The review connects with a monitoring role, not a superuser",
    rationale="The readiness review itself is a client: the role it was given shows how "
    "access is granted on this platform. pg_monitor (with pg_read_all_data for Odoo's "
    "tables) is all it needs; a superuser for a read-only tool means superuser credentials "
    "are being handed out.",
    remediation="CREATE ROLE readiness LOGIN IN ROLE pg_monitor, pg_read_all_data; give the "
    "review that role (README, add a tenant) and keep superuser credentials with the DBAs.",
    risk="Superuser credentials circulate beyond the database administrators",
    applies_to="PostgreSQL servers",
    requires=["pg_server"],
    references=[PG_DOCS + "predefined-roles.html"],
)
def pg_review_role_least_privilege(ctx: CheckContext):
    srv = pg_server_rows(ctx.ev)
    privs = text(srv["privileges"])
    superuser = privs.str.split(",").map(lambda p: "superuser" in p)
    detail = ("connected as " + text(srv["connected_as"]) + " holding " +
              privs.replace("", "no monitoring role"))
    return outcome(srv["subject"] + "/review_role", ~superuser, detail)
