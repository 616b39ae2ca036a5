import json
import subprocess
import sys
from pathlib import Path

import pytest

from readiness_kit.errors import ParametersError
from readiness_kit.params import json_schema, load_parameters, parse_parameters

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "readiness_kit.cli"]


def error_of(text: str) -> str:
    with pytest.raises(ParametersError) as info:
        parse_parameters(text, "p.yaml")
    return str(info.value)


def test_demo_parameters_load():
    loaded = load_parameters(ROOT / "parameters" / "demo-retail.yaml")
    assert loaded.params.tenant == "demo-retail"
    assert loaded.params.targets.rpo_minutes == 15
    assert loaded.params.attestations["oncall.rota"].attested_by.startswith("Priya")
    assert {w.check_id for w in loaded.params.waivers}


def test_example_sample_is_valid():
    text = (ROOT / "parameters" / "example.yaml.sample").read_text()
    assert parse_parameters(text).tenant == "contoso-shops"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tenant: ok\nsurprise: 1\n", "p.yaml: line 2, key surprise: unknown key"),
        ("tenant: Bad_Id\n", "line 1, key tenant: expected a tenant id"),
        ("display_name: x\n", "key tenant: required key is missing"),
        ("tenant: a\ntargets:\n  rpo_minutes: soon\n", "line 3, key targets.rpo_minutes"),
        ("tenant: [a\n", "p.yaml: line 2, column 1: not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("tenant: a\nsources:\n  postgres:\n    dsn: host=x password=hunter2\n",
         "must not carry a password"),
        ("tenant: a\nwaivers:\n  - check_id: SEC-KV-001\n    reason: because\n"
         "    owner: CISO\n    expires: someday\n", "line 6, key waivers.0.expires"),
    ],
)
def test_malformed_parameters_name_file_place_and_expectation(text, expected):
    assert expected in error_of(text)


def test_secret_never_echoed_back():
    message = error_of("tenant: a\nsources:\n  postgres:\n    dsn: host=x password=hunter2\n")
    assert "hunter2" not in message


def test_cli_validate_exit_code_and_single_readable_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tenant: demo\ntargets:\n  rto_minutes: -5\n")
    proc = subprocess.run([*CLI, "validate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: line 3, key targets.rto_minutes" in " ".join(proc.stderr.split())


def test_cli_validate_ok(tmp_path):
    proc = subprocess.run([*CLI, "validate", str(ROOT / "parameters" / "demo-retail.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "tenant demo-retail" in proc.stdout


def test_schema_lists_contract_keys():
    schema = json.loads(json_schema())
    assert {"tenant", "display_name", "hosting_model", "sources", "targets", "attestations",
            "waivers"} <= set(schema["properties"])
    assert schema["required"] == ["tenant"]
    assert schema["additionalProperties"] is False
