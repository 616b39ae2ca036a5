"""Security and devops figures, tested by their trace data (and degrading when evidence is
missing)."""

import plotly.graph_objects as go
import pytest
from factories import SUB, annotations, arm, review_for

from readiness_kit.charts import devops as dev_charts
from readiness_kit.charts import security as sec_charts
from readiness_kit.review import Review

REPO = "github.com/demo-retail/odoo-platform"


def pricing(plan: str, tier: str) -> dict:
    return arm("microsoft.security/pricings", plan, {"pricingTier": tier},
               arg_table="securityresources",
               id=f"/subscriptions/{SUB}/providers/Microsoft.Security/pricings/{plan}")


def demo_tables() -> dict[str, list[dict]]:
    aks = arm("Microsoft.ContainerService/managedClusters", "aks-retail-prod", {
        "disableLocalAccounts": False, "enableRBAC": True,
        "aadProfile": {"managed": True, "enableAzureRBAC": True},
        "securityProfile": {"workloadIdentity": {"enabled": True}},
        "oidcIssuerProfile": {"enabled": True}})
    return {
        "azure_resources": [
            aks,
            arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod", {"network": {
                "publicNetworkAccess": "Disabled",
                "delegatedSubnetResourceId": "/subscriptions/x/virtualNetworks/v/subnets/"
                                             "snet-postgres"}}),
            arm("Microsoft.Cache/Redis", "redis-retail-prod", {"publicNetworkAccess": "Enabled",
                                                               "enableNonSslPort": False}),
            arm("Microsoft.Storage/storageAccounts", "strretailprodfiles", {
                "publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow"}}),
            arm("Microsoft.KeyVault/vaults", "kv-retail-prod", {
                "enableSoftDelete": True, "enablePurgeProtection": False,
                "enableRbacAuthorization": True, "publicNetworkAccess": "Disabled",
                "privateEndpointConnections": [{"properties": {
                    "privateLinkServiceConnectionState": {"status": "Approved"}}}]}),
            pricing("Containers", "Standard"), pricing("OpenSourceRelationalDatabases", "Free"),
            pricing("KeyVaults", "Standard"),
        ],
        "odoo_config": [
            {"source": "ConfigMap/odoo-prod/odoo-conf", "section": "options",
             "key": "admin_passwd", "value": "<redacted>"},
            {"source": "ConfigMap/odoo-prod/odoo-conf", "section": "options", "key": "list_db",
             "value": "True"}],
        "gitops_pipelines": [
            {"repo": REPO, "path": ".github/workflows/build-odoo.yml", "system": "github",
             "environment": None, "runs_tests": True, "builds_image": True,
             "scans_image": True, "signs_image": False, "pins_digest": False},
            {"repo": REPO, "path": ".github/workflows/deploy-prod.yml", "system": "github",
             "environment": "production", "deploy_method": "flux", "requires_approval": True,
             "has_rollback": False, "builds_image": False, "pins_digest": False}],
        "gitops_releases": [
            {"repo": REPO, "environment": "staging", "component": "odoo",
             "image": "acrretailprod.azurecr.io/odoo", "tag": "17.0-20261120", "replicas": 1,
             "config_sha256": "a" * 64},
            {"repo": REPO, "environment": "production", "component": "odoo",
             "image": "acrretailprod.azurecr.io/odoo", "tag": "17.0-20261102", "replicas": 3,
             "config_sha256": "a" * 64},
            {"repo": REPO, "environment": "staging", "component": "traefik",
             "image": "acrretailprod.azurecr.io/traefik", "tag": "v3.0.4",
             "chart_version": "28.3.0", "replicas": 1, "config_sha256": "b" * 64},
            {"repo": REPO, "environment": "production", "component": "traefik",
             "image": "acrretailprod.azurecr.io/traefik", "tag": "v2.11.0",
             "chart_version": "26.1.0", "replicas": 2, "config_sha256": "c" * 64}],
    }


@pytest.fixture(scope="module")
def demo() -> Review:
    return review_for(demo_tables(), "security", "devops")


