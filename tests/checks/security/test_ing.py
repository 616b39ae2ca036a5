"""Tests of the security checks SEC-ING-*: TLS on ingress routes."""

from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s


def test_ingress_and_ingressroute_tls():
    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("SEC-ING-001", docs).set_index("subject")
    assert result["status"].to_dict() == {
        "Ingress/shop-prod/shop-odoo": "pass", "IngressRoute/shop-prod/shop-odoo": "pass",
        "IngressRoute/shop-legacy/legacy-odoo": "fail"}
    assert result.loc["IngressRoute/shop-legacy/legacy-odoo", "detail"] == (
        "no tls block and entry point(s) web do not terminate TLS: served over plain HTTP")
    # a host of the Ingress without a TLS entry
    ing = k8s_doc(docs, "Ingress", "shop-odoo")
    ing["spec"]["rules"].append({"host": "admin.example.com", "http": ing["spec"]["rules"][0][
        "http"]})
    result = run_k8s("SEC-ING-001", docs).set_index("subject")
    assert result.loc["Ingress/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "fail", "no TLS for admin.example.com"]


def test_ingressroute_on_a_tls_entry_point_passes_without_its_own_tls_block():
    docs = k8s_docs(*K8S_GOOD)
    del k8s_doc(docs, "IngressRoute", "shop-odoo")["spec"]["tls"]
    traefik = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "traefik", "namespace": "traefik"},
               "spec": {"replicas": 2, "template": {"spec": {"containers": [{
                   "name": "traefik", "image": "traefik:v3.1.4",
                   "args": ["--entrypoints.websecure.address=:8443/tcp",
                            "--entrypoints.websecure.http.tls=true"]}]}}}}
    without = run_k8s("SEC-ING-001", docs).set_index("subject")
    assert without.loc["IngressRoute/shop-prod/shop-odoo", "status"] == "fail"
    result = run_k8s("SEC-ING-001", [*docs, traefik]).set_index("subject")
    assert result.loc["IngressRoute/shop-prod/shop-odoo", ["status", "detail"]].tolist() == [
        "pass", "TLS terminated by entry point(s) websecure"]
