"""Security checks SEC-ST-*: storage transport."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.security._shared import STORAGE
from readiness_kit.frames import dig, falsy, resources, text


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
    https = ~falsy(dig(st["props"], "supportsHttpsTrafficOnly", True))
    ok = tls.str.upper().isin({"TLS1_2", "TLS1_3"}) & https
    detail = ("minimum TLS " + tls + pd.Series(" (not set; Azure interprets as TLS1_0)",
                                               index=st.index).where(raw.isna(), "")
              + ", HTTPS only " + https.map({True: "on", False: "off"}))
    return outcome(st["id"], ok, detail)
