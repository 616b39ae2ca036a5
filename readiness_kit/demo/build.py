"""Build the demo tenant's evidence bundle: fiction built from real resource shapes.

"Demo Retail Group" (tenant ``demo-retail``) runs Odoo 17 on AKS in Azure West Europe with
Traefik, Azure Database for PostgreSQL Flexible Server, Azure Cache for Redis, Blob storage,
Key Vault, Azure Monitor and Azure Backup. The company and every name, id and number here
are invented; the *shapes* are not: Azure rows are Resource Graph rows whose ``properties``
follow the ARM REST API (azure-rest-api-specs examples), Kubernetes objects carry
``apiVersion``/``kind``/labels/``spec``/``status`` as the API server returns them, and the
PostgreSQL, Redis and Odoo tables hold what ``pg_settings``, ``INFO all`` and ``odoo.conf``
really contain. The platform is deliberately mixed, so every review domain shows good and
bad findings.

This module is the single source of truth for ``readiness_kit/demo/bundle``; regenerate with::

    .venv/bin/python -m readiness_kit.demo.build [OUTDIR]

Everything is deterministic (fixed ``collected_at``, name-derived GUIDs) so a rebuild yields
tables equal in content to the committed ones. No secret value appears anywhere: Secrets
keep metadata, ``type`` and key names; secret Odoo options keep only ``<redacted>``.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from pathlib import Path
from typing import Any

from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.collectors.kubernetes import add_manifests
from readiness_kit.demo import BUNDLE, SOURCES_DIR, TENANT
from readiness_kit.evidence import TABLES, Evidence, evidence_from_records, write_bundle

Row = dict[str, Any]

# --------------------------------------------------------------------------- identities
SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
NONPROD_SUB = "8d2e4b17-3c9a-4f61-a0b5-2e7d9c4f1a36"
LOCATION = "westeurope"
RG_NET = "rg-retail-prod-network"
RG_AKS = "rg-retail-prod-aks"
RG_DATA = "rg-retail-prod-data"
RG_OPS = "rg-retail-prod-ops"
RG_NODES = "MC_rg-retail-prod-aks_aks-retail-prod_westeurope"
RG_NETWATCH = "NetworkWatcherRG"
CLUSTER = "aks-retail-prod"
VMSS_SUFFIX = "31415926"
PIP_TRAEFIK_IP = "20.76.201.14"
HOST = "shop.demo-retail.example"

_NS = uuid.UUID("6f1c9b52-0d4e-4a57-9a3c-4d2b8e7f1c00")


def guid(*parts: str) -> str:
    """A stable, name-derived GUID (the same demo object always gets the same id)."""
    return str(uuid.uuid5(_NS, "/".join(parts)))


def sha(*parts: str, n: int = 64) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


ENTRA_TENANT = guid("entra-tenant")

COLLECTED_AT = {
    "azure_resources": "2026-11-25T09:00:00+00:00",
    "azure_arm_details": "2026-11-25T09:02:00+00:00",
    "collection_gaps": "2026-11-25T09:02:00+00:00",
    "k8s_objects": "2026-11-25T09:05:00+00:00",
    "pg_settings": "2026-11-25T09:10:00+00:00",
    "pg_databases": "2026-11-25T09:10:00+00:00",
    "pg_activity": "2026-11-25T09:10:00+00:00",
    "pg_replication": "2026-11-25T09:10:00+00:00",
    "pg_roles": "2026-11-25T09:10:00+00:00",
    "pg_extensions": "2026-11-25T09:10:00+00:00",
    "redis_info": "2026-11-25T09:12:00+00:00",
    "odoo_config": "2026-11-25T09:13:00+00:00",
    "gitops_pipelines": "2026-11-25T09:15:00+00:00",
    "gitops_releases": "2026-11-25T09:15:00+00:00",
}

PROD_TAGS = {
    "environment": "production",
    "application": "odoo-retail",
    "costCenter": "CC-4410-retail-platform",
    "owner": "platform-engineering",
}


def arm_id(rg: str, rtype: str, name: str, sub: str = SUB) -> str:
    """``Microsoft.Network/privateDnsZones/virtualNetworkLinks`` + ``zone/link`` -> ARM id."""
    namespace, *types = rtype.split("/")
    names = name.split("/")
    if len(types) != len(names):
        raise ValueError(f"{rtype} needs {len(types)} name segments, got {name!r}")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}"


def arg(rtype: str, rg: str, name: str, properties: dict, *, location: str = LOCATION,
        sku: dict | None = None, zones: list[str] | None = None, tags: dict | None = None,
        identity: dict | None = None, kind: str | None = None, rid: str | None = None,
        arg_table: str = "resources") -> Row:
    """One Resource Graph row (as ``az graph query`` returns it), normalised."""
    resource_id = rid or arm_id(rg, rtype, name)
    row = {
        "id": resource_id,
        "name": name.split("/")[-1],
        "type": rtype.lower(),
        "kind": kind,
        "location": location,
        "resourceGroup": rg.lower() if rg else "",
        "subscriptionId": SUB,
        "sku": sku,
        "zones": zones,
        "tags": tags,
        "identity": identity,
        "properties": properties,
    }
    return normalise_arg_row(row, arg_table=arg_table)


# Ids used across the story.
VNET_ID = arm_id(RG_NET, "Microsoft.Network/virtualNetworks", "vnet-retail-prod")
SNET_AKS = f"{VNET_ID}/subnets/snet-aks"
SNET_PG = f"{VNET_ID}/subnets/snet-postgres"
SNET_PE = f"{VNET_ID}/subnets/snet-private-endpoints"
AKS_ID = arm_id(RG_AKS, "Microsoft.ContainerService/managedClusters", CLUSTER)
ACR_ID = arm_id(RG_AKS, "Microsoft.ContainerRegistry/registries", "acrretailprod")
PG_ID = arm_id(RG_DATA, "Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod")
REDIS_ID = arm_id(RG_DATA, "Microsoft.Cache/Redis", "redis-retail-prod")
ST_FILES_ID = arm_id(RG_DATA, "Microsoft.Storage/storageAccounts", "strretailprodfiles")
ST_BACKUP_ID = arm_id(RG_DATA, "Microsoft.Storage/storageAccounts", "strretailprodbackup")
KV_ID = arm_id(RG_OPS, "Microsoft.KeyVault/vaults", "kv-retail-prod")
LAW_ID = arm_id(RG_OPS, "Microsoft.OperationalInsights/workspaces", "log-retail-prod")
APPI_ID = arm_id(RG_OPS, "Microsoft.Insights/components", "appi-odoo-prod")
AG_ID = arm_id(RG_OPS, "Microsoft.Insights/actionGroups", "ag-retail-oncall")
RSV_ID = arm_id(RG_OPS, "Microsoft.RecoveryServices/vaults", "rsv-retail-prod")
BV_ID = arm_id(RG_OPS, "Microsoft.DataProtection/backupVaults", "bvault-retail-prod")
UAMI_AKS_ID = arm_id(RG_AKS, "Microsoft.ManagedIdentity/userAssignedIdentities",
                     "id-aks-retail-prod")
UAMI_ODOO_ID = arm_id(RG_AKS, "Microsoft.ManagedIdentity/userAssignedIdentities",
                      "id-odoo-workload")
UAMI_KUBELET_ID = arm_id(RG_NODES, "Microsoft.ManagedIdentity/userAssignedIdentities",
                         "aks-retail-prod-agentpool")
PIP_TRAEFIK_ID = arm_id(RG_NET, "Microsoft.Network/publicIPAddresses", "pip-traefik-prod")
PIP_OUTBOUND_NAME = guid("aks-outbound-pip")
PIP_OUTBOUND_ID = arm_id(RG_NODES, "Microsoft.Network/publicIPAddresses", PIP_OUTBOUND_NAME)
PDZ_PG = "psql-retail-prod.private.postgres.database.azure.com"


def _uami(name: str) -> dict:
    return {"principalId": guid("principal", name), "clientId": guid("client", name)}


# ==================================================================== Azure: network
def _nsg_default_rules(nsg_rg: str, nsg: str) -> list[dict]:
    base = arm_id(nsg_rg, "Microsoft.Network/networkSecurityGroups", nsg)
    spec = [
        ("AllowVnetInBound", "Inbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
        ("AllowAzureLoadBalancerInBound", "Inbound", "Allow", 65001, "AzureLoadBalancer", "*"),
        ("DenyAllInBound", "Inbound", "Deny", 65500, "*", "*"),
        ("AllowVnetOutBound", "Outbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
        ("AllowInternetOutBound", "Outbound", "Allow", 65001, "*", "Internet"),
        ("DenyAllOutBound", "Outbound", "Deny", 65500, "*", "*"),
    ]
    return [
        {
            "id": f"{base}/defaultSecurityRules/{name}",
            "name": name,
            "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
            "properties": {
                "provisioningState": "Succeeded",
                "description": "Default rule",
                "protocol": "*",
                "sourcePortRange": "*",
                "destinationPortRange": "*",
                "sourceAddressPrefix": src,
                "destinationAddressPrefix": dst,
                "access": access,
                "priority": prio,
                "direction": direction,
                "sourcePortRanges": [],
                "destinationPortRanges": [],
                "sourceAddressPrefixes": [],
                "destinationAddressPrefixes": [],
            },
        }
        for name, direction, access, prio, src, dst in spec
    ]


def _nsg_rule(nsg_id: str, name: str, prio: int, direction: str, access: str, protocol: str,
              src: str, dst: str, dst_ports: str | list[str], description: str) -> dict:
    props: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "description": description,
        "protocol": protocol,
        "sourcePortRange": "*",
        "sourceAddressPrefix": src,
        "destinationAddressPrefix": dst,
        "access": access,
        "priority": prio,
        "direction": direction,
        "sourcePortRanges": [],
        "sourceAddressPrefixes": [],
        "destinationAddressPrefixes": [],
    }
    if isinstance(dst_ports, list):
        props["destinationPortRanges"] = dst_ports
    else:
        props["destinationPortRange"] = dst_ports
        props["destinationPortRanges"] = []
    return {"id": f"{nsg_id}/securityRules/{name}", "name": name,
            "type": "Microsoft.Network/networkSecurityGroups/securityRules",
            "properties": props}


def _nsg(rg: str, name: str, subnet_id: str | None, rules: list[tuple],
         tags: dict | None = None) -> Row:
    nsg_id = arm_id(rg, "Microsoft.Network/networkSecurityGroups", name)
    props: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "resourceGuid": guid("nsg", name),
        "securityRules": [_nsg_rule(nsg_id, *r) for r in rules],
        "defaultSecurityRules": _nsg_default_rules(rg, name),
    }
    if subnet_id:
        props["subnets"] = [{"id": subnet_id}]
    return arg("Microsoft.Network/networkSecurityGroups", rg, name, props,
               tags=PROD_TAGS if tags is None else tags)


def network_resources() -> list[Row]:
    """vnet-retail-prod, NSGs, the Traefik public IP, private endpoints and DNS zones."""
    nsg = {n: arm_id(RG_NET, "Microsoft.Network/networkSecurityGroups", f"nsg-{n}")
           for n in ("snet-aks", "snet-postgres", "snet-private-endpoints")}
    subnets = [
        {
            "name": "snet-aks", "id": SNET_AKS,
            "type": "Microsoft.Network/virtualNetworks/subnets",
            "properties": {
                "provisioningState": "Succeeded", "addressPrefix": "10.20.0.0/22",
                "networkSecurityGroup": {"id": nsg["snet-aks"]},
                "delegations": [], "privateEndpointNetworkPolicies": "Disabled",
                "privateLinkServiceNetworkPolicies": "Enabled",
            },
        },
        {
            "name": "snet-postgres", "id": SNET_PG,
            "type": "Microsoft.Network/virtualNetworks/subnets",
            "properties": {
                "provisioningState": "Succeeded", "addressPrefix": "10.20.4.0/24",
                "networkSecurityGroup": {"id": nsg["snet-postgres"]},
                "delegations": [{
                    "name": "Microsoft.DBforPostgreSQL.flexibleServers",
                    "id": f"{SNET_PG}/delegations/Microsoft.DBforPostgreSQL.flexibleServers",
                    "type": "Microsoft.Network/virtualNetworks/subnets/delegations",
                    "properties": {
                        "provisioningState": "Succeeded",
                        "serviceName": "Microsoft.DBforPostgreSQL/flexibleServers",
                        "actions": ["Microsoft.Network/virtualNetworks/subnets/join/action"],
                    },
                }],
                "privateEndpointNetworkPolicies": "Disabled",
                "privateLinkServiceNetworkPolicies": "Enabled",
            },
        },
        {
            "name": "snet-private-endpoints", "id": SNET_PE,
            "type": "Microsoft.Network/virtualNetworks/subnets",
            "properties": {
                "provisioningState": "Succeeded", "addressPrefix": "10.20.5.0/24",
                "networkSecurityGroup": {"id": nsg["snet-private-endpoints"]},
                "delegations": [], "privateEndpointNetworkPolicies": "Enabled",
                "privateLinkServiceNetworkPolicies": "Enabled",
                "privateEndpoints": [
                    {"id": arm_id(RG_NET, "Microsoft.Network/privateEndpoints", pe)}
                    for pe in ("pe-kv-retail-prod", "pe-acrretailprod",
                               "pe-strretailprodbackup-blob")
                ],
            },
        },
    ]
    nonprod_vnet = arm_id("rg-retail-nonprod-network", "Microsoft.Network/virtualNetworks",
                          "vnet-retail-nonprod", sub=NONPROD_SUB)
    vnet = arg("Microsoft.Network/virtualNetworks", RG_NET, "vnet-retail-prod", {
        "provisioningState": "Succeeded",
        "resourceGuid": guid("vnet", "vnet-retail-prod"),
        "addressSpace": {"addressPrefixes": ["10.20.0.0/16"]},
        "dhcpOptions": {"dnsServers": []},
        "subnets": subnets,
        "virtualNetworkPeerings": [{
            "name": "peer-to-vnet-retail-nonprod",
            "id": f"{VNET_ID}/virtualNetworkPeerings/peer-to-vnet-retail-nonprod",
            "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            "properties": {
                "provisioningState": "Succeeded",
                "peeringState": "Connected",
                "peeringSyncLevel": "FullyInSync",
                "remoteVirtualNetwork": {"id": nonprod_vnet},
                "allowVirtualNetworkAccess": True,
                "allowForwardedTraffic": False,
                "allowGatewayTransit": False,
                "useRemoteGateways": False,
                "remoteAddressSpace": {"addressPrefixes": ["10.30.0.0/16"]},
            },
        }],
        "enableDdosProtection": False,
    }, tags=PROD_TAGS)

    rows = [vnet]
    rows.append(_nsg(RG_NET, "nsg-snet-aks", SNET_AKS, [
        ("Allow-HTTPS-Internet-Inbound", 100, "Inbound", "Allow", "Tcp", "Internet",
         PIP_TRAEFIK_IP, ["80", "443"], "Storefront traffic to the Traefik load balancer"),
        ("Allow-SSH-Internet-Inbound", 110, "Inbound", "Allow", "Tcp", "Internet", "*", "22",
         "Temporary: vendor troubleshooting of node images (INC-20931)"),
    ]))
    rows.append(_nsg(RG_NET, "nsg-snet-postgres", SNET_PG, [
        ("Allow-PostgreSQL-From-AKS", 100, "Inbound", "Allow", "Tcp", "10.20.0.0/22",
         "10.20.4.0/24", "5432", "Odoo pods to PostgreSQL"),
        ("Allow-PostgreSQL-From-Nonprod", 110, "Inbound", "Allow", "Tcp", "10.30.0.0/16",
         "10.20.4.0/24", "5432", "Staging Odoo (nonprod AKS) to odoo_staging"),
    ]))
    rows.append(_nsg(RG_NET, "nsg-snet-private-endpoints", SNET_PE, []))

    rows.append(arg("Microsoft.Network/publicIPAddresses", RG_NET, "pip-traefik-prod", {
        "provisioningState": "Succeeded",
        "resourceGuid": guid("pip", "pip-traefik-prod"),
        "ipAddress": PIP_TRAEFIK_IP,
        "publicIPAddressVersion": "IPv4",
        "publicIPAllocationMethod": "Static",
        "idleTimeoutInMinutes": 4,
        "ipTags": [],
        "ddosSettings": {"protectionMode": "VirtualNetworkInherited"},
        "ipConfiguration": {"id": arm_id(RG_NODES, "Microsoft.Network/loadBalancers",
                                         "kubernetes") + "/frontendIPConfigurations/"
                                         + sha("traefik-frontend", n=32)},
    }, sku={"name": "Standard", "tier": "Regional"}, zones=["1", "2", "3"],
        tags={**PROD_TAGS, "k8s-azure-service": "traefik/traefik"}))

    zones = {
        "privatelink.vaultcore.azure.net": "kv",
        "privatelink.azurecr.io": "acr",
        "privatelink.blob.core.windows.net": "blob",
        PDZ_PG: "pg",
    }
    for zone in zones:
        records = 4 if zone == "privatelink.azurecr.io" else 2
        rows.append(arg("Microsoft.Network/privateDnsZones", RG_NET, zone, {
            "provisioningState": "Succeeded",
            "maxNumberOfRecordSets": 25000,
            "numberOfRecordSets": records,
            "maxNumberOfVirtualNetworkLinks": 1000,
            "numberOfVirtualNetworkLinks": 1,
            "maxNumberOfVirtualNetworkLinksWithRegistration": 100,
            "numberOfVirtualNetworkLinksWithRegistration": 0,
        }, location="global", tags=PROD_TAGS))
        rows.append(arg("Microsoft.Network/privateDnsZones/virtualNetworkLinks", RG_NET,
                        f"{zone}/link-vnet-retail-prod", {
            "provisioningState": "Succeeded",
            "virtualNetwork": {"id": VNET_ID},
            "registrationEnabled": False,
            "resolutionPolicy": "Default",
            "virtualNetworkLinkState": "Completed",
        }, location="global", tags=PROD_TAGS))

    endpoints = [
        ("pe-kv-retail-prod", KV_ID, "vault", "privatelink.vaultcore.azure.net", "10.20.5.4"),
        ("pe-acrretailprod", ACR_ID, "registry", "privatelink.azurecr.io", "10.20.5.5"),
        ("pe-strretailprodbackup-blob", ST_BACKUP_ID, "blob",
         "privatelink.blob.core.windows.net", "10.20.5.7"),
    ]
    for pe, target, group, zone, ip in endpoints:
        pe_id = arm_id(RG_NET, "Microsoft.Network/privateEndpoints", pe)
        nic = f"{pe}.nic.{guid('pe-nic', pe)}"
        nic_id = arm_id(RG_NET, "Microsoft.Network/networkInterfaces", nic)
        rows.append(arg("Microsoft.Network/privateEndpoints", RG_NET, pe, {
            "provisioningState": "Succeeded",
            "resourceGuid": guid("pe", pe),
            "subnet": {"id": SNET_PE},
            "networkInterfaces": [{"id": nic_id}],
            "privateLinkServiceConnections": [{
                "name": pe,
                "id": f"{pe_id}/privateLinkServiceConnections/{pe}",
                "type": "Microsoft.Network/privateEndpoints/privateLinkServiceConnections",
                "properties": {
                    "provisioningState": "Succeeded",
                    "privateLinkServiceId": target,
                    "groupIds": [group],
                    "privateLinkServiceConnectionState": {
                        "status": "Approved", "description": "Auto-Approved",
                        "actionsRequired": "None"},
                },
            }],
            "manualPrivateLinkServiceConnections": [],
            "customNetworkInterfaceName": "",
            "ipConfigurations": [],
            "customDnsConfigs": [],
            "privateDnsZoneGroups": [{"name": "default", "privateDnsZoneId":
                                      arm_id(RG_NET, "Microsoft.Network/privateDnsZones", zone)}],
        }, tags=PROD_TAGS))
        rows.append(arg("Microsoft.Network/networkInterfaces", RG_NET, nic, {
            "provisioningState": "Succeeded",
            "resourceGuid": guid("nic", nic),
            "ipConfigurations": [{
                "name": f"privateEndpointIpConfig.{guid('ipconfig', pe)}",
                "id": f"{nic_id}/ipConfigurations/privateEndpointIpConfig",
                "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                "properties": {
                    "provisioningState": "Succeeded",
                    "privateIPAddress": ip,
                    "privateIPAllocationMethod": "Dynamic",
                    "subnet": {"id": SNET_PE},
                    "primary": True,
                    "privateIPAddressVersion": "IPv4",
                    "privateLinkConnectionProperties": {"groupId": group,
                                                        "requiredMemberName": group,
                                                        "fqdns": []},
                },
            }],
            "dnsSettings": {"dnsServers": [], "appliedDnsServers": []},
            "enableAcceleratedNetworking": False,
            "enableIPForwarding": False,
            "privateEndpoint": {"id": pe_id},
            "nicType": "Standard",
        }))

    rows.append(arg("Microsoft.Network/networkWatchers", RG_NETWATCH,
                    "NetworkWatcher_westeurope", {"provisioningState": "Succeeded"}))
    return rows


# ======================================================================== Azure: AKS
def _pool(name: str, mode: str, vm_size: str, count: int, zones: list[str],
          autoscale: tuple[int, int] | None, extra: dict | None = None) -> dict:
    pool: dict[str, Any] = {
        "name": name,
        "count": count,
        "vmSize": vm_size,
        "osDiskSizeGB": 128,
        "osDiskType": "Ephemeral",
        "kubeletDiskType": "OS",
        "vnetSubnetID": SNET_AKS,
        "maxPods": 50,
        "type": "VirtualMachineScaleSets",
        "availabilityZones": zones,
        "enableAutoScaling": autoscale is not None,
        "scaleDownMode": "Delete",
        "provisioningState": "Succeeded",
        "powerState": {"code": "Running"},
        "orchestratorVersion": "1.29.9",
        "currentOrchestratorVersion": "1.29.9",
        "enableNodePublicIP": False,
        "mode": mode,
        "enableEncryptionAtHost": False,
        "enableUltraSSD": False,
        "osType": "Linux",
        "osSKU": "Ubuntu",
        "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202411.12.0",
        "upgradeSettings": {"maxSurge": "10%"},
        "enableFIPS": False,
        "securityProfile": {"enableVTPM": False, "enableSecureBoot": False},
    }
    if autoscale:
        pool["minCount"], pool["maxCount"] = autoscale
    pool.update(extra or {})
    return pool


def aks_resources() -> list[Row]:
    """The cluster, its registry, identities, the Container Insights DCR and node RG."""
    aks_props = {
        "provisioningState": "Succeeded",
        "powerState": {"code": "Running"},
        "kubernetesVersion": "1.29.9",
        "currentKubernetesVersion": "1.29.9",
        "dnsPrefix": "aks-retail-prod",
        "fqdn": "aks-retail-prod-k7x2m9qd.hcp.westeurope.azmk8s.io",
        "azurePortalFQDN": "aks-retail-prod-k7x2m9qd.portal.hcp.westeurope.azmk8s.io",
        "agentPoolProfiles": [
            _pool("system", "System", "Standard_D4ds_v5", 3, ["1", "2", "3"], None,
                  {"nodeTaints": ["CriticalAddonsOnly=true:NoSchedule"]}),
            _pool("odoo", "User", "Standard_D8ds_v5", 3, ["1", "2"], (3, 12),
                  {"nodeLabels": {"workload": "odoo"}}),
        ],
        "servicePrincipalProfile": {"clientId": "msi"},
        "addonProfiles": {
            "azurepolicy": {
                "enabled": True, "config": None,
                "identity": {"resourceId": arm_id(RG_NODES,
                             "Microsoft.ManagedIdentity/userAssignedIdentities",
                             "azurepolicy-aks-retail-prod"),
                             **_uami("azurepolicy-aks-retail-prod")},
            },
            "omsagent": {
                "enabled": True,
                "config": {"logAnalyticsWorkspaceResourceID": LAW_ID, "useAADAuth": "true"},
                "identity": {"resourceId": arm_id(RG_NODES,
                             "Microsoft.ManagedIdentity/userAssignedIdentities",
                             "omsagent-aks-retail-prod"),
                             **_uami("omsagent-aks-retail-prod")},
            },
            "azureKeyvaultSecretsProvider": {"enabled": False, "config": None},
        },
        "nodeResourceGroup": RG_NODES,
        "enableRBAC": True,
        "supportPlan": "KubernetesOfficial",
        "networkProfile": {
            "networkPlugin": "azure",
            "networkPolicy": "calico",
            "networkDataplane": "azure",
            "loadBalancerSku": "standard",
            "outboundType": "loadBalancer",
            "serviceCidr": "10.0.0.0/16",
            "dnsServiceIP": "10.0.0.10",
            "serviceCidrs": ["10.0.0.0/16"],
            "ipFamilies": ["IPv4"],
            "loadBalancerProfile": {
                "managedOutboundIPs": {"count": 1},
                "effectiveOutboundIPs": [{"id": PIP_OUTBOUND_ID,
                                          "resourceGroup": RG_NODES}],
                "backendPoolType": "nodeIPConfiguration",
                "allocatedOutboundPorts": 0,
                "idleTimeoutInMinutes": 30,
            },
        },
        "aadProfile": {
            "managed": True,
            "adminGroupObjectIDs": [guid("group", "grp-platform-engineers")],
            "enableAzureRBAC": True,
            "tenantID": ENTRA_TENANT,
        },
        "maxAgentPools": 100,
        "apiServerAccessProfile": {"enablePrivateCluster": False},
        "autoUpgradeProfile": {"upgradeChannel": "none", "nodeOSUpgradeChannel": "NodeImage"},
        "disableLocalAccounts": False,
        "securityProfile": {
            "workloadIdentity": {"enabled": True},
            "defender": {"logAnalyticsWorkspaceResourceId": LAW_ID,
                         "securityMonitoring": {"enabled": True}},
            "imageCleaner": {"enabled": True, "intervalHours": 168},
        },
        "oidcIssuerProfile": {
            "enabled": True,
            "issuerURL": f"https://westeurope.oic.prod-aks.azure.com/{ENTRA_TENANT}/"
                         f"{guid('oidc', CLUSTER)}/",
        },
        "storageProfile": {
            "diskCSIDriver": {"enabled": True},
            "fileCSIDriver": {"enabled": True},
            "blobCSIDriver": {"enabled": True},
            "snapshotController": {"enabled": True},
        },
        "identityProfile": {
            "kubeletidentity": {"resourceId": UAMI_KUBELET_ID,
                                "clientId": guid("client", "aks-retail-prod-agentpool"),
                                "objectId": guid("principal", "aks-retail-prod-agentpool")},
        },
        "autoScalerProfile": {
            "balance-similar-node-groups": "false",
            "expander": "random",
            "max-empty-bulk-delete": "10",
            "max-graceful-termination-sec": "600",
            "max-node-provision-time": "15m",
            "max-total-unready-percentage": "45",
            "new-pod-scale-up-delay": "0s",
            "ok-total-unready-count": "3",
            "scale-down-delay-after-add": "10m",
            "scale-down-delay-after-delete": "10s",
            "scale-down-delay-after-failure": "3m",
            "scale-down-unneeded-time": "10m",
            "scale-down-unready-time": "20m",
            "scale-down-utilization-threshold": "0.5",
            "scan-interval": "10s",
            "skip-nodes-with-local-storage": "false",
            "skip-nodes-with-system-pods": "true",
        },
        "workloadAutoScalerProfile": {},
        "metricsProfile": {"costAnalysis": {"enabled": False}},
        "resourceUID": sha("aks-resource-uid", n=24),
    }
    rows = [arg("Microsoft.ContainerService/managedClusters", RG_AKS, CLUSTER, aks_props,
                sku={"name": "Base", "tier": "Free"}, tags=PROD_TAGS,
                identity={"type": "UserAssigned",
                          "userAssignedIdentities": {UAMI_AKS_ID: _uami("id-aks-retail-prod")}})]

    rows.append(arg("Microsoft.ContainerRegistry/registries", RG_AKS, "acrretailprod", {
        "loginServer": "acrretailprod.azurecr.io",
        "creationDate": "2025-02-11T10:14:52.1139532Z",
        "provisioningState": "Succeeded",
        "adminUserEnabled": False,
        "anonymousPullEnabled": False,
        "dataEndpointEnabled": False,
        "dataEndpointHostNames": [],
        "encryption": {"status": "disabled"},
        "networkRuleBypassOptions": "AzureServices",
        "networkRuleSet": {"defaultAction": "Allow", "ipRules": []},
        "policies": {
            "quarantinePolicy": {"status": "disabled"},
            "trustPolicy": {"type": "Notary", "status": "disabled"},
            "retentionPolicy": {"days": 30, "status": "enabled"},
            "exportPolicy": {"status": "enabled"},
            "azureADAuthenticationAsArmPolicy": {"status": "enabled"},
        },
        "privateEndpointConnections": [{
            "id": f"{ACR_ID}/privateEndpointConnections/pe-acrretailprod",
            "properties": {
                "privateEndpoint": {"id": arm_id(RG_NET, "Microsoft.Network/privateEndpoints",
                                                 "pe-acrretailprod")},
                "privateLinkServiceConnectionState": {"status": "Approved",
                                                      "description": "Auto-Approved",
                                                      "actionsRequired": "None"},
                "provisioningState": "Succeeded",
            },
        }],
        "publicNetworkAccess": "Enabled",
        "zoneRedundancy": "Enabled",
    }, sku={"name": "Premium", "tier": "Premium"}, tags=PROD_TAGS))

    for name, rg in (("id-aks-retail-prod", RG_AKS), ("id-odoo-workload", RG_AKS),
                     ("aks-retail-prod-agentpool", RG_NODES),
                     ("azurepolicy-aks-retail-prod", RG_NODES),
                     ("omsagent-aks-retail-prod", RG_NODES)):
        rows.append(arg("Microsoft.ManagedIdentity/userAssignedIdentities", rg, name, {
            "tenantId": ENTRA_TENANT, **_uami(name)}, tags=PROD_TAGS if rg != RG_NODES else {}))

    rows.append(arg("Microsoft.Insights/dataCollectionRules", RG_AKS,
                    "MSCI-westeurope-aks-retail-prod", {
        "immutableId": "dcr-" + sha("dcr-msci", n=32),
        "dataSources": {"extensions": [{
            "streams": ["Microsoft-ContainerLog", "Microsoft-ContainerLogV2",
                        "Microsoft-KubeEvents", "Microsoft-KubePodInventory",
                        "Microsoft-KubeNodeInventory", "Microsoft-InsightsMetrics"],
            "extensionName": "ContainerInsights",
            "extensionSettings": {"dataCollectionSettings": {
                "interval": "1m", "namespaceFilteringMode": "Off",
                "enableContainerLogV2": True}},
            "name": "ContainerInsightsExtension",
        }]},
        "destinations": {"logAnalytics": [{"workspaceResourceId": LAW_ID,
                                           "workspaceId": guid("law", "log-retail-prod"),
                                           "name": "ciworkspace"}]},
        "dataFlows": [{"streams": ["Microsoft-ContainerInsights-Group-Default"],
                       "destinations": ["ciworkspace"]}],
        "provisioningState": "Succeeded",
    }, kind="Linux", tags=PROD_TAGS))

    rows.extend(node_resource_group())
    return rows


def node_resource_group() -> list[Row]:
    """What AKS creates in its node resource group: VMSS, load balancer, outbound IP, disks."""
    aks_tags = {"aks-managed-cluster-name": CLUSTER, "aks-managed-cluster-rg": RG_AKS}
    rows = []
    for pool, size, count, zones in (("system", "Standard_D4ds_v5", 3, ["1", "2", "3"]),
                                     ("odoo", "Standard_D8ds_v5", 3, ["1", "2"])):
        name = f"aks-{pool}-{VMSS_SUFFIX}-vmss"
        rows.append(arg("Microsoft.Compute/virtualMachineScaleSets", RG_NODES, name, {
            "singlePlacementGroup": False,
            "orchestrationMode": "Uniform",
            "upgradePolicy": {"mode": "Manual"},
            "virtualMachineProfile": {
                "osProfile": {"computerNamePrefix": f"aks-{pool}-{VMSS_SUFFIX}-vmss",
                              "adminUsername": "azureuser",
                              "linuxConfiguration": {"disablePasswordAuthentication": True,
                                                     "provisionVMAgent": True}},
                "storageProfile": {
                    "osDisk": {"osType": "Linux", "createOption": "FromImage",
                               "caching": "ReadOnly", "diskSizeGB": 128,
                               "diffDiskSettings": {"option": "Local", "placement": "CacheDisk"},
                               "managedDisk": {"storageAccountType": "Standard_LRS"}},
                    "imageReference": {"id": "/subscriptions/109a5e88-712a-48ae-9078-"
                                       "9ca8b3c81345/resourceGroups/AKS-Ubuntu/providers/"
                                       "Microsoft.Compute/galleries/AKSUbuntu/images/"
                                       "2204gen2containerd/versions/202411.12.0"},
                },
                "networkProfile": {"networkInterfaceConfigurations": [{
                    "name": name,
                    "properties": {"primary": True, "enableAcceleratedNetworking": True,
                                   "ipConfigurations": [{"name": "ipconfig1", "properties": {
                                       "primary": True, "subnet": {"id": SNET_AKS}}}]},
                }]},
            },
            "overprovision": False,
            "doNotRunExtensionsOnOverprovisionedVMs": False,
            "platformFaultDomainCount": 1,
            "provisioningState": "Succeeded",
            "uniqueId": guid("vmss", name),
            "timeCreated": "2025-02-11T10:31:07.5546213+00:00",
        }, sku={"name": size, "tier": "Standard", "capacity": count}, zones=zones,
            tags={**aks_tags, "aks-managed-poolName": pool,
                  "aks-managed-createOperationID": guid("op", pool),
                  "aks-managed-orchestrator": "Kubernetes:1.29.9"},
            identity={"type": "UserAssigned",
                      "userAssignedIdentities": {UAMI_KUBELET_ID: _uami(
                          "aks-retail-prod-agentpool")}}))

    lb_id = arm_id(RG_NODES, "Microsoft.Network/loadBalancers", "kubernetes")
    rows.append(arg("Microsoft.Network/loadBalancers", RG_NODES, "kubernetes", {
        "provisioningState": "Succeeded",
        "resourceGuid": guid("lb", "kubernetes"),
        "frontendIPConfigurations": [
            {"name": sha("outbound-frontend", n=32),
             "properties": {"publicIPAddress": {"id": PIP_OUTBOUND_ID}}},
            {"name": sha("traefik-frontend", n=32),
             "properties": {"publicIPAddress": {"id": PIP_TRAEFIK_ID}}},
        ],
        "backendAddressPools": [{"name": "kubernetes", "id": f"{lb_id}/backendAddressPools/"
                                 "kubernetes"},
                                {"name": "aksOutboundBackendPool",
                                 "id": f"{lb_id}/backendAddressPools/aksOutboundBackendPool"}],
        "loadBalancingRules": [
            {"name": f"{sha('traefik-frontend', n=32)}-TCP-{port}", "properties": {
                "protocol": "Tcp", "frontendPort": port, "backendPort": port,
                "enableFloatingIP": True, "idleTimeoutInMinutes": 4,
                "disableOutboundSnat": True, "loadDistribution": "Default"}}
            for port in (80, 443)
        ],
        "probes": [{"name": f"{sha('traefik-frontend', n=32)}-TCP-{port}",
                    "properties": {"protocol": "Http", "port": 32114,
                                   "requestPath": "/healthz", "intervalInSeconds": 5,
                                   "numberOfProbes": 2, "probeThreshold": 1}}
                   for port in (80, 443)],
        "outboundRules": [{"name": "aksOutboundRule", "properties": {
            "allocatedOutboundPorts": 0, "protocol": "All", "enableTcpReset": True,
            "idleTimeoutInMinutes": 30}}],
        "inboundNatRules": [],
        "inboundNatPools": [],
    }, sku={"name": "Standard", "tier": "Regional"}, tags=aks_tags))

    rows.append(arg("Microsoft.Network/publicIPAddresses", RG_NODES, PIP_OUTBOUND_NAME, {
        "provisioningState": "Succeeded",
        "resourceGuid": guid("pip", PIP_OUTBOUND_NAME),
        "ipAddress": "20.76.188.203",
        "publicIPAddressVersion": "IPv4",
        "publicIPAllocationMethod": "Static",
        "idleTimeoutInMinutes": 4,
        "ipTags": [],
        "ipConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/"
                                  f"{sha('outbound-frontend', n=32)}"},
    }, sku={"name": "Standard", "tier": "Regional"}, zones=["1", "2", "3"],
        tags={**aks_tags, "aks-managed-type": "aks-slb-managed-outbound-ip"}))

    rows.append(_nsg(RG_NODES, f"aks-agentpool-{VMSS_SUFFIX}-nsg", None, [], tags=aks_tags))

    for pvc, zone, size in (("prometheus-db-prometheus-0", "1", 128),
                            ("alertmanager-db-alertmanager-0", "2", 8)):
        disk = f"pvc-{guid('pvc', pvc)}"
        rows.append(arg("Microsoft.Compute/disks", RG_NODES, disk, {
            "creationData": {"createOption": "Empty"},
            "diskSizeGB": size,
            "diskIOPSReadWrite": 500 if size > 64 else 120,
            "diskMBpsReadWrite": 100 if size > 64 else 25,
            "encryption": {"type": "EncryptionAtRestWithPlatformKey"},
            "networkAccessPolicy": "AllowAll",
            "publicNetworkAccess": "Enabled",
            "timeCreated": "2025-03-04T08:12:40.0000000+00:00",
            "provisioningState": "Succeeded",
            "diskState": "Attached",
            "diskSizeBytes": size * 1024 ** 3,
            "uniqueId": guid("disk", disk),
            "tier": "P10" if size > 64 else "P2",
        }, sku={"name": "Premium_LRS", "tier": "Premium"}, zones=[zone], tags={
            **aks_tags, "k8s-azure-created-by": "kubernetes-azure-dd",
            "kubernetes.io-created-for-pv-name": disk,
            "kubernetes.io-created-for-pvc-name": pvc,
            "kubernetes.io-created-for-pvc-namespace": "monitoring"}))
    return rows


# ======================================================================= Azure: data
def data_resources() -> list[Row]:
    """PostgreSQL flexible server, Redis, and the two storage accounts."""
    rows = [arg("Microsoft.DBforPostgreSQL/flexibleServers", RG_DATA, "psql-retail-prod", {
        "replica": {"role": "Primary", "capacity": 5},
        "storage": {"type": "", "iops": 2300, "tier": "P20", "storageSizeGB": 512,
                    "autoGrow": "Enabled"},
        "network": {
            "publicNetworkAccess": "Disabled",
            "delegatedSubnetResourceId": SNET_PG,
            "privateDnsZoneArmResourceId": arm_id(RG_NET, "Microsoft.Network/privateDnsZones",
                                                  PDZ_PG),
        },
        "dataEncryption": {"type": "SystemManaged"},
        "authConfig": {"activeDirectoryAuth": "Enabled", "passwordAuth": "Enabled",
                       "tenantId": ENTRA_TENANT},
        "fullyQualifiedDomainName": "psql-retail-prod.postgres.database.azure.com",
        "version": "16",
        "minorVersion": "4",
        "administratorLogin": "pgadmin",
        "state": "Ready",
        "availabilityZone": "1",
        "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled",
                   "earliestRestoreDate": "2026-11-18T09:00:12.4417325+00:00"},
        "highAvailability": {"mode": "SameZone", "state": "Healthy",
                             "standbyAvailabilityZone": "1"},
        "maintenanceWindow": {"customWindow": "Enabled", "dayOfWeek": 0, "startHour": 2,
                              "startMinute": 0},
        "replicationRole": "Primary",
        "replicaCapacity": 5,
    }, sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"}, tags=PROD_TAGS)]

    rows.append(arg("Microsoft.Cache/Redis", RG_DATA, "redis-retail-prod", {
        "provisioningState": "Succeeded",
        "redisVersion": "6.2.14",
        "sku": {"name": "Premium", "family": "P", "capacity": 1},
        "enableNonSslPort": False,
        "minimumTlsVersion": "1.2",
        "publicNetworkAccess": "Enabled",
        "disableAccessKeyAuthentication": False,
        "replicasPerMaster": 1,
        "replicasPerPrimary": 1,
        "updateChannel": "Stable",
        "zonalAllocationPolicy": "UserDefined",
        "redisConfiguration": {
            "aad-enabled": "false",
            "maxclients": "7500",
            "maxmemory-reserved": "642",
            "maxfragmentationmemory-reserved": "642",
            "maxmemory-delta": "642",
            "maxmemory-policy": "volatile-lru",
            "rdb-backup-enabled": "true",
            "rdb-backup-frequency": "60",
            "rdb-backup-max-snapshot-count": "1",
        },
        "hostName": "redis-retail-prod.redis.cache.windows.net",
        "port": 6379,
        "sslPort": 6380,
        "linkedServers": [],
        "instances": [
            {"sslPort": 15000, "nonSslPort": 13000, "zone": "1", "isMaster": True,
             "isPrimary": True},
            {"sslPort": 15001, "nonSslPort": 13001, "zone": "2", "isMaster": False,
             "isPrimary": False},
        ],
        "privateEndpointConnections": [],
    }, zones=["1", "2"], tags=PROD_TAGS))

    for name, sku, public, acl in (
        ("strretailprodfiles", "Standard_ZRS", "Enabled", "Allow"),
        ("strretailprodbackup", "Standard_LRS", "Disabled", "Deny"),
    ):
        sa_id = arm_id(RG_DATA, "Microsoft.Storage/storageAccounts", name)
        endpoints = {svc: f"https://{name}.{svc}.core.windows.net/"
                     for svc in ("blob", "dfs", "file", "queue", "table", "web")}
        endpoints["web"] = f"https://{name}.z6.web.core.windows.net/"
        props: dict[str, Any] = {
            "provisioningState": "Succeeded",
            "creationTime": "2025-02-11T10:20:31.8472143Z",
            "primaryLocation": "westeurope",
            "statusOfPrimary": "available",
            "primaryEndpoints": endpoints,
            "accessTier": "Hot" if name.endswith("files") else "Cool",
            "allowBlobPublicAccess": False,
            "allowCrossTenantReplication": False,
            "allowSharedKeyAccess": True,
            "defaultToOAuthAuthentication": False,
            "dnsEndpointType": "Standard",
            "isHnsEnabled": False,
            "isSftpEnabled": False,
            "isLocalUserEnabled": False,
            "largeFileSharesState": "Enabled" if name.endswith("files") else None,
            "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": True,
            "publicNetworkAccess": public,
            "networkAcls": {"bypass": "AzureServices", "defaultAction": acl,
                            "ipRules": [], "virtualNetworkRules": [],
                            "resourceAccessRules": []},
            "encryption": {
                "keySource": "Microsoft.Storage",
                "requireInfrastructureEncryption": False,
                "services": {
                    svc: {"enabled": True, "keyType": "Account",
                          "lastEnabledTime": "2025-02-11T10:20:32.0347198Z"}
                    for svc in ("blob", "file")
                },
            },
            "keyCreationTime": {"key1": "2025-02-11T10:20:31.9784624Z",
                                "key2": "2025-02-11T10:20:31.9784624Z"},
        }
        if props["largeFileSharesState"] is None:
            del props["largeFileSharesState"]
        if public == "Disabled":
            props["privateEndpointConnections"] = [{
                "id": f"{sa_id}/privateEndpointConnections/pe-{name}-blob",
                "type": "Microsoft.Storage/storageAccounts/privateEndpointConnections",
                "properties": {
                    "provisioningState": "Succeeded",
                    "privateEndpoint": {"id": arm_id(RG_NET, "Microsoft.Network/"
                                                     "privateEndpoints",
                                                     f"pe-{name}-blob")},
                    "privateLinkServiceConnectionState": {"status": "Approved",
                                                          "description": "Auto-Approved",
                                                          "actionRequired": "None"},
                },
            }]
        rows.append(arg("Microsoft.Storage/storageAccounts", RG_DATA, name, props,
                        kind="StorageV2", sku={"name": sku, "tier": "Standard"},
                        tags={**PROD_TAGS, "purpose": "odoo-filestore" if name.endswith(
                            "files") else "filestore-and-aks-backup"}))
    return rows


# ======================================================================== Azure: ops
def ops_resources() -> list[Row]:
    """Key Vault, Log Analytics, Application Insights, alerting and backup vaults."""
    rows = [arg("Microsoft.KeyVault/vaults", RG_OPS, "kv-retail-prod", {
        "sku": {"family": "A", "name": "standard"},
        "tenantId": ENTRA_TENANT,
        "accessPolicies": [],
        "enabledForDeployment": False,
        "enabledForDiskEncryption": False,
        "enabledForTemplateDeployment": False,
        "enableSoftDelete": True,
        "softDeleteRetentionInDays": 90,
        "enableRbacAuthorization": True,
        "vaultUri": "https://kv-retail-prod.vault.azure.net/",
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "Disabled",
        "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [],
                        "virtualNetworkRules": []},
        "privateEndpointConnections": [{
            "id": f"{KV_ID}/privateEndpointConnections/pe-kv-retail-prod",
            "etag": "",
            "properties": {
                "privateEndpoint": {"id": arm_id(RG_NET, "Microsoft.Network/privateEndpoints",
                                                 "pe-kv-retail-prod")},
                "privateLinkServiceConnectionState": {"status": "Approved",
                                                      "actionsRequired": "None"},
                "provisioningState": "Succeeded",
            },
        }],
    }, tags=PROD_TAGS)]

    rows.append(arg("Microsoft.OperationalInsights/workspaces", RG_OPS, "log-retail-prod", {
        "provisioningState": "Succeeded",
        "customerId": guid("law", "log-retail-prod"),
        "sku": {"name": "PerGB2018", "lastSkuUpdate": "2025-02-11T10:12:09.6180000Z"},
        "retentionInDays": 30,
        "features": {"legacy": 0, "searchVersion": 1,
                     "enableLogAccessUsingOnlyResourcePermissions": True},
        "workspaceCapping": {"dailyQuotaGb": -1.0, "quotaNextResetTime":
                             "2026-11-25T14:00:00Z", "dataIngestionStatus": "RespectQuota"},
        "publicNetworkAccessForIngestion": "Enabled",
        "publicNetworkAccessForQuery": "Enabled",
        "createdDate": "2025-02-11T10:12:09.618Z",
        "modifiedDate": "2026-06-02T15:41:27.229Z",
    }, tags=PROD_TAGS))

    rows.append(arg("Microsoft.OperationsManagement/solutions", RG_OPS,
                    "ContainerInsights(log-retail-prod)", {
        "workspaceResourceId": LAW_ID,
        "provisioningState": "Succeeded",
        "containedResources": [f"{LAW_ID}/views/ContainerInsights(log-retail-prod)"],
        "referencedResources": [],
    }))

    rows.append(arg("Microsoft.Insights/components", RG_OPS, "appi-odoo-prod", {
        "ApplicationId": "appi-odoo-prod",
        "AppId": guid("appi", "appid"),
        "Application_Type": "web",
        "Flow_Type": "Bluefield",
        "Request_Source": "rest",
        "InstrumentationKey": guid("appi", "ikey"),
        "CreationDate": "2025-02-11T10:40:18.3317765+00:00",
        "TenantId": SUB,
        "IngestionMode": "LogAnalytics",
        "WorkspaceResourceId": LAW_ID,
        "RetentionInDays": 90,
        "SamplingPercentage": None,
        "publicNetworkAccessForIngestion": "Enabled",
        "publicNetworkAccessForQuery": "Enabled",
        "provisioningState": "Succeeded",
    }, kind="web", tags=PROD_TAGS))

    rows.append(arg("Microsoft.Insights/actionGroups", RG_OPS, "ag-retail-oncall", {
        "groupShortName": "retail-oc",
        "enabled": True,
        "emailReceivers": [
            {"name": "platform-oncall-mailbox", "emailAddress": "platform-oncall@demo-retail"
             ".example", "useCommonAlertSchema": True, "status": "Enabled"},
            {"name": "service-delivery", "emailAddress": "service-delivery@demo-retail.example",
             "useCommonAlertSchema": True, "status": "Enabled"},
        ],
        "smsReceivers": [],
        "webhookReceivers": [],
        "eventHubReceivers": [],
        "itsmReceivers": [],
        "azureAppPushReceivers": [],
        "automationRunbookReceivers": [],
        "voiceReceivers": [],
        "logicAppReceivers": [],
        "azureFunctionReceivers": [],
        "armRoleReceivers": [],
    }, location="Global", tags=PROD_TAGS))

    def metric_alert(name: str, scope: str, ns: str, metric: str, threshold: float,
                     severity: int, description: str) -> Row:
        return arg("Microsoft.Insights/metricAlerts", RG_OPS, name, {
            "description": description,
            "severity": severity,
            "enabled": True,
            "scopes": [scope],
            "evaluationFrequency": "PT1M",
            "windowSize": "PT5M",
            "criteria": {
                "odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                "allOf": [{
                    "threshold": threshold,
                    "name": "Metric1",
                    "metricNamespace": ns,
                    "metricName": metric,
                    "operator": "GreaterThan",
                    "timeAggregation": "Average",
                    "skipMetricValidation": False,
                    "criterionType": "StaticThresholdCriterion",
                    "dimensions": [],
                }],
            },
            "autoMitigate": True,
            "targetResourceType": ns,
            "targetResourceRegion": LOCATION,
            "actions": [{"actionGroupId": AG_ID, "webHookProperties": {}}],
        }, location="global", tags=PROD_TAGS)

    rows.append(metric_alert("alert-aks-node-cpu-high", AKS_ID,
                             "Microsoft.ContainerService/managedClusters",
                             "node_cpu_usage_percentage", 80, 2,
                             "AKS node CPU above 80% for 5 minutes"))
    rows.append(metric_alert("alert-psql-cpu-high", PG_ID,
                             "Microsoft.DBforPostgreSQL/flexibleServers", "cpu_percent", 85, 2,
                             "PostgreSQL CPU above 85% for 5 minutes"))

    rows.append(arg("Microsoft.Insights/activityLogAlerts", RG_OPS,
                    "alert-service-health-westeurope", {
        "scopes": [f"/subscriptions/{SUB}"],
        "condition": {"allOf": [
            {"field": "category", "equals": "ServiceHealth"},
            {"field": "properties.impactedServices[*].ImpactedRegions[*].RegionName",
             "containsAny": ["West Europe", "Global"]},
        ]},
        "actions": {"actionGroups": [{"actionGroupId": AG_ID, "webhookProperties": {}}]},
        "enabled": True,
        "description": "Service issues, planned maintenance and advisories in West Europe",
    }, location="Global", tags=PROD_TAGS))

    rows.append(arg("microsoft.alertsManagement/smartDetectorAlertRules", RG_OPS,
                    "Failure Anomalies - appi-odoo-prod", {
        "description": "Failure Anomalies notifies you of an unusual rise in the rate of "
                       "failed HTTP requests or dependency calls.",
        "state": "Enabled",
        "severity": "Sev3",
        "frequency": "PT1M",
        "detector": {"id": "FailureAnomaliesDetector"},
        "scope": [APPI_ID],
        "actionGroups": {"groupIds": [AG_ID]},
    }, location="global"))

    rows.append(arg("Microsoft.RecoveryServices/vaults", RG_OPS, "rsv-retail-prod", {
        "provisioningState": "Succeeded",
        "privateEndpointStateForBackup": "None",
        "privateEndpointStateForSiteRecovery": "None",
        "publicNetworkAccess": "Enabled",
        "redundancySettings": {"standardTierStorageRedundancy": "GeoRedundant",
                               "crossRegionRestore": "Disabled"},
        "securitySettings": {
            "softDeleteSettings": {"softDeleteState": "Enabled",
                                   "softDeleteRetentionPeriodInDays": 14,
                                   "enhancedSecurityState": "Enabled"},
            "multiUserAuthorization": "Disabled",
        },
        "secureScore": "Minimum",
        "bcdrSecurityLevel": "Fair",
        "monitoringSettings": {
            "azureMonitorAlertSettings": {"alertsForAllJobFailures": "Enabled"},
            "classicAlertSettings": {"alertsForCriticalOperations": "Disabled"},
        },
        "restoreSettings": {"crossSubscriptionRestoreSettings": {
            "crossSubscriptionRestoreState": "Enabled"}},
    }, sku={"name": "RS0", "tier": "Standard"}, tags=PROD_TAGS,
        identity={"type": "None"}))

    rows.append(arg("Microsoft.DataProtection/backupVaults", RG_OPS, "bvault-retail-prod", {
        "provisioningState": "Succeeded",
        "resourceMoveState": "Unknown",
        "storageSettings": [{"datastoreType": "VaultStore", "type": "GeoRedundant"}],
        "securitySettings": {"softDeleteSettings": {"state": "On",
                                                    "retentionDurationInDays": 14.0}},
        "featureSettings": {"crossRegionRestoreSettings": {"state": "Disabled"}},
        "monitoringSettings": {"azureMonitorAlertSettings": {
            "alertsForAllJobFailures": "Enabled"}},
        "secureScore": "Minimum",
        "isVaultProtectedByResourceGuard": False,
        "replicatedRegions": [],
    }, tags=PROD_TAGS, identity={"type": "SystemAssigned",
                                 "principalId": guid("principal", "bvault-retail-prod"),
                                 "tenantId": ENTRA_TENANT}))
    return rows


# ======================================================= Azure: governance and backup
def governance_resources() -> list[Row]:
    """policyresources, authorizationresources and securityresources rows."""
    rows = []
    assignments = [
        ("asb-retail-prod", f"/subscriptions/{SUB}", "Azure Security Benchmark",
         "/providers/Microsoft.Authorization/policySetDefinitions/"
         "1f3afdf9-d0c9-4c3d-847f-89da613e70a8", "Default", {}),
        ("allowed-locations-eu", f"/subscriptions/{SUB}", "Allowed locations (EU only)",
         "/providers/Microsoft.Authorization/policyDefinitions/"
         "e56962a6-4747-49cd-b67b-bf8b01975c4c", "Default",
         {"listOfAllowedLocations": {"value": ["westeurope", "northeurope", "global"]}}),
        ("aks-allowed-images", f"/subscriptions/{SUB}/resourceGroups/{RG_AKS}",
         "Kubernetes cluster containers should only use allowed images",
         "/providers/Microsoft.Authorization/policyDefinitions/"
         "febd0533-8e55-448f-b837-bd0e06f16469", "DoNotEnforce",
         {"allowedContainerImagesRegex": {"value": r"^acrretailprod\.azurecr\.io/.+$"},
          "effect": {"value": "deny"},
          "excludedNamespaces": {"value": ["kube-system", "gatekeeper-system",
                                           "azure-arc"]}}),
    ]
    for name, scope, display, definition, mode, params in assignments:
        rg = scope.split("/resourceGroups/")[1] if "/resourceGroups/" in scope else ""
        rows.append(arg("Microsoft.Authorization/policyAssignments", rg, name, {
            "displayName": display,
            "policyDefinitionId": definition,
            "scope": scope,
            "notScopes": [],
            "parameters": params,
            "enforcementMode": mode,
            "description": "",
            "metadata": {"assignedBy": "Platform Engineering",
                         "createdBy": guid("principal", "sp-terraform-prod"),
                         "createdOn": "2025-02-11T11:02:44.5187345Z"},
            "nonComplianceMessages": [],
        }, location="", rid=f"{scope}/providers/Microsoft.Authorization/policyAssignments/"
                            f"{name}", arg_table="policyresources",
            sku={"name": "A0", "tier": "Free"}))

    roles = {
        "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
        "AcrPull": "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        "AcrPush": "8311e382-0749-4cb8-b61a-304f252e45ec",
        "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
        "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
        "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
    }
    sub_scope = f"/subscriptions/{SUB}"
    grants = [
        ("Owner", sub_scope, "alice.martin@demo-retail.example", "User", None),
        ("Owner", sub_scope, "jon.okafor@demo-retail.example", "User", None),
        ("Owner", sub_scope, "it-admin@demo-retail.example", "User", "Break-glass account"),
        ("Owner", sub_scope, "grp-cloud-admins", "Group", None),
        ("Owner", sub_scope, "sp-terraform-prod", "ServicePrincipal",
         "Terraform pipeline (landing zone)"),
        ("Reader", sub_scope, "sp-readiness-reader", "ServicePrincipal",
         "Readiness review 2026-11 (read-only)"),
        ("Contributor", f"{sub_scope}/resourceGroups/{RG_AKS}", "grp-platform-engineers",
         "Group", None),
        ("Azure Kubernetes Service RBAC Cluster Admin", AKS_ID, "grp-platform-engineers",
         "Group", None),
        ("Azure Kubernetes Service RBAC Reader", AKS_ID, "grp-retail-developers", "Group",
         None),
        ("Reader", AKS_ID, "bvault-retail-prod", "ServicePrincipal", "AKS backup"),
        ("Network Contributor", f"{sub_scope}/resourceGroups/{RG_NET}", "id-aks-retail-prod",
         "ServicePrincipal", None),
        ("AcrPull", ACR_ID, "aks-retail-prod-agentpool", "ServicePrincipal", None),
        ("AcrPush", ACR_ID, "github-actions-odoo-retail", "ServicePrincipal",
         "GitHub Actions OIDC: demo-retail/odoo-retail"),
        ("Key Vault Secrets User", KV_ID, "id-odoo-workload", "ServicePrincipal", None),
        ("Storage Blob Data Contributor", ST_FILES_ID, "id-odoo-workload",
         "ServicePrincipal", "Odoo filestore (blobfuse2)"),
        ("Storage Blob Data Contributor", ST_BACKUP_ID, "id-odoo-workload",
         "ServicePrincipal", "filestore-sync CronJob"),
    ]
    for role, scope, principal, ptype, description in grants:
        ra = guid("roleassignment", role, scope, principal)
        rg = scope.split("/resourceGroups/")[1].split("/")[0] if "/resourceGroups/" in scope \
            else ""
        rows.append(arg("Microsoft.Authorization/roleAssignments", rg, ra, {
            "roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/"
                                f"roleDefinitions/{roles[role]}",
            "principalId": guid("principal", principal),
            "principalType": ptype,
            "scope": scope,
            "condition": None,
            "conditionVersion": None,
            "description": description,
            "createdOn": "2025-02-11T11:05:19.1830146Z",
            "updatedOn": "2025-02-11T11:05:19.1830146Z",
            "createdBy": guid("principal", "sp-terraform-prod"),
            "updatedBy": guid("principal", "sp-terraform-prod"),
            "delegatedManagedIdentityResourceId": None,
        }, location="", rid=f"{scope}/providers/Microsoft.Authorization/roleAssignments/{ra}",
            arg_table="authorizationresources"))

    pricings = [
        ("Containers", "Standard", None, [
            {"name": "ContainerRegistriesVulnerabilityAssessments", "isEnabled": "True"},
            {"name": "AgentlessDiscoveryForKubernetes", "isEnabled": "True"},
            {"name": "ContainerSensor", "isEnabled": "True"},
        ]),
        ("OpenSourceRelationalDatabases", "Free", None, []),
        ("KeyVaults", "Standard", "PerKeyVault", []),
        ("StorageAccounts", "Standard", "DefenderForStorageV2", [
            {"name": "OnUploadMalwareScanning", "isEnabled": "False"},
            {"name": "SensitiveDataDiscovery", "isEnabled": "True"},
        ]),
        ("Arm", "Standard", "PerSubscription", []),
    ]
    for plan, tier, sub_plan, extensions in pricings:
        props: dict[str, Any] = {
            "pricingTier": tier,
            "freeTrialRemainingTime": "PT0S",
        }
        if tier == "Standard":
            props["enablementTime"] = "2025-02-12T08:30:00.0000000Z"
        if sub_plan:
            props["subPlan"] = sub_plan
        if extensions:
            props["extensions"] = extensions
        rows.append(arg("Microsoft.Security/pricings", "", plan, props, location="",
                        rid=f"/subscriptions/{SUB}/providers/Microsoft.Security/pricings/{plan}",
                        arg_table="securityresources"))
    return rows


def backup_items() -> list[Row]:
    """recoveryservicesresources: vault policies, the AKS backup instance and its jobs."""
    rows = [arg("Microsoft.RecoveryServices/vaults/backupPolicies", RG_OPS,
                "rsv-retail-prod/DefaultPolicy", {
        "backupManagementType": "AzureIaasVM",
        "policyType": "V1",
        "instantRpRetentionRangeInDays": 2,
        "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy",
                           "scheduleRunFrequency": "Daily",
                           "scheduleRunTimes": ["2025-02-11T19:30:00Z"],
                           "scheduleWeeklyFrequency": 0},
        "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                            "dailySchedule": {"retentionTimes": ["2025-02-11T19:30:00Z"],
                                              "retentionDuration": {"count": 30,
                                                                    "durationType": "Days"}}},
        "timeZone": "UTC",
        "protectedItemsCount": 0,
    }, location="", arg_table="recoveryservicesresources")]

    policy_id = f"{BV_ID}/backupPolicies/aks-daily-7d"
    rows.append(arg("Microsoft.DataProtection/backupVaults/backupPolicies", RG_OPS,
                    "bvault-retail-prod/aks-daily-7d", {
        "datasourceTypes": ["Microsoft.ContainerService/managedClusters"],
        "objectType": "BackupPolicy",
        "policyRules": [
            {
                "name": "BackupDaily",
                "objectType": "AzureBackupRule",
                "backupParameters": {"backupType": "Incremental",
                                     "objectType": "AzureBackupParams"},
                "dataStore": {"dataStoreType": "OperationalStore",
                              "objectType": "DataStoreInfoBase"},
                "trigger": {
                    "objectType": "ScheduleBasedTriggerContext",
                    "schedule": {"repeatingTimeIntervals":
                                 ["R/2025-02-12T02:00:00+00:00/P1D"], "timeZone": "UTC"},
                    "taggingCriteria": [{"isDefault": True, "taggingPriority": 99,
                                         "tagInfo": {"tagName": "Default", "id": "Default_"}}],
                },
            },
            {
                "name": "Default",
                "objectType": "AzureRetentionRule",
                "isDefault": True,
                "lifecycles": [{
                    "deleteAfter": {"objectType": "AbsoluteDeleteOption", "duration": "P7D"},
                    "sourceDataStore": {"dataStoreType": "OperationalStore",
                                        "objectType": "DataStoreInfoBase"},
                    "targetDataStoreCopySettings": [],
                }],
            },
        ],
    }, location="", arg_table="recoveryservicesresources"))

    datasource = {
        "datasourceType": "Microsoft.ContainerService/managedClusters",
        "objectType": "Datasource",
        "resourceID": AKS_ID,
        "resourceLocation": LOCATION,
        "resourceName": CLUSTER,
        "resourceType": "Microsoft.ContainerService/managedclusters",
        "resourceUri": AKS_ID,
    }
    instance = f"bvault-retail-prod/{CLUSTER}-{CLUSTER}-{guid('bi', CLUSTER)}"
    rows.append(arg("Microsoft.DataProtection/backupVaults/backupInstances", RG_OPS,
                    instance, {
        "friendlyName": f"{CLUSTER}\\aks-retail-prod-backup",
        "dataSourceInfo": datasource,
        "dataSourceSetInfo": {**datasource, "objectType": "DatasourceSet"},
        "policyInfo": {
            "policyId": policy_id,
            "policyParameters": {
                "backupDatasourceParametersList": [{
                    "objectType": "KubernetesClusterBackupDatasourceParameters",
                    "includeClusterScopeResources": True,
                    "snapshotVolumes": True,
                    "includedNamespaces": ["odoo-prod", "traefik", "monitoring"],
                    "excludedNamespaces": [],
                    "includedResourceTypes": [],
                    "excludedResourceTypes": [],
                    "labelSelectors": [],
                }],
                "dataStoreParametersList": [{
                    "objectType": "AzureOperationalStoreParameters",
                    "dataStoreType": "OperationalStore",
                    "resourceGroupId": f"/subscriptions/{SUB}/resourceGroups/{RG_OPS}",
                }],
            },
        },
        "protectionStatus": {"status": "ProtectionConfigured"},
        "currentProtectionState": "ProtectionConfigured",
        "provisioningState": "Succeeded",
        "objectType": "BackupInstance",
    }, location="", arg_table="recoveryservicesresources"))

    for day, duration, end in (("24", "PT8M41S", "02:09:12"), ("25", "PT9M12S", "02:09:43")):
        job = f"bvault-retail-prod/{guid('job', day)}"
        rows.append(arg("Microsoft.DataProtection/backupVaults/backupJobs", RG_OPS, job, {
            "activityID": guid("activity", day),
            "backupInstanceFriendlyName": f"{CLUSTER}\\aks-retail-prod-backup",
            "dataSourceId": AKS_ID,
            "dataSourceLocation": LOCATION,
            "dataSourceName": CLUSTER,
            "dataSourceSetName": CLUSTER,
            "dataSourceType": "Microsoft.ContainerService/managedClusters",
            "operation": "Backup",
            "operationCategory": "Backup",
            "policyId": policy_id,
            "policyName": "aks-daily-7d",
            "isUserTriggered": False,
            "progressEnabled": False,
            "sourceResourceGroup": RG_AKS,
            "sourceSubscriptionID": SUB,
            "startTime": f"2026-11-{day}T02:00:31.2210000Z",
            "endTime": f"2026-11-{day}T{end}.2210000Z",
            "duration": duration,
            "status": "Completed",
            "vaultName": "bvault-retail-prod",
            "supportedActions": [""],
        }, location="", arg_table="recoveryservicesresources"))
    return rows


def advisor_recommendations() -> list[Row]:
    """advisorresources: what Azure Advisor already says about the estate."""
    recs = [
        (AKS_ID, "HighAvailability", "High", "Microsoft.ContainerService/managedClusters",
         CLUSTER, "Use the Standard pricing tier for production AKS clusters",
         "Upgrade the cluster to the Standard tier for a financially backed API server "
         "uptime SLA"),
        (AKS_ID, "OperationalExcellence", "High", "Microsoft.ContainerService/managedClusters",
         CLUSTER, "The cluster runs a Kubernetes version that is out of support",
         "Upgrade to a supported Kubernetes version"),
        (PG_ID, "HighAvailability", "High", "Microsoft.DBforPostgreSQL/flexibleServers",
         "psql-retail-prod", "Zone-redundant high availability is not enabled",
         "Enable high availability with zone redundancy"),
    ]
    rows = []
    for target, category, impact, field, value, problem, solution in recs:
        rec = guid("advisor", target, problem)
        rows.append(arg("Microsoft.Advisor/recommendations", "", rec, {
            "category": category,
            "impact": impact,
            "impactedField": field,
            "impactedValue": value,
            "lastUpdated": "2026-11-24T21:14:05.3361192Z",
            "recommendationTypeId": guid("advisor-type", problem),
            "shortDescription": {"problem": problem, "solution": solution},
            "resourceMetadata": {"resourceId": target, "source": None},
            "extendedProperties": {},
        }, location="", rid=f"{target}/providers/Microsoft.Advisor/recommendations/{rec}",
            arg_table="advisorresources"))
    return rows


def azure_resources() -> list[Row]:
    return [*network_resources(), *aks_resources(), *data_resources(), *ops_resources(),
            *governance_resources(), *backup_items(), *advisor_recommendations()]


# ================================================================ Azure: ARM details
def azure_arm_details() -> list[Row]:
    """What Resource Graph lacks: diagnostic settings, blob services, PostgreSQL params."""
    no_retention = {"days": 0, "enabled": False}

    def diag(resource_id: str, name: str, logs: list[tuple[str, bool]],
             metrics: bool = True) -> Row:
        props: dict[str, Any] = {
            "workspaceId": LAW_ID,
            "logs": [{"category": c, "categoryGroup": None, "enabled": on,
                      "retentionPolicy": no_retention} for c, on in logs],
            "metrics": ([{"category": "AllMetrics", "enabled": True,
                          "retentionPolicy": no_retention}] if metrics else []),
            "logAnalyticsDestinationType": None,
        }
        return {"resource_id": resource_id, "detail_type": "diagnosticSettings", "name": name,
                "properties": props}

    rows = [
        diag(AKS_ID, "aks-retail-prod-to-log", [
            ("kube-apiserver", False), ("kube-audit", False), ("kube-audit-admin", True),
            ("kube-controller-manager", False), ("kube-scheduler", False),
            ("cluster-autoscaler", True), ("cloud-controller-manager", False),
            ("guard", True), ("csi-azuredisk-controller", False),
            ("csi-azurefile-controller", False), ("csi-snapshot-controller", False)]),
        diag(KV_ID, "kv-retail-prod-to-log", [("AuditEvent", True),
                                               ("AzurePolicyEvaluationDetails", False)]),
        diag(f"/subscriptions/{SUB}", "activity-log-to-log-retail-prod", [
            (c, True) for c in ("Administrative", "Security", "ServiceHealth", "Alert",
                                "Recommendation", "Policy", "Autoscale", "ResourceHealth")],
            metrics=False),
        diag(RSV_ID, "rsv-retail-prod-to-log", [
            ("AzureBackupReport", True), ("CoreAzureBackup", True),
            ("AddonAzureBackupJobs", True), ("AddonAzureBackupAlerts", False),
            ("AddonAzureBackupPolicy", True), ("AddonAzureBackupStorage", True),
            ("AddonAzureBackupProtectedInstance", True)], metrics=False),
    ]
    rows[-1]["properties"]["logAnalyticsDestinationType"] = "Dedicated"

    for sa_id, retention, versioning in ((ST_FILES_ID, True, False),
                                         (ST_BACKUP_ID, False, False)):
        delete_policy: dict[str, Any] = {"allowPermanentDelete": False, "enabled": retention}
        container_policy: dict[str, Any] = {"enabled": retention}
        if retention:
            delete_policy["days"] = 7
            container_policy["days"] = 7
        rows.append({"resource_id": sa_id, "detail_type": "blobServices", "name": "default",
                     "properties": {
                         "cors": {"corsRules": []},
                         "deleteRetentionPolicy": delete_policy,
                         "containerDeleteRetentionPolicy": container_policy,
                         "isVersioningEnabled": versioning,
                         "changeFeed": {"enabled": False},
                         "restorePolicy": {"enabled": False},
                     }})

    configs = [
        ("max_connections", "400", "1719", "Integer", "25-5000", "user-override", False,
         "Sets the maximum number of concurrent connections."),
        ("require_secure_transport", "on", "on", "Boolean", "on,off", "system-default", True,
         "Whether client connections to the server are required to use some form of secure "
         "transport."),
        ("password_encryption", "scram-sha-256", "scram-sha-256", "Enumeration",
         "md5,scram-sha-256", "system-default", True,
         "Chooses the algorithm for encrypting passwords."),
        ("log_min_duration_statement", "-1", "-1", "Integer", "-1-2147483647",
         "system-default", True,
         "Sets the minimum execution time above which all statements will be logged."),
        ("idle_in_transaction_session_timeout", "0", "0", "Integer", "0-2147483647",
         "system-default", True,
         "Sets the maximum allowed idle time between queries, when in a transaction."),
        ("log_connections", "on", "on", "Boolean", "on,off", "system-default", True,
         "Logs each successful connection."),
        ("shared_preload_libraries", "pg_cron,pg_stat_statements",
         "pg_cron,pg_stat_statements", "Set", "auto_explain,azure_storage,pg_cron,"
         "pg_hint_plan,pg_partman_bgw,pg_prewarm,pg_squeeze,pg_stat_statements,pgaudit,"
         "pglogical,timescaledb,wal2json", "system-default", False,
         "Sets which shared libraries are preloaded at server start."),
        ("azure.extensions", "PG_STAT_STATEMENTS,PG_TRGM,UNACCENT", "", "Set",
         "address_standardizer,amcheck,btree_gin,btree_gist,citext,fuzzystrmatch,hstore,"
         "pg_stat_statements,pg_trgm,pgcrypto,plpgsql,unaccent,uuid-ossp,vector",
         "user-override", True, "Specifies which extensions are allowed to be created."),
        ("pgbouncer.enabled", "false", "false", "Boolean", "true,false", "system-default",
         True, "Denotes if pgBouncer service is enabled."),
        ("autovacuum", "on", "on", "Boolean", "on,off", "system-default", True,
         "Starts the autovacuum subprocess."),
    ]
    for name, value, default, dtype, allowed, source, dynamic, description in configs:
        rows.append({"resource_id": PG_ID, "detail_type": "configurations", "name": name,
                     "properties": {
                         "value": value, "description": description, "defaultValue": default,
                         "dataType": dtype, "allowedValues": allowed, "source": source,
                         "isDynamicConfig": dynamic, "isReadOnly": False,
                         "isConfigPendingRestart": False,
                         "documentationLink": "https://www.postgresql.org/docs/16/"
                                              "runtime-config.html"}})
    return rows


# ======================================================================== Kubernetes
#: The cluster's objects as `kubectl get ... -o yaml` dumps (one List per namespace), read by
#: the offline collector a client's manifests folder goes through.
K8S_SOURCES = SOURCES_DIR / "kubernetes" / CLUSTER


# ======================================================================== PostgreSQL
PG_SERVER = "psql-retail-prod"


def pg_settings() -> list[Row]:
    """~45 rows of pg_settings from the production server (PostgreSQL 16.4)."""
    conn = "Connections and Authentication / Connection Settings"
    auth = "Connections and Authentication / Authentication"
    ssl = "Connections and Authentication / SSL"
    tcp = "Connections and Authentication / TCP Settings"
    mem = "Resource Usage / Memory"
    asyn = "Resource Usage / Asynchronous Behavior"
    wal = "Write-Ahead Log / Settings"
    ckpt = "Write-Ahead Log / Checkpoints"
    arch = "Write-Ahead Log / Archiving"
    send = "Replication / Sending Servers"
    stby = "Replication / Standby Servers"
    cost = "Query Tuning / Planner Cost Constants"
    other = "Query Tuning / Other Planner Options"
    when = "Reporting and Logging / When to Log"
    what = "Reporting and Logging / What to Log"
    stats = "Statistics / Cumulative Query and Index Statistics"
    vac = "Autovacuum"
    stmt = "Client Connection Defaults / Statement Behavior"
    loc = "Client Connection Defaults / Locale and Formatting"
    preload = "Client Connection Defaults / Shared Library Preloading"
    preset = "Preset Options"
    custom = "Customized Options"
    cf, df = "configuration file", "default"
    table = [
        ("max_connections", "400", None, conn, cf),
        ("superuser_reserved_connections", "3", None, conn, df),
        ("reserved_connections", "5", None, conn, cf),
        ("password_encryption", "scram-sha-256", None, auth, cf),
        ("ssl", "on", None, ssl, cf),
        ("ssl_min_protocol_version", "TLSv1.2", None, ssl, cf),
        ("require_secure_transport", "on", None, custom, cf),
        ("tcp_keepalives_idle", "120", "s", tcp, cf),
        ("shared_buffers", "1048576", "8kB", mem, cf),
        ("work_mem", "4096", "kB", mem, cf),
        ("maintenance_work_mem", "524288", "kB", mem, cf),
        ("huge_pages", "try", None, mem, cf),
        ("max_worker_processes", "8", None, asyn, cf),
        ("max_parallel_workers", "8", None, asyn, df),
        ("max_parallel_workers_per_gather", "2", None, asyn, df),
        ("wal_level", "replica", None, wal, cf),
        ("synchronous_commit", "on", None, wal, df),
        ("checkpoint_timeout", "600", "s", ckpt, cf),
        ("checkpoint_completion_target", "0.9", None, ckpt, df),
        ("max_wal_size", "12288", "MB", ckpt, cf),
        ("min_wal_size", "80", "MB", ckpt, df),
        ("archive_mode", "always", None, arch, cf),
        ("max_wal_senders", "10", None, send, cf),
        ("max_replication_slots", "10", None, send, cf),
        ("hot_standby", "on", None, stby, df),
        ("effective_cache_size", "3145728", "8kB", cost, cf),
        ("random_page_cost", "2", None, cost, cf),
        ("jit", "off", None, other, cf),
        ("log_min_duration_statement", "-1", "ms", when, df),
        ("log_connections", "on", None, what, cf),
        ("log_disconnections", "on", None, what, cf),
        ("log_checkpoints", "on", None, what, cf),
        ("log_lock_waits", "off", None, what, df),
        ("log_temp_files", "-1", "kB", what, df),
        ("log_line_prefix", "%t-%c-", None, what, cf),
        ("log_statement", "none", None, what, df),
        ("track_io_timing", "on", None, stats, cf),
        ("autovacuum", "on", None, vac, df),
        ("autovacuum_max_workers", "3", None, vac, df),
        ("autovacuum_naptime", "60", "s", vac, df),
        ("autovacuum_vacuum_scale_factor", "0.2", None, vac, df),
        ("autovacuum_freeze_max_age", "200000000", None, vac, df),
        ("idle_in_transaction_session_timeout", "0", "ms", stmt, df),
        ("idle_session_timeout", "0", "ms", stmt, df),
        ("statement_timeout", "0", "ms", stmt, df),
        ("lock_timeout", "0", "ms", stmt, df),
        ("default_transaction_isolation", "read committed", None, stmt, df),
        ("timezone", "UTC", None, loc, cf),
        ("shared_preload_libraries", "pg_cron,pg_stat_statements", None, preload, cf),
        ("pg_stat_statements.track", "top", None, custom, cf),
        ("azure.extensions", "pg_stat_statements,pg_trgm,unaccent", None, custom, cf),
        ("server_version", "16.4", None, preset, df),
    ]
    return [{"server": PG_SERVER, "name": n, "setting": s, "unit": u, "category": c,
             "source": src, "pending_restart": False} for n, s, u, c, src in table]


def pg_databases() -> list[Row]:
    gib = 1024 ** 3
    table = [
        ("odoo_prod", 193_814_213_427, -1, 148_203_551, False, "odoo"),
        ("odoo_staging", int(41.6 * gib), -1, 96_417_209, False, "odoo"),
        ("postgres", 9_012_131, -1, 2_104_332, False, "azuresu"),
        ("azure_maintenance", 8_921_603, -1, 2_104_332, False, "azuresu"),
        ("azure_sys", 62_310_915, -1, 2_104_332, False, "azuresu"),
        ("template0", 7_631_471, -1, 2_104_332, True, "azuresu"),
        ("template1", 7_709_295, -1, 2_104_332, True, "azuresu"),
    ]
    return [{"server": PG_SERVER, "datname": d, "size_bytes": size, "encoding": "UTF8",
             "connection_limit": limit, "age_datfrozenxid": age, "is_template": tmpl,
             "owner": owner} for d, size, limit, age, tmpl, owner in table]


def pg_activity() -> list[Row]:
    table: list[tuple] = [
        ("odoo_prod", "odoo", "odoo", "client backend", "idle", 112, None),
        ("odoo_prod", "odoo", "odoo", "client backend", "active", 9, 2.4),
        ("odoo_prod", "odoo", "odoo", "client backend", "idle in transaction", 4, 1843.0),
        ("odoo_staging", "odoo", "odoo", "client backend", "idle", 14, None),
        ("odoo_staging", "odoo", "odoo", "client backend", "active", 1, 0.3),
        ("odoo_prod", "readonly_bi", "Metabase", "client backend", "idle", 3, None),
        ("postgres", "readiness", "readiness-kit", "client backend", "active", 1, 0.0),
        ("azure_maintenance", "azuresu", "", "client backend", "idle", 3, None),
        ("azure_sys", "azuresu", "", "client backend", "idle", 1, None),
        (None, None, "", "autovacuum launcher", None, 1, None),
        (None, "azuresu", "", "logical replication launcher", None, 1, None),
        (None, "azuresu", "pg_cron scheduler", "pg_cron launcher", None, 1, None),
        (None, "replication", "walreceiver", "walsender", "active", 1, None),
        (None, None, "", "background writer", None, 1, None),
        (None, None, "", "checkpointer", None, 1, None),
        (None, None, "", "walwriter", None, 1, None),
        (None, None, "", "archiver", None, 1, None),
    ]
    return [{"server": PG_SERVER, "datname": d, "usename": u, "application_name": a,
             "backend_type": b, "state": s, "connections": n, "oldest_xact_seconds": x}
            for d, u, a, b, s, n, x in table]


def pg_replication() -> list[Row]:
    return [{"server": PG_SERVER, "application_name": "walreceiver", "state": "streaming",
             "sync_state": "sync", "replay_lag_seconds": 0.002,
             "slot_name": "azure_standby", "slot_active": True}]


def pg_roles() -> list[Row]:
    table: list[tuple] = [
        ("azuresu", True, True, True, True, True, True, -1, None, []),
        ("azure_pg_admin", False, False, False, False, False, False, -1, None, []),
        ("replication", False, False, False, True, True, False, -1, None, []),
        ("pgadmin", False, True, True, True, False, False, -1, None,
         ["azure_pg_admin", "pg_monitor"]),
        ("odoo", False, False, True, True, False, False, -1, None, []),
        ("readonly_bi", False, False, False, True, False, False, 10, None,
         ["pg_read_all_data"]),
        ("readiness", False, False, False, True, False, False, 5, "2026-12-31 00:00:00+00",
         ["pg_monitor", "pg_read_all_settings"]),
    ]
    return [{"server": PG_SERVER, "rolname": r, "superuser": su, "createrole": cr,
             "createdb": cdb, "can_login": login, "replication": repl, "bypass_rls": brls,
             "connection_limit": limit, "valid_until": until, "member_of": member}
            for r, su, cr, cdb, login, repl, brls, limit, until, member in table]


def pg_extensions() -> list[Row]:
    table = [
        ("odoo_prod", "plpgsql", "1.0"), ("odoo_prod", "pg_trgm", "1.6"),
        ("odoo_prod", "unaccent", "1.1"),
        ("odoo_staging", "plpgsql", "1.0"), ("odoo_staging", "pg_trgm", "1.6"),
        ("odoo_staging", "unaccent", "1.1"),
        ("postgres", "plpgsql", "1.0"), ("postgres", "pg_stat_statements", "1.10"),
        ("postgres", "pg_cron", "1.6"),
        ("azure_sys", "plpgsql", "1.0"), ("azure_sys", "pg_stat_statements", "1.10"),
    ]
    return [{"server": PG_SERVER, "datname": d, "extname": e, "extversion": v}
            for d, e, v in table]


# ============================================================================= Redis
def redis_info() -> list[Row]:
    """``INFO all`` of redis-retail-prod (Premium P1, 6 GB), one row per field."""
    sections: dict[str, list[tuple[str, str]]] = {
        "server": [
            ("redis_version", "6.2.14"), ("redis_git_sha1", "00000000"),
            ("redis_git_dirty", "0"), ("redis_build_id", sha("redis-build", n=16)),
            ("redis_mode", "standalone"), ("os", "Linux 5.15.0-1073-azure x86_64"),
            ("arch_bits", "64"), ("multiplexing_api", "epoll"),
            ("atomicvar_api", "c11-builtin"), ("gcc_version", "11.4.0"),
            ("process_id", "1183"), ("run_id", sha("redis-run", n=40)),
            ("tcp_port", "6379"), ("uptime_in_seconds", "3457211"),
            ("uptime_in_days", "40"), ("hz", "10"), ("configured_hz", "10"),
        ],
        "clients": [
            ("connected_clients", "85"), ("cluster_connections", "0"),
            ("maxclients", "7500"), ("client_recent_max_input_buffer", "24"),
            ("client_recent_max_output_buffer", "0"), ("blocked_clients", "0"),
            ("tracking_clients", "0"), ("clients_in_timeout_table", "0"),
        ],
        "memory": [
            ("used_memory", "4617089843"), ("used_memory_human", "4.30G"),
            ("used_memory_rss", "4989124608"), ("used_memory_rss_human", "4.65G"),
            ("used_memory_peak", "5893217280"), ("used_memory_peak_human", "5.49G"),
            ("used_memory_peak_perc", "78.35%"), ("used_memory_dataset", "4541302117"),
            ("maxmemory", "6442450944"), ("maxmemory_human", "6.00G"),
            ("maxmemory_policy", "volatile-lru"), ("mem_fragmentation_ratio", "1.08"),
            ("mem_allocator", "jemalloc-5.1.0"), ("lazyfree_pending_objects", "0"),
        ],
        "persistence": [
            ("loading", "0"), ("rdb_changes_since_last_save", "48213"),
            ("rdb_bgsave_in_progress", "0"), ("rdb_last_save_time", "1796108412"),
            ("rdb_last_bgsave_status", "ok"), ("rdb_last_bgsave_time_sec", "21"),
            ("aof_enabled", "0"), ("aof_rewrite_in_progress", "0"),
            ("aof_last_bgrewrite_status", "ok"),
        ],
        "stats": [
            ("total_connections_received", "1843305"),
            ("total_commands_processed", "7411920318"),
            ("instantaneous_ops_per_sec", "2150"), ("total_net_input_bytes", "918203311204"),
            ("total_net_output_bytes", "2213470932870"), ("rejected_connections", "0"),
            ("expired_keys", "12094331"), ("evicted_keys", "18342"),
            ("keyspace_hits", "5120448213"), ("keyspace_misses", "391201577"),
            ("pubsub_channels", "0"), ("latest_fork_usec", "18204"),
            ("total_error_replies", "0"),
        ],
        "replication": [
            ("role", "master"), ("connected_slaves", "1"),
            ("slave0", "ip=10.0.0.5,port=15001,state=online,offset=918173301928,lag=0"),
            ("master_failover_state", "no-failover"),
            ("master_replid", sha("redis-replid", n=40)),
            ("master_repl_offset", "918173302144"), ("repl_backlog_active", "1"),
            ("repl_backlog_size", "52428800"),
        ],
        "cpu": [("used_cpu_sys", "41873.220116"), ("used_cpu_user", "98731.540233")],
        "keyspace": [
            ("db0", "keys=412387,expires=398120,avg_ttl=2591234"),
            ("db1", "keys=20931,expires=20931,avg_ttl=86011"),
        ],
    }
    return [{"instance": "redis-retail-prod", "section": section, "key": k, "value": v}
            for section, pairs in sections.items() for k, v in pairs]


# ============================================================================== Odoo
def odoo_config() -> list[Row]:
    """odoo.conf from ConfigMap odoo-prod/odoo-conf; secret options keep presence only."""
    options = [
        ("addons_path", "/usr/lib/python3/dist-packages/odoo/addons,/mnt/extra-addons"),
        ("data_dir", "/var/lib/odoo"),
        ("admin_passwd", "<redacted>"),
        ("db_host", "psql-retail-prod.postgres.database.azure.com"),
        ("db_port", "5432"),
        ("db_user", "odoo"),
        ("db_password", "<redacted>"),
        ("db_sslmode", "require"),
        ("db_maxconn", "64"),
        ("db_template", "template0"),
        ("dbfilter", "^odoo_prod$"),
        ("list_db", "True"),
        ("proxy_mode", "True"),
        ("http_port", "8069"),
        ("gevent_port", "8072"),
        ("workers", "8"),
        ("max_cron_threads", "2"),
        ("limit_memory_soft", "2147483648"),
        ("limit_memory_hard", "2684354560"),
        ("limit_time_cpu", "60"),
        ("limit_time_real", "120"),
        ("limit_time_real_cron", "-1"),
        ("limit_request", "65536"),
        ("log_level", "info"),
        ("log_handler", ":INFO"),
        ("logfile", ""),
        ("server_wide_modules", "base,web"),
        ("without_demo", "all"),
        ("unaccent", "True"),
    ]
    return [{"source": "ConfigMap/odoo-prod/odoo-conf", "section": "options", "key": k,
             "value": v} for k, v in options]


# ============================================================================ GitOps
APP_REPO = "demo-retail/odoo-retail"
GITOPS_REPO = "demo-retail/retail-gitops"


def gitops_pipelines() -> list[Row]:
    rows = [
        (APP_REPO, ".github/workflows/build-odoo.yml", "build-odoo", None,
         "push (main), pull_request", True, True, True, False, False, None, False, False),
        (GITOPS_REPO, ".github/workflows/deploy-staging.yml", "deploy-staging", "staging",
         "workflow_run: build-odoo completed on main", False, False, False, False, False,
         "flux", False, False),
        (GITOPS_REPO, ".github/workflows/deploy-prod.yml", "deploy-prod", "production",
         "workflow_dispatch", False, False, False, False, True, "flux", False, False),
    ]
    keys = ("repo", "path", "name", "environment", "trigger", "runs_tests", "builds_image",
            "scans_image", "signs_image", "requires_approval", "deploy_method",
            "has_rollback", "pins_digest")
    return [{"system": "github-actions", **dict(zip(keys, r, strict=True))} for r in rows]


def gitops_releases() -> list[Row]:
    table = [
        ("staging", "odoo", "acrretailprod.azurecr.io/odoo", "17.0-20261120", 2, None),
        ("production", "odoo", "acrretailprod.azurecr.io/odoo", "17.0-20261102", 3, None),
        ("staging", "traefik", "acrretailprod.azurecr.io/traefik", "v3.0.4", 1, "28.3.0"),
        ("production", "traefik", "acrretailprod.azurecr.io/traefik", "v2.11.0", 2,
         "26.1.0"),
        ("staging", "redis-exporter", "acrretailprod.azurecr.io/oliver006/redis_exporter",
         "v1.62.0", 1, "6.4.0"),
        ("production", "redis-exporter",
         "acrretailprod.azurecr.io/oliver006/redis_exporter", "v1.62.0", 1, "6.4.0"),
    ]
    return [{"repo": GITOPS_REPO, "environment": env, "component": comp, "image": image,
             "tag": tag, "digest": None, "replicas": replicas, "chart_version": chart,
             "config_sha256": sha("overlay", env, comp)}
            for env, comp, image, tag, replicas, chart in table]


# ============================================================================= gaps
def collection_gaps() -> list[Row]:
    return [{
        "source": "azure",
        "scope": REDIS_ID,
        "table": "azure_arm_details",
        "what": "diagnosticSettings of microsoft.cache/redis/redis-retail-prod",
        "reason": "403 AuthorizationFailed: readiness reader lacks "
                  "Microsoft.Insights/diagnosticSettings/read",
    }]


# ========================================================================= assembly
_ARG_KQL = f"""\
resources
| where subscriptionId == '{SUB}'
| union (policyresources | where type =~ 'microsoft.authorization/policyassignments'),
        (authorizationresources | where type =~ 'microsoft.authorization/roleassignments'),
        (securityresources | where type =~ 'microsoft.security/pricings'),
        (recoveryservicesresources | where type in~ (
            'microsoft.recoveryservices/vaults/backuppolicies',
            'microsoft.dataprotection/backupvaults/backuppolicies',
            'microsoft.dataprotection/backupvaults/backupinstances',
            'microsoft.dataprotection/backupvaults/backupjobs')),
        (advisorresources | where type =~ 'microsoft.advisor/recommendations')
