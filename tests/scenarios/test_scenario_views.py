"""Capabilities on every check, the topology, the cost view, hosting advice, the cards."""

import re

import pandas as pd
import pytest

from readiness_kit import html as rh
from readiness_kit.charts.topology import platform_topology_chart
from readiness_kit.checks import REGISTRY
from readiness_kit.checks.registry import check
from readiness_kit.efficiency import right_sizing
from readiness_kit.hosting import hosting_advice
from readiness_kit.impact import CAPABILITIES, capabilities_for
from readiness_kit.outputs import findings_records, summary_record
from readiness_kit.review import load_review
from readiness_kit.scenarios import assess_scenarios
from readiness_kit.topology import platform_topology


@pytest.fixture(scope="module")
def demo():
    return load_review("parameters/demo-retail.yaml", as_of="2026-11-27")


@pytest.mark.parametrize("check_id", sorted(REGISTRY))
def test_every_check_endangers_at_least_one_known_capability(check_id):
    caps = REGISTRY[check_id].capabilities
    assert caps, f"{check_id}: add its area to readiness_kit/impact.py AREA_CAPABILITIES"
    assert set(caps) <= set(CAPABILITIES)
    assert REGISTRY[check_id].metadata()["capabilities"] == list(caps)


def test_capabilities_come_from_area_then_domain_area_then_override_or_the_decorator():
    assert capabilities_for("RES-PG-001")[0] == "order_capture"          # area PG
    assert capabilities_for("SEC-PG-001")[0] == "customer_data"          # SEC-PG narrows it
    assert capabilities_for("ARC-ING-001") == ("pos_sync", "checkout")  # per-check override
    assert capabilities_for("XYZ-NOPE-001") == ()
    with pytest.raises(ValueError, match="unknown capabilities"):
        check(id="OPS-TEST-901", domain="operations", severity="low", title="t",
              rationale="r", remediation="m", risk="k", applies_to="a",
              capabilities=["world_peace"])


def test_findings_and_summary_carry_capabilities_scenarios_and_ranked_risks(demo):
    records = findings_records(demo)
    pg = next(r for r in records if r["check_id"] == "RES-PG-001")
    assert pg["capabilities"][0] == "order_capture" and isinstance(pg["capabilities"], list)
    summary = summary_record(demo, run_id="r", generated_at="now")
    assert [s["id"] for s in summary["scenarios"]][:1] == ["peak-trading"]
    assert {"id", "title", "verdict", "reason", "figures"} <= set(summary["scenarios"][0])
    risks = [r["launch_risk"] for r in summary["top_risks"]]
    assert risks == sorted(risks, reverse=True) and summary["top_risks"][0]["capabilities"]


def test_the_demo_topology_names_every_data_service_and_what_the_internet_reaches(demo):
    topo = platform_topology(demo.ev)
    res = demo.ev.tables["azure_resources"]
    types = res["type"].str.lower()
    data = res.loc[types.isin(["microsoft.dbforpostgresql/flexibleservers",
                               "microsoft.cache/redis", "microsoft.storage/storageaccounts",
                               "microsoft.keyvault/vaults"]), "name"]
    assert set(data) <= set(topo.nodes["label"])
    assert set(topo.names("Subnet")) == {"snet-aks", "snet-postgres", "snet-private-endpoints"}
    assert set(topo.names("Node pool")) == {"aks-retail-prod/system", "aks-retail-prod/odoo"}
    exposed = set(topo.edges.loc[topo.edges["source"] == "internet", "target"])
    labels = topo.nodes.set_index("key")["label"]
    assert {"redis-retail-prod", "strretailprodfiles"} <= {labels[k] for k in exposed}
    assert "psql-retail-prod" not in {labels[k] for k in exposed}
    fig = platform_topology_chart(demo)
    drawn = " ".join(t for trace in fig.data for t in (trace.text or ()))
    assert all(name in drawn for name in data)
    assert "plotly" not in str(fig.to_plotly_json().get("layout", {}).get("images", ""))


def test_topology_groups_a_large_estate_beyond_the_limit(demo):
    topo = platform_topology(demo.ev, max_per_kind=1)
    storage = topo.nodes[topo.nodes["kind"] == "Storage"]
    assert len(storage) == 2 and storage["label"].str.startswith("+1 more").sum() == 1
    assert topo.nodes["kind"].value_counts().max() <= 2


def test_no_saving_is_suggested_while_a_scenario_needs_the_capacity(demo):
    signals = right_sizing(demo)
    pools = signals[signals["area"] == "AKS node pools"]
    assert len(pools) == 2 and not pools["suggested"].any()
    assert pools["why"].str.contains("Pods at peak|Odoo worker processes").all()
    pg = signals[signals["area"] == "PostgreSQL"].iloc[0]
    assert not pg["suggested"] and pg["saving"].startswith("none")


def test_hosting_advice_weighs_the_profile_and_names_missing_isolation(demo):
    advice = hosting_advice(demo)
    assert (advice.fits, advice.score) == ("dedicated", 7)
    assert "Namespaces" in advice.isolation.loc[advice.isolation["status"] == "gaps",
                                                "dimension"].tolist()
    shared = demo.params.model_copy(update={"profile": demo.params.profile.model_copy(
        update={"customisation": "low", "compliance": [], "integrations": 1,
                "workload_variability": "low", "brands": 12})})
    advice = hosting_advice(type(demo)(**{**demo.__dict__, "params": shared}))
    assert advice.fits == "multi-tenant" and advice.verdict == "fail"


def test_scenario_cards_escape_and_link_to_the_findings_anchors(demo):
    records = [a.record() for a in assess_scenarios(demo)]
    records[0]["title"] = "<img src=x onerror=alert(1)>"
    out = rh.scenario_cards(records)
    assert "<img" not in out and "&lt;img" in out
    assert out.count('class="rk-scenario ') == 6
    links = set(re.findall(r'href="#(check-[a-z0-9-]+)"', out))
    table = rh.findings_table(demo.findings)
    anchors = set(re.findall(r'id="(check-[a-z0-9-]+)"', table))
    assert links and links <= anchors
    assert len(anchors) == demo.findings["check_id"].nunique()  # one per check, unique
    assert "Missed" in out and "rk-badge rk-verdict-fails" in out
    assert rh.scenario_cards([]).count("No scenarios were assessed.") == 1
    frame = pd.DataFrame(records[0]["figures"])
    assert {"name", "value", "target", "status", "basis"} <= set(frame.columns)


def test_every_class_of_the_scenario_cards_is_styled(demo):
    from readiness_kit.report import TEMPLATE_DIR

    css = rh.FRAGMENT_CSS + (TEMPLATE_DIR / "readiness" / "report.css").read_text()
    out = rh.scenario_cards([a.record() for a in assess_scenarios(demo)])
    used = {c for attr in re.findall(r'class="([^"]+)"', out) for c in attr.split()}
    assert sorted(c for c in used if not c.endswith("-fragment") and f".{c}" not in css) == []
