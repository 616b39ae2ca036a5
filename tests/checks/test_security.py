"""Security checks: a pass and a fail fixture per check, built from real ARM / k8s shapes."""

import pandas as pd
import pytest
from factories import (
    SUB,
    arm,
    by_subject,
    container,
    deployment,
    detail_of,
    kobj,
    odoo_conf,
    pg_settings,
    rid,
    run,
)

from readiness_kit.checks import REGISTRY
from readiness_kit.checks.security import data_service_exposure
from readiness_kit.evidence import evidence_from_records
from readiness_kit.frames import image_parts

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def aks(name: str = "aks-retail-prod", **props) -> dict:
    base = {
        "kubernetesVersion": "1.29.9", "provisioningState": "Succeeded",
        "enableRBAC": True, "disableLocalAccounts": False,
        "aadProfile": {"managed": True, "enableAzureRBAC": True,
                       "tenantID": "11111111-2222-3333-4444-555555555555"},
        "addonProfiles": {"azurepolicy": {"enabled": True, "config": None},
                          "omsagent": {"enabled": True, "config": {
                              "logAnalyticsWorkspaceResourceID": "/subscriptions/x/log"}}},
        "securityProfile": {"workloadIdentity": {"enabled": True}},
        "oidcIssuerProfile": {"enabled": True, "issuerURL": "https://westeurope.oic/x/"},
        "apiServerAccessProfile": {"enablePrivateCluster": False},
        "networkProfile": {"networkPlugin": "azure", "networkPolicy": "calico"},
    }
    base.update(props)
    return arm("Microsoft.ContainerService/managedClusters", name, base,
               rg="rg-retail-prod-aks", sku={"name": "Base", "tier": "Free"},
               identity={"type": "SystemAssigned"})


