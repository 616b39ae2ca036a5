"""Tests of the architecture checks ARC-ING-*: ingress."""

import pytest
from factories import ODOO_IMAGE, by_subject, deployment, kobj, run

from ._shared import odoo_conf

ODOO_PORTS = [{"name": "http", "containerPort": 8069}, {"name": "gevent", "containerPort": 8072}]


def odoo_service() -> dict:
    return kobj("Service", "odoo-prod", "odoo-web", {
        "type": "ClusterIP", "selector": {"app": "odoo-web"},
        "ports": [{"name": "http", "port": 8069, "targetPort": "http"},
                  {"name": "websocket", "port": 8072, "targetPort": "gevent"}]}, api="v1")


def ingress_route(routes: list[tuple[str, int]], name: str = "odoo") -> dict:
    return kobj("IngressRoute", "odoo-prod", name, {
        "entryPoints": ["websecure"],
        "routes": [{"match": "Host(`shop.demo-retail.example`)" +
                    (f" && PathPrefix(`{path}`)" if path != "/" else ""),
                    "kind": "Rule", "services": [{"name": "odoo-web", "port": port}]}
                   for path, port in routes],
        "tls": {"secretName": "shop-demo-retail-tls"}}, api="traefik.io/v1alpha1")


def _odoo_k8s(*routes_objs, image: str = ODOO_IMAGE) -> list[dict]:
    return [deployment("odoo-prod", "odoo-web", image, 3, ports=ODOO_PORTS), odoo_service(),
            *routes_objs]


def test_websocket_route_passes_when_routed_to_gevent_port():
    result = run("ARC-ING-001", {
        "k8s_objects": _odoo_k8s(ingress_route([("/", 8069), ("/websocket", 8072)])),
        "odoo_config": odoo_conf()})
    assert by_subject(result) == {"odoo": "pass"}
    assert "Odoo 17: /websocket reaches the gevent port 8072" in result.detail[0]
    assert "/websocket -> odoo-web:8072" in result.detail[0]


def test_websocket_route_fails_without_route_or_to_wrong_port():
    missing = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(ingress_route([("/", 8069)]))})
    assert missing.status.tolist() == ["fail"]
    assert "no /websocket route to the gevent port 8072 (default)" in missing.detail[0]
    wrong = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(
        ingress_route([("/", 8069), ("/websocket", 8069)]))})
    assert wrong.status.tolist() == ["fail"]
    assert "routed, but not to the gevent port" in wrong.detail[0]


def test_websocket_route_on_a_networking_ingress_with_named_port():
    ingress = kobj("Ingress", "odoo-prod", "shop", {
        "ingressClassName": "traefik",
        "rules": [{"host": "shop.demo-retail.example", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "odoo-web", "port": {"number": 8069}}}},
            {"path": "/websocket", "pathType": "Prefix",
             "backend": {"service": {"name": "odoo-web", "port": {"name": "websocket"}}}},
        ]}}]}, api="networking.k8s.io/v1")
    result = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(ingress)})
    assert by_subject(result) == {"shop": "pass"}


def test_odoo_15_needs_longpolling_instead():
    result = run("ARC-ING-001", {"k8s_objects": _odoo_k8s(
        ingress_route([("/", 8069), ("/websocket", 8072)]),
        image="acrretailprod.azurecr.io/odoo:15.0-20231001")})
    assert result.status.tolist() == ["fail"]
    assert "Odoo 15: no /longpolling route" in result.detail[0]


@pytest.mark.parametrize("proxy_mode, status, detail", [
    ("True", "pass", "proxy_mode True: Odoo honours X-Forwarded-Host/Proto/For"),
    ("False", "fail", "proxy_mode False: Odoo ignores X-Forwarded-* headers"),
    (None, "fail", "proxy_mode False (default): Odoo ignores"),
])
def test_odoo_proxy_mode(proxy_mode, status, detail):
    result = run("ARC-ING-002", {"odoo_config": odoo_conf(proxy_mode=proxy_mode)})
    assert result.subject.tolist() == ["odoo:proxy_mode"]
    assert result.status.tolist() == [status]
    assert result.detail[0].startswith(detail)


def test_ingressroute_references():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("ARC-ING-003", docs).set_index("subject")
    assert result["status"].to_dict() == {"IngressRoute/shop-prod/shop-odoo": "pass",
                                          "IngressRoute/shop-legacy/legacy-odoo": "fail"}
    assert result.loc["IngressRoute/shop-legacy/legacy-odoo", "detail"] == (
        "missing Service shop-legacy/legacy-odoo")
    # a traefik.io route does not see a Middleware of the old traefik.containo.us group
    k8s_doc(docs, "Middleware", "security-headers")["apiVersion"] = (
        "traefik.containo.us/v1alpha1")
    result = run_k8s("ARC-ING-003", docs).set_index("subject")
    assert result.loc["IngressRoute/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "fail", "missing Middleware shop-prod/security-headers (traefik.io)"]


def test_websocket_route_by_the_odoo_version_of_each_namespace():
    """Odoo 17 (version from the chart label: the image is pinned by digest) needs
    /websocket; the Odoo 15 shop beside it needs /longpolling, both to port 8072 through
    named Service ports."""
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("ARC-ING-001", docs).set_index("subject")
    assert result["status"].to_dict() == {"Ingress/shop-prod/shop-odoo": "pass",
                                          "IngressRoute/shop-legacy/legacy-odoo": "pass",
                                          "IngressRoute/shop-prod/shop-odoo": "pass"}
    assert result.loc["IngressRoute/shop-legacy/legacy-odoo", "detail"].startswith(
        "Odoo 15: /longpolling reaches the gevent port 8072")
    route = k8s_doc(docs, "IngressRoute", "shop-odoo")
    route["spec"]["routes"][0]["match"] = "Host(`shop.example.com`) && PathPrefix(`/longpolling`)"
    result = run_k8s("ARC-ING-001", docs).set_index("subject")
    assert result.loc["IngressRoute/shop-prod/shop-odoo", "status"] == "fail"
    assert result.loc["IngressRoute/shop-prod/shop-odoo", "detail"].startswith(
        "Odoo 17: no /websocket route to the gevent port 8072")
