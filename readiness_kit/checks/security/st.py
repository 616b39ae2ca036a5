"""Security checks SEC-ST-*: storage transport."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import STORAGE
from readiness_kit.frames import dig, flag, resources, text, truthy


@check(
    id="SEC-ST-001",
    domain="security",
    severity="medium",
    title="Storage accounts require HTTPS with TLS 1.2 or later",
    rationale="Azure Storage interprets an unset minimumTlsVersion as TLS 1.0; Microsoft "
    "recommends TLS 1.2 minimum and HTTPS-only traffic for every account (the Odoo "
    "filestore holds invoices and customer attachments).",
    remediation="Set minimumTlsVersion: TLS1_2 and supportsHttpsTrafficOnly: true on the "
    "account (`az storage account update --min-tls-version TLS1_2 --https-only true`).",
    risk="Customer documents could be intercepted over outdated encryption",
    applies_to="storage accounts",
    requires=["azure_resources"],
    references=[
        "https://learn.microsoft.com/azure/storage/common/"
        "transport-layer-security-configure-minimum-version",
        "https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer",
    ],
)
def storage_min_tls(ctx: CheckContext):
    st = resources(ctx.ev, STORAGE)
    raw = dig(st["props"], "minimumTlsVersion", None)
    tls = text(raw, "TLS1_0")
    https, https_note = flag(st["props"], "supportsHttpsTrafficOnly", True,
                             "ARM's default true since API 2019-04-01")
    ok = tls.str.upper().isin({"TLS1_2", "TLS1_3"}) & https
    detail = ("minimum TLS " + tls + pd.Series(" (not set; Azure interprets as TLS1_0)",
                                               index=st.index).where(raw.isna(), "")
              + ", HTTPS only " + https.map({True: "on", False: "off"}) + https_note)
    return outcome(st["id"], ok, detail)


ST_SECURITY = ("https://learn.microsoft.com/security/benchmark/azure/baselines/"
               "storage-security-baseline")
#: Accounts created from this date have anonymous blob access disallowed when the property
#: is not set; older accounts allow it (anonymous read access guidance).
BLOB_PUBLIC_DEFAULT_OFF_SINCE = "2023-11-01"


@check(
    id="SEC-ST-002",
    domain="security",
    severity="high",
    title="Storage accounts disallow anonymous (public) blob access",
    rationale="With allowBlobPublicAccess on, anyone who sets a container to public exposes "
    "its blobs (invoices, customer attachments) to the whole Internet without a key; "
    "Microsoft recommends disallowing it at the account (anonymous read access guidance, "
    "Microsoft cloud security benchmark DP-8).",
    remediation="`az storage account update --allow-blob-public-access false` after "
    "checking no container is meant to be public (serve public assets through a CDN).",
    risk="Customer documents could be downloaded by anyone with the link",
    applies_to="storage accounts",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/storage/blobs/"
                "anonymous-read-access-prevent", ST_SECURITY],
)
def storage_no_public_blobs(ctx: CheckContext):
    st = resources(ctx.ev, STORAGE)
    raw = dig(st["props"], "allowBlobPublicAccess", None)
    created = pd.to_datetime(dig(st["props"], "creationTime", None), errors="coerce",
                             utc=True)
    new = created >= pd.Timestamp(BLOB_PUBLIC_DEFAULT_OFF_SINCE, tz="UTC")
    allowed = truthy(raw).where(raw.notna(), ~new)
    known = raw.notna() | created.notna()
    detail = ("anonymous blob access " + allowed.map({True: "allowed", False: "disallowed"})
              ).where(raw.notna(), ("allowBlobPublicAccess not set: account created "
                                    + created.dt.strftime("%Y-%m-%d").fillna("?")
                                    + ", so Azure's default for it applies ("
                                    + allowed.map({True: "allowed", False: "disallowed"})
                                    + f"; disallowed for accounts created since "
                                      f"{BLOB_PUBLIC_DEFAULT_OFF_SINCE})"))
    detail = detail.where(known, "allowBlobPublicAccess and creationTime not reported: the "
                          "effective default depends on the account's age")
    return outcome(st["id"], ~allowed & known, detail, known)


@check(
    id="SEC-ST-003",
    domain="security",
    severity="medium",
    title="Storage accounts refuse shared key (account key) authorization",
    rationale="An account key grants full control of every blob and never expires unless "
    "rotated; SAS tokens signed with it cannot be revoked individually. Requiring Entra "
    "authorization (allowSharedKeyAccess false) leaves only identity-based, audited access "
    "(Microsoft cloud security benchmark IM-1).",
    remediation="Move the Odoo filestore and backup jobs to a managed identity with Storage "
    "Blob Data roles, then `az storage account update --allow-shared-key-access false`.",
    risk="A leaked storage key would give full, unaudited access to every document",
    applies_to="storage accounts",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/storage/common/"
                "shared-key-authorization-prevent", ST_SECURITY],
)
def storage_no_shared_key(ctx: CheckContext):
    st = resources(ctx.ev, STORAGE)
    allowed, note = flag(st["props"], "allowSharedKeyAccess", True,
                         "null is equivalent to true (ARM)")
    detail = "shared key access " + allowed.map({True: "allowed", False: "disallowed"}) + note
    return outcome(st["id"], ~allowed, detail)
