"""Architecture checks ARC-ISO-*: workload isolation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers
from readiness_kit.checks.architecture._shared import _app_namespace, _nothing, _ns_subject
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import k8s


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
    clusters = pd.Series(k8s(ctx.ev)["cluster"].fillna("").astype(str).unique(), dtype=object)
    clean = clusters[~clusters.isin(bad["cluster"].fillna("").astype(str))]
    return pd.concat([
        outcome(bad["subject"], [False] * len(bad),
                bad["kind"] + " " + bad["name"] + " runs in the default namespace"),
        outcome(["Namespace/-/default"] * len(clean), [True] * len(clean),
                "no workloads in the default namespace of cluster " +
                clean.where(clean.ne(""), "(unnamed)")),
    ], ignore_index=True)
