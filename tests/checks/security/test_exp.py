"""Tests of the security checks SEC-EXP-*: exposure of data services."""

from factories import arm, by_subject, detail_of, kobj, rid, run

from readiness_kit.checks.security import data_service_exposure
from readiness_kit.evidence import evidence_from_records

from ._shared import aks, key_vault


def data_services() -> list[dict]:
    pe_subnet = rid("rg-retail-prod-network", "Microsoft.Network/virtualNetworks",
                    "vnet-retail-prod/subnets/snet-private-endpoints")
    kv = key_vault("kv-retail-prod")
    return [
        arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod", {
            "version": "16", "network": {
                "publicNetworkAccess": "Disabled",
                "delegatedSubnetResourceId": rid(
                    "rg-retail-prod-network", "Microsoft.Network/virtualNetworks",
                    "vnet-retail-prod/subnets/snet-postgres"),
                "privateDnsZoneArmResourceId": "/subscriptions/x/privateDnsZones/z"}}),
        arm("Microsoft.Cache/Redis", "redis-retail-prod", {
            "sku": {"name": "Premium", "family": "P", "capacity": 1},
            "enableNonSslPort": False, "minimumTlsVersion": "1.2",
            "publicNetworkAccess": "Enabled", "privateEndpointConnections": []}),
        arm("Microsoft.Storage/storageAccounts", "strretailprodfiles", {
            "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
            "supportsHttpsTrafficOnly": True, "publicNetworkAccess": "Enabled",
            "networkAcls": {"bypass": "AzureServices", "defaultAction": "Allow",
                            "ipRules": [], "virtualNetworkRules": []}}, kind="StorageV2"),
        arm("Microsoft.Storage/storageAccounts", "strretailprodbackup", {
            "minimumTlsVersion": "TLS1_2", "networkAcls": {"defaultAction": "Deny",
                                                           "ipRules": []}}),
        kv,
        arm("Microsoft.Network/privateEndpoints", "pe-kv-retail-prod", {
            "subnet": {"id": pe_subnet},
            "privateLinkServiceConnections": [{"name": "kv", "properties": {
                "privateLinkServiceId": kv["id"], "groupIds": ["vault"],
                "privateLinkServiceConnectionState": {"status": "Approved"}}}]},
            rg="rg-retail-prod-network"),
    ]


def test_data_services_exposure():
    result = run("SEC-EXP-001", {"azure_resources": data_services()})
    assert by_subject(result) == {"psql-retail-prod": "pass", "redis-retail-prod": "fail",
                                "strretailprodfiles": "fail", "strretailprodbackup": "pass",
                                "kv-retail-prod": "pass"}
    assert detail_of(result, "redis-retail-prod").startswith(
        "Redis is reachable from the Internet (publicNetworkAccess Enabled")
    assert "firewall default action Allow" in detail_of(result, "strretailprodfiles")
    assert "subnet snet-postgres" in detail_of(result, "psql-retail-prod")


def test_data_service_exposure_categories():
    rows = data_services() + [arm("Microsoft.Cache/Redis", "redis-pe", {
        "publicNetworkAccess": "Disabled", "privateEndpointConnections": [{
            "id": "x", "properties": {"privateEndpoint": {"id": "y"},
                                      "privateLinkServiceConnectionState": {
                                          "status": "Approved"}}}]})]
    exp = data_service_exposure(evidence_from_records({"azure_resources": rows}))
    assert dict(zip(exp.name, exp.exposure, strict=True)) == {
        "psql-retail-prod": "VNet-integrated", "redis-retail-prod": "public",
        "strretailprodfiles": "public", "strretailprodbackup": "selected networks",
        "kv-retail-prod": "private endpoint", "redis-pe": "private endpoint"}


def private_endpoint(name: str, target: str, group: str, status: str = "Approved") -> dict:
    return arm("Microsoft.Network/privateEndpoints", name, {
        "subnet": {"id": "/subscriptions/x/subnets/snet-private-endpoints"},
        "privateLinkServiceConnections": [{"name": name, "properties": {
            "privateLinkServiceId": target, "groupIds": [group],
            "privateLinkServiceConnectionState": {"status": status}}}]},
        rg="rg-retail-prod-network")


