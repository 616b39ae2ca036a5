"""Security checks on ingress: TLS on every route that reaches the shop."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import k8s, workload_containers

TRAEFIK_ROUTES = "https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/"
INGRESS_TLS = "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"
_TLS_ENTRYPOINT = re.compile(r"--entry[pP]oints\.([\w-]+)\.http\.tls(?:=true)?(?:\s|$)")


def tls_entrypoints(ev) -> set[str]:
    """Traefik entry points that terminate TLS for every router (``--entrypoints.<name>.
    http.tls=true`` in the Traefik container's arguments)."""
    c = workload_containers(ev)
    if c is None or c.empty:
        return set()
    traefik = c[c["image"].str.contains(r"(?:^|/)traefik(?::|@|$)", regex=True)]
    args = traefik["container"].map(lambda d: " ".join(str(a) for a in (d.get("args") or [])))
    return {m for a in args for m in _TLS_ENTRYPOINT.findall(a + " ")}


@check(
    id="SEC-ING-001",
    domain="security",
    severity="high",
    title="Every Ingress and Traefik IngressRoute serves its hosts over TLS",
    rationale="Odoo sends session cookies, passwords and payment redirects; over plain "
    "HTTP anyone on the path can read or change them. An Ingress needs a tls entry that "
    "covers each of its hosts; a Traefik IngressRoute needs a tls block (secretName or "
    "certResolver) unless it only binds entry points that terminate TLS.",
    remediation="Add spec.tls (hosts + secretName issued by cert-manager) to the Ingress, "
    "or tls.secretName / tls.certResolver to the IngressRoute and bind it to the websecure "
    "entry point; redirect web to websecure.",
    risk="Customers' passwords and sessions can be read or hijacked in transit",
    applies_to="Ingresses and IngressRoutes",
    requires=["k8s_objects"],
    references=[INGRESS_TLS, TRAEFIK_ROUTES,
                "https://learn.microsoft.com/azure/aks/ingress-tls"],
)
def ingress_tls(ctx: CheckContext):
    ing = k8s(ctx.ev, "Ingress")
    hosts = ing["spec_obj"].map(lambda s: sorted({str(r.get("host")) for r in
                                                  (s or {}).get("rules", []) or []
                                                  if isinstance(r, dict) and r.get("host")}))
    tls_hosts = ing["spec_obj"].map(lambda s: {str(h) for t in (s or {}).get("tls", []) or []
                                               if isinstance(t, dict)
                                               for h in (t.get("hosts") or [])})
    has_tls = ing["spec_obj"].map(lambda s: bool((s or {}).get("tls")))
    uncovered = pd.Series([[h for h in hs if h not in th and not any(
        t.startswith("*.") and h.endswith(t[1:]) for t in th)]
        for hs, th in zip(hosts, tls_hosts, strict=True)], index=ing.index, dtype=object)
    ing_ok = has_tls & uncovered.map(len).eq(0)
    ing_detail = pd.Series(np.where(
        ing_ok, "TLS for " + hosts.map(lambda h: ", ".join(h) or "every host"),
        np.where(has_tls, "no TLS for " + uncovered.map(", ".join),
                 "no spec.tls: served over plain HTTP")), index=ing.index)
    ir = k8s(ctx.ev, "IngressRoute")
    secure = tls_entrypoints(ctx.ev)
    tls = ir["spec_obj"].map(lambda s: (s or {}).get("tls") or {})
    eps = ir["spec_obj"].map(lambda s: list((s or {}).get("entryPoints") or []))
    by_ep = eps.map(lambda e: bool(e) and set(e) <= secure)
    how = tls.map(lambda t: "tls.secretName " + str(t["secretName"]) if t.get("secretName")
                  else ("tls.certResolver " + str(t["certResolver"])
                        if t.get("certResolver") else ("tls block" if t else "")))
    ir_ok = how.ne("") | by_ep
    ir_detail = pd.Series(np.where(
        how.ne(""), "TLS by " + how,
        np.where(by_ep, "TLS terminated by entry point(s) " + eps.map(", ".join),
                 "no tls block and entry point(s) " + eps.map(lambda e: ", ".join(e) or
                                                              "all (default)")
                 + " do not terminate TLS: served over plain HTTP")), index=ir.index)
    return pd.concat([outcome(ing["subject"], ing_ok, ing_detail),
                      outcome(ir["subject"], ir_ok, ir_detail)], ignore_index=True)
