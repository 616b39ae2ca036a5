"""Security checks SEC-REDIS-*: Redis."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.checks.anchors import REDIS_SECURITY
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import REDIS
from readiness_kit.frames import (
    dig,
    flag,
    resources,
    setting_values,
    text,
)


@check(
    id="SEC-REDIS-001",
    domain="security",
    severity="medium",
    title="Azure Cache for Redis accepts TLS 1.2+ connections only",
    rationale="The non-TLS port 6379 sends the access key and session data in clear text; "
    "Azure disables it by default and requires TLS 1.2 as the minimum version since TLS "
    "1.0/1.1 retirement.",
    remediation="Set enableNonSslPort: false and minimumTlsVersion: '1.2', and connect Odoo "
    "/ session stores with rediss:// on port 6380.",
    risk="Session data and the cache access key can be read off the network",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-configure#access-ports",
        "https://learn.microsoft.com/azure/azure-cache-for-redis/cache-remove-tls-10-11",
    ],
)
def redis_tls_only(ctx: CheckContext):
    r = resources(ctx.ev, REDIS)
    non_ssl, port_note = flag(r["props"], "enableNonSslPort", False, "ARM's default false")
    tls_raw = dig(r["props"], "minimumTlsVersion", None)
    tls = text(tls_raw, "1.2")
    tls_ok = pd.to_numeric(tls, errors="coerce").ge(1.2)
    detail = ("non-TLS port " + non_ssl.map({True: "enabled", False: "disabled"}) + port_note
              + ", minimum TLS " + tls + pd.Series(" (not set; Azure default)",
                                                   index=r.index).where(tls_raw.isna(), ""))
    return outcome(r["id"], ~non_ssl & tls_ok, detail)


@check(
    id="SEC-REDIS-002",
    domain="security",
    severity="low",
    title="Redis access keys are disabled in favour of Microsoft Entra authentication",
    rationale="An access key is a shared, long-lived password that grants full control of "
    "the cache and is copied into every client's configuration; with Entra authentication "
    "clients use a managed identity and access can be scoped and revoked (Azure Cache for "
    "Redis Entra guidance, Microsoft cloud security benchmark IM-1).",
    remediation="Enable Microsoft Entra authentication, give the Odoo workload identity a "
    "data access policy, then set disableAccessKeyAuthentication: true.",
    risk="Anyone with a copied cache key can read and change every shopper's session",
    applies_to="Azure Cache for Redis instances",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/azure-cache-for-redis/"
                "cache-azure-active-directory-for-authentication",
                "https://learn.microsoft.com/security/benchmark/azure/baselines/"
                "azure-cache-for-redis-security-baseline"],
)
def redis_access_keys_disabled(ctx: CheckContext):
    r = resources(ctx.ev, REDIS)
    disabled, note = flag(r["props"], "disableAccessKeyAuthentication", False,
                          "ARM's default false assumed: keys accepted")
    detail = pd.Series("access keys disabled (Entra authentication only)", index=r.index,
                       dtype=object).where(disabled, "access keys accepted" + note)
    return outcome(r["id"], disabled, detail)


@check(
    id="SEC-REDIS-101",
    domain="security",
    severity="high",
    title="Redis refuses clients that do not authenticate",
    rationale="The review connects without a password unless one is supplied: when INFO "
    "still answers, anyone who can reach the port can read every session and flush the "
    "cache. The Redis security guide requires requirepass or ACL users; Azure Cache for "
    "Redis requires an access key or Entra ID unless access keys are disabled.",
    remediation="Set requirepass (or ACL users with `ACL SETUSER`, default user off) and give "
    "Odoo its password from Key Vault; restrict the port to the application subnet.",
    risk="Anyone on the network can read shoppers' sessions or wipe the cache",
    applies_to="Redis instances",
    requires=["redis_info"],
    references=[REDIS_SECURITY],
)
def redis_requires_auth(ctx: CheckContext):
    wide = setting_values(ctx.ev, "redis_info", "password_supplied")
    supplied = text(wide["password_supplied"])
    detail = pd.Series(
        np.where(supplied.eq("no"), "INFO answered without a password: the server accepts "
                 "unauthenticated clients", "the review authenticated with a password "
                 "(whether the server would refuse without one was not tried)"),
        index=wide.index, dtype=object)
    return outcome("redis:" + wide["instance"] + "/auth", supplied.eq("yes"), detail,
                   assessed=supplied.isin(["yes", "no"]))
