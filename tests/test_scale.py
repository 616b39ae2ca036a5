"""At estate scale: findings files, bounded findings tables and charts, the generated estate.

The estate here is small (hundreds of resources) but above every folding threshold, so the
tests see what a 100,000-resource report does; benchmarks/bench_scale.py measures the rest.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from factories import review_for

from readiness_kit import html as rh
from readiness_kit import notebook
from readiness_kit.charts import architecture, resilience, security
from readiness_kit.charts.style import MAX_CHART_ROWS
from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.evidence import write_bundle
from readiness_kit.junit import MAX_SUBJECTS, write_junit
from readiness_kit.outputs import write_outputs
from readiness_kit.redaction import REDACTED, redact_series, secret_candidates
from readiness_kit.review import Review, load_run
from readiness_kit.scoring import domain_scores

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("estate", ROOT / "benchmarks" / "estate.py")
estate = importlib.util.module_from_spec(spec)
sys.modules["estate"] = estate
spec.loader.exec_module(estate)


def big_review(n: int = 400) -> Review:
    """``n`` generated resources, every check run."""
    rows = [normalise_arg_row(r) for r in estate.generate_rows(n, seed=3)]
    rv = review_for({"azure_resources": rows})
    rv.scores = domain_scores(rv.findings)
    return rv


def test_generated_estate_is_deterministic_and_mixed(tmp_path):
    first = list(estate.generate_rows(300, seed=1))
    assert first == list(estate.generate_rows(300, seed=1))
    assert first != list(estate.generate_rows(300, seed=2))
    types = pd.Series([r["type"] for r in first])
    tail = types.isin(["microsoft.compute/disks", "microsoft.network/networkinterfaces",
                       "microsoft.compute/snapshots", "microsoft.network/publicipaddresses"])
    assert 0.6 < tail.mean() < 0.8  # ~70 % long tail, ~30 % data services and clusters
    assert len(set(r["id"] for r in first)) == 300
    path = estate.write_export(tmp_path / "export.json", 50, seed=1)
    payload = json.loads(path.read_text())
    assert payload["count"] == 50 and payload["data"] == list(estate.generate_rows(50, seed=1))


def test_findings_table_shows_worst_subjects_per_check_and_counts_the_rest():
    rows = [{"check_id": "SEC-EXP-001", "severity": "high", "title": "t", "detail": "d",
             "status": "fail" if i % 3 else "not_assessed", "subject": f"sub-{i:03d}",
             "remediation": "fix"} for i in range(45)]
    rows += [{"check_id": "SEC-KV-001", "severity": "medium", "title": "kv", "detail": "d",
              "status": "fail", "subject": "kv-1", "remediation": "fix"}]
    out = rh.findings_table(pd.DataFrame(rows), per_check=20)
    assert out.count("<tr class=\"rk-row-") == 21  # 20 worst of 45 + the only one of 1
    assert out.count('<tr class="rk-row-fail"') == 21  # failing subjects come first
    assert "SEC-EXP-001</strong>: 20 of 45 subjects shown (30 fail, 15 not assessed)" in out
    assert "SEC-KV-001</strong>" not in out  # nothing hidden: not in the note
    assert rh.FULL_LIST_NOTE in out
    small = rh.findings_table(pd.DataFrame(rows[:10]), per_check=20)
    assert small.count("<tr class=\"rk-row-") == 10 and rh.FULL_LIST_NOTE not in small


def test_passes_summary_counts_per_check_with_examples():
    passed = pd.DataFrame({"check_id": ["A-X-001"] * 5 + ["B-Y-002"],
                           "title": ["a"] * 5 + ["b"], "status": "pass",
                           "subject": [f"s{i}" for i in range(5)] + ["<b>x</b>"]})
    out = rh.passes_summary(passed)
    assert re.search(r"A-X-001.*?<td class=\"rk-num\">5</td>", out)
    assert "and 2 more" in out and "&lt;b&gt;x&lt;/b&gt;" in out


def test_large_estate_report_parts_stay_bounded():
    rv = big_review(400)
    for domain in ("security", "resilience", "architecture"):
        frag = notebook.findings(rv, domain)
        per_check = rv.domain(domain).query("status != 'pass'").groupby("check_id").size()
        shown = len(re.findall(r'<tr class="rk-row-(?!pass)', frag.split("<details")[0]))
        assert shown == per_check.clip(upper=notebook.EXAMPLES_PER_CHECK).sum()
        if (rv.domain(domain)["status"] == "pass").sum() > notebook.PASSES_LISTED:
            assert "Passing subjects" in frag
    exposure = security.data_service_exposure(rv)
    labels = [y for trace in exposure.data for y in trace.y]
    assert len(labels) <= MAX_CHART_ROWS and any(" × " in y for y in labels)
    folded = sum(int(y.split(" × ")[1].split(" ")[0].replace(",", "")) for y in labels)
    assert folded == len(security.sec.data_service_exposure(rv.ev))  # every service counted
    zones = resilience.zone_distribution(rv)
    assert len(zones.data[0].y) <= MAX_CHART_ROWS
    placement = architecture.zone_placement(rv)
    assert len(placement.data[0].y) <= MAX_CHART_ROWS
    tiles = architecture.resource_inventory(rv).data[0]
    assert sum(1 for p in tiles.parents if p == "") <= MAX_CHART_ROWS


def test_findings_parquet_matches_findings_json_and_feeds_load_run(tmp_path):
    rv = big_review(120)
    rv.findings.loc[0, "detail"] = "a detail with <b> and ünïcode"
    write_bundle(rv.ev, tmp_path / "evidence")
    rv.waivers = pd.DataFrame(columns=["check_id", "subject", "reason", "owner", "expires",
                                       "state", "matched"])
    write_outputs(rv, tmp_path, run_id="r1", generated_at="2026-11-27T00:00:00+00:00")
    records = json.loads((tmp_path / "findings.json").read_text())
    table = pq.read_table(tmp_path / "findings.parquet").to_pylist()
    assert table == records and len(records) == len(rv.findings)
    assert isinstance(records[0]["references"], list)
    back = load_run(rv.params, tmp_path)
    assert back.findings.equals(rv.findings.astype(object).where(rv.findings.notna(), None))
    assert back.as_of == dt.date.fromisoformat(json.loads(
        (tmp_path / "summary.json").read_text())["as_of"])
    (tmp_path / "findings.parquet").unlink()  # older runs: findings.json only
    assert load_run(rv.params, tmp_path).findings.equals(back.findings)


def test_columnar_secret_scan_finds_what_the_patterns_find():
    values = pd.Series(["plain", "Server=x;Password=hunter22;", None, "ümlaut password=abc1",
                        "https://user:pa55@host/x", "eyJhbGciOiJI.eyJzdWIiOiIx.sig", 7])
    assert secret_candidates(values).tolist() == [False, True, False, True, True, True, False]
    out = redact_series(values)
    assert out[1] == f"Server=x;{REDACTED};" and out[0] == "plain" and out[6] == 7
    assert REDACTED in out[3] and "hunter22" not in " ".join(map(str, out))


def test_scenarios_recovery_chart_and_right_sizing_stay_bounded(monkeypatch):
    rv = big_review(1500)
    from readiness_kit.charts import scenarios as scenario_charts
    from readiness_kit.recovery import recovery_figures
    from readiness_kit.scenarios import assess_scenarios

    records = [a.record() for a in assess_scenarios(rv)]
    widest = max(records, key=lambda r: len(r["figures"]))
    assert len(widest["figures"]) > 12  # one figure per store at this scale
    cards = notebook.scenarios(rv)
    section = cards.split(f'id="scenario-{widest["id"]}"')[1].split("</section>")[0]
    table = section.split("rk-scenario-figures")[1].split("</table>")[0]
    assert table.count("<tr><td>") == 12
    statuses = pd.Series([f["status"] for f in widest["figures"]])
    missed = int(statuses.eq("breach").sum())
    assert table.count("rk-figure-breach") == min(missed, 12)  # missed figures shown first
    assert f"and {len(widest['figures']) - 12:,} more figures (" in section
    assert "every figure is in the run&#39;s summary.json" in section

    rec = recovery_figures(rv.ev, rv.params, rv.as_of)
    assert len(rec) > MAX_CHART_ROWS
    chart = scenario_charts.recovery_vs_target(rv)
    labels = chart.data[0].y
    assert len(labels) <= MAX_CHART_ROWS and any(" × " in y for y in labels)
    counted = sum(int(y.split(" × ")[1].split(" ")[0].replace(",", "")) if " × " in y else 1
                  for y in labels)
    assert counted == len(rec)  # every store of every recovery path is in a bar
    assert "Platform configuration · restored in place" in labels  # alone: its own name

    from readiness_kit.efficiency import right_sizing

    signals = right_sizing(rv)
    monkeypatch.setattr(notebook, "SIGNALS_LISTED", len(signals) - 5)
    advice = notebook.efficiency(rv)
    assert advice.count("<tr>") - 1 == len(signals) - 5  # the header row, then the signals
    assert f"Showing {len(signals) - 5} of {len(signals)} rows." in advice
    suggested = int(signals["suggested"].sum())
    assert advice.count("<td>suggested</td>") == min(suggested, len(signals) - 5)


def test_a_kernel_reads_a_finished_run_once(tmp_path):
    rv = big_review(120)
    write_bundle(rv.ev, tmp_path / "evidence")
    rv.waivers = pd.DataFrame(columns=["check_id", "subject", "reason", "owner", "expires",
                                       "state", "matched"])
    write_outputs(rv, tmp_path, run_id="r1", generated_at="2026-11-27T00:00:00+00:00")
    params = ROOT / "parameters" / "demo-retail.yaml"
    first = notebook.load(str(params), None, "2026-11-27", str(tmp_path))
    assert notebook.load(str(params), None, "2026-11-27", str(tmp_path)) is first
    assert first.findings.equals(load_run(first.params, tmp_path).findings)
    summary = json.loads((tmp_path / "summary.json").read_text())
    summary["gate"] = "ready"
    (tmp_path / "summary.json").write_text(json.dumps(summary) + "\n")  # the run changed
    again = notebook.load(str(params), None, "2026-11-27", str(tmp_path))
    assert again is not first and again.gate == "ready"


def test_junit_xml_stays_bounded(tmp_path):
    rv = big_review(120)
    root = ET.parse(write_junit(rv, tmp_path / "junit.xml", run_id="r1")).getroot()
    fails = rv.findings[rv.findings["status"] == "fail"].groupby("check_id").size()
    assert fails.max() > MAX_SUBJECTS  # the estate has checks with many failing subjects
    failures = {c.get("name").split(" ", 1)[0]: c.find("failure") for c in root.iter("testcase")}
    assert int(root.get("failures")) == len(fails)
    for cid, n in fails.items():
        lines = failures[cid].text.splitlines()
        assert failures[cid].get("message").startswith(f"{n} of ")
        assert len(lines) == min(n, MAX_SUBJECTS) + (n > MAX_SUBJECTS)
