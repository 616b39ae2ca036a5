"""Batch runs on a real Dask cluster: a scheduler and a worker started on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tenants import AS_OF, run_cli, small_tenants

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory) -> Iterator[str]:
    """``dask scheduler`` and one ``dask worker`` (one thread) on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    logs = (tmp / "scheduler.log").open("w"), (tmp / "worker.log").open("w")
    procs = [subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--no-dashboard", "--no-show"], stdout=logs[0], stderr=subprocess.STDOUT, env=env,
        cwd=tmp)]
    procs.append(subprocess.Popen(
        [str(BIN / "dask"), "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
         "--nworkers", "1", "--no-dashboard", "--memory-limit", "0",
         "--local-directory", str(tmp / "worker")], stdout=logs[1],
        stderr=subprocess.STDOUT, env=env, cwd=tmp))
    try:
        from distributed import Client

        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5) as client:
                    if client.scheduler_info()["workers"]:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp / "worker.log").read_text()[-3000:]
            time.sleep(1)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


def findings_of(run_dir: Path) -> list[tuple]:
    rows = json.loads((run_dir / "findings.json").read_text())
    rows = rows["findings"] if isinstance(rows, dict) else rows
    return sorted((r["check_id"], r["subject"], r["status"], r["detail"]) for r in rows)


def test_a_cluster_run_gives_the_findings_of_a_local_run(tmp_path, scheduler):
    small_tenants(tmp_path, "north", "south")
    local = run_cli("run", "params", "--output", "local", "--as-of", AS_OF, cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    remote = run_cli("run", "params", "--output", "remote", "--as-of", AS_OF,
                     "--scheduler", scheduler, cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    for tenant in ("north", "south"):
        here = (tmp_path / "local" / tenant / "latest").resolve()
        there = (tmp_path / "remote" / tenant / "latest").resolve()
        assert (there / "report.html").is_file()
        assert findings_of(there) == findings_of(here) != []
    # the worker wrote them: its process is not the command's
    logs = list((tmp_path / "remote" / "logs").glob("kernels-*.log"))
    assert logs and all(p.stem != f"kernels-{os.getpid()}" for p in logs)
    record = json.loads((tmp_path / "remote" / "summary.json").read_text())
    assert record["statuses"]["done"] == 2


def test_an_unreachable_scheduler_is_a_readable_error(tmp_path):
    small_tenants(tmp_path, "north")
    port = _free_port()
    proc = run_cli("run", "params", "--output", "out", "--scheduler",
                   f"tcp://127.0.0.1:{port}", cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert f"tcp://127.0.0.1:{port}" in proc.stderr and "not reachable" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_local_run_never_imports_dask(tmp_path):
    small_tenants(tmp_path, "north")
    code = ("import sys; from typer.testing import CliRunner; "
            "from readiness_kit.cli import app; "
            "r = CliRunner().invoke(app, ['run', 'params', '--output', 'out', "
            f"'--as-of', '{AS_OF}']); "
            "print(r.exit_code, 'distributed' in sys.modules, 'dask' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert proc.stdout.split() == ["0", "False", "False"], proc.stderr[-2000:]
