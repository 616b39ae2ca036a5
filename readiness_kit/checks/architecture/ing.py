"""Architecture checks ARC-ING-*: ingress."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers, odoo_option, odoo_options, odoo_workloads
from readiness_kit.checks.architecture._shared import ODOO_DEPLOY, _nothing
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, is_dict, k8s, text


def _backends(ctx: CheckContext) -> pd.DataFrame:
    """Every (route object, path, service, port) of Traefik IngressRoutes and Ingresses."""
    objs = k8s(ctx.ev, "IngressRoute", "Ingress")
    cols = ["subject", "cluster", "namespace", "path", "service", "port"]
    ir = objs[objs["kind"].eq("IngressRoute")]
    ir = ir.assign(route=dig(ir["spec_obj"], "routes", [])).explode("route")
    ir = ir[ir["route"].map(is_dict).astype(bool)]
    match = dig(ir["route"], "match", "").astype(str)
    ir = ir.assign(
        path=match.str.findall(r"Path(?:Prefix)?\(([^)]*)\)").map(
            lambda args: [p for a in args for p in re.findall(r"`([^`]*)`", a)] or ["/"]),
        svc=dig(ir["route"], "services", [])).explode("path").explode("svc")
    ir = ir[ir["svc"].map(is_dict).astype(bool)]
    ir_rows = pd.DataFrame({
        "subject": ir["subject"], "cluster": ir["cluster"],
        "namespace": dig(ir["svc"], "namespace").where(lambda s: s.notna(), ir["namespace"]),
        "path": ir["path"], "service": dig(ir["svc"], "name"),
        "port": dig(ir["svc"], "port").astype(str)})
    ing = objs[objs["kind"].eq("Ingress")]
    ing = ing.assign(rule=dig(ing["spec_obj"], "rules", [])).explode("rule")
    ing = ing.assign(p=dig(ing["rule"], "http.paths", [])).explode("p")
    ing = ing[ing["p"].map(is_dict).astype(bool)]
    port = dig(ing["p"], "backend.service.port.number").where(
        lambda s: s.notna(), dig(ing["p"], "backend.service.port.name"))
    ing_rows = pd.DataFrame({
        "subject": ing["subject"], "cluster": ing["cluster"], "namespace": ing["namespace"],
        "path": dig(ing["p"], "path", "/"), "service": dig(ing["p"], "backend.service.name"),
        "port": port.astype(str)})
    return pd.concat([ir_rows, ing_rows], ignore_index=True)[cols]


def _resolve_ports(ctx: CheckContext, backends: pd.DataFrame) -> pd.Series:
    """Container port each backend reaches: Service port (number or name) -> targetPort ->
    named container port; the route's own number when the Service is not in the evidence."""
    svc = k8s(ctx.ev, "Service")
    svc = svc.assign(p=dig(svc["spec_obj"], "ports", [])).explode("p")
    svc = svc[svc["p"].map(is_dict).astype(bool)]
    target = dig(svc["p"], "targetPort").where(lambda s: s.notna(), dig(svc["p"], "port"))
    by_number = pd.DataFrame({"namespace": svc["namespace"], "service": svc["name"],
                              "port": dig(svc["p"], "port").astype(str), "target": target})
    by_name = by_number.assign(port=dig(svc["p"], "name").astype(str))
    table = pd.concat([by_number, by_name]).drop_duplicates(["namespace", "service", "port"])
    merged = backends.merge(table, on=["namespace", "service", "port"], how="left")
    target = merged["target"].where(merged["target"].notna(), merged["port"]).astype(str)
    cont = containers(ctx.ev).assign(cp=lambda d: d["ports"]).explode("cp")
    cont = cont[cont["cp"].map(is_dict).astype(bool)]
    named = pd.Series(dig(cont["cp"], "containerPort").to_numpy(),
                      index=dig(cont["cp"], "name").astype(str).to_numpy())
    named = named[~named.index.duplicated()]
    number = pd.to_numeric(target, errors="coerce")
    return number.fillna(pd.to_numeric(target.map(named), errors="coerce")).set_axis(
        backends.index)


