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
    assert "sources.odoo.config" in text and "[options]" in text
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
