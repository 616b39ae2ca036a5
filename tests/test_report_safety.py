"""Hostile strings in evidence render as text; nothing secret reaches the outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness_kit.collectors.azure import normalise_arg_row
from readiness_kit.evidence import evidence_from_records, write_bundle
from readiness_kit.runner import run_tenant

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
SUB = "00000000-0000-0000-0000-0000000000aa"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    pg = normalise_arg_row({
        "id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/"
              f"Microsoft.DBforPostgreSQL/flexibleServers/{XSS_NAME}",
        "name": XSS_NAME, "type": "Microsoft.DBforPostgreSQL/flexibleServers",
        "location": "westeurope", "tags": {"owner": XSS_SCRIPT},
        "properties": {"highAvailability": {"mode": "Disabled"}, "version": "16",
                       "network": {"publicNetworkAccess": "Enabled"}},
    })
    ev = evidence_from_records({
        "azure_resources": [pg],
        "k8s_objects": [{
            "cluster": "c", "api_version": "apps/v1", "kind": "Deployment",
            "namespace": "shop", "name": "web", "labels": {"app": XSS_SCRIPT},
            "annotations": {}, "status": {"replicas": 1},
            "spec": {"replicas": 1, "template": {"spec": {"containers": [
                {"name": "odoo", "image": f"docker.io/{XSS_NAME}:latest"}]}}},
        }],
        "odoo_config": [
            {"source": "odoo.conf", "section": "options", "key": "admin_passwd",
             "value": "<redacted>"},
            {"source": "odoo.conf", "section": "options", "key": "list_db", "value": "True"},
        ],
    })
    write_bundle(ev, root / "bundle", tenant="hostile")
    params = root / "hostile.yaml"
    params.write_text(
        "tenant: hostile\n"
        f"display_name: \"{XSS_SCRIPT} Shop\"\n"
        "sources:\n  evidence: bundle\n"
        "attestations:\n"
        "  dr_runbook.owner:\n"
        f"    value: \"{XSS_NAME}\"\n"
        "    attested_by: Someone\n    attested_at: 2026-11-01\n"
        "    note: \"restore used Server=pg;Password=Hunter2secret; from the wiki\"\n"
    )
    result = run_tenant(params, root / "out", as_of=None)
    return result


def test_hostile_strings_render_as_text(hostile_run, chromium_browser):
    page = chromium_browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(Path(hostile_run.report).as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelectorAll('.rk-figure .main-svg').length > 0")
    text = page.inner_text("body")
    chart_text = page.evaluate(
        "Array.from(document.querySelectorAll('.rk-figure svg text'))"
        ".map(t => t.textContent).join(' | ')")
    svg_links = page.evaluate("document.querySelectorAll('.rk-figure svg a').length")
    # heatmaps draw themselves as data: images; nothing else may become an image
    svg_images = page.evaluate(
        "Array.from(document.querySelectorAll('.rk-figure svg image, img'))"
        ".filter(e => !(e.getAttribute('href') || e.getAttribute('xlink:href') || '')"
        ".startsWith('data:image/png')).length")
    page.close()
    assert dialogs == []
    assert XSS_NAME in chart_text  # chart labels draw the name as text too
    assert svg_links == 0 and svg_images == 0
    assert XSS_NAME in text  # shown literally, not interpreted
    assert f"{XSS_SCRIPT} Shop" in text


def test_hostile_markup_is_escaped_in_source(hostile_run):
    html = Path(hostile_run.report).read_text()
    assert XSS_NAME not in html  # every occurrence is escaped
    assert "<script>alert(2)</script>" not in html


def test_no_secret_values_in_outputs(hostile_run):
    run_dir = Path(hostile_run.run_dir)
    findings = json.loads((run_dir / "findings.json").read_text())
    admin = [f for f in findings if "admin_passwd" in f["subject"] + f["detail"]]
    assert admin, "the admin_passwd presence check must report on it"
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:  # report, findings, summary, executed notebooks, evidence Parquet
        assert b"Hunter2secret" not in path.read_bytes(), path
    assert "restore used Server=pg;&lt;redacted&gt;" in Path(hostile_run.report).read_text()
