"""A generated enterprise estate as an ``az graph query -o json`` export, for scale runs.

``generate_rows(n, seed)`` yields ``n`` Resource Graph rows as ``az graph query`` returns
them (``id``, ``name``, ``type``, ``tenantId``, ``kind``, ``location``, ``resourceGroup``,
``subscriptionId``, ``managedBy``, ``sku``, ``plan``, ``properties``, ``tags``,
``identity``, ``zones``, ``extendedLocation``), deterministic by seed. About 30 % are data
services, clusters and the like (PostgreSQL flexible servers, Redis, storage accounts,
Key Vaults, AKS clusters, container registries, Cosmos DB accounts, Recovery Services
vaults, Log Analytics workspaces, scale sets), the rest the long tail every estate has:
managed disks, NICs, snapshots and public IPs. Bodies follow the ARM shapes of the demo
tenant's export and the Azure REST API specification examples, with settings varied so
that every check meets passing and failing subjects.

``write_export(path, n, seed)`` writes the export one row at a time (nothing but the row
being written is held in memory), indented as the Azure CLI prints it.

    .venv/bin/python benchmarks/estate.py OUT.json [--resources 100000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

TENANT_ID = "afc232a0-15dd-5277-b4f3-2470986b73cb"
LOCATIONS = ("westeurope", "northeurope", "germanywestcentral", "francecentral", "uksouth")
ENVIRONMENTS = ("production", "production", "staging", "test", "development")
APPLICATIONS = ("odoo-retail", "odoo-pos", "odoo-wms", "ecommerce", "loyalty", "pricing",
                "analytics", "erp-integration")
SUBSCRIPTIONS = 24
GROUPS_PER_SUBSCRIPTION = 40


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Place:
    """Where a resource lives: subscription, resource group, region, tags (one estate cell)."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.sub_no = rng.randrange(SUBSCRIPTIONS)
        self.subscription = str(uuid.UUID(int=(0x3F6C2A51 << 96) + self.sub_no, version=4))
        self.app = APPLICATIONS[self.sub_no % len(APPLICATIONS)]
        self.env = ENVIRONMENTS[rng.randrange(len(ENVIRONMENTS))]
        self.group = (f"rg-{self.app}-{self.env[:4]}-"
                      f"{rng.randrange(GROUPS_PER_SUBSCRIPTION):02d}")
        self.location = LOCATIONS[self.sub_no % len(LOCATIONS)]
        self.index = index
        self.tags: dict | None = {
            "application": self.app, "environment": self.env,
            "costCenter": f"CC-{4400 + self.sub_no}-{self.app}", "owner": "platform-engineering",
        }
        if rng.random() < 0.15:  # untagged resources exist in every real estate
            self.tags = None

    def rid(self, provider: str, name: str) -> str:
        return (f"/subscriptions/{self.subscription}/resourceGroups/{self.group}"
                f"/providers/{provider}/{name}")

    @property
    def network(self) -> str:
        return (f"/subscriptions/{self.subscription}/resourceGroups/rg-{self.app}-network"
                f"/providers/Microsoft.Network/virtualNetworks/vnet-{self.app}-{self.env[:4]}")


def _row(place: _Place, provider: str, name: str, *, sku=None, kind=None, zones=None,
         identity=None, properties=None, managed_by=None, tags=True) -> dict:
    return {
        "id": place.rid(provider, name),
        "name": name.rsplit("/", 1)[-1],
        "type": provider.lower(),
        "tenantId": TENANT_ID,
        "kind": kind or "",
        "location": place.location,
        "resourceGroup": place.group,
        "subscriptionId": place.subscription,
        "managedBy": managed_by or "",
        "sku": sku,
        "plan": None,
        "properties": properties or {},
        "tags": place.tags if tags else None,
        "identity": identity,
        "zones": zones,
        "extendedLocation": None,
    }


