"""Operations checks OPS-PAT-*: patching."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.operations._shared import AKS, _attested
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, resources

#: AKS supports the three newest GA minor versions (N-2) plus LTS; Microsoft publishes the
#: end-of-support dates on the AKS release calendar. As of the demo review date (2026-11-27)
#: we treat minors older than 1.31 as out of support. Update this with the calendar:
#: https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
AKS_OLDEST_SUPPORTED_MINOR = (1, 31)


def _minor(version: pd.Series) -> pd.Series:
    parts = version.astype(str).str.extract(r"^v?(\d+)\.(\d+)")
    return pd.to_numeric(parts[0], errors="coerce") * 1000 + pd.to_numeric(parts[1],
                                                                           errors="coerce")


@check(
    id="OPS-PAT-001",
    domain="operations",
    severity="high",
    title="AKS runs a supported Kubernetes version",
    rationale="Out-of-support AKS versions get no security patches and no platform support "
    "(AKS supports N-2 minors); upgrades across several minors are risky under time "
    "pressure.",
    remediation="Upgrade the control plane and node pools one minor at a time to a supported "
    "version (az aks upgrade), after checking deprecated APIs.",
    risk="The cluster would miss security fixes and Microsoft support during an incident",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
                "https://learn.microsoft.com/azure/aks/upgrade-aks-cluster"],
)
def aks_supported_version(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    control = dig(aks["props"], "currentKubernetesVersion", None).fillna(
        dig(aks["props"], "kubernetesVersion", "")).astype(str)
    pools = aks[["id", "props"]].assign(pool=dig(aks["props"], "agentPoolProfiles", []))
    pools = pools.explode("pool")
    pools = pools[pools["pool"].notna()]
    pool_version = dig(pools["pool"], "currentOrchestratorVersion", None).fillna(
        dig(pools["pool"], "orchestratorVersion", "")).astype(str)
    oldest_pool = pd.DataFrame({"id": pools["id"], "v": pool_version, "m": _minor(pool_version)})
    oldest_pool = oldest_pool.sort_values("m").drop_duplicates("id").set_index("id")
    pool_v = aks["id"].map(oldest_pool["v"]).astype(object).fillna("")
    oldest = pd.concat([_minor(control), _minor(pool_v)], axis=1).min(axis=1)
    floor = AKS_OLDEST_SUPPORTED_MINOR[0] * 1000 + AKS_OLDEST_SUPPORTED_MINOR[1]
    need = "{}.{}".format(*AKS_OLDEST_SUPPORTED_MINOR)
    pools_text = (", oldest node pool " + pool_v).where(pool_v.ne("") & pool_v.ne(control), "")
    detail = ("Kubernetes " + control + pools_text + f" (oldest supported minor {need})")
    detail = detail.where(oldest >= floor, detail + ": out of support")
    return outcome(aks["id"], oldest >= floor, detail, oldest.notna())


@check(
    id="OPS-PAT-002",
    domain="operations",
    severity="medium",
    title="AKS has an automatic upgrade channel",
    rationale="An auto-upgrade channel (patch or stable) keeps the cluster on supported "
    "patch releases inside a planned maintenance window instead of drifting out of support.",
    remediation="Set autoUpgradeProfile.upgradeChannel to patch (or stable) and define a "
    "maintenance window (aksManagedAutoUpgradeSchedule).",
    risk="The cluster would fall behind on fixes until a forced upgrade at a bad time",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
                "https://learn.microsoft.com/azure/aks/planned-maintenance"],
)
def aks_upgrade_channel(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    raw = dig(aks["props"], "autoUpgradeProfile.upgradeChannel", None)
    channel = raw.fillna("none").astype(str)
    detail = ("auto-upgrade channel " + channel).where(
        raw.notna(), "auto-upgrade channel not set (Azure treats it as none)")
    return outcome(aks["id"], channel.str.lower().ne("none"), detail)


@check(
    id="OPS-PAT-003",
    domain="operations",
    severity="medium",
    title="AKS node OS images are patched automatically",
    rationale="Node OS security patches arrive weekly. The NodeImage or SecurityPatch channel "
    "applies them with coordinated drains; None or Unmanaged leaves nodes unpatched or "
    "patched without reboots.",
    remediation="Set autoUpgradeProfile.nodeOSUpgradeChannel to NodeImage (or SecurityPatch) "
    "with a node OS maintenance window.",
    risk="Nodes running the shop would carry known vulnerabilities",
    applies_to="AKS clusters",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image"],
)
def aks_node_os_channel(ctx: CheckContext):
    aks = resources(ctx.ev, AKS)
    raw = dig(aks["props"], "autoUpgradeProfile.nodeOSUpgradeChannel", None)
    channel = raw.fillna("NodeImage").astype(str)
    detail = ("node OS upgrade channel " + channel).where(
        raw.notna(), "node OS upgrade channel not set (Azure's default NodeImage assumed)")
    return outcome(aks["id"], channel.str.lower().isin(["nodeimage", "securitypatch"]), detail)


@check(
    id="OPS-PAT-004",
    domain="operations",
    severity="low",
    title="A patching cadence is agreed",
    rationale="Automatic channels need an agreed cadence for what they do not cover (minor "
    "Kubernetes upgrades, Odoo and PostgreSQL versions) so patching is planned around "
    "trading peaks.",
    remediation="Agree and publish the patching cadence (node images, Kubernetes minors, "
    "Odoo images) and freeze windows before peak events.",
    risk="Patches would be applied late or in the middle of a peak event",
    applies_to="patching attestations",
    requires=["attestations"],
    references=["https://learn.microsoft.com/azure/aks/planned-maintenance"],
    basis="attested",
)
def patching_cadence(ctx: CheckContext):
    return _attested(ctx, "patching.cadence", what="patching cadence: ")
