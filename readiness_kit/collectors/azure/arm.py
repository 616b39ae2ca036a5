"""ARM reads that Resource Graph lacks, for the resources in scope (GET only).

- diagnostic settings of the data services, AKS, Key Vault, storage, Recovery Services,
  gateways, and of each subscription (the activity log);
- PostgreSQL flexible server ``configurations`` (server parameters such as
  ``require_secure_transport`` and ``log_*``), paged with ``nextLink``;
- storage ``blobServices/default`` (blob and container soft delete, versioning).

Requests go through an ``ARMPipelineClient`` with azure-core's policies: bearer token,
the collection's retry (429 ``Retry-After``, 5xx), ARM read-throttling
(``x-ms-ratelimit-remaining-subscription-reads``) and read-only guard; a few run at once.
A 403 or 404 on one resource becomes a gap for that resource; the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError
from azure.core.pipeline.policies import (
    ContentDecodePolicy,
    CustomHookPolicy,
    DistributedTracingPolicy,
    HeadersPolicy,
    NetworkTraceLoggingPolicy,
    ProxyPolicy,
    RedirectPolicy,
    RequestIdPolicy,
    UserAgentPolicy,
)
from azure.core.rest import HttpRequest
from azure.mgmt.core import ARMPipelineClient
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy, ARMHttpLoggingPolicy

from readiness_kit import __version__
from readiness_kit.collectors.azure.credentials import arm_base, token_scope
from readiness_kit.collectors.azure.export import (
    add_detail_response,
    detail_gap,
    detail_kind,
    detail_target,
)
from readiness_kit.collectors.azure.gathered import Gathered
from readiness_kit.collectors.azure.pipeline import (
    CollectionRetryPolicy,
    CollectionSettings,
    ReadOnlyPolicy,
    ThrottlePolicy,
)

DIAGNOSTICS_API = "2021-05-01-preview"
POSTGRES_API = "2024-08-01"
STORAGE_API = "2023-05-01"

#: Resource types whose diagnostic settings are read.
DIAGNOSTIC_TYPES = frozenset({
    "microsoft.containerservice/managedclusters",
    "microsoft.dbforpostgresql/flexibleservers",
    "microsoft.cache/redis",
    "microsoft.cache/redisenterprise",
    "microsoft.storage/storageaccounts",
    "microsoft.keyvault/vaults",
    "microsoft.recoveryservices/vaults",
    "microsoft.dataprotection/backupvaults",
    "microsoft.network/applicationgateways",
    "microsoft.network/frontdoors",
    "microsoft.cdn/profiles",
})
POSTGRES = "microsoft.dbforpostgresql/flexibleservers"
STORAGE = "microsoft.storage/storageaccounts"
#: Pages followed per list (a nextLink loop never runs away).
MAX_PAGES = 50

Progress = Callable[[str], None]


def detail_requests(resources: Iterable[dict], subscriptions: Iterable[str]) -> list[str]:
    """The GET paths to read for ``resources`` (records with ``id`` and ``type``)."""
    paths = [f"/subscriptions/{s}/providers/Microsoft.Insights/diagnosticSettings"
             f"?api-version={DIAGNOSTICS_API}" for s in sorted(set(subscriptions))]
    for r in resources:
        rid, rtype = r["id"], r["type"]
        if rtype in DIAGNOSTIC_TYPES:
            paths.append(f"{rid}/providers/Microsoft.Insights/diagnosticSettings"
                         f"?api-version={DIAGNOSTICS_API}")
        if rtype == POSTGRES:
            paths.append(f"{rid}/configurations?api-version={POSTGRES_API}")
        if rtype == STORAGE:
            paths.append(f"{rid}/blobServices/default?api-version={STORAGE_API}")
    return paths


def make_client(credential: TokenCredential, resource_manager_url: str,
                settings: CollectionSettings, throttle: ThrottlePolicy) -> ARMPipelineClient:
    base = arm_base(resource_manager_url)
    policies = [
        RequestIdPolicy(), HeadersPolicy(),
        UserAgentPolicy(sdk_moniker=f"readiness-kit/{__version__}"), ProxyPolicy(),
        ContentDecodePolicy(), RedirectPolicy.no_redirects(), CollectionRetryPolicy(settings),
        ARMChallengeAuthenticationPolicy(credential, token_scope(resource_manager_url)),
        CustomHookPolicy(), throttle, ReadOnlyPolicy(base), NetworkTraceLoggingPolicy(),
        DistributedTracingPolicy(), ARMHttpLoggingPolicy(),
    ]
    return ARMPipelineClient(base_url=base, policies=policies, **settings.transport_kwargs())


def _read_one(client: ARMPipelineClient, path: str, settings: CollectionSettings) -> Gathered:
    got = Gathered()
    url = client.format_url(path)
    origin = urlsplit(url)[:2]
    for page_no in range(1, MAX_PAGES + 1):
        body = None
        try:
            for attempt in range(2):  # a 401 clears the cached token; ask once more
                response = client.send_request(HttpRequest("GET", url))
                if response.status_code != 401 or attempt:
                    break
            status = response.status_code
            try:
                body = response.json()
            except ValueError:
                if status < 400:
                    detail_gap(got, detail_target(path), detail_kind(path),
                               f"malformed response (page {page_no}: not JSON)")
                    return got
        except AzureError as exc:
            detail_gap(got, detail_target(path), detail_kind(path),
                       f"{type(exc).__name__}: {getattr(exc, 'message', exc)}")
            return got
        add_detail_response(got, path, status, body, f"GET {path.split('?')[0]}")
        next_link = body.get("nextLink") if isinstance(body, dict) and status < 400 else None
        if not next_link:
            return got
        if urlsplit(next_link)[:2] != origin:
            detail_gap(got, detail_target(path), detail_kind(path),
                       f"nextLink points at another host ({urlsplit(next_link).netloc}); "
                       "not followed")
            return got
        url = next_link
    detail_gap(got, detail_target(path), detail_kind(path),
               f"more than {MAX_PAGES} pages; the rest not read")
    return got


def read_details(credential: TokenCredential, resource_manager_url: str, resources: list[dict],
                 subscriptions: Iterable[str], settings: CollectionSettings,
                 throttle: ThrottlePolicy, progress: Progress) -> Gathered:
    """Every detail GET for ``resources``, a few at a time, into one ``Gathered``."""
    paths = detail_requests(resources, subscriptions)
    out = Gathered()
    if not paths:
        return out
    with make_client(credential, resource_manager_url, settings, throttle) as client, \
            ThreadPoolExecutor(max_workers=max(1, settings.concurrency),
                               thread_name_prefix="arm") as pool:
        for got in pool.map(lambda p: _read_one(client, p, settings), paths):
            out.extend(got)
    kinds = sorted({detail_kind(p) for p in paths})
    out.detail_queries.append(
        f"GET {{resourceId}}/providers/Microsoft.Insights/diagnosticSettings"
        f"?api-version={DIAGNOSTICS_API} (resources of types {', '.join(sorted(DIAGNOSTIC_TYPES))}"
        f" and each subscription); GET {{flexibleServerId}}/configurations?api-version="
        f"{POSTGRES_API}; GET {{storageAccountId}}/blobServices/default?api-version="
        f"{STORAGE_API}")
    progress(f"azure: ARM details ({', '.join(kinds)}): {len(paths)} reads, "
             f"{len(out.details)} rows, {len(out.gaps)} gaps")
    return out