# --------------------------------------------------------------------------- identity
def test_aks_local_accounts():
    result = run("SEC-AKS-001", {"azure_resources": [
        aks("aks-good", disableLocalAccounts=True), aks("aks-bad")]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert "local accounts are enabled" in detail_of(result, "aks-bad")


def test_aks_local_accounts_not_assessed_without_evidence():
    result = run("SEC-AKS-001", {})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_resources" in result.detail[0]


def test_aks_entra_and_azure_rbac():
    result = run("SEC-AKS-002", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", aadProfile=None)]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert "Entra ID integration off" in detail_of(result, "aks-bad")
    assert "Azure RBAC for Kubernetes on" in detail_of(result, "aks-good")


def test_aks_workload_identity():
    result = run("SEC-AKS-003", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", securityProfile={}, oidcIssuerProfile=None)]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert detail_of(result, "aks-bad") == "workload identity disabled, OIDC issuer disabled"


def role_assignment(n: int, role: str, scope: str, principal_type: str = "User") -> dict:
    guid = f"00000000-0000-0000-0000-{n:012d}"
    return arm("microsoft.authorization/roleassignments", guid, {
        "roleDefinitionId": f"/subscriptions/{scope.split('/')[2]}/providers/"
                            f"Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": f"aaaaaaaa-0000-0000-0000-{n:012d}",
        "principalType": principal_type, "scope": scope, "createdOn": "2025-03-01T10:00:00Z",
    }, id=f"{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}",
        subscriptionId=scope.split("/")[2], resourceGroup="", location=None,
        arg_table="authorizationresources")


def test_subscription_owner_count():
    other = "9a9a9a9a-0000-4000-8000-000000000001"
    rows = [role_assignment(i, OWNER, f"/subscriptions/{SUB}") for i in range(5)]
    rows += [role_assignment(10, OWNER, f"/subscriptions/{other}", "Group"),
             role_assignment(11, OWNER, f"/subscriptions/{other}/resourceGroups/rg-x"),
             role_assignment(12, READER, f"/subscriptions/{other}")]
    result = run("SEC-IAM-001", {"azure_resources": rows})
    assert by_subject(result) == {SUB: "fail", other: "pass"}
    assert detail_of(result, SUB).startswith("5 standing Owner assignments")
    assert "(5 User)" in detail_of(result, SUB)
    assert detail_of(result, other).startswith(
        "1 standing Owner assignment at subscription scope (1 Group)")


# --------------------------------------------------------------------------- secrets
def key_vault(name: str, **props) -> dict:
    base = {"tenantId": "11111111-2222-3333-4444-555555555555",
            "sku": {"family": "A", "name": "standard"}, "enableSoftDelete": True,
            "softDeleteRetentionInDays": 90, "enableRbacAuthorization": True,
            "publicNetworkAccess": "Disabled", "vaultUri": f"https://{name}.vault.azure.net/"}
    base.update(props)
    base = {k: v for k, v in base.items() if v is not None}
    return arm("Microsoft.KeyVault/vaults", name, base)


def test_key_vault_purge_protection():
    result = run("SEC-KV-001", {"azure_resources": [
        key_vault("kv-good", enablePurgeProtection=True, enableSoftDelete=None),
        key_vault("kv-bad", enablePurgeProtection=None)]})
    assert by_subject(result) == {"kv-good": "pass", "kv-bad": "fail"}
    assert detail_of(result, "kv-bad") == "soft delete on, purge protection off"
    assert "Azure default" in detail_of(result, "kv-good")


def test_key_vault_rbac_authorization():
    result = run("SEC-KV-002", {"azure_resources": [
        key_vault("kv-good"), key_vault("kv-bad", enableRbacAuthorization=False),
        key_vault("kv-unset", enableRbacAuthorization=None)]})
    assert by_subject(result) == {"kv-good": "pass", "kv-bad": "fail", "kv-unset": "fail"}
    assert "access policies" in detail_of(result, "kv-unset")


def test_odoo_admin_passwd_presence_only():
    good = run("SEC-ODOO-001", {"odoo_config": odoo_conf(
        admin_passwd="<redacted>", workers="8", list_db="False")})
    assert good.status.tolist() == ["pass"]
    assert good.subject.tolist() == ["odoo:admin_passwd"]
    assert good.detail[0] == "admin_passwd is set (value not read)"
    bad = run("SEC-ODOO-001", {"odoo_config": odoo_conf(workers="8")})
    assert bad.status.tolist() == ["fail"]
    assert "not set" in bad.detail[0]
    assert "<redacted>" not in good.detail[0]


def test_odoo_admin_passwd_per_source():
    rows = odoo_conf("a.conf", admin_passwd="<redacted>") + odoo_conf("b.conf", workers="2")
    result = run("SEC-ODOO-001", {"odoo_config": rows})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "odoo:admin_passwd (a.conf)": "pass", "odoo:admin_passwd (b.conf)": "fail"}


@pytest.mark.parametrize(("options", "status", "detail"), [
    ({"list_db": "False"}, "pass", "list_db = False"),
    ({"list_db": "True"}, "fail", "list_db = True"),
    ({"workers": "8"}, "fail", "list_db not set (Odoo default: True)"),
])
def test_odoo_list_db(options, status, detail):
    result = run("SEC-ODOO-002", {"odoo_config": odoo_conf(**options)})
    assert result.status.tolist() == [status]
    assert result.detail[0] == detail
    assert result.subject[0] == "odoo:list_db"


def test_odoo_not_assessed_without_config():
    assert run("SEC-ODOO-002", {}).status.tolist() == ["not_assessed"]


# --------------------------------------------------------------------------- policy
def test_aks_azure_policy_addon():
    result = run("SEC-POL-001", {"azure_resources": [
        aks("aks-good"), aks("aks-bad", addonProfiles={"omsagent": {"enabled": True}})]})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail"}
    assert detail_of(result, "aks-bad") == "azurepolicy add-on not enabled"


def policy_assignment(name: str, display: str, mode: str | None) -> dict:
    props = {"displayName": display, "scope": f"/subscriptions/{SUB}",
             "policyDefinitionId": "/providers/Microsoft.Authorization/policySetDefinitions/"
                                   "1f3afdf9-d0c9-4c3d-847f-89da613e70a8",
             "parameters": {}}
    if mode:
        props["enforcementMode"] = mode
    return arm("microsoft.authorization/policyassignments", name, props, location=None,
               id=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments/"
                  f"{name}", arg_table="policyresources")


def test_policy_enforcement_mode():
    result = run("SEC-POL-002", {"azure_resources": [
        policy_assignment("asb", "Azure Security Benchmark", "Default"),
        policy_assignment("legacy", "Require tags", None),
        policy_assignment("allowed-images", "Kubernetes cluster containers should only use "
                          "allowed images", "DoNotEnforce")]})
    assert by_subject(result) == {"asb": "pass", "legacy": "pass", "allowed-images": "fail"}
    assert "enforcementMode DoNotEnforce" in detail_of(result, "allowed-images")


def pricing(plan: str, tier: str, sub: str = SUB) -> dict:
    return arm("microsoft.security/pricings", plan,
               {"pricingTier": tier, "freeTrialRemainingTime": "PT0S"}, location=None,
               id=f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}",
               arg_table="securityresources")


def test_defender_plans():
    result = run("SEC-DEF-001", {"azure_resources": [
        pricing("Containers", "Standard"), pricing("OpenSourceRelationalDatabases", "Free"),
        pricing("KeyVaults", "Standard")]})
    assert by_subject(result) == {"Containers": "pass", "OpenSourceRelationalDatabases": "fail"}
    assert "Free tier" in detail_of(result, "OpenSourceRelationalDatabases")


def test_defender_missing_plan_is_free():
    result = run("SEC-DEF-001", {"azure_resources": [pricing("Containers", "Standard")]})
    assert by_subject(result)["OpenSourceRelationalDatabases"] == "fail"
    assert "treated as Free" in detail_of(result, "OpenSourceRelationalDatabases")


def test_defender_no_pricings_is_not_assessed():
    result = run("SEC-DEF-001", {"azure_resources": [aks()]})
    assert result.status.tolist() == ["not_assessed"]


# --------------------------------------------------------------------------- logging
def diag(resource_id: str, name: str, logs: list[dict]) -> dict:
    return {"resource_id": resource_id, "detail_type": "diagnosticSettings", "name": name,
            "properties": {
                "workspaceId": f"/subscriptions/{SUB}/resourceGroups/rg-retail-prod-ops/"
                               "providers/Microsoft.OperationalInsights/workspaces/log",
                "logAnalyticsDestinationType": "Dedicated",
                "logs": logs, "metrics": [{"category": "AllMetrics", "enabled": True}]}}


def test_aks_audit_logs():
    good, bad, none_ = aks("aks-good"), aks("aks-bad"), aks("aks-none")
    details = [
        diag(good["id"], "aks-diag", [
            {"category": "kube-apiserver", "enabled": True},
            {"category": "kube-audit-admin", "enabled": True,
             "retentionPolicy": {"enabled": False, "days": 0}}]),
        diag(bad["id"], "aks-diag", [{"category": "kube-audit", "enabled": False},
                                     {"category": "cluster-autoscaler", "enabled": True}]),
    ]
    result = run("SEC-LOG-001", {"azure_resources": [good, bad, none_],
                                 "azure_arm_details": details})
    assert by_subject(result) == {"aks-good": "pass", "aks-bad": "fail", "aks-none": "fail"}
    assert "kube-audit-admin to Log Analytics" in detail_of(result, "aks-good")
    assert "do not send kube-audit" in detail_of(result, "aks-bad")
    assert "no diagnostic setting" in detail_of(result, "aks-none")


def test_aks_audit_logs_category_group():
    cluster = aks()
    result = run("SEC-LOG-001", {"azure_resources": [cluster], "azure_arm_details": [
        diag(cluster["id"], "all", [{"categoryGroup": "audit", "enabled": True}])]})
    assert result.status.tolist() == ["pass"]


def test_aks_audit_logs_not_assessed_without_arm_details():
    result = run("SEC-LOG-001", {"azure_resources": [aks()]})
    assert result.status.tolist() == ["not_assessed"]
    assert "azure_arm_details" in result.detail[0]


# --------------------------------------------------------------------------- segmentation
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


# --------------------------------------------------------------------------- exposure
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


# --------------------------------------------------------------------------- workloads
def test_no_privileged_or_root():
    objs = [
        deployment("odoo-prod", "odoo-web", containers=[container(
            "odoo", "acrretailprod.azurecr.io/odoo:17.0-20261102",
            security={"runAsNonRoot": True, "runAsUser": 101})],
            pod={"securityContext": {"fsGroup": 101}}),
        deployment("odoo-prod", "debug-shell", containers=[container(
            "shell", "docker.io/library/busybox:latest",
            security={"privileged": True, "runAsUser": 0})]),
        deployment("odoo-prod", "pod-root", containers=[container("c", "acr.azurecr.io/x:1")],
                   pod={"securityContext": {"runAsUser": 0}}),
        deployment("kube-system", "csi", containers=[container(
            "c", "mcr.microsoft.com/x:1", security={"privileged": True})]),
        kobj("CronJob", "odoo-prod", "filestore-sync", {
            "schedule": "0 */6 * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [container("sync", "mcr.microsoft.com/azure-cli:2.64.0",
                                         security={"runAsUser": 1000})]}}}}}, api="batch/v1"),
    ]
    result = run("SEC-K8S-001", {"k8s_objects": objs})
    assert by_subject(result) == {"odoo-web": "pass", "debug-shell": "fail", "pod-root": "fail",
                                "filestore-sync": "pass"}
    assert detail_of(result, "debug-shell") == "container shell: privileged, runs as UID 0"
    assert detail_of(result, "pod-root") == "container c: runs as UID 0"


