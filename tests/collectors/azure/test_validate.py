"""`readiness validate` opens every file a parameters file points at."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

from typer.testing import CliRunner

from readiness_kit.cli import app
from readiness_kit.evidence import evidence_from_records, write_bundle

ROW = {"id": "/subscriptions/3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10/resourceGroups/rg/providers/"
             "Microsoft.Cache/Redis/redis-a", "type": "Microsoft.Cache/Redis",
       "properties": {"sku": {"name": "Premium"}}}


def _validate(tmp_path, sources: str):
    params = tmp_path / "t.yaml"
    params.write_text(f"tenant: t\nsources:\n{sources}")
    result = CliRunner().invoke(app, ["validate", str(params)])
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout,
                           stderr=result.stderr)


def test_missing_malformed_and_empty_exports_exit_2_naming_the_file(tmp_path):
    (tmp_path / "empty.json").write_text('{"count": 0, "data": []}')
    (tmp_path / "bad.json").write_text(json.dumps([{**ROW, "properties": '{"sku": 1}'}]))
    cases = {
        "  azure:\n    export: nowhere.json\n": ("Azure export not found", "nowhere.json"),
        "  azure:\n    export: empty.json\n": ("holds no rows", "empty.json"),
        "  azure:\n    export: bad.json\n": ("properties: expected a JSON object",
                                             "redis-a"),
        "  azure:\n    arm_export: nowhere-arm\n": ("Azure export not found", "nowhere-arm"),
    }
    for sources, (message, name) in cases.items():
        proc = _validate(tmp_path, sources)
        assert proc.returncode == 2, (sources, proc.stdout, proc.stderr)
        text = " ".join(proc.stderr.split())
        assert message in text and name in text and "t.yaml" in text, text


def test_other_sources_files_are_opened_too(tmp_path):
    (tmp_path / "odoo.conf").write_text("db_host = x\n")  # no [options] section
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "manifest.json").write_text("{")
    proc = _validate(tmp_path, "  evidence: bundle\n  odoo:\n    config: odoo.conf\n"
                               "  kubernetes:\n    manifests: manifests\n"
                               "  gitops:\n    repo: repo\n")
    assert proc.returncode == 2
    text = " ".join(proc.stderr.split())
    assert "sources.evidence" in text and "manifest is not valid JSON" in text
    # each collector's own validate hook answers for its files, else the path is checked
    assert f"{tmp_path / 'odoo.conf'}" in text
    assert re.search(r"sources\.kubernetes\.manifests: [^:]*not found", text), text
    assert "sources.gitops.repo: not found" in text


def test_good_files_validate_ok(tmp_path):
    (tmp_path / "arg.json").write_text(json.dumps({"data": [ROW]}))
    write_bundle(evidence_from_records({"redis_info": [
        {"instance": "r", "section": "server", "key": "redis_version", "value": "7.2"}]}),
        tmp_path / "bundle")
    (tmp_path / "odoo.conf").write_text("[options]\nworkers = 4\n")
    proc = _validate(tmp_path, "  azure:\n    export: arg.json\n  odoo:\n    config: odoo.conf\n")
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout
    proc = _validate(tmp_path, "  evidence: bundle\n")
    assert proc.returncode == 0, proc.stderr


def test_run_answers_missing_and_malformed_exports_and_reports_an_empty_one(tmp_path):
    """`readiness run` gives the same answers as validate: a missing or unreadable export
    stops that tenant with exit 2 and the file named; an empty one is a collection gap in
    summary.json, never a quiet gate."""
    (tmp_path / "empty.json").write_text("[]")
    (tmp_path / "bad.json").write_text('{"data": [')
    cases = (("missing", "nowhere.json", "Azure export not found"),
             ("bad", "bad.json", "after row 0: not valid JSON"))
    files = []
    for tenant, export, _ in cases:
        files.append(tmp_path / f"{tenant}.yaml")
        files[-1].write_text(f"tenant: {tenant}\nsources:\n  azure:\n    export: {export}\n")
    result = CliRunner().invoke(app, ["run", *map(str, files), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    text = " ".join(result.stderr.split())
    for tenant, export, message in cases:     # each tenant answered, neither stops the other
        assert f"{tmp_path / export}: {message}" in text, text
        assert not (tmp_path / "out" / tenant).exists()
    from readiness_kit.collect import gather_evidence
    from readiness_kit.outputs import summary_record
    from readiness_kit.params import load_parameters
    from readiness_kit.review import build_review
    params = tmp_path / "empty.yaml"
    params.write_text("tenant: empty\nsources:\n  azure:\n    export: empty.json\n")
    loaded = load_parameters(params)
    review = build_review(loaded.params, gather_evidence(loaded))
    gaps = summary_record(review, run_id="r", generated_at="now")["collection_gaps"]
    assert any(g["table"] == "azure_resources" and "holds no rows" in g["reason"]
               for g in gaps), gaps
