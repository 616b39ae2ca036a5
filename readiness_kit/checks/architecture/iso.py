"""Architecture checks ARC-ISO-*: workload isolation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers
from readiness_kit.checks.architecture._shared import _app_namespace, _nothing, _ns_subject
from readiness_kit.checks.registry import CheckContext, check, not_assessed, outcome
from readiness_kit.frames import k8s, tenant_namespaces, text


@check(
    id="ARC-ISO-001",
    domain="architecture",
    severity="medium",
    title="Application namespaces have a ResourceQuota and a LimitRange",
    rationale="AKS best practice for cluster isolation is a namespace per application with "
    "resource quotas and default limits, so one workload (a runaway report, a debug pod, a "
    "memory leak) cannot starve the Odoo pods on shared nodes.",
    remediation="Add a ResourceQuota (requests.cpu, requests.memory, limits.memory, pods) and "
    "a LimitRange with defaultRequest/default for containers to every application namespace, "
    "through the GitOps repository.",
    risk="One misbehaving workload can take the CPU and memory the storefront needs during a "
    "sale",
    applies_to="application namespaces with workloads",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-scheduler",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"],
)
def namespace_quotas(ctx: CheckContext):
    cont = containers(ctx.ev)
    ns = cont.loc[_app_namespace(cont["namespace"]), ["cluster", "namespace"]].drop_duplicates()
    if ns.empty:
        return _nothing()
    objs = k8s(ctx.ev, "ResourceQuota", "LimitRange")
    flags = objs.assign(quota=objs["kind"].eq("ResourceQuota"),
                        limits=objs["kind"].eq("LimitRange")).groupby(
        ["cluster", "namespace"], dropna=False)[["quota", "limits"]].any().reset_index()
    ns = ns.merge(flags, on=["cluster", "namespace"], how="left")
    quota = ns["quota"].fillna(False).astype(bool)
    limits = ns["limits"].fillna(False).astype(bool)
    detail = (np.where(quota, "ResourceQuota present", "no ResourceQuota") + ", " +
              np.where(limits, "LimitRange present", "no LimitRange"))
    return outcome(_ns_subject(ns["namespace"]), quota & limits, detail)


@check(
    id="ARC-ISO-002",
    domain="architecture",
    severity="low",
    title="No workloads run in the default namespace",
    rationale="Workloads in the default namespace escape the per-application quotas, network "
    "policies and RBAC that isolation relies on, and are easily deleted or overwritten by "
    "mistake (AKS cluster isolation best practices).",
    remediation="Move the workloads to an application namespace managed by GitOps and deny "
    "the default namespace with Azure Policy or Gatekeeper.",
    risk="Unowned workloads outside the isolation boundaries share the storefront's nodes",
    applies_to="Kubernetes clusters",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-isolation"],
)
def no_default_namespace(ctx: CheckContext):
    cont = containers(ctx.ev).drop_duplicates("subject")
    bad = cont[cont["namespace"].eq("default")]
    objs = k8s(ctx.ev, parsed=())
    clusters = pd.Series(objs["cluster"].fillna("").astype(str).unique(), dtype=object)
    clean = clusters[~clusters.isin(bad["cluster"].fillna("").astype(str))]
    return pd.concat([
        outcome(bad["subject"], [False] * len(bad),
                bad["kind"] + " " + bad["name"] + " runs in the default namespace"),
        outcome(["Namespace/-/default"] * len(clean), [True] * len(clean),
                "no workloads in the default namespace of cluster " +
                clean.where(clean.ne(""), "(unnamed)")),
    ], ignore_index=True)


#: ResourceQuota keys that cap CPU / memory (requests or limits) and pods.
_CPU_KEYS = {"requests.cpu", "limits.cpu", "cpu"}
_MEM_KEYS = {"requests.memory", "limits.memory", "memory"}


@check(
    id="ARC-ISO-003",
    domain="architecture",
    severity="high",
    title="Each tenant namespace has a ResourceQuota capping CPU and memory "
    "(multi-tenant clusters)",
    rationale="On shared nodes one client's peak, import or runaway report can take the "
    "CPU and memory the other clients' shops need. A ResourceQuota per tenant namespace "
    "that caps CPU and memory (requests or limits) bounds what one tenant may claim (AKS "
    "cluster isolation best practices).",
    remediation="Give every tenant namespace a ResourceQuota with requests.cpu, "
    "requests.memory (and limits.memory, pods) sized from its plan, managed in GitOps.",
    risk="One client's sale or runaway job slows down every other client's shop",
    applies_to="tenant namespaces (hosting_model: multi-tenant)",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/concepts/policy/resource-quotas/",
                "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-"
                "isolation"],
)
def tenant_quota(ctx: CheckContext):
    if ctx.params.hosting_model != "multi-tenant":
        return not_assessed("Applies to multi-tenant hosting; this review is "
                            f"{ctx.params.hosting_model}.", subject="hosting_model")
    ns = tenant_namespaces(ctx.ev)
    rq = k8s(ctx.ev, "ResourceQuota")
    hard = rq["spec_obj"].map(lambda s: set((s or {}).get("hard") or {}))
    caps = pd.DataFrame({"cluster": text(rq["cluster"]), "namespace": text(rq["namespace"]),
                         "cpu": hard.map(lambda h: bool(h & _CPU_KEYS)),
                         "memory": hard.map(lambda h: bool(h & _MEM_KEYS)),
                         "name": rq["name"]})
    per = caps.groupby(["cluster", "namespace"]).agg(
        cpu=("cpu", "any"), memory=("memory", "any"), names=("name", ", ".join)).reset_index()
    ns = ns.merge(per, on=["cluster", "namespace"], how="left")
    cpu = ns["cpu"].fillna(False).astype(bool)
    mem = ns["memory"].fillna(False).astype(bool)
    found = ns["names"].notna()
    detail = np.where(~found, "no ResourceQuota",
                      "ResourceQuota " + text(ns["names"]) + np.where(cpu, " caps CPU",
                                                                     " does not cap CPU")
                      + np.where(mem, " and memory", ", not memory"))
    return outcome(ns["subject"], cpu & mem, detail)
