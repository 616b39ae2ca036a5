"""Live collection through the real SDK and azure-identity against the HTTPS stub."""

from __future__ import annotations

import json

from readiness_kit.collect import gather_evidence
from readiness_kit.collectors.azure.resource_graph import ARG_TABLES
from readiness_kit.params import load_parameters

from .conftest import demo_state, params_file
from .stub import ARG_PATH


def _only_reads(stub) -> None:
    methods = {(e.method, e.path.lower() == ARG_PATH) for e in stub.state.log}
    assert methods <= {("POST", True), ("GET", False)}, methods


def test_every_table_is_collected_paged_through_the_sdk(tmp_path, stub_factory, azure_env,
                                                       connections):
    stub = stub_factory(demo_state(page_size=7, quota=100))
    loaded = load_parameters(params_file(tmp_path, stub.url))
    lines: list[str] = []
    ev = gather_evidence(loaded, progress=lines.append)

    df = ev.table("azure_resources")
    expected = {t: len(rows) for t, rows in stub.state.tables.items()}
    assert df.groupby("arg_table").size().to_dict() == expected  # every row, every table
    assert df["id"].is_unique
    queried = {e.body["query"].split("|")[0].strip() for e in stub.state.log if e.body}
    assert queried == {t.name for t in ARG_TABLES}
    # paging: resources (50 rows at 7 a page) took 8 requests, each with the previous token
    pages = [e.body["options"] for e in stub.state.log
             if e.body and e.body["query"].startswith("resources\n")]
    assert len(pages) == 8 and "$skipToken" not in pages[0]
    assert all(p["$top"] == 1000 and p["resultFormat"] == "objectArray" for p in pages)
    assert all(e.body["subscriptions"] == [loaded.params.sources.azure.subscriptions[0]]
               for e in stub.state.log if e.body)
    # ARM details: diagnostic settings, PostgreSQL configurations (paged by nextLink), blobs
    details = ev.table("azure_arm_details")
    assert details.groupby("detail_type").size().to_dict() == {
        "blobServices": 2, "configurations": 10, "diagnosticSettings": 4}
    config_gets = [e for e in stub.state.log if e.path.endswith("/configurations")]
    assert len(config_gets) == 3  # 10 configurations at 4 a page
    # the 403 on the Redis diagnostic settings is a gap for that resource only
    (gap,) = ev.gaps.to_dict("records")
    assert gap["what"] == "diagnosticSettings of microsoft.cache/redis/redis-retail-prod"
    assert gap["reason"].startswith("403 AuthorizationFailed")
    # the token audience follows resource_manager_url; tokens never reach evidence
    az_calls = (azure_env / "az-calls.log").read_text().splitlines()
    assert all(f"--resource {stub.url}" in c for c in az_calls)
    assert all(e.token and e.token.startswith("stub-token-") for e in stub.state.log)
    for name, table in ev.tables.items():
        assert not table.astype(str).apply(lambda c: c.str.contains("stub-token")).any().any(), \
            name
    _only_reads(stub)
    assert {a[0] for a in connections} == {"127.0.0.1"}
    assert any("Resource Graph resources" in line and "50 rows" in line for line in lines)


def test_throttling_5xx_malformed_pages_and_an_expired_token_lose_nothing(
        tmp_path, stub_factory, azure_env, connections):
    state = demo_state(page_size=10, quota=6, window_seconds=1.0, refuse_token_after=6)
    state.fault("resources", 2, "429")
    state.fault("resources", 3, "503", times=2)
    state.fault("resources", 4, "malformed")
    state.fault("resources", 5, "no-data")
    state.fault("authorizationresources", 1, "500")
    pg = [p for p in state.arm if p.endswith("/configurations")][0]
    state.arm_fault(pg, "429")
    stub = stub_factory(state)
    ev = gather_evidence(load_parameters(params_file(tmp_path, stub.url, concurrency=2)))

    df = ev.table("azure_resources")
    assert df.groupby("arg_table").size().to_dict() == {
        t: len(rows) for t, rows in state.tables.items()}
    assert len(ev.table("azure_arm_details")) == 16
    assert ev.gaps["reason"].str.startswith("403").all()  # only the scripted 403 remains
    statuses = [e.status for e in stub.state.log]
    assert {429, 503, 500, 401} <= set(statuses)
    assert any(e.status == 200 and e.path.lower() == "/providers/microsoft.resourcegraph/"
               "resources" for e in stub.state.log)
    # the refused token was replaced by a fresh one from `az`, not fatal
    assert len({e.token for e in stub.state.log}) >= 2
    _only_reads(stub)
    assert {a[0] for a in connections} == {"127.0.0.1"}


