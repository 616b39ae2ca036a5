"""Pipeline policies every Azure request of a collection goes through (azure-core).

- ``ReadOnlyPolicy`` refuses to send anything but a GET or the Resource Graph query POST,
  so no PUT, PATCH or DELETE (nor the SDK's automatic provider registration POST) can leave
  the collector, whatever a policy above it decides.
- ``CollectionRetryPolicy`` is azure-core's ``RetryPolicy`` with POST retried too (the
  Resource Graph query is a read: azure-core does not retry a 429 on POST by default) and
  a 429 without ``Retry-After`` waiting for ``x-ms-user-quota-resets-after``.
- ``ThrottlePolicy`` reads the quota headers of every response and holds the next request
  back: Resource Graph's ``x-ms-user-quota-remaining`` / ``x-ms-user-quota-resets-after``,
  ARM's ``x-ms-ratelimit-remaining-subscription-reads``. One instance is shared by the
  threads of a collection.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from azure.core.exceptions import AzureError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy, RetryPolicy

ARG_QUERY_PATH = "/providers/microsoft.resourcegraph/resources"


class WriteRefused(AzureError):
    """A request that is not a read; the collector never sends one."""


@dataclass(frozen=True)
class CollectionSettings:
    """Knobs of one collection (``sources.azure``): timeouts, retries, back-off, threads."""

    timeout_seconds: float = 60.0
    retries: int = 6
    retry_backoff_seconds: float = 0.8
    retry_backoff_max_seconds: float = 60.0
    concurrency: int = 4
    arm_reads_floor: int = 10
    arm_reads_pause_seconds: float = 1.0

    def transport_kwargs(self) -> dict:
        return {"connection_timeout": self.timeout_seconds, "read_timeout": self.timeout_seconds}


class ReadOnlyPolicy(HTTPPolicy):
    """Only reads, and only to the configured ARM endpoint (a ``nextLink`` or redirect to
    another host is refused)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self._origin = _origin(base_url)

    def send(self, request: PipelineRequest) -> PipelineResponse:
        req = request.http_request
        method = req.method.upper()
        url = req.url.split("?", 1)[0]
        if _origin(url) != self._origin:
            raise WriteRefused(f"refused to contact {_origin(url)}: only {self._origin} "
                               "(resource_manager_url) is read")
        if not (method == "GET" or (method == "POST" and url.lower().endswith(ARG_QUERY_PATH))):
            raise WriteRefused(f"refused to send {method} {url}: the collector only reads")
        return self.next.send(request)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def parse_duration(text: str | None) -> float | None:
    """``00:00:03`` (Resource Graph's hh:mm:ss) -> 3.0 seconds."""
    if not text:
        return None
    try:
        seconds = 0.0
        for part in text.strip().split(":"):
            seconds = seconds * 60 + float(part)
        return max(seconds, 0.0)
    except ValueError:
        return None


class CollectionRetryPolicy(RetryPolicy):
    def __init__(self, settings: CollectionSettings, **kwargs) -> None:
        super().__init__(retry_total=settings.retries, retry_status=settings.retries,
                         retry_backoff_factor=settings.retry_backoff_seconds,
                         retry_backoff_max=settings.retry_backoff_max_seconds, **kwargs)
        self._method_whitelist = self._method_whitelist | {"POST"}

    def get_retry_after(self, response: PipelineResponse) -> float | None:
        after = super().get_retry_after(response)
        if after is None and response.http_response.status_code == 429:
            after = parse_duration(response.http_response.headers.get(
                "x-ms-user-quota-resets-after"))
        return after


class ThrottlePolicy(HTTPPolicy):
    """Hold requests back while a quota header says the next one would be throttled."""

    def __init__(self, settings: CollectionSettings) -> None:
        super().__init__()
        self._settings = settings
        self._lock = threading.Lock()
        self._resume_at = 0.0
        self.waits = 0
        self.waited_seconds = 0.0

    def _pause(self, seconds: float) -> None:
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def send(self, request: PipelineRequest) -> PipelineResponse:
        delay = self._resume_at - time.monotonic()
        if delay > 0:
            with self._lock:
                self.waits += 1
                self.waited_seconds += delay
            time.sleep(delay)
        response = self.next.send(request)
        headers = response.http_response.headers
        remaining = headers.get("x-ms-user-quota-remaining")
        if remaining is not None and remaining.strip().isdigit() and int(remaining) <= 0:
            self._pause(parse_duration(headers.get("x-ms-user-quota-resets-after")) or 1.0)
        reads = headers.get("x-ms-ratelimit-remaining-subscription-reads")
        if (reads is not None and reads.strip().isdigit()
                and int(reads) < self._settings.arm_reads_floor):
            self._pause(self._settings.arm_reads_pause_seconds)
        return response
