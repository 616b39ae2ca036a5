"""Tests of the operations checks OPS-PAT-*: patching."""

import pytest
from factories import by_subject, run

from readiness_kit.checks.operations import AKS_OLDEST_SUPPORTED_MINOR

from ._shared import aks, assert_attested


def test_aks_supported_version():
    assert AKS_OLDEST_SUPPORTED_MINOR == (1, 31)
    result = run("OPS-PAT-001", {"azure_resources": [
        aks("aks-old", version="1.29.9"), aks("aks-new", version="1.32.1"),
        aks("aks-mixed", version="1.31.2", pool_version="1.30.6")]})
    assert by_subject(result) == {"aks-old": "fail", "aks-new": "pass", "aks-mixed": "fail"}
    d = by_subject(result, "detail")
    assert d["aks-old"] == "Kubernetes 1.29.9 (oldest supported minor 1.31): out of support"
    assert "oldest node pool 1.30.6" in d["aks-mixed"]


def test_aks_upgrade_channels():
    rows = [aks("aks-a", upgrade="patch", node_os="NodeImage"),
            aks("aks-b", upgrade="none", node_os="Unmanaged"),
            aks("aks-c", upgrade=None, node_os=None)]
    upgrade = run("OPS-PAT-002", {"azure_resources": rows})
    assert by_subject(upgrade) == {"aks-a": "pass", "aks-b": "fail", "aks-c": "fail"}
    assert by_subject(upgrade, "detail")["aks-c"] == ("auto-upgrade channel not set (Azure treats "
                                                   "it as none)")
    node_os = run("OPS-PAT-003", {"azure_resources": rows})
    assert by_subject(node_os) == {"aks-a": "pass", "aks-b": "fail", "aks-c": "pass"}
    assert "default NodeImage assumed" in by_subject(node_os, "detail")["aks-c"]


@pytest.mark.parametrize("check_id, key, good, bad", [
    ("OPS-PAT-004", "patching.cadence", "monthly node image, quarterly minor", "unknown"),
])
def test_attested_operations(check_id, key, good, bad):
    assert_attested(check_id, key, good, bad)


# --- real bodies (tests/fixtures/azure) ------------------------------------------------------

from factories import real_body, renamed  # noqa: E402


def test_aks_versions_and_channels_real_bodies():
    old = renamed(real_body("aks_cluster_create"), "old")              # 1.9.6 everywhere
    current = renamed(real_body("aks_cluster_create", set={              # the version only
        "properties.kubernetesVersion": "1.32.7",
        "properties.currentKubernetesVersion": "1.32.7",
        "properties.agentPoolProfiles.0.orchestratorVersion": "1.32.7",
        "properties.agentPoolProfiles.0.currentOrchestratorVersion": "1.32.7"}), "current")
    lagging = renamed(real_body("aks_cluster_create", set={              # pools left behind
        "properties.kubernetesVersion": "1.32.7",
        "properties.currentKubernetesVersion": "1.32.7"}), "lagging")
    result = run("OPS-PAT-001", {"azure_resources": [old, current, lagging]})
    assert by_subject(result) == {"old": "fail", "current": "pass", "lagging": "fail"}
    assert by_subject(result, "detail")["lagging"] == (
        "Kubernetes 1.32.7, oldest node pool 1.9.6 (oldest supported minor 1.31): out of "
        "support")
    channels = [renamed(real_body("aks_cluster_auto_upgrade"), "auto"),  # stable, NodeImage
                renamed(real_body("aks_cluster_create"), "unset"),       # no autoUpgradeProfile
                renamed(real_body("aks_cluster_auto_upgrade", set={
                    "properties.autoUpgradeProfile.nodeOSUpgradeChannel": "None"}), "none")]
    result = run("OPS-PAT-002", {"azure_resources": channels})
    assert by_subject(result) == {"auto": "pass", "unset": "fail", "none": "pass"}
    assert by_subject(result, "detail")["unset"] == (
        "auto-upgrade channel not set (Azure treats it as none)")
    result = run("OPS-PAT-003", {"azure_resources": channels})
    assert by_subject(result) == {"auto": "pass", "unset": "pass", "none": "fail"}
    assert by_subject(result, "detail")["unset"] == (
        "node OS upgrade channel not set (Azure's default NodeImage assumed)")
