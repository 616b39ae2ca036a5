"""Fixtures for the Azure collector tests: a trusted test CA, the HTTPS stub, a stand-in
``az`` on PATH, and a guard that records every network connection the process opens."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from readiness_kit.demo.build import AZURE_SOURCES

from .stub import AZ_SCRIPT, AzureStub, StubState, load_export_rows, load_recorded_arm

SUB = "3f6c2a51-7a1e-4c55-9d1b-6a1f3c2b9e10"



@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def azure_env(tmp_path: Path, test_ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Trust the test CA, put the stand-in ``az`` first on PATH, keep proxies and any real
    Azure settings out. Returns the folder holding ``az`` (and its call log)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    az = bin_dir / "az"
    az.write_text(AZ_SCRIPT.format(python=sys.executable, sub=SUB))
    az.chmod(0o755)
    bundle = tmp_path / "test-ca.pem"
    test_ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
                "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT", "MSI_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    return bin_dir


def demo_state(**knobs) -> StubState:
    """Stub state serving the demo tenant's shipped Resource Graph rows and ARM responses."""
    return StubState(tables=load_export_rows(AZURE_SOURCES / "resource-graph"),
                     arm=load_recorded_arm(AZURE_SOURCES / "arm" / "responses.json"), **knobs)


@pytest.fixture
def stub_factory(test_ca: trustme.CA, azure_env: Path):
    cert = test_ca.issue_cert("127.0.0.1", "localhost")
    started: list[AzureStub] = []

    def start(state: StubState) -> AzureStub:
        stub = AzureStub(state, cert).__enter__()
        started.append(stub)
        return stub

    yield start
    for stub in started:
        stub.__exit__(None, None, None)


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Every address this process connects a socket to while the test runs."""
    seen: list = []
    real = socket.socket.connect

    def connect(self, address):
        seen.append(address)
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield seen


def params_file(tmp_path: Path, url: str, *, subscriptions=(SUB,), **azure) -> Path:
    knobs = {"credential": "azure_cli", "resource_manager_url": url,
             "retry_backoff_seconds": 0.01, "timeout_seconds": 10, **azure}
    lines = ["tenant: live-retail", "sources:", "  azure:",
             f"    subscriptions: {json.dumps(list(subscriptions))}"]
    lines += [f"    {k}: {json.dumps(v)}" for k, v in knobs.items()]
    path = tmp_path / "live-retail.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path
