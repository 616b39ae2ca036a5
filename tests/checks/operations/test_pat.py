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
