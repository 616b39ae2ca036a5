"""Which Azure credential a collection uses, and for which cloud.

``sources.azure.credential`` picks one azure-identity credential. ``default`` is
``DefaultAzureCredential`` without its managed-identity probe (the probe reaches the
instance metadata address; ask for ``managed_identity`` explicitly to use one). The token
audience follows ``resource_manager_url`` (``<url>/.default``) and so does the authority:
the sovereign clouds map to their login hosts; a custom endpoint (Azure Stack Hub, a test
stub) keeps azure-identity's default, which ``AZURE_AUTHORITY_HOST`` overrides.

Tokens are never written anywhere: ``SharedCredential`` keeps the current one in memory for
every client of a collection and asks for a new one before it expires (or when the service
refused it), so a long collection refreshes its tokens as it goes.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from azure.core.credentials import AccessToken, TokenCredential
from azure.identity import (
    AzureAuthorityHosts,
    AzureCliCredential,
    DefaultAzureCredential,
    EnvironmentCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

#: ARM host -> Entra ID authority of that cloud.
CLOUD_AUTHORITIES = {
    "management.azure.com": AzureAuthorityHosts.AZURE_PUBLIC_CLOUD,
    "management.chinacloudapi.cn": AzureAuthorityHosts.AZURE_CHINA,
    "management.usgovcloudapi.net": AzureAuthorityHosts.AZURE_GOVERNMENT,
}


def arm_base(resource_manager_url: str) -> str:
    return resource_manager_url.rstrip("/")


def token_scope(resource_manager_url: str) -> str:
    """The token audience for an ARM endpoint: ``https://management.azure.com/.default``."""
    return f"{arm_base(resource_manager_url)}/.default"


def authority_for(resource_manager_url: str) -> str | None:
    """The login host of the cloud ``resource_manager_url`` belongs to (None: the default)."""
    return CLOUD_AUTHORITIES.get((urlsplit(resource_manager_url).hostname or "").lower())


def make_credential(kind: str, resource_manager_url: str) -> TokenCredential:
    """The credential named by ``sources.azure.credential``."""
    authority = authority_for(resource_manager_url)
    extra = {"authority": authority} if authority else {}
    if kind == "azure_cli":
        return AzureCliCredential()
    if kind == "environment":
        return EnvironmentCredential(**extra)
    if kind == "managed_identity":
        return ManagedIdentityCredential()
    if kind == "workload_identity":
        return WorkloadIdentityCredential(**extra)
    if kind == "default":
        return DefaultAzureCredential(exclude_managed_identity_credential=True, **extra)
    raise ValueError(f"unknown credential {kind!r}")


class SharedCredential:
    """One token for every client and thread of a collection.

    Each SDK client's bearer-token policy, and each thread racing on a first request, would
    otherwise ask the credential on its own (for ``azure_cli``, one ``az`` process each).
    A token is reused until five minutes before it expires; ``refused`` drops it when the
    service answered 401 to it, so the next request gets a fresh one.
    """

    REFRESH_SECONDS = 300

    def __init__(self, inner: TokenCredential) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self._tokens: dict[tuple, AccessToken] = {}

    def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None,
                  **kwargs) -> AccessToken:
        key = (scopes, claims, tenant_id)
        with self._lock:
            token = self._tokens.get(key)
            if token is None or token.expires_on - time.time() < self.REFRESH_SECONDS:
                token = self._inner.get_token(*scopes, claims=claims, tenant_id=tenant_id,
                                              **kwargs)
                self._tokens[key] = token
            return token

    def refused(self, authorization: str | None) -> None:
        """The service refused the bearer token in ``authorization``: forget it."""
        with self._lock:
            for key, token in list(self._tokens.items()):
                if authorization == f"Bearer {token.token}":
                    del self._tokens[key]

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close:
            close()