| where subscriptionId == '{SUB}'
| project id, name, type, kind, location, resourceGroup, subscriptionId, sku, zones, tags,
          identity, properties"""

#: table -> (builder, collector, provenance query)
SOURCES: dict[str, tuple[Any, str, str]] = {
    "azure_resources": (azure_resources, "readiness_kit.collectors.azure", _ARG_KQL),
    "azure_arm_details": (
        azure_arm_details, "readiness_kit.collectors.azure",
        "GET {resourceId}/providers/Microsoft.Insights/diagnosticSettings"
        "?api-version=2021-05-01-preview for every resource and the subscription; "
        "GET {storageAccountId}/blobServices/default?api-version=2023-05-01; "
        "GET {flexibleServerId}/configurations/{name}?api-version=2024-08-01 for the "
        "reviewed server parameters"),
    "pg_settings": (
        pg_settings, "readiness_kit.collectors.postgres",
        "SELECT name, setting, unit, category, source, pending_restart FROM pg_settings "
        "WHERE name = ANY(%(reviewed)s)"),
    "pg_databases": (
        pg_databases, "readiness_kit.collectors.postgres",
        "SELECT d.datname, pg_database_size(d.oid) AS size_bytes, "
        "pg_encoding_to_char(d.encoding) AS encoding, d.datconnlimit AS connection_limit, "
        "age(d.datfrozenxid) AS age_datfrozenxid, d.datistemplate AS is_template, "
        "pg_get_userbyid(d.datdba) AS owner FROM pg_database d ORDER BY d.datname"),
    "pg_activity": (
        pg_activity, "readiness_kit.collectors.postgres",
        "SELECT datname, usename, regexp_replace(application_name, '-[0-9]+$', '') AS "
        "application_name, backend_type, state, count(*) AS connections, "
        "max(extract(epoch FROM now() - xact_start)) FILTER (WHERE xact_start IS NOT NULL) "
        "AS oldest_xact_seconds FROM pg_stat_activity GROUP BY 1, 2, 3, 4, 5"),
    "pg_replication": (
        pg_replication, "readiness_kit.collectors.postgres",
        "SELECT r.application_name, r.state, r.sync_state, "
        "extract(epoch FROM r.replay_lag) AS replay_lag_seconds, s.slot_name, "
        "s.active AS slot_active FROM pg_stat_replication r "
        "FULL JOIN pg_replication_slots s ON s.active_pid = r.pid"),
    "pg_roles": (
        pg_roles, "readiness_kit.collectors.postgres",
        "SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, "
        "r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil, "
        "ARRAY(SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid "
        "WHERE m.member = r.oid ORDER BY 1) AS member_of FROM pg_roles r "
        "WHERE r.rolname !~ '^pg_'"),
    "pg_extensions": (
        pg_extensions, "readiness_kit.collectors.postgres",
        "SELECT current_database() AS datname, extname, extversion FROM pg_extension "
        "(run in every database that allows connections)"),
    "redis_info": (redis_info, "readiness_kit.collectors.redis",
                   "INFO all (rediss://redis-retail-prod.redis.cache.windows.net:6380)"),
    "odoo_config": (odoo_config, "readiness_kit.collectors.odoo",
                    "parse odoo.conf from ConfigMap odoo-prod/odoo-conf key odoo.conf "
                    "(admin_passwd, db_password kept as <redacted>)"),
    "gitops_pipelines": (gitops_pipelines, "readiness_kit.collectors.gitops",
                         f"parse .github/workflows/*.yml in {APP_REPO}@main and "
                         f"{GITOPS_REPO}@main"),
    "gitops_releases": (gitops_releases, "readiness_kit.collectors.gitops",
                        f"kustomize build {GITOPS_REPO}@main apps/{{staging,production}} "
                        "infrastructure/{staging,production}; images, replicas, HelmRelease "
                        "chart versions"),
    "collection_gaps": (collection_gaps, "readiness_kit.collectors.azure",
                        "collection gaps recorded during collection"),
}


def build_evidence() -> Evidence:
    """Every demo table with its own provenance (all of TABLES except attestations): the
    tables built here, then the source folders read by the offline collectors."""
    ev = Evidence()
    for name, (builder, collector, query) in SOURCES.items():
        part = evidence_from_records({name: builder()}, collector=collector, query=query,
                                     collected_at=COLLECTED_AT[name])
        ev.tables[name] = part.tables[name]
        ev.provenance[name] = part.provenance[name]
    add_manifests(ev, K8S_SOURCES, CLUSTER, collected_at=COLLECTED_AT["k8s_objects"],
                  query_root=K8S_SOURCES.relative_to(SOURCES_DIR.parents[1]).as_posix())
    return ev


def build(outdir: str | Path = BUNDLE) -> dict:
    """Build the demo bundle into ``outdir``; returns the manifest."""
    out = Path(outdir)
    for name in TABLES:  # drop stale tables from an earlier build, nothing else
        (out / f"{name}.parquet").unlink(missing_ok=True)
    return write_bundle(build_evidence(), out, tenant=TENANT)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print("usage: python -m readiness_kit.demo.build [OUTDIR]")
        return 0 if args and args[0] in {"-h", "--help"} else 2
    outdir = Path(args[0]) if args else BUNDLE
    manifest = build(outdir)
    for name, entry in manifest["tables"].items():
        print(f"{name:<20} {entry['rows']:>4} rows")
    print(f"wrote {outdir} (bundle_sha256 {manifest['bundle_sha256'][:12]}...)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