def test_pages_that_keep_failing_become_gaps_naming_table_batch_and_error(
        tmp_path, stub_factory, azure_env):
    state = demo_state(page_size=10, quota=100)
    state.fault("resources", 3, "500", times=50)
    state.fault("policyresources", 1, "malformed", times=50)
    pg = [p for p in state.arm if p.endswith("/configurations")][0]
    state.arm_fault(pg, "404")
    stub = stub_factory(state)
    ev = gather_evidence(load_parameters(params_file(tmp_path, stub.url, retries=2)))

    gaps = ev.gaps.to_dict("records")
    by_what = {g["what"]: g for g in gaps}
    res = next(g for w, g in by_what.items() if w.startswith("Resource Graph resources"))
    assert "subscription batch 1 of 1" in res["what"] and "rows after 20" in res["what"]
    assert res["reason"].startswith("page 3: HTTP 500 InternalServerError")
    pol = next(g for w, g in by_what.items() if w.startswith("Resource Graph policyresources"))
    assert "malformed page" in pol["reason"]
    assert by_what["configurations of microsoft.dbforpostgresql/flexibleservers/"
                   "psql-retail-prod"]["reason"].startswith("404 ResourceNotFound")
    # the rows read before the failure are kept, the other tables are complete
    got = ev.table("azure_resources").groupby("arg_table").size().to_dict()
    assert got["resources"] == 20 and "policyresources" not in got
    assert got["authorizationresources"] == len(state.tables["authorizationresources"])


def test_a_credential_that_cannot_sign_in_is_one_clear_gap(tmp_path, stub_factory, azure_env):
    stub = stub_factory(demo_state())
    (azure_env / "az").write_text("#!/bin/sh\necho 'Please run az login to setup account.' >&2"
                                  "\nexit 1\n")
    ev = gather_evidence(load_parameters(params_file(tmp_path, stub.url)))
    assert not ev.has("azure_resources") and stub.state.log == []
    assert set(ev.gaps["what"]) == {"Azure sign-in with credential azure_cli"}
    assert "az login" in ev.gaps["reason"].iloc[0]
    assert json.dumps(ev.gaps.to_dict("records"))  # plain text, nothing else


def test_writes_and_other_hosts_are_refused_before_anything_is_sent(
        tmp_path, stub_factory, azure_env, connections):
    import pytest
    from azure.core.rest import HttpRequest
    from azure.identity import AzureCliCredential

    from readiness_kit.collectors.azure.arm import _read_one, make_client
    from readiness_kit.collectors.azure.credentials import SharedCredential
    from readiness_kit.collectors.azure.pipeline import (
        CollectionSettings,
        ThrottlePolicy,
        WriteRefused,
    )

    state = demo_state()
    pg = [p for p in state.arm if p.endswith("/configurations")][0]
    state.arm[pg] = (200, {"value": [], "nextLink": "https://198.51.100.7/next?$skiptoken=1"})
    stub = stub_factory(state)
    settings = CollectionSettings(retries=0)
    credential = SharedCredential(AzureCliCredential())
    with make_client(credential, stub.url, settings, ThrottlePolicy(settings)) as client:
        for method in ("PUT", "PATCH", "DELETE", "POST"):
            with pytest.raises(WriteRefused, match="only reads"):
                client.send_request(HttpRequest(method, client.format_url(
                    "/subscriptions/x/resourceGroups/rg?api-version=2021-04-01")))
        with pytest.raises(WriteRefused, match="refused to contact https://198.51.100.7"):
            client.send_request(HttpRequest("GET", "https://198.51.100.7/subscriptions"))
        got = _read_one(client, credential, pg + "?api-version=2024-08-01")
    assert "nextLink points at another host" in got.gaps[0]["reason"]
    assert [e.method for e in stub.state.log] == ["GET"]  # only the configurations read
    assert {a[0] for a in connections} == {"127.0.0.1"}