@pytest.fixture(scope="module")
def empty() -> Review:
    return review_for({}, "security", "devops")


def traces(fig: go.Figure) -> dict:
    return {t.name: t for t in fig.data}


def annotation_text(fig: go.Figure) -> str:
    return " ".join(annotations(fig))


def test_data_service_exposure(demo):
    fig = sec_charts.data_service_exposure(demo)
    assert isinstance(fig, go.Figure)
    t = traces(fig)
    assert set(t) == {"public", "private endpoint", "VNet-integrated"}
    assert set(t["public"].y) == {"Redis · redis-retail-prod", "Storage · strretailprodfiles"}
    assert list(t["VNet-integrated"].y) == ["PostgreSQL · psql-retail-prod"]
    assert list(t["private endpoint"].y) == ["Key Vault · kv-retail-prod"]
    assert set(t["public"].x) == {"public"}
    assert "reachable from the Internet" in t["public"].customdata[0]


def test_identity_secrets_posture(demo):
    fig = sec_charts.identity_secrets_posture(demo)
    t = traces(fig)
    fails = dict(zip(t["fail"].y, t["fail"].x, strict=True))
    passes = dict(zip(t["pass"].y, t["pass"].x, strict=True))
    assert fails["AKS local accounts disabled"] == 1
    assert fails["Key Vault purge protection"] == 1
    assert fails["Odoo database manager off"] == 1
    assert passes["Odoo master password set"] == 1
    assert passes["AKS workload identity"] == 1
    assert passes["AKS local accounts disabled"] == 0


def test_defender_coverage(demo):
    fig = sec_charts.defender_coverage(demo)
    t = traces(fig)
    assert list(t["Free"].y) == ["OpenSourceRelationalDatabases (required)"]
    assert set(t["Standard"].y) == {"Containers (required)", "KeyVaults"}


def test_pipeline_controls(demo):
    fig = dev_charts.pipeline_controls(demo)
    (hm,) = fig.data
    assert list(hm.x) == ["runs tests", "scans image", "signs image", "pins digest",
                          "approval to prod", "rollback path"]
    assert list(hm.y) == ["build-odoo.yml", "deploy-prod.yml → production"]
    build, prod = hm.z
    assert list(build) == [1, 1, 0, 0, None, None]
    assert list(prod) == [None, None, None, 0, 1, 0]
    assert list(hm.text[0]) == ["yes", "yes", "no", "no", "n/a", "n/a"]


def test_environment_drift(demo):
    fig = dev_charts.environment_drift(demo)
    (hm,) = fig.data
    assert list(hm.y) == ["odoo", "traefik"]
    assert list(hm.x) == ["image repository", "image tag / digest", "chart version",
                          "overlay config", "replicas"]
    odoo, traefik = (list(row) for row in hm.z)
    assert odoo == [0, 1, 0, 0, 1]          # promotion and scale are expected differences
    assert traefik == [0, 2, 2, 1, 1]       # tag and chart drift are red, config amber
    assert hm.text[1][2] == "28.3.0 →<br>26.1.0"
    assert hm.text[0][1] == "17.0-20261120 →<br>17.0-20261102"
    assert hm.text[0][0] == "odoo" and hm.text[1][3] == "differs"


@pytest.mark.parametrize("chart", [
    sec_charts.data_service_exposure, sec_charts.identity_secrets_posture,
    sec_charts.defender_coverage, dev_charts.pipeline_controls, dev_charts.environment_drift,
])
def test_charts_degrade_when_not_collected(chart, empty):
    fig = chart(empty)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert "not collected" in annotation_text(fig)


def test_charts_degrade_when_collected_but_empty():
    rv = review_for({"azure_resources": [], "gitops_pipelines": [], "gitops_releases": []},
                    "security", "devops")
    assert "not collected" in annotation_text(sec_charts.defender_coverage(rv))
    assert "No PostgreSQL" in annotation_text(sec_charts.data_service_exposure(rv))
    assert "No CI/CD pipeline" in annotation_text(dev_charts.pipeline_controls(rv))
    assert "No production releases" in annotation_text(dev_charts.environment_drift(rv))