def test_postgres_and_redis_private_access():
    """What ARC-PG-001 / ARC-REDIS-001 judged (now one check, SEC-EXP-001): VNet
    integration or a private endpoint with public access disabled passes; public fails."""
    pg = "Microsoft.DBforPostgreSQL/flexibleServers"
    vnet_pg = arm(pg, "psql-vnet", {"network": {
        "delegatedSubnetResourceId": "/subscriptions/x/subnets/snet-postgres",
        "publicNetworkAccess": "Disabled"}})
    public_pg = arm(pg, "psql-legacy", {"network": {"publicNetworkAccess": "Enabled"}})
    pe_pg = arm(pg, "psql-pe", {"network": {"publicNetworkAccess": "Disabled"}})
    redis_public = arm("Microsoft.Cache/Redis", "redis-old", {"enableNonSslPort": False})
    redis_pe = arm("Microsoft.Cache/Redis", "redis-private", {"publicNetworkAccess": "Disabled"})
    rows = [vnet_pg, public_pg, pe_pg, redis_public, redis_pe,
            private_endpoint("pe-psql", pe_pg["id"], "postgresqlServer"),
            private_endpoint("pe-redis", redis_pe["id"].upper(), "redisCache")]
    result = run("SEC-EXP-001", {"azure_resources": rows})
    assert by_subject(result) == {"psql-vnet": "pass", "psql-legacy": "fail", "psql-pe": "pass",
                                  "redis-old": "fail", "redis-private": "pass"}
    assert "reachable only through a private endpoint" in detail_of(result, "psql-pe")
    assert "publicNetworkAccess not set (Azure default: Enabled)" in detail_of(result,
                                                                               "redis-old")


def test_aks_api_server_access():
    result = run("SEC-EXP-002", {"azure_resources": [
        aks("aks-open"),
        aks("aks-ranges", apiServerAccessProfile={"authorizedIPRanges": ["203.0.113.0/28"]}),
        aks("aks-private", apiServerAccessProfile={"enablePrivateCluster": True})]})
    assert by_subject(result) == {"aks-open": "fail", "aks-ranges": "pass",
                                "aks-private": "pass"}
    assert detail_of(result, "aks-open") == "public API server with no authorized IP ranges"


def traefik_service(**annotations) -> dict:
    return kobj("Service", "traefik", "traefik", {
        "type": "LoadBalancer", "ports": [{"name": "websecure", "port": 443}],
        "selector": {"app.kubernetes.io/name": "traefik"}}, annotations=annotations, api="v1")


def front_door_waf(mode: str = "Prevention") -> dict:
    return arm("Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", "wafretail", {
        "policySettings": {"enabledState": "Enabled", "mode": mode},
        "securityPolicyLinks": [{"id": "/subscriptions/x/profiles/afd/securityPolicies/p"}],
        "managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_DefaultRuleSet"}]}},
        rg="rg-retail-prod-network")


def test_storefront_without_waf_fails():
    result = run("SEC-EXP-003", {
        "azure_resources": [arm("Microsoft.Network/publicIPAddresses", "pip-traefik-prod", {
            "publicIPAllocationMethod": "Static"}, rg="rg-retail-prod-network")],
        "k8s_objects": [traefik_service()]})
    assert result.status.tolist() == ["fail"]
    assert result.subject[0] == "Service/traefik/traefik"
    assert "no Application Gateway WAF or Front Door WAF policy" in result.detail[0]


def test_storefront_behind_front_door_waf_passes():
    result = run("SEC-EXP-003", {
        "azure_resources": [front_door_waf()],
        "k8s_objects": [traefik_service(**{
            "service.beta.kubernetes.io/azure-allowed-service-tags": "AzureFrontDoor.Backend"})]})
    assert result.status.tolist() == ["pass"]
    assert "reachable only through Front Door WAF policy wafretail" in result.detail[0]


def test_storefront_waf_bypassable_or_detection_only_fails():
    bypass = run("SEC-EXP-003", {"azure_resources": [front_door_waf()],
                                 "k8s_objects": [traefik_service()]})
    assert bypass.status.tolist() == ["fail"]
    assert "can be bypassed" in bypass.detail[0]
    detect = run("SEC-EXP-003", {"azure_resources": [front_door_waf("Detection")],
                                 "k8s_objects": [traefik_service()]})
    assert detect.status.tolist() == ["fail"]
    assert "Detection mode" in detect.detail[0]


