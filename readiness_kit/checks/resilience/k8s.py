"""Resilience checks RES-K8S-*: Kubernetes disruption budgets and zone spread."""

from __future__ import annotations

import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.evidence import Evidence
from readiness_kit.frames import dig, is_system_namespace, k8s, pod_specs

ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")


def replicated_workloads(ev: Evidence) -> pd.DataFrame | None:
    """Deployments / StatefulSets outside system namespaces running >= 2 replicas.

    Replicas are the HPA's minReplicas when an HPA targets the workload, else spec.replicas.
    Adds ``pod_labels`` and ``replicas``.
    """
    wl = k8s(ev, "Deployment", "StatefulSet")
    if wl is None:
        return None
    wl = wl[~is_system_namespace(wl["namespace"])].copy()
    wl["cluster"] = wl["cluster"].fillna("")
    spec_replicas = pd.to_numeric(dig(wl["spec_obj"], "replicas", 1), errors="coerce")
    hpa = k8s(ev, "HorizontalPodAutoscaler")
    hpa_min = pd.DataFrame({"cluster": hpa["cluster"].fillna(""), "namespace": hpa["namespace"],
                            "kind": dig(hpa["spec_obj"], "scaleTargetRef.kind", ""),
                            "name": dig(hpa["spec_obj"], "scaleTargetRef.name", ""),
                            "hpa_min": pd.to_numeric(dig(hpa["spec_obj"], "minReplicas", 1),
                                                     errors="coerce")})
    wl = wl.assign(spec_replicas=spec_replicas.fillna(1)).merge(
        hpa_min.drop_duplicates(["cluster", "namespace", "kind", "name"]),
        on=["cluster", "namespace", "kind", "name"], how="left")
    wl["replicas"] = wl["hpa_min"].fillna(wl["spec_replicas"]).astype(int)
    wl["pod_labels"] = dig(wl["spec_obj"], "template.metadata.labels", {})
    return wl[wl["replicas"] >= 2].reset_index(drop=True)


@check(
    id="RES-K8S-001",
    domain="resilience",
    severity="medium",
    title="Replicated workloads have a PodDisruptionBudget that allows drains",
    rationale="Node upgrades, node-image patching and the cluster autoscaler drain nodes. "
    "Without a PodDisruptionBudget every replica of a service can be evicted at once; a "
    "budget that allows no disruption blocks upgrades instead (AKS best practices).",
    remediation="Add a policy/v1 PodDisruptionBudget selecting the pods with minAvailable "
    "below the replica count (or maxUnavailable >= 1).",
    risk="Routine node maintenance could take the storefront or ingress fully offline",
    applies_to="Deployments / StatefulSets with two or more replicas",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/operator-best-practices-scheduler",
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
    ],
)
def workload_pdb(ctx: CheckContext):
    wl = replicated_workloads(ctx.ev)
    pdb = k8s(ctx.ev, "PodDisruptionBudget")
    budgets = pd.DataFrame({
        "cluster": pdb["cluster"].fillna(""), "namespace": pdb["namespace"],
        "pdb": pdb["name"], "selector": dig(pdb["spec_obj"], "selector.matchLabels", {}),
        "min_available": dig(pdb["spec_obj"], "minAvailable", None),
        "max_unavailable": dig(pdb["spec_obj"], "maxUnavailable", None)})
    pairs = wl[["subject", "cluster", "namespace", "replicas", "pod_labels"]].merge(
        budgets, on=["cluster", "namespace"])
    selects = [bool(sel) and sel.items() <= labels.items()
               for sel, labels in zip(pairs["selector"], pairs["pod_labels"], strict=True)]
    pairs = pairs[pd.Series(selects, index=pairs.index, dtype=bool)].copy()
    min_av = pd.to_numeric(pairs["min_available"], errors="coerce")
    max_un = pd.to_numeric(pairs["max_unavailable"], errors="coerce")
    allowed = (pairs["replicas"] - min_av).fillna(max_un)  # percentages stay NaN: allowed
    pairs["ok"] = ~(allowed <= 0)
    budget = ("minAvailable " + pairs["min_available"].astype(str)).where(
        pairs["min_available"].notna(), "maxUnavailable " + pairs["max_unavailable"].astype(str))
    pairs["text"] = ("PodDisruptionBudget " + pairs["namespace"] + "/" + pairs["pdb"] + " ("
                     + budget + ") covers " + pairs["replicas"].astype(str) + " replicas")
    pairs["text"] = pairs["text"].where(pairs["ok"], pairs["text"]
                                        + " but allows no disruption: it blocks node drains")
    best = pairs.sort_values("ok", ascending=False).drop_duplicates("subject")
    merged = wl.merge(best[["subject", "ok", "text"]], on="subject", how="left")
    detail = merged["text"].fillna(merged["replicas"].astype(str) + " replicas and no "
                                   "PodDisruptionBudget selects its pods: a drain can evict "
                                   "them all at once")
    return outcome(merged["subject"], merged["ok"].fillna(False), detail)


def _zone_spread(pod: dict) -> str | None:
    """How a pod spec spreads its pods across zones, or None."""
    pod = pod or {}
    for c in pod.get("topologySpreadConstraints") or []:
        if c.get("topologyKey") in ZONE_KEYS:
            return (f"topologySpreadConstraints on {c['topologyKey']} (maxSkew "
                    f"{c.get('maxSkew', 1)}, {c.get('whenUnsatisfiable', 'DoNotSchedule')})")
    anti = (pod.get("affinity") or {}).get("podAntiAffinity") or {}
    terms = [*anti.get("requiredDuringSchedulingIgnoredDuringExecution", []),
             *[t.get("podAffinityTerm", {})
               for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution", [])]]
    if any(t.get("topologyKey") in ZONE_KEYS for t in terms):
        return "pod anti-affinity across zones"
    return None


@check(
    id="RES-K8S-002",
    domain="resilience",
    severity="medium",
    title="Replicated workloads spread their pods across availability zones",
    rationale="Zone-spread node pools only help if the scheduler also spreads the replicas: "
    "without topologySpreadConstraints (or zone anti-affinity) on topology.kubernetes.io/zone "
    "all replicas may land in one zone.",
    remediation="Add topologySpreadConstraints with topologyKey topology.kubernetes.io/zone "
    "and maxSkew 1 to the pod template.",
    risk="All copies of a service could sit in one zone and fail together",
    applies_to="Deployments / StatefulSets with two or more replicas",
    requires=["k8s_objects"],
    references=[
        "https://learn.microsoft.com/azure/aks/availability-zones",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/"
        "topology-spread-constraints/",
    ],
)
def workload_zone_spread(ctx: CheckContext):
    wl = replicated_workloads(ctx.ev)
    spread = pod_specs(wl).map(_zone_spread)
    detail = ("spreads " + wl["replicas"].astype(str) + " replicas with "
              + spread.astype(str)).where(
        spread.notna(), "no zone topologySpreadConstraints or anti-affinity: the scheduler "
        "may place all " + wl["replicas"].astype(str) + " replicas in one zone")
    return outcome(wl["subject"], spread.notna(), detail)