@check(
    id="ARC-ING-001",
    domain="architecture",
    severity="high",
    title="The ingress routes /websocket to the Odoo gevent port (Odoo 16+)",
    rationale="From Odoo 16 the bus (live chat, POS synchronisation, notifications) uses a "
    "websocket served by the gevent process on gevent_port (default 8072); the Odoo "
    "deployment guide requires the proxy to send /websocket there and everything else to "
    "the HTTP port. Before Odoo 16 the path was /longpolling.",
    remediation="Add a route for PathPrefix(`/websocket`) to the Odoo Service port that "
    "targets gevent_port (Traefik IngressRoute or Ingress path), keep / on the HTTP port, "
    "and set proxy_mode = True.",
    risk="Point of sale and live chat lose real-time updates and the web client keeps "
    "reconnecting, loading the HTTP workers at peak",
    applies_to="ingress routes to Odoo",
    requires=["k8s_objects"],
    references=[ODOO_DEPLOY, "https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/"],
)
def odoo_websocket_route(ctx: CheckContext):
    options = odoo_options(ctx.ev)
    keys = set(options.index) if options is not None else set()
    port_key = "gevent_port" if "gevent_port" in keys or "longpolling_port" not in keys \
        else "longpolling_port"
    gevent = int(odoo_option(options, port_key, 8072))
    http = int(odoo_option(options, "http_port"))
    odoo = odoo_workloads(ctx.ev)
    b = _backends(ctx)
    if b.empty:
        return _nothing()
    b["resolved"] = _resolve_ports(ctx, b)
    is_odoo = (b["resolved"].isin([http, gevent])
               | b["service"].fillna("").str.contains("odoo", case=False))
    b = b[is_odoo].copy()
    if b.empty:
        return _nothing()
    # The Odoo version of the route's own namespace decides the path (a cluster may run an
    # Odoo 15 shop on /longpolling beside an Odoo 17 one on /websocket).
    by_ns = odoo.assign(cluster=text(odoo["cluster"]), namespace=text(odoo["namespace"])) \
        .groupby(["cluster", "namespace"])["version"].max()
    version = pd.Series([by_ns.get((c, n), np.nan) for c, n in
                         zip(text(b["cluster"]), text(b["namespace"]), strict=True)],
                        index=b.index, dtype=float)
    b["ws_path"] = np.where(version < 16, "/longpolling", "/websocket")
    b["version"] = version
    b["ws"] = [str(p or "").startswith(w) for p, w in zip(b["path"], b["ws_path"],
                                                          strict=True)]
    b["good"] = b["ws"] & b["resolved"].eq(gevent)
    b["text"] = (b["path"].fillna("/") + " -> " + b["service"].fillna("?") + ":" +
                 b["resolved"].map(lambda v: f"{v:g}" if v == v else "?"))
    per = b.groupby("subject").agg(good=("good", "any"), ws=("ws", "any"),
                                   ws_path=("ws_path", "first"), version=("version", "max"),
                                   routes=("text", lambda s: ", ".join(dict.fromkeys(s))))
    ver = per["version"].map(lambda v: f"Odoo {v:g}" if v == v
                             else "Odoo version unknown (16+ assumed)")
    src = "" if port_key in keys else " (default)"
    gevent_text = f"the gevent port {gevent}{src}; routes: "
    detail = np.where(
        per["good"], ver + ": " + per["ws_path"] + " reaches " + gevent_text + per["routes"],
        np.where(per["ws"], ver + ": " + per["ws_path"] + " is routed, but not to "
                 + gevent_text + per["routes"],
                 ver + ": no " + per["ws_path"] + " route to " + gevent_text + per["routes"]))
    return outcome(per.index, per["good"], detail)


