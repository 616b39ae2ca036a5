"""Builders and constants the architecture check tests of several areas share."""

from factories import SUB, arm
from factories import odoo_conf as conf_rows

VNET_ID = (f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-network/providers/"
           "Microsoft.Network/virtualNetworks/vnet-retail-prod")
SNET_AKS = VNET_ID + "/subnets/snet-aks"
SNET_PG = VNET_ID + "/subnets/snet-postgres"


def pool(name: str, mode: str = "User", zones=("1", "2", "3"), subnet: str | None = SNET_AKS,
         **extra) -> dict:
    p = {"name": name, "mode": mode, "count": 3, "vmSize": "Standard_D8ds_v5", "maxPods": 30,
         "osType": "Linux", "type": "VirtualMachineScaleSets", "orchestratorVersion": "1.29.9",
         "availabilityZones": list(zones), **extra}
    if subnet:
        p["vnetSubnetID"] = subnet
    return p


def aks(name: str = "aks-retail-prod", pools=None, network=None, location="westeurope") -> dict:
    pools = pools if pools is not None else [
        pool("system", "System", nodeTaints=["CriticalAddonsOnly=true:NoSchedule"]),
        pool("odoo", zones=("1", "2"), enableAutoScaling=True, minCount=3, maxCount=12)]
    return arm("Microsoft.ContainerService/managedClusters", name, rg="rg-retail-prod-aks",
               location=location, sku={"name": "Base", "tier": "Free"},
               identity={"type": "SystemAssigned"},
               properties={"kubernetesVersion": "1.29.9", "dnsPrefix": name,
                           "agentPoolProfiles": pools,
                           "networkProfile": network or {
                               "networkPlugin": "azure", "networkPolicy": "calico",
                               "loadBalancerSku": "standard", "outboundType": "loadBalancer"}})


ODOO_OPTIONS = {"workers": "8", "max_cron_threads": "2", "db_maxconn": "64",
                "proxy_mode": "True", "gevent_port": "8072", "dbfilter": "^odoo_prod$",
                "admin_passwd": "<redacted>"}


def odoo_conf(**options) -> list[dict]:
    return conf_rows(**{**ODOO_OPTIONS, **options})


def databases(*names: str, server: str = "psql-retail-prod") -> list[dict]:
    return [{"server": server, "datname": n, "size_bytes": 10 * 1024**3, "encoding": "UTF8",
             "is_template": False, "owner": "odoo"}
            for n in ("postgres", "azure_maintenance", *names)]
