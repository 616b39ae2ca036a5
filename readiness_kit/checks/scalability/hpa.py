"""Scalability checks SCL-HPA-*: horizontal pod autoscaling."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers, hpas, odoo_workloads, workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import ODOO_DEPLOY, _capacity, _nothing
from readiness_kit.frames import fmt, is_system_namespace, text

HPA_DOC = "https://learn.microsoft.com/azure/aks/concepts-scale#horizontal-pod-autoscaler"


@check(
    id="SCL-HPA-001",
    domain="scalability",
    severity="high",
    title="Odoo web and the ingress scale horizontally (HPA with max > min)",
    rationale="A shop peak arrives faster than people can react; the Horizontal Pod "
    "Autoscaler adds Odoo and Traefik pods as load grows and removes them afterwards. Without "
    "an HPA (or with maxReplicas = minReplicas) the replica count is fixed (AKS scaling "
    "concepts, Well-Architected performance efficiency).",
    remediation="Add an autoscaling/v2 HorizontalPodAutoscaler for each front-line "
    "Deployment (CPU utilisation target 60-70 %), with minReplicas >= 2 across zones and "
    "maxReplicas sized from the peak forecast; keep replicas out of the GitOps manifest so "
    "Flux does not fight the HPA.",
    risk="The shop cannot add web capacity during a sale: pages slow down and orders are "
    "lost while nodes sit idle",
    applies_to="Odoo web and Traefik Deployments",
    requires=["k8s_objects"],
    references=[HPA_DOC,
                "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"],
)
def frontline_hpa(ctx: CheckContext):
    wl = workloads(ctx.ev)
    odoo = odoo_workloads(ctx.ev)
    cont = containers(ctx.ev)
    traefik = set(cont.loc[cont["image"].str.contains(r"(?:^|/)traefik(?::|@|$)",
                                                      regex=True), "subject"])
    web = set(odoo.loc[odoo["role"].eq("web"), "subject"])
    sel = wl[wl["subject"].isin(web | traefik) & wl["kind"].eq("Deployment")]
    if sel.empty:
        return _nothing()
    has = sel["hpa_max"].notna()
    ok = has & (sel["hpa_max"] > sel["hpa_min"].fillna(1))
    detail = np.where(
        has, "HPA " + sel["hpa_subject"].fillna("") + ": min " +
        sel["hpa_min"].map(fmt).astype(str) + ", max " + sel["hpa_max"].map(fmt).astype(str),
        "no HorizontalPodAutoscaler: fixed at " + sel["replicas"].map(fmt).astype(str) +
        " replicas")
    return outcome(sel["subject"], ok, detail)


@check(
    id="SCL-HPA-002",
    domain="scalability",
    severity="high",
    title="HPA maximum covers the peak multiplier",
    rationale="The HPA cannot go beyond maxReplicas. At peak the shop needs the pods it runs "
    "today times the peak factor (targets.peak_multiplier, or the attested orders-per-hour "
    "forecast when that is higher); a lower maximum caps throughput below the forecast.",
    remediation="Raise maxReplicas to at least ceil(current pods x peak factor), check that "
    "PostgreSQL connections (SCL-ODOO-001) and node pool capacity (SCL-AKS-002) still fit, "
    "and load-test at that size before the event.",
    risk="On the peak day the shop tops out below the expected order volume: queues, "
    "timeouts and abandoned baskets",
    applies_to="autoscaled and Odoo web Deployments",
    requires=["k8s_objects"],
    references=[HPA_DOC, ODOO_DEPLOY],
)
def hpa_peak_headroom(ctx: CheckContext):
    return _capacity(ctx, "Pods at peak")


@check(
    id="SCL-HPA-003",
    domain="scalability",
    severity="high",
    title="Each HPA keeps at least two pods and can grow to its minimum times the peak "
    "multiplier",
    rationale="An HPA with minReplicas 1 scales the service down to a single pod at night, "
    "so a node drain or a crash is an outage; and a maximum below minReplicas x "
    "targets.peak_multiplier leaves no headroom for the peak the business expects even "
    "from the quietest baseline (AKS scaling best practices).",
    remediation="Set minReplicas >= 2 and maxReplicas >= minReplicas x the peak multiplier; "
    "check PostgreSQL connections (SCL-ODOO-001) and node capacity (SCL-AKS-002) still fit.",
    risk="A quiet-hour failure takes the service down, or the sale outgrows what the "
    "autoscaler may add",
    applies_to="HorizontalPodAutoscalers of application workloads",
    requires=["k8s_objects"],
    references=[HPA_DOC, "https://kubernetes.io/docs/tasks/run-application/"
                "horizontal-pod-autoscale/"],
)
def hpa_floor_and_headroom(ctx: CheckContext):
    h = hpas(ctx.ev)
    h = h[~is_system_namespace(h["namespace"])].reset_index(drop=True)
    if h.empty:
        return _nothing()
    factor = float(ctx.params.targets.peak_multiplier)
    need = np.ceil(h["hpa_min"] * factor)
    floor_ok = h["hpa_min"] >= 2
    room_ok = h["hpa_max"] >= need
    detail = ("minReplicas " + h["hpa_min"].map(fmt) + ", maxReplicas " + h["hpa_max"].map(fmt)
              + f" (peak multiplier {factor:g}: needs >= " + need.map(fmt) + ")")
    detail = detail.where(floor_ok, detail + "; a single pod at the minimum")
    detail = detail.where(room_ok, detail + "; no headroom for the peak")
    return outcome(h["hpa_subject"], floor_ok & room_ok, detail)


@check(
    id="SCL-HPA-004",
    domain="scalability",
    severity="high",
    title="HPAs that scale on CPU or memory utilisation target pods that request it",
    rationale="Utilisation is usage divided by the container's request. If a container of "
    "the target has no request for that resource, the HPA cannot compute it, reports "
    "FailedGetResourceMetric and never scales (Kubernetes HPA algorithm).",
    remediation="Set resources.requests.cpu / memory on every container of the target "
    "(sidecars included) or scale on an AverageValue or external metric instead.",
    risk="The autoscaler silently does nothing on the day the shop needs it",
    applies_to="HorizontalPodAutoscalers with utilisation targets",
    requires=["k8s_objects"],
    references=["https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"
                "#algorithm-details", HPA_DOC],
)
def hpa_metric_has_requests(ctx: CheckContext):
    h = hpas(ctx.ev)
    h = h[~is_system_namespace(h["namespace"])].reset_index(drop=True)
    util = h["metrics"].map(lambda ms: sorted({
        str((m.get("resource") or m.get("containerResource") or {}).get("name"))
        for m in (ms or []) if isinstance(m, dict)
        and m.get("type") in ("Resource", "ContainerResource")
        and ((m.get("resource") or m.get("containerResource") or {}).get("target") or {})
        .get("type") == "Utilization"}))
    h = h[util.map(bool)].assign(util=util[util.map(bool)])
    if h.empty:
        return _nothing()
    cont = containers(ctx.ev)
    key = (text(cont["cluster"]) + "/" + text(cont["namespace"]) + "/" + cont["kind"] + "/"
           + cont["name"])
    missing = {"cpu": cont["cpu_request_source"].eq("missing"),
               "memory": cont["mem_request_source"].eq("missing")}
    target = (text(h["cluster"]) + "/" + text(h["namespace"]) + "/" + text(h["target_kind"])
              + "/" + text(h["target_name"]))
    found = target.isin(set(key))
    miss = pd.DataFrame({"key": key, "container": cont["container"].astype(str), **missing})
    by = {r: miss[miss[r]].groupby("key")["container"].agg(lambda s: sorted(set(s)))
          for r in missing}
    lacking = [sorted(f"{c} ({r})" for r in wanted if r in by for c in by[r].get(t, []))
               for t, wanted in zip(target, h["util"], strict=True)]
    lacking = pd.Series(lacking, index=h.index, dtype=object)
    detail = ("scales on " + h["util"].map(", ".join) + " utilisation; target "
              + text(h["target_kind"]) + "/" + text(h["target_name"]))
    detail = detail.where(lacking.map(len).eq(0), detail + ": no request on "
                          + lacking.map(", ".join) + ", so the HPA cannot compute it")
    detail = detail.where(found, detail + " not in the evidence")
    return outcome(h["hpa_subject"], lacking.map(len).eq(0), detail, found)