def _pick(rng: random.Random, *weighted: tuple[object, float]):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _private_endpoints(place: _Place, rng: random.Random, target: str, private: bool) -> list:
    if not private:
        return []
    pe = (f"/subscriptions/{place.subscription}/resourceGroups/rg-{place.app}-network"
          f"/providers/Microsoft.Network/privateEndpoints/pe-{target.rsplit('/', 1)[-1]}")
    return [{"id": f"{target}/privateEndpointConnections/{pe.rsplit('/', 1)[-1]}",
             "properties": {"privateEndpoint": {"id": pe},
                            "privateLinkServiceConnectionState": {
                                "actionsRequired": "None", "status": "Approved",
                                "description": "Auto-approved"},
                            "provisioningState": "Succeeded"}}]


# --- data services, clusters and the like (30 %) ---------------------------------------------


def postgres(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"psql-{place.app}-{place.env[:4]}-{n}"
    ha = _pick(rng, ("ZoneRedundant", 0.5), ("SameZone", 0.2), ("Disabled", 0.3))
    replica = rng.random() < 0.1
    zone = str(rng.randint(1, 3))
    props = {
        "administratorLogin": "pgadmin",
        "authConfig": {"activeDirectoryAuth": "Enabled",
                       "passwordAuth": _pick(rng, ("Enabled", 0.6), ("Disabled", 0.4)),
                       "tenantId": TENANT_ID},
        "availabilityZone": zone,
        "backup": {"backupRetentionDays": _pick(rng, (7, 0.4), (14, 0.3), (35, 0.3)),
                   "earliestRestoreDate": "2026-11-18T09:00:12.4417325+00:00",
                   "geoRedundantBackup": _pick(rng, ("Enabled", 0.5), ("Disabled", 0.5))},
        "dataEncryption": {"type": "SystemManaged"},
        "fullyQualifiedDomainName": f"{name}.postgres.database.azure.com",
        "highAvailability": {"mode": ha, "state": "Healthy" if ha != "Disabled" else "NotEnabled",
                             **({"standbyAvailabilityZone": str(int(zone) % 3 + 1)}
                                if ha == "ZoneRedundant" else {})},
        "maintenanceWindow": {"customWindow": _pick(rng, ("Enabled", 0.7), ("Disabled", 0.3)),
                              "dayOfWeek": 0, "startHour": 2, "startMinute": 0},
        "minorVersion": "4",
        "network": {"publicNetworkAccess": _pick(rng, ("Disabled", 0.7), ("Enabled", 0.3)),
                    "delegatedSubnetResourceId": f"{place.network}/subnets/snet-postgres",
                    "privateDnsZoneArmResourceId": (
                        f"/subscriptions/{place.subscription}/resourceGroups/"
                        f"rg-{place.app}-network/providers/Microsoft.Network/privateDnsZones/"
                        f"{name}.private.postgres.database.azure.com")},
        "replica": {"capacity": 5, "role": "AsyncReplica" if replica else "Primary"},
        "replicaCapacity": 5,
        "replicationRole": "AsyncReplica" if replica else "Primary",
        "state": "Ready",
        "storage": {"autoGrow": _pick(rng, ("Enabled", 0.6), ("Disabled", 0.4)), "iops": 2300,
                    "storageSizeGB": _pick(rng, (128, 0.3), (512, 0.5), (2048, 0.2)),
                    "tier": "P20", "type": ""},
        "version": _pick(rng, ("16", 0.4), ("15", 0.3), ("13", 0.2), ("12", 0.1)),
    }
    if replica:
        props["sourceServerResourceId"] = place.rid(
            "Microsoft.DBforPostgreSQL/flexibleServers", f"psql-{place.app}-{place.env[:4]}-0")
    sku = _pick(rng, ({"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"}, 0.6),
                ({"name": "Standard_B2s", "tier": "Burstable"}, 0.2),
                ({"name": "Standard_E16ds_v5", "tier": "MemoryOptimized"}, 0.2))
    return _row(place, "Microsoft.DBforPostgreSQL/flexibleServers", name, sku=sku,
                properties=props)


def redis(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"redis-{place.app}-{place.env[:4]}-{n}"
    rid = place.rid("Microsoft.Cache/Redis", name)
    premium = rng.random() < 0.5
    private = rng.random() < 0.6
    sku = ({"capacity": 1, "family": "P", "name": "Premium"} if premium
           else {"capacity": 2, "family": "C", "name": _pick(rng, ("Standard", 0.7),
                                                              ("Basic", 0.3))})
    props = {
        "disableAccessKeyAuthentication": rng.random() < 0.3,
        "enableNonSslPort": rng.random() < 0.1,
        "hostName": f"{name}.redis.cache.windows.net",
        "instances": [{"isMaster": True, "isPrimary": True, "nonSslPort": 13000,
                       "sslPort": 15000, "zone": "1"},
                      {"isMaster": False, "isPrimary": False, "nonSslPort": 13001,
                       "sslPort": 15001, "zone": "2"}],
        "linkedServers": [],
        "minimumTlsVersion": _pick(rng, ("1.2", 0.8), ("1.0", 0.2)),
        "port": 6379, "sslPort": 6380,
        "privateEndpointConnections": _private_endpoints(place, rng, rid, private),
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Disabled" if private else "Enabled",
        "redisConfiguration": {"aad-enabled": "false", "maxclients": "7500",
                               "maxmemory-policy": _pick(rng, ("volatile-lru", 0.7),
                                                         ("allkeys-lru", 0.3)),
                               "maxmemory-reserved": "642",
                               **({"rdb-backup-enabled": "true", "rdb-backup-frequency": "60"}
                                  if premium else {})},
        "redisVersion": "6.2.14",
        "replicasPerMaster": 1, "replicasPerPrimary": 1,
        "sku": sku, "updateChannel": "Stable",
    }
    zones = ["1", "2"] if premium and rng.random() < 0.7 else None
    return _row(place, "Microsoft.Cache/Redis", name, zones=zones, properties=props)


def storage(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"st{place.app.replace('-', '')[:10]}{place.env[:3]}{n:06d}"
    rid = place.rid("Microsoft.Storage/storageAccounts", name)
    private = rng.random() < 0.5
    props = {
        "accessTier": "Hot",
        "allowBlobPublicAccess": rng.random() < 0.15,
        "allowCrossTenantReplication": False,
        "allowSharedKeyAccess": rng.random() < 0.6,
        "creationTime": "2025-02-11T10:20:31.8472143Z",
        "defaultToOAuthAuthentication": False,
        "encryption": {"keySource": "Microsoft.Storage",
                       "requireInfrastructureEncryption": rng.random() < 0.2,
                       "services": {"blob": {"enabled": True, "keyType": "Account"},
                                    "file": {"enabled": True, "keyType": "Account"}}},
        "isHnsEnabled": rng.random() < 0.1,
        "minimumTlsVersion": _pick(rng, ("TLS1_2", 0.85), ("TLS1_0", 0.15)),
        "networkAcls": {"bypass": "AzureServices",
                        "defaultAction": "Deny" if private else "Allow",
                        "ipRules": [], "virtualNetworkRules": []},
        "primaryEndpoints": {s: f"https://{name}.{s}.core.windows.net/"
                             for s in ("blob", "dfs", "file", "queue", "table")},
        "primaryLocation": place.location,
        "privateEndpointConnections": _private_endpoints(place, rng, rid, private),
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Disabled" if private else "Enabled",
        "statusOfPrimary": "available",
        "supportsHttpsTrafficOnly": rng.random() < 0.95,
    }
    sku = _pick(rng, ({"name": "Standard_ZRS", "tier": "Standard"}, 0.4),
                ({"name": "Standard_GRS", "tier": "Standard"}, 0.2),
                ({"name": "Standard_LRS", "tier": "Standard"}, 0.4))
    return _row(place, "Microsoft.Storage/storageAccounts", name, sku=sku, kind="StorageV2",
                properties=props)


def key_vault(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"kv-{place.app[:8]}-{place.env[:4]}-{n}"
    rid = place.rid("Microsoft.KeyVault/vaults", name)
    private = rng.random() < 0.6
    props = {
        "accessPolicies": [], "enableRbacAuthorization": rng.random() < 0.7,
        "enableSoftDelete": True, "softDeleteRetentionInDays": 90,
        **({"enablePurgeProtection": True} if rng.random() < 0.6 else {}),
        "enabledForDeployment": False, "enabledForDiskEncryption": False,
        "enabledForTemplateDeployment": False,
        "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny" if private else "Allow",
                        "ipRules": [], "virtualNetworkRules": []},
        "privateEndpointConnections": _private_endpoints(place, rng, rid, private),
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Disabled" if private else "Enabled",
        "sku": {"family": "A", "name": "standard"}, "tenantId": TENANT_ID,
        "vaultUri": f"https://{name}.vault.azure.net/",
    }
    return _row(place, "Microsoft.KeyVault/vaults", name, properties=props)


def _agent_pool(rng: random.Random, name: str, mode: str, version: str, place: _Place) -> dict:
    zones = _pick(rng, (["1", "2", "3"], 0.6), (["1"], 0.1), (None, 0.3))
    autoscale = rng.random() < 0.6
    pool = {
        "count": 3, "currentOrchestratorVersion": version,
        "enableAutoScaling": autoscale, "enableEncryptionAtHost": rng.random() < 0.3,
        "enableFIPS": False, "enableNodePublicIP": rng.random() < 0.05,
        "kubeletDiskType": "OS", "maxPods": 50, "mode": mode, "name": name,
        "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202411.12.0",
        "orchestratorVersion": version, "osDiskSizeGB": 128,
        "osDiskType": _pick(rng, ("Ephemeral", 0.6), ("Managed", 0.4)),
        "osSKU": "Ubuntu", "osType": "Linux", "powerState": {"code": "Running"},
        "provisioningState": "Succeeded", "scaleDownMode": "Delete",
        "type": "VirtualMachineScaleSets", "upgradeSettings": {"maxSurge": "10%"},
        "vmSize": _pick(rng, ("Standard_D4ds_v5", 0.5), ("Standard_D8ds_v5", 0.5)),
        "vnetSubnetID": f"{place.network}/subnets/snet-aks",
    }
    if zones:
        pool["availabilityZones"] = zones
    if autoscale:
        pool.update(minCount=3, maxCount=12)
    if mode == "System":
        pool["nodeTaints"] = ["CriticalAddonsOnly=true:NoSchedule"]
    return pool


def aks(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"aks-{place.app}-{place.env[:4]}-{n}"
    version = _pick(rng, ("1.30.6", 0.4), ("1.29.9", 0.4), ("1.27.7", 0.2))
    workspace = (f"/subscriptions/{place.subscription}/resourceGroups/rg-{place.app}-ops"
                 f"/providers/Microsoft.OperationalInsights/workspaces/log-{place.app}")
    node_rg = f"MC_{place.group}_{name}_{place.location}"
    props = {
        "aadProfile": {"enableAzureRBAC": rng.random() < 0.7, "managed": True,
                       "tenantID": TENANT_ID, "adminGroupObjectIDs": [_uuid(rng)]},
        "addonProfiles": {
            "azureKeyvaultSecretsProvider": {"config": None, "enabled": rng.random() < 0.6},
            "azurepolicy": {"config": None, "enabled": rng.random() < 0.7},
            "omsagent": {"config": {"logAnalyticsWorkspaceResourceID": workspace},
                         "enabled": rng.random() < 0.8},
        },
        "agentPoolProfiles": [_agent_pool(rng, "system", "System", version, place),
                              _agent_pool(rng, "odoo", "User", version, place)],
        "apiServerAccessProfile": {"enablePrivateCluster": rng.random() < 0.4},
        "autoUpgradeProfile": {"nodeOSUpgradeChannel": _pick(rng, ("NodeImage", 0.6),
                                                             ("None", 0.4)),
                               "upgradeChannel": _pick(rng, ("none", 0.5), ("patch", 0.3),
                                                       ("stable", 0.2))},
        "currentKubernetesVersion": version, "kubernetesVersion": version,
        "disableLocalAccounts": rng.random() < 0.5,
        "dnsPrefix": name, "enableRBAC": True,
        "fqdn": f"{name}-{rng.getrandbits(32):08x}.hcp.{place.location}.azmk8s.io",
        "identityProfile": {"kubeletidentity": {
            "clientId": _uuid(rng), "objectId": _uuid(rng),
            "resourceId": (f"/subscriptions/{place.subscription}/resourceGroups/{node_rg}"
                           f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                           f"{name}-agentpool")}},
        "maxAgentPools": 100,
        "networkProfile": {"dnsServiceIP": "10.0.0.10", "ipFamilies": ["IPv4"],
                           "loadBalancerSku": "standard", "networkDataplane": "azure",
                           "networkPlugin": "azure",
                           "networkPolicy": _pick(rng, ("calico", 0.5), ("azure", 0.2),
                                                  (None, 0.3)),
                           "outboundType": "loadBalancer", "serviceCidr": "10.0.0.0/16"},
        "nodeResourceGroup": node_rg,
        "oidcIssuerProfile": {"enabled": rng.random() < 0.7},
        "powerState": {"code": "Running"}, "provisioningState": "Succeeded",
        "securityProfile": {"defender": {"logAnalyticsWorkspaceResourceId": workspace,
                                         "securityMonitoring": {"enabled": rng.random() < 0.5}},
                            "imageCleaner": {"enabled": True, "intervalHours": 168},
                            "workloadIdentity": {"enabled": rng.random() < 0.6}},
        "servicePrincipalProfile": {"clientId": "msi"},
        "storageProfile": {"blobCSIDriver": {"enabled": True}, "diskCSIDriver": {"enabled": True},
                           "fileCSIDriver": {"enabled": True},
                           "snapshotController": {"enabled": True}},
        "supportPlan": "KubernetesOfficial",
    }
    sku = _pick(rng, ({"name": "Base", "tier": "Standard"}, 0.6),
                ({"name": "Base", "tier": "Free"}, 0.4))
    identity = {"type": "SystemAssigned", "principalId": _uuid(rng), "tenantId": TENANT_ID}
    return _row(place, "Microsoft.ContainerService/managedClusters", name, sku=sku,
                identity=identity, properties=props)


def registry(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"acr{place.app.replace('-', '')}{n:05d}"
    premium = rng.random() < 0.5
    props = {
        "adminUserEnabled": rng.random() < 0.2, "anonymousPullEnabled": False,
        "dataEndpointEnabled": False, "encryption": {"status": "disabled"},
        "loginServer": f"{name}.azurecr.io", "networkRuleBypassOptions": "AzureServices",
        "policies": {"quarantinePolicy": {"status": "disabled"},
                     "retentionPolicy": {"days": 7, "status": "enabled" if premium else
                                         "disabled"},
                     "trustPolicy": {"status": "disabled", "type": "Notary"}},
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Disabled" if premium and rng.random() < 0.5 else "Enabled",
        "zoneRedundancy": "Enabled" if premium else "Disabled",
    }
    sku = {"name": "Premium" if premium else "Standard",
           "tier": "Premium" if premium else "Standard"}
    return _row(place, "Microsoft.ContainerRegistry/registries", name, sku=sku,
                properties=props)


def cosmos(place: _Place, rng: random.Random, n: int) -> dict:
    """Shape of the DatabaseAccounts_Get example of the Cosmos DB REST specification."""
    name = f"cosmos-{place.app}-{place.env[:4]}-{n}"
    zone = rng.random() < 0.5
    props = {
        "backupPolicy": {"type": _pick(rng, ("Periodic", 0.6), ("Continuous", 0.4))},
        "consistencyPolicy": {"defaultConsistencyLevel": "Session",
                              "maxIntervalInSeconds": 5, "maxStalenessPrefix": 100},
        "databaseAccountOfferType": "Standard",
        "disableKeyBasedMetadataWriteAccess": False,
        "documentEndpoint": f"https://{name}.documents.azure.com:443/",
        "enableAutomaticFailover": rng.random() < 0.5,
        "enableMultipleWriteLocations": False,
        "isVirtualNetworkFilterEnabled": rng.random() < 0.5,
        "locations": [{"failoverPriority": 0, "isZoneRedundant": zone,
                       "locationName": place.location, "provisioningState": "Succeeded"}],
        "minimalTlsVersion": "Tls12",
        "provisioningState": "Succeeded",
        "publicNetworkAccess": _pick(rng, ("Enabled", 0.5), ("Disabled", 0.5)),
    }
    return _row(place, "Microsoft.DocumentDB/databaseAccounts", name, kind="GlobalDocumentDB",
                properties=props)


def recovery_vault(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"rsv-{place.app}-{place.env[:4]}-{n}"
    props = {
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Enabled",
        "redundancySettings": {
            "crossRegionRestore": _pick(rng, ("Enabled", 0.5), ("Disabled", 0.5)),
            "standardTierStorageRedundancy": _pick(rng, ("GeoRedundant", 0.5),
                                                   ("ZoneRedundant", 0.3),
                                                   ("LocallyRedundant", 0.2))},
        "securitySettings": {
            "immutabilitySettings": {"state": _pick(rng, ("Locked", 0.3), ("Unlocked", 0.3),
                                                    ("Disabled", 0.4))},
            "softDeleteSettings": {"softDeleteRetentionPeriodInDays": 14,
                                   "softDeleteState": _pick(rng, ("Enabled", 0.7),
                                                            ("AlwaysON", 0.2),
                                                            ("Disabled", 0.1))}},
    }
    return _row(place, "Microsoft.RecoveryServices/vaults", name,
                sku={"name": "RS0", "tier": "Standard"}, properties=props)


def workspace(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"log-{place.app}-{place.env[:4]}-{n}"
    props = {"customerId": _uuid(rng), "provisioningState": "Succeeded",
             "publicNetworkAccessForIngestion": "Enabled",
             "publicNetworkAccessForQuery": "Enabled",
             "retentionInDays": _pick(rng, (30, 0.5), (90, 0.3), (365, 0.2)),
             "sku": {"name": "PerGB2018"}, "workspaceCapping": {"dailyQuotaGb": -1}}
    return _row(place, "Microsoft.OperationalInsights/workspaces", name, properties=props)


def scale_set(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"vmss-{place.app}-{n}"
    zones = _pick(rng, (["1", "2", "3"], 0.5), (None, 0.5))
    props = {
        "orchestrationMode": "Uniform", "overprovision": False,
        "platformFaultDomainCount": 1, "provisioningState": "Succeeded",
        "singlePlacementGroup": False,
        "upgradePolicy": {"mode": _pick(rng, ("Manual", 0.5), ("Rolling", 0.5))},
        "virtualMachineProfile": {
            "osProfile": {"adminUsername": "azureuser", "computerNamePrefix": name[:9],
                          "linuxConfiguration": {"disablePasswordAuthentication": True}},
            "storageProfile": {"imageReference": {"offer": "0001-com-ubuntu-server-jammy",
                                                  "publisher": "Canonical",
                                                  "sku": "22_04-lts-gen2",
                                                  "version": "latest"},
                               "osDisk": {"caching": "ReadWrite", "createOption": "FromImage",
                                          "managedDisk": {"storageAccountType":
                                                          "Premium_LRS"}}}},
    }
    return _row(place, "Microsoft.Compute/virtualMachineScaleSets", name, zones=zones,
                sku={"capacity": 3, "name": "Standard_D4ds_v5", "tier": "Standard"},
                properties=props)


# --- the long tail (70 %) ---------------------------------------------------------------------


def disk(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"pvc-{_uuid(rng)}"
    attached = rng.random() < 0.85
    size = _pick(rng, (32, 0.3), (128, 0.4), (512, 0.2), (1024, 0.1))
    props = {
        "creationData": {"createOption": "Empty"},
        "diskIOPSReadWrite": 500, "diskMBpsReadWrite": 100,
        "diskSizeBytes": size << 30, "diskSizeGB": size,
        "diskState": "Attached" if attached else "Unattached",
        "encryption": {"type": _pick(rng, ("EncryptionAtRestWithPlatformKey", 0.8),
                                     ("EncryptionAtRestWithCustomerKey", 0.2))},
        "networkAccessPolicy": _pick(rng, ("AllowAll", 0.7), ("DenyAll", 0.3)),
        "provisioningState": "Succeeded",
        "publicNetworkAccess": _pick(rng, ("Enabled", 0.7), ("Disabled", 0.3)),
        "tier": "P10", "timeCreated": "2025-03-04T08:12:40.0000000+00:00",
        "uniqueId": _uuid(rng),
    }
    sku = _pick(rng, ({"name": "Premium_LRS", "tier": "Premium"}, 0.5),
                ({"name": "Premium_ZRS", "tier": "Premium"}, 0.2),
                ({"name": "StandardSSD_LRS", "tier": "Standard"}, 0.3))
    zones = [str(rng.randint(1, 3))] if sku["name"].endswith("LRS") and rng.random() < 0.7 \
        else None
    vm = place.rid("Microsoft.Compute/virtualMachineScaleSets", f"vmss-{place.app}-0")
    return _row(place, "Microsoft.Compute/disks", name, sku=sku, zones=zones, properties=props,
                managed_by=vm if attached else None)


def snapshot(place: _Place, rng: random.Random, n: int) -> dict:
    """Shape of the Snapshots_Get example of the Compute REST specification."""
    name = f"snap-{place.app}-{n:07d}"
    source = place.rid("Microsoft.Compute/disks", f"pvc-{_uuid(rng)}")
    size = _pick(rng, (32, 0.3), (128, 0.5), (512, 0.2))
    props = {
        "creationData": {"createOption": "Copy", "sourceResourceId": source,
                         "sourceUniqueId": _uuid(rng)},
        "dataAccessAuthMode": "None",
        "diskSizeBytes": size << 30, "diskSizeGB": size, "diskState": "Unattached",
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
        "hyperVGeneration": "V2",
        "incremental": rng.random() < 0.8,
        "networkAccessPolicy": _pick(rng, ("AllowAll", 0.7), ("DenyAll", 0.3)),
        "osType": "Linux", "provisioningState": "Succeeded",
        "publicNetworkAccess": _pick(rng, ("Enabled", 0.7), ("Disabled", 0.3)),
        "timeCreated": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T02:00:00Z",
        "uniqueId": _uuid(rng),
    }
    return _row(place, "Microsoft.Compute/snapshots", name,
                sku={"name": "Standard_ZRS", "tier": "Standard"}, properties=props)


def nic(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"nic-{place.app}-{n:07d}"
    rid = place.rid("Microsoft.Network/networkInterfaces", name)
    private_ip = f"10.{20 + place.sub_no}.{rng.randrange(256)}.{rng.randrange(4, 255)}"
    props = {
        "dnsSettings": {"appliedDnsServers": [], "dnsServers": []},
        "enableAcceleratedNetworking": rng.random() < 0.7,
        "enableIPForwarding": False,
        "ipConfigurations": [{
            "id": f"{rid}/ipConfigurations/ipconfig1", "name": "ipconfig1",
            "properties": {"primary": True, "privateIPAddress": private_ip,
                           "privateIPAddressVersion": "IPv4",
                           "privateIPAllocationMethod": "Dynamic",
                           "provisioningState": "Succeeded",
                           "subnet": {"id": f"{place.network}/subnets/snet-aks"}},
            "type": "Microsoft.Network/networkInterfaces/ipConfigurations"}],
        "nicType": "Standard", "provisioningState": "Succeeded",
        "resourceGuid": _uuid(rng),
    }
    if rng.random() < 0.8:
        props["virtualMachine"] = {"id": place.rid("Microsoft.Compute/virtualMachines",
                                                   f"vm-{place.app}-{n}")}
    if rng.random() < 0.5:
        props["networkSecurityGroup"] = {"id": place.rid(
            "Microsoft.Network/networkSecurityGroups", f"nsg-{place.app}")}
    return _row(place, "Microsoft.Network/networkInterfaces", name, properties=props,
                tags=rng.random() < 0.5)


def public_ip(place: _Place, rng: random.Random, n: int) -> dict:
    name = f"pip-{place.app}-{n:07d}"
    standard = rng.random() < 0.8
    props = {
        "ddosSettings": {"protectionMode": "VirtualNetworkInherited"},
        "idleTimeoutInMinutes": 4,
        "ipAddress": f"20.{76 + place.sub_no % 100}.{rng.randrange(256)}.{rng.randrange(256)}",
        "ipTags": [], "provisioningState": "Succeeded",
        "publicIPAddressVersion": "IPv4",
        "publicIPAllocationMethod": "Static" if standard else "Dynamic",
        "resourceGuid": _uuid(rng),
    }
    if rng.random() < 0.8:
        props["ipConfiguration"] = {"id": place.rid(
            "Microsoft.Network/loadBalancers", f"kubernetes/frontendIPConfigurations/{n}")}
    zones = ["1", "2", "3"] if standard and rng.random() < 0.6 else None
    sku = {"name": "Standard" if standard else "Basic", "tier": "Regional"}
    return _row(place, "Microsoft.Network/publicIPAddresses", name, sku=sku, zones=zones,
                properties=props)


Builder = Callable[[_Place, random.Random, int], dict]

#: (builder, share of the estate): 30 % data services and clusters, 70 % long tail.
MIX: tuple[tuple[Builder, float], ...] = (
    (postgres, 0.04), (redis, 0.03), (storage, 0.07), (key_vault, 0.04), (aks, 0.02),
    (registry, 0.02), (cosmos, 0.02), (recovery_vault, 0.02), (workspace, 0.02),
    (scale_set, 0.02),
    (disk, 0.30), (nic, 0.20), (snapshot, 0.10), (public_ip, 0.10),
)


def generate_rows(n: int, seed: int = 0) -> Iterator[dict]:
    """``n`` Resource Graph rows, the same rows for the same ``(n, seed)``."""
    rng = random.Random(seed)
    builders = [b for b, _ in MIX]
    weights = [w for _, w in MIX]
    for index in range(n):
        build = rng.choices(builders, weights)[0]
        yield build(_Place(rng, index), rng, index)


def write_export(path: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``az graph query -o json`` output for ``n`` generated rows, one row at a time."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f'{{\n  "count": {n},\n  "data": [')
        for i, row in enumerate(generate_rows(n, seed)):
            text = json.dumps(row, indent=2).replace("\n", "\n    ")
            fh.write(("," if i else "") + "\n    " + text)
        fh.write(f'\n  ],\n  "skip_token": null,\n  "total_records": {n}\n}}\n')
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = write_export(args.out, args.resources, args.seed)
    print(f"{path}: {args.resources} resources, {path.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