@check(
    id="ARC-ING-002",
    domain="architecture",
    severity="medium",
    title="Odoo runs in proxy mode behind the ingress",
    rationale="Behind Traefik, Odoo only sees the proxy's connection. The Odoo deployment "
    "guide requires proxy_mode = True so that Odoo reads X-Forwarded-Host, -Proto and -For: "
    "without it redirects and generated links use the internal host and http, secure "
    "cookies and OAuth callbacks break, and every request appears to come from the proxy.",
    remediation="Set proxy_mode = True in odoo.conf (or --proxy-mode) and let Traefik set "
    "the X-Forwarded-* headers; never expose the Odoo port except through the proxy.",
    risk="Shoppers are sent to wrong or insecure links after login or payment, and abuse "
    "cannot be traced to a client address",
    applies_to="Odoo configurations",
    requires=["odoo_config"],
    references=[ODOO_DEPLOY + "#https"],
)
def odoo_proxy_mode(ctx: CheckContext):
    options = odoo_options(ctx.ev)
    raw = odoo_option(options, "proxy_mode", "False")
    on = str(raw).strip().lower() in ("true", "1", "yes", "on")
    default = "" if options is not None and "proxy_mode" in options.index else " (default)"
    return outcome(["odoo:proxy_mode"], [on], [
        f"proxy_mode {raw}{default}: " +
        ("Odoo honours X-Forwarded-Host/Proto/For from the ingress" if on else
         "Odoo ignores X-Forwarded-* headers, so links, redirects and client addresses are "
         "those of the proxy")])


TRAEFIK_CRD = "https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/"
TRAEFIK_MIDDLEWARES = "https://doc.traefik.io/traefik/middlewares/overview/"


@check(
    id="ARC-ING-003",
    domain="architecture",
    severity="high",
    title="Traefik IngressRoutes reference Services and Middlewares that exist",
    rationale="Traefik drops a router whose middleware cannot be found and answers 404 "
    "(or 502 for a missing Service); a route in the traefik.io group does not see "
    "Middlewares of the old traefik.containo.us group. Such a route looks configured in "
    "Git but serves nothing (Traefik Kubernetes CRD provider).",
    remediation="Create the missing Middleware/Service in the namespace the route names "
    "(or its own), in the same API group as the route, or fix the reference; enable "
    "providers.kubernetescrd.allowCrossNamespace only where routes must cross namespaces.",
    risk="Parts of the shop (checkout, websocket, redirects) return errors after a "
    "release that looked fine",
    applies_to="Traefik IngressRoutes",
    requires=["k8s_objects"],
    references=[TRAEFIK_CRD, TRAEFIK_MIDDLEWARES],
)
def ingressroute_references(ctx: CheckContext):
    ir = k8s(ctx.ev, "IngressRoute")
    if ir.empty:
        return _nothing()
    mw = k8s(ctx.ev, "Middleware")
    svc = k8s(ctx.ev, "Service")
    group = text(ir["api_version"]).str.split("/").str[0]
    middlewares = set(text(mw["cluster"]) + "|" + text(mw["api_version"]).str.split("/").str[0]
                      + "|" + text(mw["namespace"]) + "|" + mw["name"])
    services = set(text(svc["cluster"]) + "|" + text(svc["namespace"]) + "|" + svc["name"])
    rows = []
    for cluster, grp, ns, spec in zip(text(ir["cluster"]), group, text(ir["namespace"]),
                                      ir["spec_obj"], strict=True):
        missing = []
        for route in (spec or {}).get("routes", []) or []:
            for m in route.get("middlewares", []) or []:
                where = m.get("namespace") or ns
                if f"{cluster}|{grp}|{where}|{m.get('name')}" not in middlewares:
                    missing.append(f"Middleware {where}/{m.get('name')} ({grp})")
            for s in route.get("services", []) or []:
                if s.get("kind", "Service") != "Service":
                    continue
                where = s.get("namespace") or ns
                if f"{cluster}|{where}|{s.get('name')}" not in services:
                    missing.append(f"Service {where}/{s.get('name')}")
        rows.append(sorted(set(missing)))
    missing = pd.Series(rows, index=ir.index, dtype=object)
    assessed = pd.Series(bool(len(svc)), index=ir.index)
    detail = ("missing " + missing.map(", ".join)).where(
        missing.map(bool), "every referenced Service and Middleware exists")
    detail = detail.where(assessed, "no Services in the evidence: references cannot be "
                          "resolved")
    return outcome(ir["subject"], missing.map(len).eq(0), detail, assessed)


