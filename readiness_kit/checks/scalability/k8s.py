"""Scalability checks SCL-K8S-*: Kubernetes resource requests and limits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers, odoo_workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import ODOO_DEPLOY, _nothing
from readiness_kit.frames import fmt, is_system_namespace, text


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


@check(
    id="SCL-K8S-002",
    domain="scalability",
    severity="low",
    title="Every container has a CPU limit (its own or the namespace LimitRange default)",
    rationale="A container without a CPU limit may take every idle core of its node; a "
    "runaway report or an import then slows every Odoo pod beside it, and the scheduler's "
    "picture of the node no longer matches reality. kube-score's container-resources rule "
    "and Polaris ask for CPU limits; a LimitRange default counts.",
    remediation="Set resources.limits.cpu (for Odoo web, about workers / 2 cores above the "
    "request), or give the namespace a LimitRange with default.cpu.",
    risk="One busy job can slow the whole shop on a shared node at peak",
    applies_to="application workloads",
    requires=["k8s_objects"],
    references=["https://github.com/zegl/kube-score/blob/master/README_CHECKS.md",
                "https://polaris.docs.fairwinds.com/checks/efficiency/",
                "https://learn.microsoft.com/azure/aks/developer-best-practices-resource-"
                "management"],
)
def cpu_limits(ctx: CheckContext):
    cont = containers(ctx.ev)
    cont = cont[~is_system_namespace(cont["namespace"])]
    if cont.empty:
        return _nothing()
    bad = cont["cpu_limit_source"].eq("missing")
    lr = cont["cpu_limit_source"].eq("LimitRange")
    per = pd.DataFrame({"subject": cont["subject"], "bad": bad, "lr": lr}).groupby(
        "subject", sort=False).agg(bad=("bad", "any"), lr=("lr", "any"), n=("bad", "size"))
    missing = ("container " + cont["container"].astype(str) + ": no CPU limit")[bad] \
        .groupby(cont["subject"][bad], sort=False).agg("; ".join)
    detail = np.where(per["bad"], text(per.index.to_series().map(missing)),
                      "CPU limit on " + per["n"].map(str) + " container(s)"
                      + np.where(per["lr"], " (some from the namespace LimitRange)", ""))
    return outcome(per.index, ~per["bad"], detail)


@check(
    id="SCL-K8S-003",
    domain="scalability",
    severity="medium",
    title="Odoo cron workers are not scaled with the web tier",
    rationale="Scheduled actions (invoicing, stock rules, e-mail queues) load the database "
    "on their own rhythm, not with shopper traffic. Cron threads inside autoscaled web "
    "pods, or an HPA on the cron Deployment, multiply cron workers and their database "
    "connections exactly when the web tier scales out for a peak.",
    remediation="Run cron in its own Deployment (--no-http, fixed replicas, no HPA) and "
    "start the web pods with --max-cron-threads=0 (or max_cron_threads = 0 in their "
    "odoo.conf).",
    risk="At peak, extra cron workers compete with shoppers for the database",
    applies_to="Odoo Deployments",
    requires=["k8s_objects"],
    references=[ODOO_DEPLOY, "https://www.odoo.com/documentation/17.0/developer/reference/"
                "cli.html#multiprocessing"],
)
def cron_not_scaled_with_web(ctx: CheckContext):
    odoo = odoo_workloads(ctx.ev)
    if odoo.empty:
        return _nothing()
    scaled = odoo["hpa_max"].notna() | odoo["replicas"].gt(1)
    cron = odoo["role"].eq("cron")
    threads = odoo["max_cron_threads"]
    known = ~odoo["max_cron_threads_source"].eq("Odoo default") | ctx.ev.has("odoo_config")
    web_bad = ~cron & scaled & (threads > 0)
    cron_bad = cron & scaled
    how = np.where(odoo["hpa_max"].notna(), "scaled by HPA " + odoo["hpa_subject"].fillna(""),
                   odoo["replicas"].map(fmt).astype(str) + " replicas")
    detail = np.select(
        [cron_bad, web_bad, ~cron & ~known],
        ["cron Deployment " + pd.Series(how, index=odoo.index) + ": cron workers grow with "
         "it", "web pods run " + threads.map(fmt) + " cron threads (from "
         + odoo["max_cron_threads_source"].astype(str) + ") and are "
         + pd.Series(how, index=odoo.index),
         "max_cron_threads not in the container arguments and odoo.conf not collected"],
        np.where(cron, "cron Deployment at fixed " + odoo["replicas"].map(fmt).astype(str)
                 + " replica(s), no HPA", "web pods run no cron threads ("
                 + odoo["max_cron_threads_source"].astype(str) + ")"))
    detail = pd.Series(detail, index=odoo.index).where(
        ~(~cron & ~scaled), "single web pod, not scaled")
    assessed = cron | known | ~scaled
    return outcome(odoo["subject"], ~(web_bad | cron_bad), detail, assessed)
