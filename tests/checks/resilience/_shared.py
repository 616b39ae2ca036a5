"""Builders and constants the resilience check tests of several areas share."""

from factories import arm, by_subject, rid


def details(result) -> dict[str, str]:
    return by_subject(result, "detail")


def pg(name: str, ha_mode: str, *, retention: int | None = 7, geo: str = "Disabled",
       location: str = "westeurope", source: str | None = None) -> dict:
    props = {"highAvailability": {"mode": ha_mode, "state": "Healthy"}, "version": "16",
             "state": "Ready", "availabilityZone": "1",
             "storage": {"storageSizeGB": 512, "autoGrow": "Enabled"},
             "backup": {"geoRedundantBackup": geo,
                        "earliestRestoreDate": "2026-11-20T02:00:00+00:00"},
             "network": {"publicNetworkAccess": "Disabled"}}
    if retention is not None:
        props["backup"]["backupRetentionDays"] = retention
    if source:
        props.update({"replicationRole": "GeoAsyncReplica", "sourceServerResourceId": source,
                      "replica": {"role": "GeoAsyncReplica"}})
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name, props, rg="rg-data",
               location=location, sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})


def storage(name: str, sku: str, tags: dict | None = None) -> dict:
    return arm("Microsoft.Storage/storageAccounts", name, {
        "allowBlobPublicAccess": False, "minimumTlsVersion": "TLS1_2",
        "supportsHttpsTrafficOnly": True, "accessTier": "Hot"}, rg="rg-data", kind="StorageV2",
        sku={"name": sku, "tier": "Standard"}, tags=tags or {})


def blob_services(account: str, *, soft_delete: bool | None, versioning: bool | None,
                  days: int = 7) -> dict:
    props: dict = {"cors": {"corsRules": []}}
    if soft_delete is not None:
        props["deleteRetentionPolicy"] = {"enabled": soft_delete, "days": days,
                                          "allowPermanentDelete": False}
    if versioning is not None:
        props["isVersioningEnabled"] = versioning
    return {"resource_id": rid("rg-data", "Microsoft.Storage/storageAccounts", account),
            "detail_type": "blobServices", "name": "default", "properties": props}
