"""Azure collection at estate scale: the live collector against raw page fetching.

A generated estate (100,000 resources by default, ``--resources N``) is served by the
HTTPS stub of Resource Graph and ARM (``tests/collectors/azure/stub.py``) in a process of
its own, pages pre-rendered. Rows are re-homed copies of the demo tenant's shipped
Resource Graph rows (real ARM shapes: VMSS, disks, NICs, NSGs, private endpoints, AKS,
PostgreSQL, Redis, storage, Key Vault...), spread over subscriptions and resource groups,
with role assignments, policy, advisor and backup rows beside them.

Printed, measured in the same run against the same stub:
- raw: every Resource Graph page POSTed sequentially with `requests` (JSON parsed to find
  the next ``$skipToken``), then every ARM detail GET sequentially;
- collector: ``readiness_kit.collectors.azure.collect`` through the real SDK and
  azure-identity (``credential: azure_cli`` answered by a stand-in ``az``) into evidence
  tables (rows normalised, Arrow tables built);
- the ratio collector / raw (target <= 1.3), for Resource Graph alone and in all (the
  collector's "all" includes building the evidence tables, which raw fetching does not);
- reading the same estate from an ``az graph query -o json`` export: time and peak memory.

    .venv/bin/python benchmarks/bench_azure_collect.py [--resources 100000]
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import requests  # noqa: E402
import trustme  # noqa: E402
from collectors.azure.stub import (  # noqa: E402
    AZ_SCRIPT,
    AzureStub,
    StubState,
    _token,
    load_export_rows,
)

from readiness_kit.collectors.azure import collect  # noqa: E402
from readiness_kit.collectors.azure.arm import detail_requests  # noqa: E402
from readiness_kit.collectors.azure.resource_graph import (  # noqa: E402
    API_VERSION,
    ARG_TABLES,
    QUERY_PATH,
)
from readiness_kit.demo.build import AZURE_SOURCES  # noqa: E402
from readiness_kit.evidence import Evidence  # noqa: E402
from readiness_kit.params import load_parameters  # noqa: E402

SUBSCRIPTIONS = [f"{i:08x}-7a1e-4c55-9d1b-6a1f3c2b9e10" for i in range(40)]
PAGE = 1000


def _rehome(row: dict, sub: str, rg: str, suffix: str) -> dict:
    new = copy.deepcopy(row)
    head, _, provider = row["id"].partition("/providers/")
    parts = provider.split("/")
    parts[-1] = f"{parts[-1]}-{suffix}"
    new["id"] = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/" + "/".join(parts)
    new["name"] = parts[-1]
    new["subscriptionId"], new["resourceGroup"] = sub, rg
    return new


def estate(n: int) -> dict[str, list[dict]]:
    """Rows per Resource Graph table: ``n`` resources plus their governance rows."""
    rng = random.Random(7)
    demo = load_export_rows(AZURE_SOURCES / "resource-graph")
    templates = demo["resources"]
    heavy = {"microsoft.containerservice/managedclusters", "microsoft.dbforpostgresql/"
             "flexibleservers", "microsoft.cache/redis", "microsoft.storage/storageaccounts",
             "microsoft.keyvault/vaults", "microsoft.recoveryservices/vaults",
             "microsoft.dataprotection/backupvaults"}
    weights = [1 if t["type"] in heavy else 60 for t in templates]
    out: dict[str, list[dict]] = {"resources": []}
    for i in range(n):
        t = rng.choices(templates, weights)[0]
        sub = SUBSCRIPTIONS[i % len(SUBSCRIPTIONS)]
        out["resources"].append(_rehome(t, sub, f"rg-app-{(i // 40) % 500:03d}", f"{i:06d}"))
    for table, share in (("authorizationresources", 20), ("policyresources", 50),
                         ("advisorresources", 100), ("recoveryservicesresources", 100),
                         ("securityresources", 2000)):
        rows = demo[table]
        out[table] = [_rehome(rows[i % len(rows)], SUBSCRIPTIONS[i % len(SUBSCRIPTIONS)],
                              f"rg-app-{i % 500:03d}", f"{i:06d}") for i in range(n // share)]
    out["resourcecontainers"] = [
        {"id": f"/subscriptions/{s}", "name": f"retail-{i:02d}", "type":
         "microsoft.resources/subscriptions", "subscriptionId": s, "location": "",
         "properties": {"state": "Enabled", "subscriptionPolicies": {
             "quotaId": "EnterpriseAgreement_2014-09-01", "spendingLimit": "Off"}},
         "tags": {"costCenter": "CC-4410"}} for i, s in enumerate(SUBSCRIPTIONS)]
    return out


def arm_bodies(rows: list[dict]) -> dict[str, tuple[int, object]]:
    records = [{"id": r["id"], "type": r["type"].lower()} for r in rows]
    out: dict[str, tuple[int, object]] = {}
    for path in detail_requests(records, SUBSCRIPTIONS):
        base = path.split("?", 1)[0]
        if base.endswith("/blobServices/default"):
            body = {"id": base, "name": "default",
                    "type": "Microsoft.Storage/storageAccounts/blobServices",
                    "properties": {"deleteRetentionPolicy": {"enabled": True, "days": 7},
                                   "isVersioningEnabled": False}}
        elif base.endswith("/configurations"):
            body = {"value": [{"id": f"{base}/{name}", "name": name, "type":
                               "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
                               "properties": {"value": value, "source": "system-default"}}
                              for name, value in (("require_secure_transport", "on"),
                                                  ("log_connections", "on"),
                                                  ("max_connections", "400"))]}
        else:
            body = {"value": [{"id": f"{base}/to-law", "name": "to-law",
                               "type": "Microsoft.Insights/diagnosticSettings",
                               "properties": {"workspaceId": "/subscriptions/x/law",
                                              "logs": [{"categoryGroup": "allLogs",
                                                        "enabled": True}]}}]}
        out[base.lower()] = (200, body)
    return out


def prerender(state: StubState) -> None:
    """Every page the collector (and the raw client) will ask for, as bytes."""
    subs = tuple(sorted(SUBSCRIPTIONS))
    for table in ARG_TABLES:
        rows = sorted(state.tables.get(table.name, []), key=lambda r: r["id"])
        types = {t.lower() for t in table.types} or None
        rows = [r for r in rows if types is None or r["type"].lower() in types]
        for offset in range(0, max(len(rows), 1), PAGE):
            page = rows[offset:offset + PAGE]
            payload = {"totalRecords": len(rows), "count": len(page),
                       "resultTruncated": "false", "facets": [], "data": page}
            if offset + PAGE < len(rows):
                payload["$skipToken"] = _token(table.name, offset + PAGE)
            state.pre_rendered[(table.name, subs, offset, PAGE)] = json.dumps(payload).encode()


class PemCert:
    def __init__(self, path: str) -> None:
        self.path = path

    def configure_cert(self, ctx) -> None:
        ctx.load_cert_chain(self.path)


def serve(state: StubState, cert_path: str, ready) -> None:
    with AzureStub(state, PemCert(cert_path)) as stub:
        ready.put(stub.url)
        time.sleep(3600)


def raw_fetch(url: str, ca: str, arm_paths: list[str]) -> tuple[float, float, int]:
    """Every page and detail, sequentially, as a minimal client would fetch them."""
    session = requests.Session()
    session.verify = ca
    headers = {"Authorization": "Bearer raw-client"}
    rows = 0
    start = time.perf_counter()
    for table in ARG_TABLES:
        token = None
        while True:
            options = {"$top": PAGE, "resultFormat": "objectArray"}
            if token:
                options["$skipToken"] = token
            r = session.post(f"{url}{QUERY_PATH}", params={"api-version": API_VERSION},
                             json={"subscriptions": SUBSCRIPTIONS, "query": table.query,
                                   "options": options}, headers=headers, timeout=60)
            page = r.json()
            rows += len(page["data"])
            token = page.get("$skipToken")
            if not token:
                break
    arg = time.perf_counter() - start
    for path in arm_paths:
        session.get(f"{url}{path}", headers=headers, timeout=60).json()
    return arg, time.perf_counter() - start, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-azure-"))
    print(f"generating an estate of {args.resources:,} resources ...", flush=True)
    tables = estate(args.resources)
    state = StubState(tables=tables, arm=arm_bodies(tables["resources"]), quota=10_000,
                      window_seconds=5.0, arm_reads=10_000_000)
    prerender(state)
    total_rows = sum(len(v) for v in tables.values())

    ca = trustme.CA()
    ca_path, cert_path = str(work / "ca.pem"), str(work / "server.pem")
    ca.cert_pem.write_to_path(ca_path)
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(cert_path)
    bin_dir = work / "bin"
    bin_dir.mkdir()
    (bin_dir / "az").write_text(AZ_SCRIPT.format(python=sys.executable, sub=SUBSCRIPTIONS[0]))
    (bin_dir / "az").chmod(0o755)
    os.environ.update(REQUESTS_CA_BUNDLE=ca_path, SSL_CERT_FILE=ca_path, NO_PROXY="127.0.0.1",
                      PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}")

    export = work / "resources.json"  # the offline twin, written before the stub forks
    with export.open("w") as fh:
        json.dump({"count": total_rows, "data": [r for v in tables.values() for r in v],
                   "skip_token": None, "total_records": total_rows}, fh)

    ctx = multiprocessing.get_context("fork")
    ready = ctx.Queue()
    server = ctx.Process(target=serve, args=(state, cert_path, ready), daemon=True)
    server.start()
    try:
        url = ready.get(timeout=60)
        arm_paths = sorted(p for p in detail_requests(
            [{"id": r["id"], "type": r["type"].lower()} for r in tables["resources"]],
            SUBSCRIPTIONS))
        del tables, state
        raw_arg, raw_all, raw_rows = raw_fetch(url, ca_path, arm_paths)

        params = work / "bench.yaml"
        params.write_text("tenant: bench\nsources:\n  azure:\n"
                          f"    subscriptions: {json.dumps(SUBSCRIPTIONS)}\n"
                          f"    credential: azure_cli\n    resource_manager_url: {url}\n")
        loaded = load_parameters(params)
        marks: dict[str, float] = {}
        start = time.perf_counter()

        def progress(line: str) -> None:
            if "ARM details" not in line:
                marks["arg"] = time.perf_counter() - start

        ev = Evidence()
        collect(loaded.params.sources.azure, loaded, ev, progress)
        col_all = time.perf_counter() - start
        col_arg = marks["arg"]
    finally:
        server.kill()
        server.join()

    rows = len(ev.table("azure_resources"))
    details = len(ev.table("azure_arm_details"))
    assert rows == raw_rows == total_rows, (rows, raw_rows, total_rows)
    assert ev.gaps.empty, ev.gaps
    print(f"estate: {rows:,} Resource Graph rows ({args.resources:,} resources), "
          f"{len(arm_paths):,} ARM detail reads -> {details:,} detail rows")
    print(f"Resource Graph  raw sequential {raw_arg:7.2f}s   collector {col_arg:7.2f}s   "
          f"ratio {col_arg / raw_arg:.2f}x (target <= 1.3)")
    print(f"ARM details     raw sequential {raw_all - raw_arg:7.2f}s   collector "
          f"{col_all - col_arg:7.2f}s (with building the evidence tables)")
    print(f"all             raw sequential {raw_all:7.2f}s   collector {col_all:7.2f}s   "
          f"ratio {col_all / raw_all:.2f}x")

    from readiness_kit.collectors.azure import read_arg_export

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    offline = read_arg_export(export)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = export.stat().st_size
    n = len(offline.table("azure_resources"))
    print(f"export          {size / 1e6:7.1f} MB az graph query -o json, {n:,} rows read in "
          f"{took:.2f}s; peak RSS {peak / 1024:.0f} MB (was {before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
