"""Tests of the security checks SEC-NET-*: network segmentation."""

from factories import arm, by_subject, deployment, detail_of, kobj, rid, run


def test_namespaces_have_network_policy():
    objs = [kobj("Namespace", None, ns, api="v1") for ns in ("odoo-prod", "traefik",
                                                             "kube-system", "flux-system")]
    objs += [
        kobj("NetworkPolicy", "odoo-prod", "default-deny-ingress",
             {"podSelector": {}, "policyTypes": ["Ingress"]}, api="networking.k8s.io/v1"),
        deployment("shop-api", "api", "acr.azurecr.io/api:1"),
    ]
    result = run("SEC-NET-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-prod": "pass", "traefik": "fail", "shop-api": "fail"}
    assert detail_of(result, "odoo-prod") == "NetworkPolicy: default-deny-ingress"
    assert result.subject.tolist()[0].startswith("Namespace/-/")


def nsg(name: str, rules: list[dict]) -> dict:
    nsg_id = rid("rg-retail-prod-network", "Microsoft.Network/networkSecurityGroups", name)
    return arm("Microsoft.Network/networkSecurityGroups", name, {
        "securityRules": [{"name": r.pop("name"), "id": f"{nsg_id}/securityRules/x",
                           "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                           "properties": {"protocol": "Tcp", "sourcePortRange": "*",
                                          "destinationAddressPrefix": "*", **r}}
                          for r in rules],
        "subnets": [{"id": "/subscriptions/x/subnets/snet-aks"}]},
        rg="rg-retail-prod-network")


def test_nsg_management_ports():
    result = run("SEC-NET-002", {"azure_resources": [
        nsg("nsg-aks", [
            {"name": "allow-https", "access": "Allow", "direction": "Inbound", "priority": 100,
             "sourceAddressPrefix": "Internet", "destinationPortRange": "443"},
            {"name": "allow-ssh", "access": "Allow", "direction": "Inbound", "priority": 110,
             "sourceAddressPrefix": "Internet", "destinationPortRange": "22"}]),
        nsg("nsg-pe", [
            {"name": "allow-rdp-mgmt", "access": "Allow", "direction": "Inbound",
             "priority": 100, "sourceAddressPrefix": "10.20.0.0/24",
             "destinationPortRange": "3389"},
            {"name": "deny-all", "access": "Deny", "direction": "Inbound", "priority": 4000,
             "sourceAddressPrefix": "*", "destinationPortRange": "*"}]),
        nsg("nsg-range", [
            {"name": "allow-range", "access": "Allow", "direction": "Inbound",
             "priority": 100, "sourceAddressPrefixes": ["0.0.0.0/0"],
             "destinationPortRanges": ["80", "3000-4000"]}]),
    ]})
    assert by_subject(result) == {"nsg-aks": "fail", "nsg-pe": "pass", "nsg-range": "fail"}
    assert "'allow-ssh' (port 22 from Internet)" in detail_of(result, "nsg-aks")
    assert "allow-range" in detail_of(result, "nsg-range")


def test_tenant_default_deny_multi_tenant_only():
    from factories import K8S_GOOD, K8S_RISKY, k8s_doc, k8s_docs, run_k8s

    docs = k8s_docs(*K8S_GOOD, *K8S_RISKY)
    result = run_k8s("SEC-NET-003", docs, hosting_model="multi-tenant").set_index("subject")
    assert result["status"].to_dict() == {"Namespace/-/shop-legacy": "fail",
                                          "Namespace/-/shop-prod": "pass"}
    assert result.loc["Namespace/-/shop-prod", "detail"] == (
        "default-deny ingress, default-deny egress; policies: allow-traefik-to-odoo, "
        "default-deny")
    assert result.loc["Namespace/-/shop-legacy", "detail"].startswith(
        "no default-deny ingress policy")
    # a policy that selects only some pods is not a default deny
    k8s_doc(docs, "NetworkPolicy", "default-deny")["spec"]["podSelector"] = {
        "matchLabels": {"app": "x"}}
    again = run_k8s("SEC-NET-003", docs, hosting_model="multi-tenant")
    assert by_subject(again)["shop-prod"] == "fail"
    dedicated = run_k8s("SEC-NET-003", docs)
    assert dedicated[["subject", "status"]].values.tolist() == [["hosting_model",
                                                                 "not_assessed"]]


def test_nsg_management_ports_real_bodies():
    from factories import real_body, renamed
    result = run("SEC-NET-002", {"azure_resources": [
        renamed(real_body("nsg_http_open"), "web"),                   # port 80 only
        renamed(real_body("nsg_ssh_and_postgres_open"), "ssh")]})     # 22 from Internet
    assert by_subject(result) == {"web": "pass", "ssh": "fail"}
    assert detail_of(result, "ssh") == ("allows management ports from the Internet: 'rule1' "
                                        "(port 22 from Internet)")
