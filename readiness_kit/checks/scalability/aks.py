"""Scalability checks SCL-AKS-*: AKS node pools and autoscaling."""

from __future__ import annotations

import numpy as np

from readiness_kit.capacity import node_pools
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _capacity, _nothing
from readiness_kit.frames import fmt


@check(
    id="SCL-AKS-001",
    domain="scalability",
    severity="high",
    title="The cluster autoscaler is enabled on user node pools",
    rationale="Pods the HPA adds need nodes. The AKS cluster autoscaler adds nodes when pods "
    "are pending and removes them afterwards; without it (or with maxCount = minCount) the "
    "HPA's new pods stay Pending at peak.",
    remediation="Enable the cluster autoscaler on every user pool (az aks nodepool update "
    "--enable-cluster-autoscaler --min-count N --max-count M) with a maximum sized for the "
    "peak, and check the subnet and vCPU quota allow it.",
    risk="New web pods cannot be scheduled during the sale, so the extra capacity never "
    "arrives",
    applies_to="AKS user node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/cluster-autoscaler"],
)
def user_pool_autoscaler(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    pools = pools[pools["mode"].astype(str).str.lower().eq("user")]
    if pools.empty:
        return _nothing()
    ok = pools["autoscaling"] & (pools["max_count"] > pools["min_count"])
    unknown = np.where(pools["mode_reported"], "", " (pool mode not reported: it may be a "
                       "system pool)")
    detail = np.where(
        pools["autoscaling"], "cluster autoscaler on: min " +
        pools["min_count"].map(fmt).astype(str) + ", max " +
        pools["max_count"].map(fmt).astype(str) +
        " nodes (" + pools["vm_size"] + ")",
        "cluster autoscaler off: fixed at " + pools["count"].map(fmt).astype(str) + " nodes (" +
        pools["vm_size"] + ")") + unknown
    return outcome(pools["subject"], ok, detail, ok | pools["mode_reported"])


@check(
    id="SCL-AKS-002",
    domain="scalability",
    severity="high",
    title="User node pools can host the workloads at peak",
    rationale="The autoscaler can only add nodes up to maxCount. The CPU and memory requests "
    "of the application pods at peak (HPA targets at the larger of the peak need and their "
    "maxReplicas) must fit the allocatable capacity of the user pools at their maximum, or "
    "pods stay Pending.",
    remediation="Raise maxCount (and check subnet addresses and regional vCPU quota), use a "
    "larger VM size, or trim pod requests to what the workloads really use.",
    risk="The cluster runs out of room at peak and new pods wait for capacity that never "
    "comes",
    applies_to="AKS clusters",
    requires=["azure_resources", "k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/node-resource-reservations",
                "https://learn.microsoft.com/azure/aks/cluster-autoscaler"],
)
def node_capacity_at_peak(ctx: CheckContext):
    return _capacity(ctx, "Node pool vCPU", "Node pool memory")


@check(
    id="SCL-AKS-003",
    domain="scalability",
    severity="medium",
    title="Autoscaled user node pools have room to grow above their current size",
    rationale="A pool already at its autoscaler maximum cannot add a node when the HPA adds "
    "pods: the next surge stays Pending although the autoscaler is 'on' (AKS cluster "
    "autoscaler guidance, Well-Architected AKS performance).",
    remediation="Raise maxCount above today's node count with room for the peak "
    "(`az aks nodepool update --update-cluster-autoscaler --max-count N`), after checking "
    "subnet addresses and vCPU quota.",
    risk="The shop has no spare capacity left for the next traffic surge",
    applies_to="autoscaled AKS user node pools",
    requires=["azure_resources"],
    references=["https://learn.microsoft.com/azure/aks/cluster-autoscaler",
                "https://learn.microsoft.com/azure/well-architected/service-guides/"
                "azure-kubernetes-service"],
)
def user_pool_headroom(ctx: CheckContext):
    pools = node_pools(ctx.ev)
    pools = pools[pools["autoscaling"] & pools["mode"].str.lower().eq("user")]
    if pools.empty:
        return _nothing()
    room = pools["max_count"] - pools["count"]
    detail = ("pool " + pools["pool"] + " runs " + pools["count"].map(fmt).astype(str)
              + " of at most " + pools["max_count"].map(fmt).astype(str) + " nodes ("
              + room.clip(lower=0).map(fmt).astype(str) + " more possible)")
    detail = detail + np.where(pools["mode_reported"], "", "; pool mode not reported")
    ok = room > 0
    return outcome(pools["subject"], ok, detail, ok | pools["mode_reported"])
