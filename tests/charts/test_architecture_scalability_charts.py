"""Architecture and scalability figures, tested by their trace content (and degrading to a
"not collected" annotation when evidence is missing)."""

import plotly.graph_objects as go
import pytest
from factories import GIB, ODOO_IMAGE, SUB, annotations, arm, deployment, hpa, odoo_conf, review_for

from readiness_kit.charts import architecture as arch_charts
from readiness_kit.charts import scalability as scl_charts
from readiness_kit.charts.style import STATUS_COLOURS
from readiness_kit.review import Review


def sized(namespace: str, name: str, image: str, replicas: int, cpu: str = "500m",
          memory: str = "1Gi") -> dict:
    return deployment(namespace, name, image, replicas, resources={
        "requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}})


def demo_tables() -> dict[str, list[dict]]:
    azure = [
        arm("Microsoft.Network/virtualNetworks", "vnet-retail-prod", rg="rg-retail-prod-network",
            properties={"subnets": []}),
        arm("Microsoft.Network/publicIPAddresses", "pip-traefik-prod", rg="rg-retail-prod-network",
            sku={"name": "Standard", "tier": "Regional"}, zones=["1", "2", "3"],
            properties={"publicIPAllocationMethod": "Static"}),
        arm("Microsoft.Network/networkSecurityGroups", "nsg-aks", rg="rg-retail-prod-network",
            properties={"securityRules": []}),
        arm("Microsoft.ContainerService/managedClusters", "aks-retail-prod",
            rg="rg-retail-prod-aks", properties={"agentPoolProfiles": [
                {"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D4ds_v5",
                 "availabilityZones": ["1", "2", "3"]},
                {"name": "odoo", "mode": "User", "count": 3, "vmSize": "Standard_D8ds_v5",
                 "availabilityZones": ["1", "2"], "enableAutoScaling": True, "minCount": 3,
                 "maxCount": 12}]}),
        arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod",
            rg="rg-retail-prod-data", sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"},
            properties={"availabilityZone": "1", "highAvailability": {
                "mode": "SameZone", "standbyAvailabilityZone": "1"}}),
        arm("Microsoft.Cache/Redis", "redis-retail-prod", rg="rg-retail-prod-data",
            zones=["1", "2"], properties={"sku": {"name": "Premium", "family": "P",
                                                  "capacity": 1}}),
        arm("Microsoft.Storage/storageAccounts", "strretailprodfiles", rg="rg-retail-prod-data",
            sku={"name": "Standard_ZRS", "tier": "Standard"}, kind="StorageV2",
            properties={"allowBlobPublicAccess": False}),
        # A row from another Resource Graph table must not count as a deployed resource.
        arm("Microsoft.Authorization/policyAssignments", "asb", location=None,
            id=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/policyAssignments/asb",
            arg_table="policyresources"),
    ]
    return {
        "azure_resources": azure,
        "k8s_objects": [
            sized("odoo-prod", "odoo-web", ODOO_IMAGE, 3, cpu="2", memory="6Gi"),
            sized("traefik", "traefik", "docker.io/traefik:v3.1.4", 2),
            hpa("odoo-prod", "odoo-web", 3, 6, 3),
            hpa("traefik", "traefik", 2, 4, 2),
        ],
        "odoo_config": odoo_conf("odoo.conf", workers="8", max_cron_threads="2",
                                 db_maxconn="64"),
        "pg_settings": [{"server": "psql-retail-prod", "name": "max_connections",
                         "setting": "400"}],
        "redis_info": [{"instance": "redis-retail-prod", "section": "memory", "key": k,
                        "value": v} for k, v in {"used_memory": str(int(1.5 * GIB)),
                                                 "maxmemory": str(6 * GIB)}.items()],
    }


def review(tables: dict[str, list[dict]], peak: float = 4) -> Review:
    return review_for(tables, "architecture", "scalability", targets={"peak_multiplier": peak})


@pytest.fixture(scope="module")
def demo() -> Review:
    return review(demo_tables())


CHARTS = [arch_charts.resource_inventory, arch_charts.zone_placement,
          scl_charts.capacity_headroom, scl_charts.hpa_replicas]


def test_resource_inventory_counts_by_group_and_type(demo):
    fig = arch_charts.resource_inventory(demo)
    (tree,) = fig.data
    assert tree.type == "treemap"
    values = dict(zip(tree.ids, tree.values, strict=True))
    assert values["rg-retail-prod-network"] == 3
    assert values["rg-retail-prod-data"] == 3
    assert values["rg-retail-prod-aks/containerservice/managedclusters"] == 1
    assert dict(zip(tree.ids, tree.parents, strict=True))[
        "rg-retail-prod-data/cache/redis"] == "rg-retail-prod-data"
    assert not any("policyassignments" in i for i in tree.ids)
    assert "resource group" in fig.layout.title.text


def test_zone_placement_shows_node_pools_and_zonal_resources(demo):
    (heat,) = arch_charts.zone_placement(demo).data
    rows = dict(zip(heat.y, (tuple(r) for r in heat.z), strict=True))
    assert list(heat.x) == ["zone 1", "zone 2", "zone 3", "no zone"]
    assert rows["AKS aks-retail-prod / system (system)"] == (1, 1, 1, 0)
    assert rows["AKS aks-retail-prod / odoo (user)"] == (1, 1, 0, 0)
    assert rows["PostgreSQL psql-retail-prod (primary)"] == (1, 0, 0, 0)
    assert rows["PostgreSQL psql-retail-prod (standby, SameZone)"] == (1, 0, 0, 0)
    assert rows["Redis redis-retail-prod"] == (1, 1, 0, 0)
    assert rows["Public IP pip-traefik-prod"] == (1, 1, 1, 0)
    assert not any("strretailprodfiles" in y for y in heat.y)  # ZRS is not zonal placement


def test_capacity_headroom_bars_against_capacity_line(demo):
    fig = scl_charts.capacity_headroom(demo)
    now, peak = fig.data
    assert (now.name, peak.name) == ("now", "at peak")
    assert now.orientation == peak.orientation == "h"
    bars = dict(zip(peak.y, peak.x, strict=True))
    # 4928 of 385 connections is far above the chart cap; Redis 1.5 x 4 = 6 of 6 GiB
    assert bars["PostgreSQL connections · psql-retail-prod"] == scl_charts.CAP_PCT
    assert bars["Redis memory · redis-retail-prod"] == 100
    assert bars["Pods at peak · odoo-web"] == 200
    assert bars["Pods at peak · traefik"] == 200
    colours = dict(zip(peak.y, peak.marker.color, strict=True))
    assert colours["Pods at peak · odoo-web"] == STATUS_COLOURS["fail"]
    capacity_line = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(s.x0, s.x1) for s in capacity_line] == [(100, 100)]
    text = dict(zip(peak.y, peak.text, strict=True))
    # (1 + 8 + 2) x 64 x 6 pods at HPA max = 4224 against 400 - 15 = 385
    assert text["PostgreSQL connections · psql-retail-prod"] == "1097% insufficient"
    assert "capped" in fig.layout.xaxis.title.text


