"""Live Resource Graph collection: raw rows, table by table, paged and throttle-aware.

Each table is queried raw — ``<table> | where type in~ (...) | order by id asc``: filters
at most, no computed columns or joins — so the evidence is what ARM returns and the
judgement stays in the checks (which is also why a live collection and an export of the
same rows give the same findings). Subscriptions go in batches of ``BATCH_SIZE``; each
(table, batch) pages with ``$skipToken`` at 1,000 rows, and the chains run on a few threads.

The request goes through ``ResourceGraphClient``'s own pipeline (bearer token for
``<resource_manager_url>/.default``, the collection's retry, throttle and read-only
policies). Its body is the SDK's ``QueryRequest``; the page is parsed once here instead
of through ``client.resources()``, whose generic ``object`` deserialisation of ``data``
costs six times the JSON parse on 1,000-row pages. A page that still fails after the
retries (429 past the retry budget, 5xx, a malformed body, a refused token) becomes a
collection gap naming the table, the subscription batch, the page and the error.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError
from azure.core.pipeline.policies import RedirectPolicy
from azure.core.rest import HttpRequest
from azure.mgmt.resourcegraph import ResourceGraphClient
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from readiness_kit.collectors.azure.credentials import arm_base, token_scope
from readiness_kit.collectors.azure.gathered import Gathered
from readiness_kit.collectors.azure.pipeline import (
    CollectionRetryPolicy,
    CollectionSettings,
    ReadOnlyPolicy,
    ThrottlePolicy,
)

API_VERSION = "2022-10-01"
QUERY_PATH = "/providers/Microsoft.ResourceGraph/resources"
PAGE_SIZE = 1000
#: Subscriptions per query request (what `az graph query` sends at most in one request).
BATCH_SIZE = 1000


@dataclass(frozen=True)
class ArgTable:
    name: str
    types: tuple[str, ...] = ()

    @property
    def query(self) -> str:
        where = ""
        if self.types:
            where = "\n| where type in~ (" + ", ".join(f"'{t}'" for t in self.types) + ")"
        return f"{self.name}{where}\n| order by id asc"


#: The tables a collection reads (``healthresources`` is left as a gap where the tenant has
#: none); type filters keep the tables that hold one row per resource × setting bounded.
ARG_TABLES: tuple[ArgTable, ...] = (
    ArgTable("resources"),
    ArgTable("resourcecontainers"),
    ArgTable("policyresources", ("microsoft.authorization/policyassignments",
                                 "microsoft.authorization/policyexemptions",
                                 "microsoft.policyinsights/policystates")),
    ArgTable("recoveryservicesresources"),
    ArgTable("advisorresources", ("microsoft.advisor/recommendations",)),
    ArgTable("authorizationresources", ("microsoft.authorization/roleassignments",
                                        "microsoft.authorization/roledefinitions")),
    ArgTable("healthresources", ("microsoft.resourcehealth/availabilitystatuses",)),
    ArgTable("securityresources", ("microsoft.security/pricings",)),
)

Progress = Callable[[str], None]


class PageError(Exception):
    """A page that cannot be read (after the pipeline's own retries)."""


def make_client(credential: TokenCredential, resource_manager_url: str,
                settings: CollectionSettings, throttle: ThrottlePolicy) -> ResourceGraphClient:
    return ResourceGraphClient(
        credential, base_url=arm_base(resource_manager_url),
        credential_scopes=[token_scope(resource_manager_url)],
        retry_policy=CollectionRetryPolicy(settings),
        redirect_policy=RedirectPolicy.no_redirects(),
        per_retry_policies=[throttle, ReadOnlyPolicy(arm_base(resource_manager_url))],
        **settings.transport_kwargs())


def batches(subscriptions: list[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """Subscription batches; no subscriptions = one tenant-wide batch (what the credential
    can read)."""
    if not subscriptions:
        return [[]]
    return [subscriptions[i:i + size] for i in range(0, len(subscriptions), size)]


def batch_label(batch: list[str], index: int, total: int) -> str:
    if not batch:
        return "all subscriptions the credential can read"
    first = batch[0] if len(batch) == 1 else f"{batch[0]} .. {batch[-1]}"
    return f"subscription batch {index + 1} of {total} ({len(batch)}: {first})"


def _page_body(table: ArgTable, batch: list[str], skip_token: str | None) -> dict:
    return QueryRequest(
        subscriptions=batch or None, query=table.query,
        options=QueryRequestOptions(skip_token=skip_token, top=PAGE_SIZE,
                                    result_format="objectArray")).serialize()


def parse_page(status: int, text: str) -> dict:
    """A ``QueryResponse`` body checked against the REST API's shape, or ``PageError``."""
    if status != 200:
        try:
            err = json.loads(text).get("error") or {}
        except (ValueError, AttributeError):
            err = {}
        raise PageError(f"HTTP {status} {err.get('code') or ''}: "
                        f"{(err.get('message') or text[:200]).strip()}".replace(" :", ":"))
    try:
        page = json.loads(text)
    except ValueError as exc:
        raise PageError(f"malformed page (not JSON: {exc})") from None
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise PageError('malformed page: expected a QueryResponse with "data" as a list '
                        '(resultFormat objectArray)')
    for key in ("count", "totalRecords"):
        if not isinstance(page.get(key), int):
            raise PageError(f'malformed page: "{key}" is not an integer')
    token = page.get("$skipToken")
    if token is not None and not isinstance(token, str):
        raise PageError('malformed page: "$skipToken" is not text')
    return page


def fetch_pages(client: ResourceGraphClient, table: ArgTable, batch: list[str],
                settings: CollectionSettings) -> Iterator[dict]:
    """Every page of one (table, batch) chain. 401 (a token refused mid-collection) and
    malformed bodies are sent again, with the policy's back-off; the rest is the pipeline's
    retry policy. Raises ``PageError`` naming the page that could not be read."""
    skip_token: str | None = None
    page_no = 0
    while True:
        page_no += 1
        page = None
        last = ""
        for attempt in range(settings.retries + 1):
            request = HttpRequest("POST", QUERY_PATH, params={"api-version": API_VERSION},
                                  json=_page_body(table, batch, skip_token))
            try:
                response = client._send_request(request)  # the client's own pipeline
                page = parse_page(response.status_code, response.text())
                break
            except PageError as exc:
                last = str(exc)
                if response.status_code not in (200, 401) or attempt == settings.retries:
                    break
            except AzureError as exc:
                last = f"{type(exc).__name__}: {exc.message if hasattr(exc, 'message') else exc}"
                break
            time.sleep(min(settings.retry_backoff_seconds * (2 ** attempt),
                           settings.retry_backoff_max_seconds))
        if page is None:
            raise PageError(f"page {page_no}: {last}")
        yield page
        skip_token = page.get("$skipToken")
        if not skip_token:
            return


def collect_chain(client: ResourceGraphClient, table: ArgTable, batch: list[str],
                  label: str, settings: CollectionSettings) -> Gathered:
    """One (table, batch) chain into its own ``Gathered`` (rows or the gap)."""
    got = Gathered()
    where = f"Resource Graph {table.name} ({label})"
    rows = 0
    total = None
    try:
        for page in fetch_pages(client, table, batch, settings):
            total = page["totalRecords"] if total is None else total
            for row in page["data"]:
                got.add_row(row, table.name, where)
                rows += 1
            if page.get("resultTruncated") == "true" and not page.get("$skipToken"):
                raise PageError("resultTruncated without $skipToken")
    except PageError as exc:
        scopes = batch or ["*"]
        for sub in scopes:
            got.gap(sub, "azure_resources", f"{where}: rows after {rows}", str(exc))
    else:
        if total is not None and rows < total:
            for sub in batch or ["*"]:
                got.gap(sub, "azure_resources", where,
                        f"incomplete: totalRecords {total}, {rows} rows returned")
    return got


def query_tables(credential: TokenCredential, resource_manager_url: str,
                 subscriptions: list[str], settings: CollectionSettings,
                 throttle: ThrottlePolicy, progress: Progress,
                 tables: tuple[ArgTable, ...] = ARG_TABLES) -> Gathered:
    """Every table of ``tables`` for every subscription batch, into one ``Gathered``."""
    chunks = batches(subscriptions)
    units = [(t, b, batch_label(b, i, len(chunks))) for t in tables
             for i, b in enumerate(chunks)]
    out = Gathered()
    with make_client(credential, resource_manager_url, settings, throttle) as client, \
            ThreadPoolExecutor(max_workers=max(1, settings.concurrency),
                               thread_name_prefix="arg") as pool:
        futures = [pool.submit(collect_chain, client, t, b, label, settings)
                   for t, b, label in units]
        for (table, _batch, label), future in zip(units, futures, strict=True):
            got = future.result()
            out.extend(got)
            out.queries.append(f"POST {QUERY_PATH}?api-version={API_VERSION} "
                               f"({label}): {table.query}".replace("\n", " "))
            state = f"{len(got.resources)} rows" + (f", {len(got.gaps)} gaps" if got.gaps else "")
            progress(f"azure: Resource Graph {table.name} ({label}): {state}")
    return out
