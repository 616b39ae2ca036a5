"""Scalability checks SCL-K8S-*: Kubernetes resource requests and limits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import _nothing
from readiness_kit.frames import is_system_namespace


@check(
    id="SCL-K8S-001",
    domain="scalability",
    severity="medium",
    title="Workloads declare CPU and memory requests and a memory limit",
    rationale="The scheduler places pods and the HPA computes utilisation from requests; "
    "without them pods pack onto nodes until they are OOM-killed or throttled, and the "
    "autoscaler cannot reason about capacity. AKS resource-management best practice is "
    "requests on every container and a memory limit (LimitRange defaults count).",
    remediation="Set resources.requests.cpu, resources.requests.memory and "
    "resources.limits.memory on every container, or give the namespace a LimitRange with "
    "defaultRequest and default.",
    risk="Unsized pods crowd out the shop at peak and the autoscalers scale on wrong numbers",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://learn.microsoft.com/azure/aks/developer-best-practices-resource-"
                "management"],
)
def requests_and_limits(ctx: CheckContext):
    cont = containers(ctx.ev)
    cont = cont[~is_system_namespace(cont["namespace"])]
    if cont.empty:
        return _nothing()
    gaps = (np.where(cont["cpu_request_source"].eq("missing"), "no CPU request, ", "") +
            np.where(cont["mem_request_source"].eq("missing"), "no memory request, ", "") +
            np.where(cont["mem_limit_source"].eq("missing"), "no memory limit, ", ""))
    gaps = pd.Series(gaps, index=cont.index).str.rstrip(", ")
    defaulted = (cont[["cpu_request_source", "mem_request_source", "mem_limit_source"]]
                 .eq("LimitRange").any(axis=1))
    text = np.where(gaps.ne(""), cont["container"].astype(str) + ": " + gaps, "")
    per = pd.DataFrame({"subject": cont["subject"], "ok": gaps.eq(""), "text": text,
                        "defaulted": defaulted}).groupby("subject", sort=False).agg(
        ok=("ok", "all"), n=("ok", "size"), defaulted=("defaulted", "any"),
        text=("text", lambda s: "; ".join(t for t in s if t)))
    detail = np.where(
        per["ok"], "requests and memory limit on " + per["n"].map(str) + " container(s)" +
        np.where(per["defaulted"], " (some from the namespace LimitRange)", ""),
        per["text"])
    return outcome(per.index, per["ok"], detail)
