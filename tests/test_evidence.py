import json
import subprocess
import sys

import pandas as pd
import pytest

from readiness_kit.errors import EvidenceError
from readiness_kit.evidence import TABLES, evidence_from_records, load_bundle, write_bundle


def small_bundle(tmp_path):
    ev = evidence_from_records({
        "pg_settings": [{"server": "pg1", "name": "max_connections", "setting": "400"}],
        "redis_info": [{"instance": "r1", "section": "memory", "key": "maxmemory_policy",
                        "value": "volatile-lru"}],
    })
    write_bundle(ev, tmp_path / "b", tenant="t")
    return tmp_path / "b"


def test_round_trip_keeps_content_and_provenance(tmp_path):
    path = small_bundle(tmp_path)
    ev = load_bundle(path)
    assert ev.table("pg_settings").loc[0, "setting"] == "400"
    assert ev.table("k8s_objects") is None  # not collected is not empty
    manifest = json.loads((path / "manifest.json").read_text())
    entry = manifest["tables"]["pg_settings"]
    assert entry["rows"] == 1 and len(entry["sha256"]) == 64
    assert {"source", "collector", "collector_version", "collected_at", "query"} <= set(entry)
    assert ev.sha256 == manifest["bundle_sha256"]


def test_tampered_table_is_named(tmp_path):
    path = small_bundle(tmp_path)
    df = pd.read_parquet(path / "pg_settings.parquet")
    df.loc[0, "setting"] = "5000"
    df.to_parquet(path / "pg_settings.parquet")
    with pytest.raises(EvidenceError) as info:
        load_bundle(path)
    message = str(info.value)
    assert "pg_settings.parquet" in message and "table pg_settings" in message
    assert "sha256 mismatch" in message


def test_manifest_edit_is_caught(tmp_path):
    path = small_bundle(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["tables"]["redis_info"]["sha256"] = "0" * 64
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(EvidenceError, match="table redis_info"):
        load_bundle(path)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": "other"}'])
def test_malformed_manifest(tmp_path, content):
    path = small_bundle(tmp_path)
    (path / "manifest.json").write_text(content)
    with pytest.raises(EvidenceError, match="manifest.json"):
        load_bundle(path)


def test_secret_values_are_refused(tmp_path):
    ev = evidence_from_records({"odoo_config": [
        {"source": "odoo.conf", "section": "options", "key": "db_uri",
         "value": "postgresql://odoo:S3cretPass@pg/odoo"}]})
    with pytest.raises(EvidenceError, match="credentials in URL"):
        write_bundle(ev, tmp_path / "b")


def test_every_table_declares_source_and_columns():
    for name, spec in TABLES.items():
        assert spec.name == name and spec.source and spec.columns


def test_cli_run_with_tampered_bundle_exits_2(tmp_path):
    path = small_bundle(tmp_path)
    (path / "redis_info.parquet").write_bytes(b"garbage")
    params = tmp_path / "t.yaml"
    params.write_text(f"tenant: t\nsources:\n  evidence: {path}\n")
    proc = subprocess.run([sys.executable, "-m", "readiness_kit.cli", "run", str(params),
                           "--output", str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "table redis_info" in proc.stderr and "Traceback" not in proc.stderr
