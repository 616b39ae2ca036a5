import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from readiness_kit.charts import architecture as arch_charts
from readiness_kit.charts import scalability as scl_charts
from readiness_kit.charts.style import STATUS_COLOURS
from readiness_kit.checks import REGISTRY, CheckContext, run_checks
from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.evidence import evidence_from_records
from readiness_kit.params import Parameters
from readiness_kit.review import Review

SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"
GIB = 1024**3
ODOO_IMAGE = "acrretailprod.azurecr.io/odoo:17.0-20261102"


def arm(provider, name, rg, **fields):
    return normalise_arg_row({
        "id": f"/subscriptions/{SUB}/resourceGroups/{rg}/providers/{provider}/{name}",
        "name": name, "type": provider, "location": "westeurope", **fields})


def kobj(kind, namespace, name, spec, status=None, api="apps/v1"):
    return {"cluster": "aks-retail-prod", "api_version": api, "kind": kind,
            "namespace": namespace, "name": name, "spec": spec, "status": status or {}}


def deployment(namespace, name, image, replicas, cpu="500m", memory="1Gi"):
    return kobj("Deployment", namespace, name, {"replicas": replicas, "template": {"spec": {
        "containers": [{"name": name, "image": image, "resources": {
            "requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}}}]}}},
        {"replicas": replicas})


def hpa(namespace, target, min_r, max_r, current):
    return kobj("HorizontalPodAutoscaler", namespace, target, {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
        "minReplicas": min_r, "maxReplicas": max_r}, {"currentReplicas": current},
        api="autoscaling/v2")


def demo_tables() -> dict[str, list[dict]]:
    azure = [
        arm("Microsoft.Network/virtualNetworks", "vnet-retail-prod", "rg-retail-prod-network",
            properties={"subnets": []}),
        arm("Microsoft.Network/publicIPAddresses", "pip-traefik-prod", "rg-retail-prod-network",
            sku={"name": "Standard", "tier": "Regional"}, zones=["1", "2", "3"],
            properties={"publicIPAllocationMethod": "Static"}),
        arm("Microsoft.Network/networkSecurityGroups", "nsg-aks", "rg-retail-prod-network",
            properties={"securityRules": []}),
        arm("Microsoft.ContainerService/managedClusters", "aks-retail-prod", "rg-retail-prod-aks",
            properties={"agentPoolProfiles": [
                {"name": "system", "mode": "System", "count": 3, "vmSize": "Standard_D4ds_v5",
                 "availabilityZones": ["1", "2", "3"]},
                {"name": "odoo", "mode": "User", "count": 3, "vmSize": "Standard_D8ds_v5",
                 "availabilityZones": ["1", "2"], "enableAutoScaling": True, "minCount": 3,
                 "maxCount": 12}]}),
        arm("Microsoft.DBforPostgreSQL/flexibleServers", "psql-retail-prod",
            "rg-retail-prod-data", sku={"name": "Standard_D8ds_v5", "tier": "GeneralPurpose"},
            properties={"availabilityZone": "1", "highAvailability": {
                "mode": "SameZone", "standbyAvailabilityZone": "1"}}),
        arm("Microsoft.Cache/Redis", "redis-retail-prod", "rg-retail-prod-data",
            zones=["1", "2"], properties={"sku": {"name": "Premium", "family": "P",
                                                  "capacity": 1}}),
        arm("Microsoft.Storage/storageAccounts", "strretailprodfiles", "rg-retail-prod-data",
            sku={"name": "Standard_ZRS", "tier": "Standard"}, kind="StorageV2",
            properties={"allowBlobPublicAccess": False}),
        # A row from another Resource Graph table must not count as a deployed resource.
        normalise_arg_row({"id": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/"
                                 "policyAssignments/asb", "name": "asb",
                           "type": "Microsoft.Authorization/policyAssignments"},
                          arg_table="policyresources"),
    ]
    return {
        "azure_resources": azure,
        "k8s_objects": [
            deployment("odoo-prod", "odoo-web", ODOO_IMAGE, 3, cpu="2", memory="6Gi"),
            deployment("traefik", "traefik", "docker.io/traefik:v3.1.4", 2),
            hpa("odoo-prod", "odoo-web", 3, 6, 3),
            hpa("traefik", "traefik", 2, 4, 2),
        ],
        "odoo_config": [{"source": "odoo.conf", "section": "options", "key": k, "value": v}
                        for k, v in {"workers": "8", "max_cron_threads": "2",
                                     "db_maxconn": "64"}.items()],
        "pg_settings": [{"server": "psql-retail-prod", "name": "max_connections",
                         "setting": "400"}],
        "redis_info": [{"instance": "redis-retail-prod", "section": "memory", "key": k,
                        "value": v} for k, v in {"used_memory": str(int(1.5 * GIB)),
                                                 "maxmemory": str(6 * GIB)}.items()],
    }


def review_for(tables: dict[str, list[dict]], peak: float = 4) -> Review:
    params = Parameters(tenant="demo-retail", targets={"peak_multiplier": peak})
    ctx = CheckContext(ev=evidence_from_records(tables), params=params,
                       as_of=dt.date(2026, 11, 27))
    mine = [c for c in REGISTRY.values() if c.domain in ("architecture", "scalability")]
    return Review(params=params, ev=ctx.ev, findings=run_checks(ctx, mine),
                  waivers=pd.DataFrame(), scores=pd.DataFrame(), gate="conditional",
                  gate_reasons=[], as_of=ctx.as_of)


@pytest.fixture(scope="module")
def demo() -> Review:
    return review_for(demo_tables())


CHARTS = [arch_charts.resource_inventory, arch_charts.zone_placement,
          scl_charts.capacity_headroom, scl_charts.hpa_replicas]


def annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


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
    now, peak, line = fig.data
    assert (now.name, peak.name, line.name) == ("now", "at peak", "capacity (100 %)")
    bars = dict(zip(peak.x, peak.y, strict=True))
    # 4928 of 385 connections is far above the chart cap; Redis 1.5 x 4 = 6 of 6 GiB
    assert bars["PostgreSQL connections · psql-retail-prod"] == scl_charts.CAP_PCT
    assert bars["Redis memory · redis-retail-prod"] == 100
    assert bars["Pods at peak · odoo-web"] == 200
    assert bars["Pods at peak · traefik"] == 200
    colours = dict(zip(peak.x, peak.marker.color, strict=True))
    assert colours["Pods at peak · odoo-web"] == STATUS_COLOURS["fail"]
    assert set(line.y) == {100}
    text = dict(zip(peak.x, peak.text, strict=True))
    # (1 + 8 + 2) x 64 x 6 pods at HPA max = 4224 against 400 - 15 = 385
    assert text["PostgreSQL connections · psql-retail-prod"] == "1097% insufficient"
    assert "capped" in fig.layout.yaxis.title.text


def test_capacity_headroom_lists_what_was_not_collected():
    tables = demo_tables()
    del tables["redis_info"]
    fig = scl_charts.capacity_headroom(review_for(tables))
    assert annotations(fig) == ["not collected: Redis memory"]
    assert not any(x.startswith("Redis") for x in fig.data[1].x)


def test_hpa_replicas_min_current_max_and_peak_need(demo):
    fig = scl_charts.hpa_replicas(demo)
    traces = {t.name: dict(zip(t.x, t.y, strict=True)) for t in fig.data}
    assert traces["min"] == {"odoo-prod/odoo-web": 3, "traefik/traefik": 2}
    assert traces["current"] == {"odoo-prod/odoo-web": 3, "traefik/traefik": 2}
    assert traces["max"] == {"odoo-prod/odoo-web": 6, "traefik/traefik": 4}
    assert traces["needed at peak (x4)"] == {"odoo-prod/odoo-web": 12, "traefik/traefik": 8}


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_degrade_when_evidence_missing(chart):
    fig = chart(review_for({}))
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    (note,) = annotations(fig)
    assert note.startswith("not collected")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_degrade_when_tables_are_empty(chart):
    fig = chart(review_for({name: [] for name in demo_tables()}))
    assert len(fig.data) == 0
    assert annotations(fig)[0].startswith("not collected")


@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_charts_use_the_house_style(chart, demo):
    fig = chart(demo)
    assert fig.layout.template.layout.font.family.startswith("Segoe UI")
    assert fig.layout.title.text
    fig.to_json()  # serialisable for the notebook mimetype
