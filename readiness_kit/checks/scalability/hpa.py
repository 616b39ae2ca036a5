"""Scalability checks SCL-HPA-*: horizontal pod autoscaling."""

from __future__ import annotations

import numpy as np

from readiness_kit.capacity import containers, odoo_workloads, workloads
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.checks.scalability._shared import ODOO_DEPLOY, _capacity, _nothing
from readiness_kit.frames import fmt

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
