"""The committed demo bundle: loads, is complete, is reproducible, tells the story, no secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from readiness_kit.demo import BUNDLE, TENANT
from readiness_kit.demo.build import SUB, build, main
from readiness_kit.evidence import TABLES, Evidence, load_bundle
from readiness_kit.frames import arm_details, dig, k8s, resources, setting_values
from readiness_kit.redaction import find_secret

OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
EXPECTED_TABLES = set(TABLES) - {"attestations"}


@pytest.fixture(scope="module")
def committed() -> Evidence:
    return load_bundle(BUNDLE)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Evidence:
    out = tmp_path_factory.mktemp("demo-bundle")
    build(out)
    return load_bundle(out)


def _by_name(df: pd.DataFrame, name: str) -> pd.Series:
    rows = df[df["name"] == name]
    assert len(rows) == 1, f"expected exactly one {name!r}, found {len(rows)}"
    return rows.iloc[0]


def test_committed_bundle_loads_verified_with_every_table_but_attestations(committed):
    assert set(committed.tables) == EXPECTED_TABLES
    assert committed.manifest["tenant"] == TENANT
    for name, df in committed.tables.items():
        assert len(df) > 0, f"{name} is empty"
        prov = committed.provenance[name]
        assert prov.collected_at.startswith("2026-11-25T09:")
        assert prov.collector.startswith("readiness_kit.collectors.")
        assert prov.query and "records supplied in code" not in prov.query


def test_fresh_build_equals_committed_bundle(committed, fresh):
    assert set(fresh.tables) == set(committed.tables)
    for name in committed.tables:
        pd.testing.assert_frame_equal(fresh.tables[name], committed.tables[name],
                                      obj=f"table {name}")
        new, old = fresh.provenance[name], committed.provenance[name]
        assert (new.source, new.collector, new.query, new.collected_at) == (
            old.source, old.collector, old.query, old.collected_at), name


def test_no_value_in_any_table_looks_like_a_secret(committed):
    found = [
        (name, column, value[:60])
        for name, df in committed.tables.items()
        for column in df.columns
        for value in df[column].dropna()
        if isinstance(value, str) and find_secret(value)
    ]
    assert found == []


def test_inventory_is_realistic(committed):
    ar = committed.table("azure_resources")
    assert 60 <= len(ar) <= 120
    assert ar["id"].is_unique
    assert (ar["type"] == ar["type"].str.lower()).all()
    assert set(ar["subscription_id"]) == {SUB}
    assert {"resources", "policyresources", "authorizationresources", "securityresources",
            "recoveryservicesresources"} <= set(ar["arg_table"])
    unremarkable = {"microsoft.network/networkinterfaces", "microsoft.compute/disks",
                    "microsoft.managedidentity/userassignedidentities",
                    "microsoft.compute/virtualmachinescalesets",
                    "microsoft.network/privateendpoints", "microsoft.network/privatednszones"}
    assert unremarkable <= set(ar["type"])
    assert 35 <= len(committed.table("pg_settings")) <= 60
    redis = committed.table("redis_info")
    assert 55 <= len(redis) <= 80
    assert {"server", "clients", "memory", "persistence", "stats", "replication",
            "keyspace"} <= set(redis["section"])


def test_azure_story_facts(committed):
    pg = resources(committed, "microsoft.dbforpostgresql/flexibleservers").iloc[0]
    assert pg["name"] == "psql-retail-prod"
    assert pg["props"]["highAvailability"]["mode"] == "SameZone"
    assert pg["props"]["backup"]["backupRetentionDays"] == 7
    assert pg["props"]["backup"]["geoRedundantBackup"] == "Disabled"
    assert pg["props"]["network"]["publicNetworkAccess"] == "Disabled"
    assert pg["sku_obj"] == {"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"}

    aks = resources(committed, "microsoft.containerservice/managedclusters").iloc[0]
    props = aks["props"]
    assert props["kubernetesVersion"] == "1.29.9"
    assert aks["sku_obj"]["tier"] == "Free"
    pools = {p["name"]: p for p in props["agentPoolProfiles"]}
    assert pools["system"]["availabilityZones"] == ["1", "2", "3"]
    assert pools["odoo"]["availabilityZones"] == ["1", "2"]
    assert (pools["odoo"]["minCount"], pools["odoo"]["maxCount"]) == (3, 12)
    assert props["autoUpgradeProfile"]["upgradeChannel"] == "none"
    assert "authorizedIPRanges" not in props["apiServerAccessProfile"]
    assert props["disableLocalAccounts"] is False
    assert props["networkProfile"]["networkPolicy"] == "calico"

    redis = resources(committed, "microsoft.cache/redis").iloc[0]
    assert redis["zones_list"] == ["1", "2"]
    assert redis["props"]["publicNetworkAccess"] == "Enabled"
    assert redis["props"]["privateEndpointConnections"] == []

    kv = resources(committed, "microsoft.keyvault/vaults").iloc[0]["props"]
    assert kv["enableSoftDelete"] is True and "enablePurgeProtection" not in kv

    storage = resources(committed, "microsoft.storage/storageaccounts")
    assert _by_name(storage, "strretailprodfiles")["sku_obj"]["name"] == "Standard_ZRS"
    assert _by_name(storage, "strretailprodbackup")["sku_obj"]["name"] == "Standard_LRS"

    law = resources(committed, "microsoft.operationalinsights/workspaces").iloc[0]["props"]
    assert law["retentionInDays"] == 30

    nsg = _by_name(resources(committed, "microsoft.network/networksecuritygroups"),
                   "nsg-snet-aks")
    ssh = [r["properties"] for r in nsg["props"]["securityRules"]
           if r["properties"].get("destinationPortRange") == "22"]
    assert ssh and ssh[0]["sourceAddressPrefix"] == "Internet"

    ra = resources(committed, "microsoft.authorization/roleassignments")
    owners = ra[dig(ra["props"], "roleDefinitionId").str.endswith(OWNER_ROLE)
                & dig(ra["props"], "scope").eq(f"/subscriptions/{SUB}")]
    assert len(owners) == 5

    pricing = resources(committed, "microsoft.security/pricings")
    tiers = dict(zip(pricing["name"], dig(pricing["props"], "pricingTier"), strict=True))
    assert tiers["Containers"] == "Standard"
    assert tiers["OpenSourceRelationalDatabases"] == "Free"

    diag = arm_details(committed, "diagnosticSettings")
    assert not diag["resource_id"].str.contains("flexibleServers|storageAccounts").any()
    blob = arm_details(committed, "blobServices")
    files = blob[blob["resource_id"].str.endswith("strretailprodfiles")].iloc[0]["props"]
    assert files["deleteRetentionPolicy"]["enabled"] is True
    assert files["isVersioningEnabled"] is False


def test_kubernetes_story_facts(committed):
    objs = k8s(committed)
    subjects = set(objs["subject"])
    assert {"Deployment/odoo-prod/odoo-web", "HorizontalPodAutoscaler/odoo-prod/odoo-web",
            "PodDisruptionBudget/odoo-prod/odoo-web", "Deployment/traefik/traefik",
            "NetworkPolicy/odoo-prod/default-deny-ingress", "IngressRoute/odoo-prod/odoo-shop",
            "CronJob/odoo-prod/filestore-sync"} <= subjects
    assert not any(s.startswith(("PodDisruptionBudget/traefik/", "NetworkPolicy/traefik/"))
                   for s in subjects)

    web = objs[objs["subject"] == "Deployment/odoo-prod/odoo-web"].iloc[0]
    assert web["spec_obj"]["replicas"] == 3 and web["status_obj"]["readyReplicas"] == 3
    assert web["spec_obj"]["template"]["spec"]["containers"][0]["image"].endswith(
        ":17.0-20261102")
    debug = objs[objs["subject"] == "Deployment/odoo-prod/debug-shell"].iloc[0]
    shell = debug["spec_obj"]["template"]["spec"]["containers"][0]
    assert shell["securityContext"]["privileged"] is True
    assert shell["image"] == "docker.io/library/busybox:latest"

    route = objs[objs["subject"] == "IngressRoute/odoo-prod/odoo-shop"].iloc[0]
    ports = {r["services"][0]["port"] for r in route["spec_obj"]["routes"]}
    assert ports == {8069, 8072}

    nodes = objs[objs["kind"] == "Node"]
    zones = nodes["labels_obj"].map(lambda x: x["topology.kubernetes.io/zone"])
    pools = nodes["labels_obj"].map(lambda x: x["kubernetes.azure.com/agentpool"])
    assert set(zones[pools == "system"]) == {"westeurope-1", "westeurope-2", "westeurope-3"}
    assert set(zones[pools == "odoo"]) == {"westeurope-1", "westeurope-2"}
    assert dig(nodes["status_obj"], "allocatable.cpu").notna().all()


def test_secrets_and_configmaps_keep_metadata_type_and_key_count_only(committed):
    raw = committed.table("k8s_objects")
    secrets = raw[raw["kind"] == "Secret"]
    assert "odoo-db" in set(secrets["name"])
    for spec in secrets["spec"]:
        parsed = json.loads(spec)
        assert set(parsed) == {"type", "key_count"} and parsed["key_count"] >= 1
    config_maps = raw[raw["kind"] == "ConfigMap"]
    assert [json.loads(s) for s in config_maps["spec"]] == [{"key_count": 1}]
    assert secrets["status"].isna().all()
    assert not raw["annotations"].str.contains("last-applied-configuration").any()


def test_kubernetes_objects_come_from_the_shipped_manifests():
    """The demo's cluster is a folder of `kubectl get -o yaml` dumps read by the offline
    collector, and the bundle holds exactly what that reader gives."""
    from readiness_kit.collectors.kubernetes.files import read_manifests
    from readiness_kit.demo.build import CLUSTER, K8S_SOURCES

    read = read_manifests(K8S_SOURCES, CLUSTER)
    assert read.problems == [] and len(read.records) == 45
    bundle = load_bundle(BUNDLE).table("k8s_objects")
    assert bundle.astype(object).where(bundle.notna(), None).to_dict("records") == read.records


def test_data_tier_story_facts(committed):
    pg = setting_values(committed, "pg_settings").iloc[0]
    assert pg["max_connections"] == "400"
    assert pg["log_min_duration_statement"] == "-1"
    assert pg["idle_in_transaction_session_timeout"] == "0"
    assert "pg_stat_statements" in pg["shared_preload_libraries"]

    dbs = committed.table("pg_databases").set_index("datname")
    assert {"odoo_prod", "odoo_staging", "postgres", "azure_maintenance"} <= set(dbs.index)
    assert 170 * 1024**3 <= dbs.loc["odoo_prod", "size_bytes"] <= 190 * 1024**3

    roles = committed.table("pg_roles").set_index("rolname")
    assert bool(roles.loc["odoo", "createdb"]) is True
    assert "azure_pg_admin" in roles.loc["pgadmin", "member_of"]

    activity = committed.table("pg_activity")
    assert 130 <= activity.loc[activity["usename"] == "odoo", "connections"].sum() <= 150

    redis = setting_values(committed, "redis_info").iloc[0]
    assert redis["maxmemory_policy"] == "volatile-lru"
    assert int(redis["evicted_keys"]) > 0
    assert redis["redis_version"].startswith("6.2.")


def test_odoo_and_gitops_story_facts(committed):
    odoo = setting_values(committed, "odoo_config").iloc[0]
    assert (odoo["workers"], odoo["max_cron_threads"], odoo["db_maxconn"]) == ("8", "2", "64")
    assert odoo["list_db"] == "True" and odoo["proxy_mode"] == "True"
    assert odoo["admin_passwd"] == "<redacted>"

    pipes = committed.table("gitops_pipelines").set_index("name")
    assert bool(pipes.loc["deploy-prod", "requires_approval"]) is True
    assert bool(pipes.loc["deploy-prod", "has_rollback"]) is False
    assert bool(pipes.loc["build-odoo", "signs_image"]) is False

    rel = committed.table("gitops_releases").set_index(["environment", "component"])
    assert rel.loc[("staging", "traefik"), "chart_version"] == "28.3.0"
    assert rel.loc[("production", "traefik"), "chart_version"] == "26.1.0"
    assert rel.loc[("production", "odoo"), "replicas"] == 3

    gaps = committed.gaps
    assert gaps["what"].tolist() == [
        "diagnosticSettings of microsoft.cache/redis/redis-retail-prod"]


def test_cli_writes_a_loadable_bundle(tmp_path: Path, capsys):
    assert main([str(tmp_path)]) == 0
    assert "azure_resources" in capsys.readouterr().out
    assert set(load_bundle(tmp_path).tables) == EXPECTED_TABLES