def test_capacity_headroom_lists_what_was_not_collected():
    tables = demo_tables()
    del tables["redis_info"]
    fig = scl_charts.capacity_headroom(review(tables))
    missing = [a for a in annotations(fig) if a.startswith("not collected: ")]
    assert len(missing) == 1 and "Redis memory" in missing[0].split(": ", 1)[1].split(", ")
    assert not any(y.startswith("Redis") for y in fig.data[1].y)


def test_hpa_replicas_min_current_max_and_peak_need(demo):
    fig = scl_charts.hpa_replicas(demo)
    traces = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data}
    assert traces["min"] == {"odoo-prod/odoo-web": 3, "traefik/traefik": 2}
    assert traces["current"] == {"odoo-prod/odoo-web": 3, "traefik/traefik": 2}
    assert traces["max"] == {"odoo-prod/odoo-web": 6, "traefik/traefik": 4}
    assert traces["needed at peak (x4)"] == {"odoo-prod/odoo-web": 12, "traefik/traefik": 8}


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_degrade_when_evidence_missing(chart):
    fig = chart(review({}))
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    (note,) = annotations(fig)
    assert note.startswith("not collected")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_degrade_when_tables_are_empty(chart):
    fig = chart(review({name: [] for name in demo_tables()}))
    assert len(fig.data) == 0
    assert annotations(fig)[0].startswith("not collected")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_use_the_house_style(chart, demo):
    fig = chart(demo)
    assert fig.layout.template.layout.font.family.startswith("Segoe UI")
    assert fig.layout.title.text
    fig.to_json()  # serialisable for the notebook mimetype
