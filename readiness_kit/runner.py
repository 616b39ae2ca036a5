"""Run reviews: per tenant, evidence -> findings -> executed notebooks -> one HTML report.

Output of one run (ARCHITECTURE 7): ``<output>/<tenant>/<run-id>/`` with report.html,
findings.json, findings.csv, summary.json, notebooks/ and evidence/; ``<tenant>/latest``
points at the newest run. One failing tenant never stops the others.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from readiness_kit import __version__
from readiness_kit.errors import ReadinessError

NOTEBOOKS = (
    "00_summary.ipynb",
    "10_architecture.ipynb",
    "20_scalability.ipynb",
    "30_security.ipynb",
    "40_resilience.ipynb",
    "50_operations.ipynb",
    "60_devops.ipynb",
)
KERNEL = "readiness-kit"
DEFAULT_NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass
class TenantRun:
    """One tenant's run: where it went, its gate and how long each step took
    (``step`` names the step that was under way when it failed)."""
    params_path: Path
    tenant: str | None = None
    run_dir: Path | None = None
    report: Path | None = None
    gate: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    step: str = "parameters"


def _kernel_name() -> str:
    """The project's kernel if registered (``make setup``), else this interpreter's."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def new_run_id(tenant_dir: Path, now: dt.datetime) -> str:
    base = now.strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while (tenant_dir / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def point_latest(tenant_dir: Path, run_id: str) -> None:
    """Atomically repoint ``latest`` at ``run_id`` (relative symlink)."""
    tmp = tenant_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_id, target_is_directory=True)
    os.replace(tmp, tenant_dir / "latest")


def _ipc_kernel_manager(socket_dir: str, log: IO[bytes]) -> type:
    """Kernels talk over Unix sockets in a private folder (no TCP port on the machine, no
    plain-text-transport warning) and write their own chatter to ``log``, not the terminal."""
    from jupyter_client.manager import AsyncKernelManager

    class IpcKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = str(Path(tempfile.mkdtemp(dir=socket_dir)) / "kernel")

        async def start_kernel(self, **kw):  # type: ignore[override]
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            return await super()._async_start_kernel(**kw)

    return IpcKernelManager


def execute_notebooks(
    run_dir: Path, params_path: Path, as_of: dt.date, notebooks_dir: Path,
    on_step: Callable[[str], None] | None = None, workers: int = 2,
) -> list[Path]:
    """Execute every notebook with Papermill (``workers`` kernels at a time) into
    ``run_dir/notebooks``; the notebooks read the run's findings rather than re-checking."""
    import papermill as pm

    out_dir = run_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    kernel = _kernel_name()
    sources = [notebooks_dir / name for name in NOTEBOOKS]
    for source in sources:
        if not source.is_file():
            raise ReadinessError("notebook not found", path=source)
    parameters = {"params_path": str(params_path), "run_dir": str(run_dir),
                  "as_of": as_of.isoformat()}

    with (tempfile.TemporaryDirectory(prefix="rk-kernels-") as sockets,
          (out_dir / "kernels.log").open("ab") as log):
        manager = _ipc_kernel_manager(sockets, log)

        def execute(source: Path) -> Path:
            target = out_dir / source.name
            try:
                pm.execute_notebook(
                    str(source), str(target), parameters=parameters, kernel_name=kernel,
                    progress_bar=False, log_output=False, cwd=str(notebooks_dir),
                    start_timeout=120, execution_timeout=600, kernel_manager_class=manager,
                )
            except pm.PapermillExecutionError as exc:
                raise ReadinessError(
                    f"notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                    path=target) from None
            if on_step:
                on_step(f"executed {source.name}")
            return target

        if on_step:
            on_step(f"executing {len(sources)} notebooks")
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            return list(pool.map(execute, sources))


def run_tenant(
    params_path: str | Path,
    output_root: str | Path = "outputs",
    *,
    as_of: dt.date | None = None,
    notebooks_dir: Path | None = None,
    on_step: Callable[[str], None] | None = None,
    workers: int = 2,
    result: TenantRun | None = None,
) -> TenantRun:
    """Review one tenant end to end; raises ``ReadinessError`` on bad input. Pass
    ``result`` to learn, after a failure, which step was under way (``result.step``)."""
    from readiness_kit.changes import previous_run, write_changes
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import load_bundle, write_bundle
    from readiness_kit.outputs import write_outputs
    from readiness_kit.params import load_parameters
    from readiness_kit.report import render_report
    from readiness_kit.review import build_review

    step = on_step or (lambda _msg: None)
    result = result or TenantRun(params_path=Path(params_path))
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[name] = round(now - clock, 3)
        clock = now

    loaded = load_parameters(params_path)
    params = loaded.params
    result.tenant = params.tenant
    result.step = "evidence"
    step("collecting evidence")
    ev = gather_evidence(loaded)
    now = dt.datetime.now(dt.UTC)
    day = as_of or now.date()
    tenant_dir = Path(output_root).resolve() / params.tenant
    tenant_dir.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id(tenant_dir, now)
    run_dir = tenant_dir / run_id
    run_dir.mkdir()
    result.run_dir = run_dir
    write_bundle(ev, run_dir / "evidence", tenant=params.tenant)
    ev = load_bundle(run_dir / "evidence")  # analyse exactly what was frozen
    lap("evidence")
    result.step = "checks"
    step("running checks")
    review = build_review(params, ev, day)
    generated_at = now.isoformat(timespec="seconds")
    summary = write_outputs(review, run_dir, run_id=run_id, generated_at=generated_at)
    write_changes(run_dir, previous_run(tenant_dir, run_id))
    result.gate = review.gate
    lap("checks")
    result.step = "notebooks"
    executed = execute_notebooks(run_dir, loaded.path, day,
                                 notebooks_dir or DEFAULT_NOTEBOOKS_DIR, step, workers)
    lap("notebooks")
    result.step = "render"
    step("rendering report")
    header = {
        "tenant": params.tenant, "display_name": params.name, "run_id": run_id,
        "generated_at": generated_at, "as_of": day.isoformat(), "gate": review.gate,
        "gate_reasons": review.gate_reasons, "evidence_sha256": ev.sha256,
        "toolkit_version": __version__, "scores": summary["domains"],
        "counts": summary["counts"],
    }
    result.report = render_report(executed, header, run_dir / "report.html")
    lap("render")
    point_latest(tenant_dir, run_id)
    result.step = "done"
    return result
