"""Which Azure credential a collection uses, and for which cloud.

``sources.azure.credential`` picks one azure-identity credential. ``default`` is
``DefaultAzureCredential`` without its managed-identity probe (the probe reaches the
instance metadata address; ask for ``managed_identity`` explicitly to use one). The token
audience follows ``resource_manager_url`` (``<url>/.default``) and so does the authority:
the sovereign clouds map to their login hosts; a custom endpoint (Azure Stack Hub, a test
stub) keeps azure-identity's default, which ``AZURE_AUTHORITY_HOST`` overrides.

Tokens are never read or stored here: the SDK's bearer-token policy asks the credential
again before a token expires, so a long collection refreshes them as it goes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from azure.core.credentials import TokenCredential
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
