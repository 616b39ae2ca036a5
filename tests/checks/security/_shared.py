"""Builders and constants the security check tests of several areas share."""

from factories import arm


def aks(name: str = "aks-retail-prod", **props) -> dict:
    base = {
        "kubernetesVersion": "1.29.9", "provisioningState": "Succeeded",
        "enableRBAC": True, "disableLocalAccounts": False,
        "aadProfile": {"managed": True, "enableAzureRBAC": True,
                       "tenantID": "11111111-2222-3333-4444-555555555555"},
        "addonProfiles": {"azurepolicy": {"enabled": True, "config": None},
                          "omsagent": {"enabled": True, "config": {
                              "logAnalyticsWorkspaceResourceID": "/subscriptions/x/log"}}},
        "securityProfile": {"workloadIdentity": {"enabled": True}},
        "oidcIssuerProfile": {"enabled": True, "issuerURL": "https://westeurope.oic/x/"},
        "apiServerAccessProfile": {"enablePrivateCluster": False},
        "networkProfile": {"networkPlugin": "azure", "networkPolicy": "calico"},
    }
    base.update(props)
    return arm("Microsoft.ContainerService/managedClusters", name, base,
               rg="rg-retail-prod-aks", sku={"name": "Base", "tier": "Free"},
               identity={"type": "SystemAssigned"})


def key_vault(name: str, **props) -> dict:
    base = {"tenantId": "11111111-2222-3333-4444-555555555555",
            "sku": {"family": "A", "name": "standard"}, "enableSoftDelete": True,
            "softDeleteRetentionInDays": 90, "enableRbacAuthorization": True,
            "publicNetworkAccess": "Disabled", "vaultUri": f"https://{name}.vault.azure.net/"}
    base.update(props)
    base = {k: v for k, v in base.items() if v is not None}
    return arm("Microsoft.KeyVault/vaults", name, base)
