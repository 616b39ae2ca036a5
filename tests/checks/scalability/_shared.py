"""Builders and constants the scalability check tests of several areas share."""

from factories import ODOO_IMAGE, arm, deployment, hpa

ODOO_RES = {"requests": {"cpu": "2", "memory": "6Gi"}, "limits": {"cpu": "4", "memory": "8Gi"}}


def odoo_web(replicas: int = 3, resources=ODOO_RES, args=None) -> dict:
    return deployment("odoo-prod", "odoo-web", ODOO_IMAGE, replicas, resources=resources,
                      args=args, container_name="odoo")


def odoo_cron(args=None) -> dict:
    return deployment("odoo-prod", "odoo-cron", ODOO_IMAGE, 1, container_name="odoo", args=args,
                      resources={"requests": {"cpu": "1", "memory": "2Gi"},
                                 "limits": {"memory": "4Gi"}})


def pg_server(name: str = "psql-retail-prod", tier: str = "GeneralPurpose",
              sku: str = "Standard_D8ds_v5", storage=None) -> dict:
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name,
               sku={"name": sku, "tier": tier},
               properties={"version": "16", "state": "Ready",
                           "storage": storage if storage is not None else
                           {"storageSizeGB": 512, "autoGrow": "Enabled", "tier": "P20"},
                           "network": {"publicNetworkAccess": "Disabled"}})


def demo_k8s(web_args=None) -> list[dict]:
    return [odoo_web(args=web_args), odoo_cron(), hpa("odoo-prod", "odoo-web", 3, 6)]
