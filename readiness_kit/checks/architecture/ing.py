"""Architecture checks ARC-ING-*: ingress."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readiness_kit.capacity import containers, odoo_option, odoo_options, odoo_workloads
from readiness_kit.checks.architecture._shared import ODOO_DEPLOY, _nothing
from readiness_kit.checks.registry import CheckContext, check, outcome
from readiness_kit.frames import dig, is_dict, k8s


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
    version = odoo["version"].max() if odoo is not None and not odoo.empty else np.nan
    ws_path = "/longpolling" if version == version and version < 16 else "/websocket"
    b = _backends(ctx)
    if b.empty:
        return _nothing()
    b["resolved"] = _resolve_ports(ctx, b)
    is_odoo = (b["resolved"].isin([http, gevent])
               | b["service"].fillna("").str.contains("odoo", case=False))
    b = b[is_odoo]
    if b.empty:
        return _nothing()
    b["ws"] = b["path"].fillna("").str.startswith(ws_path)
    b["good"] = b["ws"] & b["resolved"].eq(gevent)
    b["text"] = (b["path"].fillna("/") + " -> " + b["service"].fillna("?") + ":" +
                 b["resolved"].map(lambda v: f"{v:g}" if v == v else "?"))
    per = b.groupby("subject").agg(good=("good", "any"), ws=("ws", "any"),
                                   routes=("text", lambda s: ", ".join(dict.fromkeys(s))))
    ver = f"Odoo {version:g}" if version == version else "Odoo version unknown (16+ assumed)"
    src = "" if port_key in keys else " (default)"
    detail = np.where(
        per["good"], f"{ver}: {ws_path} reaches the gevent port {gevent}{src}; routes: " +
        per["routes"],
        np.where(per["ws"], f"{ver}: {ws_path} is routed, but not to the gevent port "
                 f"{gevent}{src}; routes: " + per["routes"],
                 f"{ver}: no {ws_path} route to the gevent port {gevent}{src}; routes: " +
                 per["routes"]))
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