def test_images_from_trusted_registries():
    objs = [
        deployment("odoo-prod", "odoo-web", "acrretailprod.azurecr.io/odoo:17.0-20261102"),
        deployment("odoo-prod", "debug-shell", "busybox"),
        deployment("traefik", "traefik", "traefik:v3.1"),
        deployment("odoo-prod", "other-acr", "someoneelse.azurecr.io/x:1"),
    ]
    acr = arm("Microsoft.ContainerRegistry/registries", "acrretailprod", {
        "loginServer": "acrretailprod.azurecr.io", "adminUserEnabled": False})
    result = run("SEC-K8S-002", {"k8s_objects": objs, "azure_resources": [acr]})
    assert by_subject(result) == {"odoo-web": "pass", "debug-shell": "fail", "traefik": "fail",
                                "other-acr": "fail"}
    assert detail_of(result, "debug-shell") == "untrusted registry: busybox (docker.io)"
    # without azure evidence any Azure Container Registry counts as trusted
    result = run("SEC-K8S-002", {"k8s_objects": objs})
    assert by_subject(result)["other-acr"] == "pass"


def test_image_parts():
    parts = image_parts(pd.Series(["busybox", "docker.io/library/busybox:latest",
                                   "acr.azurecr.io/odoo:17.0", "localhost:5000/a/b",
                                   "ghcr.io/fluxcd/source-controller@sha256:abc"]))
    assert parts.registry.tolist() == ["docker.io", "docker.io", "acr.azurecr.io",
                                       "localhost:5000", "ghcr.io"]
    assert parts.tag.tolist() == ["latest", "latest", "17.0", "latest", ""]
    assert parts.tag_implicit.tolist() == [True, False, False, True, False]
    assert parts.repository.tolist() == ["busybox", "library/busybox", "odoo", "a/b",
                                         "fluxcd/source-controller"]
    assert parts.digest.tolist()[-1] == "sha256:abc"