def test_storefront_internal_lb_behind_app_gateway_passes():
    gw = arm("Microsoft.Network/applicationGateways", "agw-retail", {
        "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
        "webApplicationFirewallConfiguration": {"enabled": True, "firewallMode": "Prevention",
                                                "ruleSetType": "OWASP",
                                                "ruleSetVersion": "3.2"}},
        rg="rg-retail-prod-network")
    internal = traefik_service(**{
        "service.beta.kubernetes.io/azure-load-balancer-internal": "true"})
    result = run("SEC-EXP-003", {"azure_resources": [gw], "k8s_objects": [internal]})
    assert by_subject(result) == {"agw-retail": "pass"}


def test_aks_api_server_real_bodies():
    from factories import real_body, renamed
    result = run("SEC-EXP-002", {"azure_resources": [
        renamed(real_body("aks_cluster_private"), "private"),
        renamed(real_body("aks_cluster_authorized_ips"), "ranges"),
        renamed(real_body("aks_cluster_premium"), "open")]})    # disableRunCommand only
    assert by_subject(result) == {"private": "pass", "ranges": "pass", "open": "fail"}
    assert detail_of(result, "ranges") == "public API server limited to 73.140.245.0/24"
    assert detail_of(result, "open") == "public API server with no authorized IP ranges"


def test_storefront_waf_real_bodies():
    from factories import real_body
    lb = traefik_service(**{
        "service.beta.kubernetes.io/azure-allowed-service-tags": "AzureFrontDoor.Backend"})
    # the App Gateway policy example is linked to an Application Gateway for Containers only
    for prevention, detection, name in (
            ("waf_policy_appgw_prevention", "waf_policy_appgw_detection",
             "Application Gateway WAF policy Policy1"),
            ("waf_policy_frontdoor_prevention", "waf_policy_frontdoor_detection",
             "Front Door WAF policy Policy1")):
        result = run("SEC-EXP-003", {"azure_resources": [real_body(prevention)],
                                     "k8s_objects": [lb]})
        assert result.status.tolist() == ["pass"], prevention
        assert result.detail[0] == f"reachable only through {name}"
        result = run("SEC-EXP-003", {"azure_resources": [real_body(detection)],
                                     "k8s_objects": [lb]})
        assert result.status.tolist() == ["fail"], detection
        assert f"only in Detection mode: {name}" in result.detail[0]
    # a policy linked to nothing protects nothing
    loose = real_body("waf_policy_appgw_prevention",
                      set={"properties.applicationGatewayForContainers": []})
    result = run("SEC-EXP-003", {"azure_resources": [loose], "k8s_objects": [lb]})
    assert result.status.tolist() == ["fail"]


def test_data_service_exposure_real_bodies():
    from factories import real_body, renamed
    rows = [real_body("pg_server_zone_redundant"),               # VNet-integrated
            real_body("pg_server_public"),                       # publicNetworkAccess Enabled
            renamed(real_body("redis_premium_locked_down"), "cache-private"),   # Disabled
            renamed(real_body("redis_premium_one_zone"), "cache-default"),      # not set
            renamed(real_body("keyvault_network_acls"), "kv-acl"),   # defaultAction Deny
            renamed(real_body("keyvault_access_policies"), "kv-open"),
            real_body("storage_account_zrs_locked"),             # sto4445, networkAcls Deny
            real_body("storage_account_grs_open")]               # sto8596, Allow
    result = run("SEC-EXP-001", {"azure_resources": rows})
    assert by_subject(result) == {
        "exampleserver1": "pass", "exampleserver2": "fail", "cache-private": "pass",
        "cache-default": "fail", "kv-acl": "pass", "kv-open": "fail", "sto4445": "pass",
        "sto8596": "fail"}
    assert detail_of(result, "cache-default") == (
        "Redis is reachable from the Internet (publicNetworkAccess not set (Azure default: "
        "Enabled))")
    assert detail_of(result, "exampleserver1").startswith("PostgreSQL is injected into a "
                                                          "virtual network")
