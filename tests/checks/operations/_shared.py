"""Builders and constants the operations check tests of several areas share."""

import functools

import factories
from factories import SUB, attestation, run

RG = f"/subscriptions/{SUB}/resourceGroups/rg-prod"
LAW = f"{RG}/providers/Microsoft.OperationalInsights/workspaces/log-prod"
#: Every resource of this story lives in resource group rg-prod.
arm = functools.partial(factories.arm, rg="rg-prod")


def aks(name: str = "aks-prod", *, version: str = "1.31.2", oms: bool | None = True,
        upgrade: str | None = "patch", node_os: str | None = "NodeImage",
        pool_version: str | None = None) -> dict:
    props: dict = {
        "kubernetesVersion": version, "currentKubernetesVersion": version,
        "agentPoolProfiles": [{"name": "system", "mode": "System", "count": 3,
                               "orchestratorVersion": pool_version or version,
                               "currentOrchestratorVersion": pool_version or version,
                               "availabilityZones": ["1", "2", "3"]}],
        "addonProfiles": {"azurepolicy": {"enabled": True}},
    }
    if oms is not None:
        props["addonProfiles"]["omsagent"] = {
            "enabled": oms, "config": {"logAnalyticsWorkspaceResourceID": LAW,
                                       "useAADAuth": "true"}}
    upgrade_profile = {}
    if upgrade is not None:
        upgrade_profile["upgradeChannel"] = upgrade
    if node_os is not None:
        upgrade_profile["nodeOSUpgradeChannel"] = node_os
    if upgrade_profile:
        props["autoUpgradeProfile"] = upgrade_profile
    return arm("Microsoft.ContainerService/managedClusters", name, props,
               sku={"name": "Base", "tier": "Standard"})


def pg(name: str = "psql-prod") -> dict:
    return arm("Microsoft.DBforPostgreSQL/flexibleServers", name,
               {"version": "16", "state": "Ready",
                "highAvailability": {"mode": "ZoneRedundant"}},
               sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"})


def assert_attested(check_id: str, key: str, good: str, bad: str) -> None:
    """An attestation check passes on a real answer, fails on a negative one and is
    not_assessed when the key was never answered."""
    ok = run(check_id, {"attestations": [attestation(key, good)]})
    assert ok.status.tolist() == ["pass"]
    assert ok.subject[0] == f"attestation:{key}"
    assert ok.detail[0].endswith(f"{good} (attested by Marta Keller (Platform Lead) "
                                 "on 2026-11-20)")
    ko = run(check_id, {"attestations": [attestation(key, bad)]})
    assert ko.status.tolist() == ["fail"]
    missing = run(check_id, {"attestations": [attestation("other.key", "x")]})
    assert missing.status.tolist() == ["not_assessed"]