# --------------------------------------------------------------------------- PostgreSQL
def test_pg_password_encryption():
    rows = (pg_settings("psql-good", password_encryption="scram-sha-256", ssl="on")
            + pg_settings("psql-bad", password_encryption="md5")
            + pg_settings("psql-none", ssl="on"))
    result = run("SEC-PG-001", {"pg_settings": rows})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-good/password_encryption": "pass",
        "postgres:psql-bad/password_encryption": "fail",
        "postgres:psql-none/password_encryption": "not_assessed"}
    assert "password_encryption = md5" in result.detail.tolist()


def test_pg_password_encryption_from_arm_configurations():
    server = rid("rg-retail-prod-data", "Microsoft.DBforPostgreSQL/flexibleServers", "psql-x")
    details = [{"resource_id": server, "detail_type": "configurations",
                "name": "password_encryption",
                "properties": {"value": "md5", "defaultValue": "scram-sha-256",
                               "source": "user-override", "dataType": "Enumeration"}}]
    result = run("SEC-PG-001", {"azure_arm_details": details})
    assert result.status.tolist() == ["fail"]
    assert result.subject[0] == "postgres:psql-x/password_encryption"


@pytest.mark.parametrize("check_id", ["SEC-PG-001", "SEC-PG-002"])
def test_pg_not_assessed_without_either_source(check_id):
    result = run(check_id, {})
    assert result.status.tolist() == ["not_assessed"]
    assert result.subject[0] == "evidence:pg_settings or azure_arm_details"
    assert result.evidence_tables[0] == "pg_settings, azure_arm_details"
    # either source is enough for the engine to run the check
    assert run(check_id, {"azure_arm_details": []}).status.tolist() == ["not_assessed"]
    assert run(check_id, {"pg_settings": pg_settings("psql-a", password_encryption="md5",
                                                     require_secure_transport="off")}
               ).status.tolist() == ["fail"]


