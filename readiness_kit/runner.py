"""Run reviews: per tenant, evidence -> findings -> executed notebooks -> one HTML report.

Output of one run (ARCHITECTURE 7): ``<output>/<tenant>/<run-id>/`` with report.html,
findings.json, findings.csv, summary.json, notebooks/ and evidence/; ``<tenant>/latest``
points at the newest run. One failing tenant never stops the others.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
    params_path: Path
    tenant: str | None = None
    run_dir: Path | None = None
    report: Path | None = None
    gate: str | None = None
    error: str | None = None
    exit_code: int = 0
    timings: dict[str, float] = field(default_factory=dict)


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


def execute_notebooks(
    run_dir: Path, params_path: Path, as_of: dt.date, notebooks_dir: Path,
    on_step: Callable[[str], None] | None = None,
) -> list[Path]:
    import papermill as pm

    out_dir = run_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    kernel = _kernel_name()
    executed = []
    for name in NOTEBOOKS:
        source = notebooks_dir / name
        if not source.is_file():
            raise ReadinessError("notebook not found", path=source)
        if on_step:
            on_step(f"executing {name}")
        target = out_dir / name
        try:
            pm.execute_notebook(
                str(source), str(target),
                parameters={"params_path": str(params_path),
                            "evidence_dir": str(run_dir / "evidence"),
                            "as_of": as_of.isoformat()},
                kernel_name=kernel, progress_bar=False, log_output=False,
                cwd=str(notebooks_dir), start_timeout=120, execution_timeout=600,
            )
        except pm.PapermillExecutionError as exc:
            raise ReadinessError(
                f"notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                path=target) from None
        executed.append(target)
    return executed


def run_tenant(
    params_path: str | Path,
    output_root: str | Path = "outputs",
    *,
    as_of: dt.date | None = None,
    notebooks_dir: Path | None = None,
    on_step: Callable[[str], None] | None = None,
) -> TenantRun:
    """Review one tenant end to end; raises ``ReadinessError`` on bad input."""
    from readiness_kit.collect import gather_evidence
    from readiness_kit.evidence import load_bundle, write_bundle
    from readiness_kit.outputs import write_outputs
    from readiness_kit.params import load_parameters
    from readiness_kit.report import render_report
    from readiness_kit.review import build_review

    step = on_step or (lambda _msg: None)
    result = TenantRun(params_path=Path(params_path))
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[name] = round(now - clock, 3)
        clock = now

    loaded = load_parameters(params_path)
    params = loaded.params
    result.tenant = params.tenant
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
    step("running checks")
    review = build_review(params, ev, day)
    generated_at = now.isoformat(timespec="seconds")
    summary = write_outputs(review, run_dir, run_id=run_id, generated_at=generated_at)
    result.gate = review.gate
    lap("checks")
    executed = execute_notebooks(run_dir, loaded.path, day,
                                 notebooks_dir or DEFAULT_NOTEBOOKS_DIR, step)
    lap("notebooks")
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
    return result