def test_pg_secure_transport():
    rows = (pg_settings("psql-good", require_secure_transport="on", ssl="on")
            + pg_settings("psql-bad", require_secure_transport="off", ssl="on")
            + pg_settings("psql-default", ssl="on"))
    result = run("SEC-PG-002", {"pg_settings": rows})
    by_subject = dict(zip(result.subject, result.status, strict=True))
    assert by_subject == {"postgres:psql-good/require_secure_transport": "pass",
                          "postgres:psql-bad/require_secure_transport": "fail",
                          "postgres:psql-default/require_secure_transport": "pass"}
    assert "Azure default: on" in result.detail[
        result.subject.str.contains("psql-default")].iloc[0]


def pg_role(rolname: str, **attrs) -> dict:
    base = {"server": "psql-retail-prod", "rolname": rolname, "superuser": False,
            "createrole": False, "createdb": False, "can_login": True, "replication": False,
            "bypass_rls": False, "connection_limit": -1, "valid_until": None,
            "member_of": "[]"}
    base.update(attrs)
    return base


def test_pg_app_role_least_privilege():
    roles = [pg_role("odoo", createdb=True), pg_role("readonly_bi"),
             pg_role("pgadmin", createdb=True, createrole=True, member_of='["azure_pg_admin"]')]
    result = run("SEC-PG-003", {"pg_roles": roles})
    assert dict(zip(result.subject, result.status, strict=True)) == {
        "postgres:psql-retail-prod/role:odoo": "fail"}
    assert result.detail[0] == "role odoo has CREATEDB"
    cfg = odoo_conf(db_user="shop")
    good = run("SEC-PG-003", {"pg_roles": [pg_role("shop"), pg_role("odoo", createdb=True)],
                              "odoo_config": cfg})
    assert dict(zip(good.subject, good.status, strict=True)) == {
        "postgres:psql-retail-prod/role:shop": "pass"}
    assert "no superuser, CREATEDB or CREATEROLE" in good.detail[0]


def test_pg_app_role_admin_membership_fails():
    result = run("SEC-PG-003", {"pg_roles": [pg_role("odoo", member_of="{azure_pg_admin}")]})
    assert result.status.tolist() == ["fail"]
    assert "azure_pg_admin member" in result.detail[0]


# --------------------------------------------------------------------------- transport
def test_redis_tls_only():
    result = run("SEC-REDIS-001", {"azure_resources": [
        arm("Microsoft.Cache/Redis", "redis-good", {"enableNonSslPort": False,
                                                    "minimumTlsVersion": "1.2"}),
        arm("Microsoft.Cache/Redis", "redis-port", {"enableNonSslPort": True,
                                                    "minimumTlsVersion": "1.2"}),
        arm("Microsoft.Cache/Redis", "redis-old", {"minimumTlsVersion": "1.0"}),
        arm("Microsoft.Cache/Redis", "redis-default", {"sku": {"name": "Standard"}})]})
    assert by_subject(result) == {"redis-good": "pass", "redis-port": "fail", "redis-old": "fail",
                                "redis-default": "pass"}
    assert detail_of(result, "redis-port") == "non-TLS port enabled, minimum TLS 1.2"
    assert "Azure default" in detail_of(result, "redis-default")


def test_storage_min_tls():
    result = run("SEC-ST-001", {"azure_resources": [
        arm("Microsoft.Storage/storageAccounts", "stgood", {"minimumTlsVersion": "TLS1_2",
                                                            "supportsHttpsTrafficOnly": True}),
        arm("Microsoft.Storage/storageAccounts", "stold", {"minimumTlsVersion": "TLS1_0"}),
        arm("Microsoft.Storage/storageAccounts", "stunset", {}),
        arm("Microsoft.Storage/storageAccounts", "sthttp", {
            "minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": False})]})
    assert by_subject(result) == {"stgood": "pass", "stold": "fail", "stunset": "fail",
                                "sthttp": "fail"}
    assert "Azure interprets as TLS1_0" in detail_of(result, "stunset")
    assert detail_of(result, "sthttp").endswith("HTTPS only off")


def test_security_checks_have_no_subjects_in_empty_collected_tables():
    """Collected but empty: nothing to judge, so not_assessed (never a silent pass)."""
    tables = {"azure_resources": [], "azure_arm_details": [], "k8s_objects": [],
              "pg_settings": [], "pg_roles": [], "odoo_config": []}
    statuses = {c.id: set(run(c.id, tables).status) for c in REGISTRY.values()
                if c.domain == "security"}
    assert {k: v for k, v in statuses.items() if v != {"not_assessed"}} == {}
